import type { Project, Wallets } from './wallets';

/** Bounds `low ≤ x ≤ high` of a rate of change. */
export interface RateBounds {
  readonly low: number;
  readonly high: number;
}

/** Rates are bounded with doubles; this widens each bound, relatively, far past their rounding. */
const WIDEN = 2 ** -40;

/**
 * How fast the amounts of equal shares can change with the add1 increment t
 * anywhere between two runs, at t₀ and t₁ > t₀, that fund the same projects
 * in the same order: bounds of the slope of each voter's money, and of each
 * price, valid on the whole interval.
 *
 * Every amount is continuous and piecewise affine in t; where the voters who
 * pay all they have stay the same, the slopes are constant. They change where
 * a voter stops paying all (as t grows a voter only gets richer against a
 * price: the poor at t₁ are poor throughout, the rich at t₀ rich throughout),
 * and the bounds cover every mix in between. A voter's money grows at the
 * rate of the share, n, less what its payments grow; a price α, the split of
 * what the poor cannot pay among the rest, falls at the rate the poor's money
 * grows over the weight of the rest: between what the surely poor add over
 * the most payers, and what all the maybe poor add over the fewest.
 *
 * With bounds of the slope of the difference of two prices, a comparison
 * that holds at both ends holds in between unless the difference can dip
 * below zero ({@link holdsBetween}): near a change, where both prices drift
 * alike, this vouches for far more than comparing each at its worst end.
 */
export class Rates {
  // By class of voters (see VoterClasses): bounds of how fast what each of its voters has grows.
  #low = new Float64Array(64);
  #high = new Float64Array(64);
  /** By class: broke at t₀ by the current round. */
  #brokeBefore = new Uint8Array(64);

  /** Before the first round: every voter's money grows as the share does, n per unit of t. */
  reset(voterCount: number): void {
    this.#low[0] = voterCount;
    this.#high[0] = voterCount;
    this.#brokeBefore[0] = 0;
  }

  /**
   * Bounds of dα/dt for `project` in the current round (α: what each payer
   * pays per unit of weight, money times n), given which entries of its
   * tally pay all they have at t₀ (`poorBefore`) and at t₁ (`poorAfter`, the
   * state of `wallets`); `undefined` when nobody surely pays a split at t₀.
   */
  split(
    project: Project,
    poorBefore: Int32Array,
    poorAfter: Int32Array,
    wallets: Wallets,
  ): RateBounds | undefined {
    const { wallets: classes, weights, voters } = wallets.tally(project);
    let surelyPoor = 0;
    let maybePoor = 0;
    let richBefore = 0;
    let richAfter = 0;
    let before = 0;
    let after = 0;
    for (let entry = 0; entry < classes.length; entry++) {
      while ((poorBefore[before] ?? Number.POSITIVE_INFINITY) < entry) before++;
      while ((poorAfter[after] ?? Number.POSITIVE_INFINITY) < entry) after++;
      const wallet = classes[entry] as number;
      if (wallets.isBroke(wallet)) continue; // broke at t₁, so throughout
      const count = voters[entry] as number;
      const own = count * (weights[entry] as number);
      const poorAtEnd = poorAfter[after] === entry;
      if (this.#brokeBefore[wallet] || poorBefore[before] === entry) {
        // Poor (or broke) at t₀: poor throughout if still poor at t₁, else somewhere in between.
        maybePoor += count * (this.#high[wallet] as number);
        if (poorAtEnd && !this.#brokeBefore[wallet]) surelyPoor += count * (this.#low[wallet] as number);
        if (!poorAtEnd) richAfter += own;
      } else {
        richBefore += own;
        richAfter += own;
      }
    }
    if (richBefore === 0 || richAfter === 0) return undefined;
    return { low: (-maybePoor / richBefore) * (1 + WIDEN), high: (-surelyPoor / richAfter) * (1 - WIDEN) };
  }

  /**
   * Carries the bounds through the funding of `project` at split rate `rate`
   * (see {@link split}) into the classes born of it; call it before `wallets`
   * funds it.
   */
  fund(
    project: Project,
    poorBefore: Int32Array,
    poorAfter: Int32Array,
    rate: RateBounds,
    wallets: Wallets,
  ): void {
    const { wallets: classes, weights } = wallets.tally(project);
    const first = wallets.classCount;
    this.#grow(first + classes.length);
    const low = this.#low;
    const high = this.#high;
    let before = 0;
    let after = 0;
    for (let entry = 0; entry < classes.length; entry++) {
      while ((poorBefore[before] ?? Number.POSITIVE_INFINITY) < entry) before++;
      while ((poorAfter[after] ?? Number.POSITIVE_INFINITY) < entry) after++;
      const wallet = classes[entry] as number;
      const born = first + entry;
      const wasPoor = this.#brokeBefore[wallet] === 1 || poorBefore[before] === entry;
      this.#brokeBefore[born] = wasPoor ? 1 : 0;
      if (wallets.isBroke(wallet) || poorAfter[after] === entry) {
        // Broke at t₁ from now on, so throughout.
        low[born] = 0;
        high[born] = 0;
        continue;
      }
      const own = weights[entry] as number;
      // Money after paying grows by what the payment falls: −own · dα.
      high[born] = ((high[wallet] as number) - own * rate.low) * (1 + WIDEN);
      low[born] = wasPoor ? 0 : ((low[wallet] as number) - own * rate.high) * (1 - WIDEN);
    }
  }

  #grow(classes: number): void {
    if (this.#low.length >= classes) return;
    const low = new Float64Array(classes * 2);
    low.set(this.#low);
    const high = new Float64Array(classes * 2);
    high.set(this.#high);
    const broke = new Uint8Array(classes * 2);
    broke.set(this.#brokeBefore);
    this.#low = low;
    this.#high = high;
    this.#brokeBefore = broke;
  }
}

/**
 * Whether a continuous function g with g(t₀) ≥ `atStart` > 0, g(t₁) ≥
 * `atEnd` > 0 and slope between `slope.low` and `slope.high` stays above 0 on
 * [t₀, t₁] (`length` = t₁ − t₀): its lowest possible point is where the line
 * falling from the start meets the one rising to the end.
 */
export function holdsBetween(atStart: number, atEnd: number, slope: RateBounds, length: number): boolean {
  if (!(atStart > 0 && atEnd > 0)) return false;
  if (slope.low >= 0 || slope.high <= 0) return true;
  const meet = (atStart - atEnd + slope.high * length) / (slope.high - slope.low);
  if (meet <= 0 || meet >= length) return true;
  // Doubles all the way: ask for a little more than zero than their rounding could cost.
  return atStart + slope.low * meet > (atStart + atEnd) * 2 ** -40;
}
