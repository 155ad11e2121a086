import type { RateCounter, RateCounterKey } from '../../../domain/communities/limits';

/**
 * An in-memory {@link RateCounter} with the table's contract: a unit is
 * counted only while the count is under the limit, a release gives one back
 * (never below zero; the counter stays, at zero), and each window is a
 * counter of its own. `counts` shows what is held, by counter.
 */
export function fakeRateCounter() {
  const counts = new Map<string, number>();
  const nameOf = (key: RateCounterKey) =>
    `${key.communityId}|${key.residentKey}|${key.action}|${key.window.startsAt}`;
  const counter: RateCounter = {
    consume: async (key, limit) => {
      const count = counts.get(nameOf(key)) ?? 0;
      if (count >= limit) return false;
      counts.set(nameOf(key), count + 1);
      return true;
    },
    release: async (key) => {
      const count = counts.get(nameOf(key));
      if (count !== undefined && count > 0) counts.set(nameOf(key), count - 1);
    },
  };
  return { counter, counts };
}
