import { type Rational, rational } from './rational';

/**
 * An amount as it moves with the add1 completion's increment `t` (the extra
 * money each voter gets): its value at the increment the rule runs with and
 * how much it grows per unit of `t`, both numerators over one positive
 * denominator that the holder keeps. Equal shares is linear in `t` between
 * the points where one of its decisions flips, so carrying the slope along
 * tells how far `t` can grow before any decision may change.
 */
export interface Trend {
  readonly value: bigint;
  readonly slope: bigint;
}

/** A fraction with a positive denominator, not necessarily in lowest terms. */
export interface Fraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** A {@link Trend} with its own denominator, for amounts of different scales (prices per unit of cost). */
export interface Ratio extends Trend {
  readonly denominator: bigint;
}

/** Negative, zero or positive as `a`'s value is less than, equal to or greater than `b`'s. */
export function compareRatios(a: Ratio, b: Ratio): number {
  const left = a.value * b.denominator;
  const right = b.value * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * How far the increment may grow while every condition handed to
 * {@link keepNonNegative} keeps its side of zero: `undefined` while none ever
 * changes. It errs towards a shorter reach, never a longer one.
 */
export class Reach {
  #numerator = 0n;
  #denominator = 0n;

  /** The increment may grow by less than this before a condition may fail; `undefined` for any amount. */
  get reach(): Rational | undefined {
    return this.#denominator === 0n ? undefined : rational(this.#numerator, this.#denominator);
  }

  /** The increment `from` plus {@link reach}, as a fraction not reduced (to save the divisions). */
  after(from: bigint): Fraction | undefined {
    if (this.#denominator === 0n) return undefined;
    return { numerator: from * this.#denominator + this.#numerator, denominator: this.#denominator };
  }

  /**
   * Notes a condition `f >= 0` that holds now (or `f > 0`; a strict one fails
   * at the same root): it can only fail if `f` falls, at `value / -slope`
   * (the denominator cancels out).
   */
  keepNonNegative(f: Trend): void {
    if (f.slope >= 0n) return;
    const numerator = f.value;
    const denominator = -f.slope;
    if (this.#denominator === 0n || numerator * this.#denominator < this.#numerator * denominator) {
      this.#numerator = numerator;
      this.#denominator = denominator;
    }
  }

  /** Notes a condition `a >= b` (or `a > b`) between two ratios that holds now. */
  keepAtLeast(a: Ratio, b: Ratio): void {
    const slope = a.slope * b.denominator - b.slope * a.denominator;
    if (slope < 0n) this.keepNonNegative({ value: a.value * b.denominator - b.value * a.denominator, slope });
  }
}
