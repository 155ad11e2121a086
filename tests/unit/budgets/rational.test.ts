import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approximate } from '../../../domain/budgets/rules/rational';

describe('approximate', () => {
  it.each([
    [1n, 3n, 1 / 3],
    [3721n, 1155n, 3721 / 1155],
    [10n ** 400n, 3n * 10n ** 399n, 10 / 3],
    [2n ** 80n + 1n, 1n, 2 ** 80],
    [0n, 7n, 0],
  ])('gives the nearest double of %s / %s', (numerator, denominator, expected) => {
    expect(approximate(numerator, denominator)).toBe(expected);
  });

  it('gives the same double for the same fraction however it is written, and keeps the order of unequal ones', () => {
    const big = fc.bigInt({ min: 1n, max: 2n ** 200n });
    fc.assert(
      fc.property(big, big, big, big, (a, b, c, d) => {
        expect(approximate(a * c, b * c)).toBe(approximate(a, b));
        const [low, high] =
          a * d < c * b
            ? [
                [a, b],
                [c, d],
              ]
            : [
                [c, d],
                [a, b],
              ];
        expect(approximate(low[0] as bigint, low[1] as bigint)).toBeLessThanOrEqual(
          approximate(high[0] as bigint, high[1] as bigint),
        );
      }),
      { numRuns: 500 },
    );
  });
});
