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

/** The number of bits of a non-negative bigint (0 for 0). */
function bitLength(value: bigint): number {
  if (value === 0n) return 0;
  const hex = value.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(Number.parseInt(hex[0] as string, 16)));
}

/**
 * `numerator / denominator` (both ≥ 0, the denominator > 0) as the nearest
 * double, whatever the sizes of the bigints (converting each to a double
 * first would overflow them). Correctly rounded, so equal fractions give the
 * same double however they are written, and a smaller fraction never a
 * larger double: comparisons of these doubles may say "equal" wrongly, never
 * "smaller".
 */
export function approximate(numerator: bigint, denominator: bigint): number {
  if (numerator === 0n) return 0;
  // Shift so that the whole quotient has 64 or 65 bits, then scale back exactly by a power of two.
  const shift = 64 - (bitLength(numerator) - bitLength(denominator));
  const [dividend, divisor] =
    shift >= 0 ? [numerator << BigInt(shift), denominator] : [numerator, denominator << BigInt(-shift)];
  const quotient = dividend / divisor;
  // A remainder sets the lowest bit, far below the 53 kept, so that rounding sees what was cut off.
  const sticky = quotient * divisor === dividend ? quotient : quotient | 1n;
  return Number(sticky) * 2 ** -shift;
}
