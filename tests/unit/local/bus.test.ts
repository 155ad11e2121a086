import { describe, expect, it, vi } from 'vitest';
import { type EventEnvelope, envelope } from '../../../events/envelope';
import { ulidGenerator } from '../../../functions/shared/ids';
import { createLocalBus, type LogLine, matchesPattern } from '../../../infra/local/bus';

const ids = ulidGenerator();

function event(name: string, detail: Record<string, unknown> = {}): EventEnvelope {
  return envelope({
    id: ids.next(),
    name,
    communityId: 'demo',
    occurredAt: new Date('2026-03-01T10:00:00.000Z'),
    subject: 'petition/p1',
    detail,
  });
}

function busWithLog() {
  const lines: LogLine[] = [];
  return { lines, bus: createLocalBus({ log: (line) => lines.push(line) }) };
}

describe('the local event bus', () => {
  it('logs one line per event with its routing fields and none of its detail', async () => {
    const { bus, lines } = busWithLog();
    const published = event('petition.threshold-reached.v1', { email: 'resident@example.org' });

    const result = await bus.publish([published]);

    expect(result).toEqual({ failedEventIds: [] });
    expect(lines).toEqual([
      {
        level: 'info',
        msg: 'event',
        id: published.id,
        name: 'petition.threshold-reached.v1',
        communityId: 'demo',
        subject: 'petition/p1',
        occurredAt: '2026-03-01T10:00:00.000Z',
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('resident@example.org');
    expect(bus.published).toEqual([published]);
  });

  it('delivers an event id once; a redelivery is logged as a duplicate and accepted', async () => {
    const { bus, lines } = busWithLog();
    const subscriber = vi.fn();
    bus.subscribe('*', subscriber);
    const once = event('community.created.v1');

    await bus.publish([once]);
    const again = await bus.publish([once, { ...once }]);

    expect(again).toEqual({ failedEventIds: [] });
    expect(subscriber).toHaveBeenCalledTimes(1);
    expect(bus.published).toEqual([once]);
    expect(lines.map((line) => line.msg)).toEqual(['event', 'duplicate event', 'duplicate event']);
  });

  it('calls the subscribers whose pattern matches the event name', async () => {
    const { bus } = busWithLog();
    const received: Record<string, string[]> = { exact: [], prefix: [], wildcard: [], all: [] };
    bus.subscribe('community.created.v1', (delivered) => void received.exact?.push(delivered.name));
    bus.subscribe('petition.', (delivered) => void received.prefix?.push(delivered.name));
    bus.subscribe('petition.threshold-*', (delivered) => void received.wildcard?.push(delivered.name));
    bus.subscribe('*', (delivered) => void received.all?.push(delivered.name));

    await bus.publish([
      event('community.created.v1'),
      event('community.created.v10'),
      event('petition.threshold-reached.v1'),
      event('petition.closed.v1'),
    ]);

    expect(received).toEqual({
      exact: ['community.created.v1'],
      prefix: ['petition.threshold-reached.v1', 'petition.closed.v1'],
      wildcard: ['petition.threshold-reached.v1'],
      all: [
        'community.created.v1',
        'community.created.v10',
        'petition.threshold-reached.v1',
        'petition.closed.v1',
      ],
    });
  });

  it('logs a failing subscriber and still calls the others', async () => {
    const { bus, lines } = busWithLog();
    const after = vi.fn();
    bus.subscribe('*', async () => {
      throw new Error('webhook down');
    });
    bus.subscribe('*', after);
    const published = event('community.created.v1');

    const result = await bus.publish([published]);

    expect(result).toEqual({ failedEventIds: [] });
    expect(after).toHaveBeenCalledWith(published);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'subscriber failed', id: published.id, pattern: '*' }),
    );
  });

  it('stops calling a subscriber once it unsubscribes', async () => {
    const { bus } = busWithLog();
    const subscriber = vi.fn();
    const unsubscribe = bus.subscribe('*', subscriber);

    await bus.publish([event('community.created.v1')]);
    unsubscribe();
    await bus.publish([event('community.created.v1')]);

    expect(subscriber).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['*', 'anything.at-all.v1', true],
    ['petition.', 'petition.closed.v1', true],
    ['petition.', 'petitions.closed.v1', false],
    ['community.created.v1', 'community.created.v1', true],
    ['community.created.v1', 'community.created.v10', false],
    ['community.member-*', 'community.member-changed.v1', true],
  ])('pattern %s matches %s: %s', (pattern, name, expected) => {
    expect(matchesPattern(pattern, name)).toBe(expected);
  });
});
