import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PetitionThreshold, ReachedThreshold } from '../../../domain/petitions/petition';
import { crossedThresholds } from '../../../domain/petitions/thresholds';

const response = { name: 'response', signatures: 500 } as const;
const hearing = { name: 'hearing', signatures: 1000 } as const;
const reachedEarlier: ReachedThreshold = { signatures: 500, reachedAt: '2026-03-01T10:00:00.000Z' };

describe('crossedThresholds', () => {
  it.each<{
    case: string;
    thresholds: readonly PetitionThreshold[];
    before: number;
    after: number;
    reached: Record<string, ReachedThreshold>;
    expected: string[];
  }>([
    { case: 'stays below', thresholds: [response], before: 0, after: 499, reached: {}, expected: [] },
    {
      case: 'lands exactly on it',
      thresholds: [response],
      before: 499,
      after: 500,
      reached: {},
      expected: ['response'],
    },
    {
      case: 'jumps past it',
      thresholds: [response],
      before: 10,
      after: 900,
      reached: {},
      expected: ['response'],
    },
    {
      case: 'starts on it (already crossed)',
      thresholds: [response],
      before: 500,
      after: 501,
      reached: {},
      expected: [],
    },
    { case: 'no change', thresholds: [response], before: 499, after: 499, reached: {}, expected: [] },
    {
      case: 'crosses it, but it was reached already',
      thresholds: [response],
      before: 499,
      after: 500,
      reached: { response: reachedEarlier },
      expected: [],
    },
    {
      case: 'crosses two at once, in the petition’s order',
      thresholds: [response, hearing],
      before: 0,
      after: 1000,
      reached: {},
      expected: ['response', 'hearing'],
    },
    {
      case: 'crosses the second only',
      thresholds: [response, hearing],
      before: 600,
      after: 1200,
      reached: { response: reachedEarlier },
      expected: ['hearing'],
    },
    { case: 'no thresholds', thresholds: [], before: 0, after: 10_000, reached: {}, expected: [] },
  ])('$case: $before → $after gives [$expected]', ({ thresholds, before, after, reached, expected }) => {
    const crossed = crossedThresholds(thresholds, before, after, reached);

    expect(crossed.map((threshold) => threshold.name)).toEqual(expected);
  });

  it('fires each threshold at most once, and exactly once iff the final total reaches it', () => {
    const thresholdsArbitrary = fc
      .uniqueArray(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 })
      .map((values) => values.map((signatures, index) => ({ name: `t${index}`, signatures })));
    // Zero-sized steps are in: a batch of already-counted signatures moves nothing.
    const incrementsArbitrary = fc.array(fc.nat({ max: 80 }), { maxLength: 40 });

    fc.assert(
      fc.property(thresholdsArbitrary, incrementsArbitrary, (thresholds, increments) => {
        const reached: Record<string, ReachedThreshold> = {};
        const fired = new Map<string, number>();
        let total = 0;
        for (const increment of increments) {
          const after = total + increment;
          for (const threshold of crossedThresholds(thresholds, total, after, reached)) {
            fired.set(threshold.name, (fired.get(threshold.name) ?? 0) + 1);
            reached[threshold.name] = { signatures: threshold.signatures, reachedAt: `step ${after}` };
          }
          total = after;
        }
        for (const threshold of thresholds) {
          expect(fired.get(threshold.name) ?? 0).toBe(total >= threshold.signatures ? 1 : 0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('fires each threshold once even when the total falls back and rises again (a repaired counter)', () => {
    const thresholdsArbitrary = fc
      .uniqueArray(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 })
      .map((values) => values.map((signatures, index) => ({ name: `t${index}`, signatures })));
    // Over increments alone `before < T <= after` holds once by itself; a fall makes `reached` matter.
    const stepsArbitrary = fc.array(fc.integer({ min: -120, max: 80 }), { maxLength: 40 });

    fc.assert(
      fc.property(thresholdsArbitrary, stepsArbitrary, (thresholds, steps) => {
        const reached: Record<string, ReachedThreshold> = {};
        const fired = new Map<string, number>();
        let total = 0;
        let peak = 0;
        for (const step of steps) {
          const after = Math.max(0, total + step);
          for (const threshold of crossedThresholds(thresholds, total, after, reached)) {
            fired.set(threshold.name, (fired.get(threshold.name) ?? 0) + 1);
            reached[threshold.name] = { signatures: threshold.signatures, reachedAt: `step ${after}` };
          }
          total = after;
          peak = Math.max(peak, total);
        }
        for (const threshold of thresholds) {
          expect(fired.get(threshold.name) ?? 0).toBe(peak >= threshold.signatures ? 1 : 0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
