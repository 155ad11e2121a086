import type { PetitionThreshold, ReachedThreshold } from './petition';

/**
 * The thresholds a count crosses on its way from `before` to `after`
 * (`before < T <= after`), leaving out those already reached. A threshold
 * fires exactly once because its mark is written with a condition; this only
 * says which marks to try.
 * @example crossedThresholds([{ name: 'response', signatures: 500 }], 499, 500, {}) // → [response]
 */
export function crossedThresholds(
  thresholds: readonly PetitionThreshold[],
  before: number,
  after: number,
  reached: Readonly<Record<string, ReachedThreshold>>,
): PetitionThreshold[] {
  return thresholds.filter(
    (threshold) => before < threshold.signatures && threshold.signatures <= after && !reached[threshold.name],
  );
}

export const RESPONSE_THRESHOLD = 'response';
