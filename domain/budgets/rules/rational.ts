/**
 * Exact fractions of bigints, for what result rules report: each voter's
 * share and what is left of it under equal shares. (The rule itself works on
 * whole numerators over a common denominator, see `wallets.ts`.)
 */

/** `numerator / denominator`, always in lowest terms with a positive denominator. */
export interface Rational {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};

/** @example rational(6n, 4n) // → 3/2 */
export function rational(numerator: bigint, denominator = 1n): Rational {
  if (denominator === 0n) throw new RangeError('A fraction cannot have the denominator 0.');
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = gcd(numerator, denominator) || 1n;
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

/** Negative, zero or positive as `a` is less than, equal to or greater than `b`. */
export function compare(a: Rational, b: Rational): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The least whole number at or above `a`. */
export function ceiling(a: Rational): bigint {
  const quotient = a.numerator / a.denominator;
  // bigint division truncates towards zero: step up only above zero.
  return a.numerator > 0n && quotient * a.denominator !== a.numerator ? quotient + 1n : quotient;
}
