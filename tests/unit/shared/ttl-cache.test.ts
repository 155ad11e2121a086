import { describe, expect, it } from 'vitest';
import { ttlCache } from '../../../functions/shared/ttl-cache';

describe('ttlCache', () => {
  it('serves a value until it expires, then loads it again', async () => {
    let now = 0;
    let loads = 0;
    const cache = ttlCache<number>(1000, { maxEntries: 10, clock: { now: () => new Date(now) } });
    const load = async () => (loads += 1);

    expect(await cache.get('k', load)).toBe(1);
    now = 999;
    expect(await cache.get('k', load)).toBe(1);
    now = 1000;
    expect(await cache.get('k', load)).toBe(2);
  });

  it('shares one load between concurrent misses', async () => {
    let loads = 0;
    const cache = ttlCache<number>(1000);
    const load = () =>
      new Promise<number>((resolve) =>
        setTimeout(() => {
          loads += 1;
          resolve(loads);
        }, 5),
      );

    const values = await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);

    expect(values).toEqual([1, 1, 1]);
    expect(loads).toBe(1);
  });

  it('does not keep a failed load', async () => {
    const cache = ttlCache<number>(1000);

    await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await new Promise((wake) => setTimeout(wake, 0));

    expect(await cache.get('k', async () => 7)).toBe(7);
  });

  it('drops the oldest entry beyond its size', async () => {
    let loads = 0;
    const cache = ttlCache<number>(60_000, { maxEntries: 2 });
    const load = async () => (loads += 1);

    await cache.get('a', load);
    await cache.get('b', load);
    await cache.get('c', load);
    await cache.get('a', load);

    expect(loads).toBe(4);
  });

  it('keeps only the values it is told to keep', async () => {
    let loads = 0;
    const cache = ttlCache<string>(60_000, { maxEntries: 10, keep: (value) => value === 'voting' });
    const load = (phase: string) => async () => {
      loads += 1;
      return phase;
    };

    await cache.get('closed', load('tallying'));
    await new Promise((wake) => setTimeout(wake, 0));
    await cache.get('closed', load('tallying'));
    await cache.get('open', load('voting'));
    await cache.get('open', load('voting'));

    expect(loads).toBe(3);
  });
});
