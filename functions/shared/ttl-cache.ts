import type { Clock } from '../../domain/shared/clock';
import { systemClock } from './ids';

/**
 * A small in-process cache for reads that may be a few seconds old. A Lambda
 * container (or the local runtime) keeps it between requests; on the signing
 * path it turns two reads per signature into one per few seconds, which is how
 * the count's hot readers and writers stay off the table (the 2019 UK lesson).
 */
export interface TtlCache<T> {
  /** The cached value, or `load()`'s (concurrent misses of one key share one load). */
  get(key: string, load: () => Promise<T>): Promise<T>;
  clear(): void;
}

/** How a {@link ttlCache} keeps its values. */
export interface TtlCacheOptions<T> {
  /** Entries at most; beyond, the oldest goes (default 1000). */
  readonly maxEntries?: number;
  /**
   * What entries age by (default {@link systemClock}). A cache lives as long
   * as its container, not a request: it ages by the container's clock, and
   * tests pass one they move.
   */
  readonly clock?: Clock;
  /**
   * Which loaded values may be cached (default: all); the others are loaded
   * afresh each time, e.g. a budget that is not open for voting.
   */
  readonly keep?: (value: T) => boolean;
}

/**
 * A cache whose entries live `ttlMs` milliseconds.
 * @example const drafts = ttlCache<Draft | undefined>(60_000, { maxEntries: 200, keep: (d) => d !== undefined });
 */
export function ttlCache<T>(
  ttlMs: number,
  { maxEntries = 1000, clock = systemClock, keep = () => true }: TtlCacheOptions<T> = {},
): TtlCache<T> {
  const now = () => clock.now().getTime();
  const entries = new Map<string, { value: Promise<T>; expiresAt: number }>();
  return {
    get(key, load) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt > now()) return entry.value;
      if (entries.size >= maxEntries) {
        // Maps iterate in insertion order: the first key is the oldest.
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      const value = load();
      entries.set(key, { value, expiresAt: now() + ttlMs });
      // A failed load must not be served from the cache, nor one it should not keep.
      value.then(
        (loaded) => {
          if (!keep(loaded)) entries.delete(key);
        },
        () => entries.delete(key),
      );
      return value;
    },
    clear: () => entries.clear(),
  };
}
