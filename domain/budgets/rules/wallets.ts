import type { BallotProfile } from './ballot-profile';
import { type Stage, type Tally, VoterClasses } from './classes';
import { approximate, type Rational, rational } from './rational';

/**
 * What each voter has left in one run of equal shares, exactly, with doubles
 * beside it to save work; and the prices of projects at that state. Money is
 * kept per class of voters who supported the funded projects alike (see
 * {@link VoterClasses}): they have paid the same.
 *
 * A voter who ever pays all they have left is broke from then on; any other
 * voter has their share less the payments of every funded project they
 * support, each `α · weight` (see {@link Project.weights}). So the exact state
 * is one fraction α per funded project: all kept over one denominator (the
 * product of the paying weights so far), money times n so that the share
 * B / n + t is the whole number B + n·t. Beside it each class's money is kept
 * as a double, within far less than the tolerance ((projects + 4) · 2⁻⁴⁴ of
 * the share) of the exact amount: every amount a voter holds or pays is at
 * most the share, and each funded project costs a class at most two roundings
 * (the payment and the subtraction) of 2⁻⁵³ of it. Every decision the doubles cannot settle with that margin is made from
 * the fractions, so the doubles never change an outcome: they only save work.
 */

/** A project as equal shares sees it. */
export interface Project {
  readonly index: number;
  readonly id: string;
  readonly cost: bigint;
  /** The voters who support it, ascending. */
  readonly supporters: Int32Array;
  /** The supporters' utilities in units of `scale`: their points, or absent (1 each) on an approval ballot. */
  readonly weights: Int32Array | undefined;
  /** A supporter's utility is weight × scale: the cost on an approval ballot, 1 on a point ballot. */
  readonly scale: bigint;
}

/** A price ρ, exactly `numerator / denominator`; `approx` is within 2⁻⁵² of it relatively. */
export interface Price {
  readonly numerator: bigint;
  readonly denominator: bigint;
  readonly approx: number;
}

/** A project's exact price in the current state, with what funding it would take. */
export interface Fresh {
  readonly price: Price;
  /** The entries of the project's tally (see {@link Wallets.tally}) whose voters pay all they have left, ascending. */
  readonly poor: Int32Array;
  /** What each other supporter pays per unit of weight: exactly `alpha / (denominator · payingWeight)`. */
  readonly alpha: bigint;
  readonly alphaApprox: number;
  readonly payingWeight: bigint;
}

/** Bounds of a project's price ρ in the current state: `low ≤ ρ ≤ high`, both doubles; `exact` when worked out. */
export interface Quote {
  readonly low: number;
  readonly high: number;
  readonly exact: Fresh | undefined;
}

/** How far apart, relatively, the bounds of a quote are put: prices closer than this are worked out exactly. */
const BRACKET = 2 ** -24;

/** The projects of a profile as equal shares sees them. */
export function projectsOf(profile: BallotProfile): Project[] {
  return profile.projects.map(
    ({ id, cost }, index): Project => ({
      index,
      id,
      cost,
      supporters: profile.supporters[index] ?? new Int32Array(0),
      weights: profile.points?.[index],
      scale: profile.points ? 1n : cost,
    }),
  );
}

export class Wallets {
  readonly #voterCount: bigint;
  readonly #projectCount: number;
  readonly #classes: VoterClasses;
  /** The projects funded so far in this run, and the classes they make. */
  #stage: Stage;
  // By class (see VoterClasses): what each of its voters has left as a double, and whether that is nothing for good.
  #money = new Float64Array(64);
  #broke = new Uint8Array(64);
  // By class: the class it was born from, the round it was born in and the weight its voters paid then (-1 for class 0).
  #parent = new Int32Array(64);
  #bornIn = new Int32Array(64);
  #bornWeight = new Int32Array(64);
  /** By tally entry of the project being priced: 1 when its voters pay all they have. */
  #marks = new Uint8Array(64);
  /** Scratch: weights summed by round. */
  readonly #byRound: Float64Array;
  /** By round: what each paying supporter paid per unit of weight, over the current denominator. */
  #paid: bigint[] = [];
  #denominator = 1n;
  /** The share of each voter times n: B + n · increment. */
  #share = 0n;
  #tolerance = 0;
  /**
   * What the supporters of the project last priced lacked to pay for it (money
   * times n, a double; ≤ 0 when they had enough): for guesses only.
   */
  shortfall = 0;

  constructor(projects: readonly Project[], voterCount: number) {
    this.#voterCount = BigInt(voterCount);
    this.#projectCount = projects.length;
    this.#classes = new VoterClasses(projects, voterCount);
    this.#stage = this.#classes.root;
    this.#byRound = new Float64Array(projects.length);
  }

  /** Every voter holds `share` / n again, nothing funded. */
  reset(share: bigint): void {
    this.#share = share;
    const approx = Number(share);
    this.#stage = this.#classes.root;
    this.#money[0] = approx;
    this.#broke[0] = 0;
    this.#parent[0] = -1;
    this.#paid = [];
    this.#denominator = 1n;
    // A class's double strays from its exact amount by at most 2⁻⁵³ of the share per operation,
    // two per funded project: this is 256 times that for as many projects as there are.
    this.#tolerance = approx * (this.#projectCount + 4) * 2 ** -44;
  }

  /** How the supporters of `project` fall into the classes now: what prices and poor lists are in terms of. */
  tally(project: Project): Tally {
    return this.#classes.tally(this.#stage, project.index);
  }

  /** How many classes of voters there are now; those born of the next project funded are numbered from here. */
  get classCount(): number {
    return this.#stage.classCount;
  }

  /** Whether the voters of a class have paid all they had (then they pay nothing more in this run). */
  isBroke(wallet: number): boolean {
    return this.#broke[wallet] === 1;
  }

  /**
   * Bounds of the price of `project` now, or `undefined` when all its
   * supporters have falls short of its cost. From doubles when they can
   * vouch for bounds 2⁻²⁴ apart, else exact.
   */
  quote(project: Project): Quote | undefined {
    const tally = this.tally(project);
    const costApprox = Number(this.#voterCount * project.cost);
    const reach = this.#reach(tally, costApprox);
    if (reach.enough === 'no') return undefined;
    if (reach.enough === 'too close to tell') return this.#exactQuote(project);
    const fill = this.#fill(tally, costApprox, reach.weight);
    if (!fill) return this.#exactQuote(project);
    // The true split α has Σ min(left, α · weight) = cost, and that sum only grows with α: a
    // split whose sum falls short by more than the margin is below α, one that passes it, above.
    const { below, above, sumBelow, sumAbove } = fill;
    if (sumBelow >= costApprox - reach.margin || sumAbove < costApprox + reach.margin) {
      return this.#exactQuote(project);
    }
    const scale = Number(project.scale);
    return {
      low: (below / scale) * (1 - 2 ** -50),
      high: (above / scale) * (1 + 2 ** -50),
      exact: undefined,
    };
  }

  /**
   * Whether the voters of a tally who are not broke have its cost (`cost`,
   * times n, as a double) together, as far as doubles can tell; with their
   * weight and the margin by which sums of doubles over them may stray.
   * Notes the {@link shortfall}.
   */
  #reach(
    tally: Tally,
    cost: number,
  ): { enough: 'yes' | 'no' | 'too close to tell'; weight: number; margin: number } {
    const { wallets, weights, voters } = tally;
    let have = 0;
    let weight = 0;
    let live = 0;
    for (let entry = 0; entry < wallets.length; entry++) {
      const wallet = wallets[entry] as number;
      if (this.#broke[wallet]) continue;
      const count = voters[entry] as number;
      have += count * (this.#money[wallet] as number);
      weight += count * (weights[entry] as number);
      live += count;
    }
    this.shortfall = cost - have;
    const margin = live * (this.#tolerance + cost * 2 ** -52) + cost * 2 ** -50;
    const enough =
      live === 0 || have < cost - margin ? 'no' : have <= cost + margin ? 'too close to tell' : 'yes';
    return { enough, weight, margin };
  }

  /**
   * The split in doubles: marks the entries whose voters have less than an
   * equal split of what is missing (they pay all they have); the split only
   * grows as they drop out of it, so a few passes settle it. The pass that
   * drops nobody also sums Σ min(left, split · weight) just below and just
   * above the split: those who pay all have less than either, so they add
   * what they have to the sum above and at most that to the one below.
   * `undefined` when everybody drops out (all they have falls short, or nearly).
   */
  #fill(tally: Tally, cost: number, weight: number) {
    const { wallets, weights, voters } = tally;
    const money = this.#money;
    const broke = this.#broke;
    const marks = this.#marksFor(wallets.length);
    let poorMoney = 0;
    let poorWeight = 0;
    let split = cost / weight;
    for (;;) {
      let dropped = false;
      const below = split * (1 - BRACKET);
      const above = split * (1 + BRACKET);
      let sumBelow = poorMoney;
      let sumAbove = poorMoney;
      for (let entry = 0; entry < wallets.length; entry++) {
        const wallet = wallets[entry] as number;
        if (marks[entry] || broke[wallet]) continue;
        const own = weights[entry] as number;
        const left = money[wallet] as number;
        const count = voters[entry] as number;
        if (left < split * own) {
          marks[entry] = 1;
          poorMoney += count * left;
          poorWeight += count * own;
          dropped = true;
        } else {
          sumBelow += count * Math.min(left, below * own);
          sumAbove += count * Math.min(left, above * own);
        }
      }
      if (poorWeight >= weight) return undefined;
      if (!dropped) return { split, below, above, sumBelow, sumAbove, poorWeight };
      split = (cost - poorMoney) / (weight - poorWeight);
    }
  }

  #exactQuote(project: Project): Quote | undefined {
    const fresh = this.exact(project);
    return fresh && { low: fresh.price.approx, high: fresh.price.approx, exact: fresh };
  }

  /** What the supporters of `project` have left together, less its cost, times n, as a double: for guesses only. */
  slack(project: Project): number {
    const { wallets, voters } = this.tally(project);
    let sum = 0;
    wallets.forEach((wallet, entry) => {
      if (!this.#broke[wallet]) sum += (voters[entry] as number) * (this.#money[wallet] as number);
    });
    return sum - Number(this.#voterCount * project.cost);
  }

  /** What each voter has left, by voter number, as fractions in lowest terms. */
  remaining(): Rational[] {
    const denominator = this.#denominator * this.#voterCount;
    const byWallet = new Map<number, Rational>();
    const nothing = rational(0n);
    return Array.from(this.#classes.walletsOf(this.#stage), (wallet) => {
      if (this.#broke[wallet]) return nothing;
      let left = byWallet.get(wallet);
      if (!left) {
        left = rational(this.#exactMoney(wallet), denominator);
        byWallet.set(wallet, left);
      }
      return left;
    });
  }

  /**
   * The exact price of `project` now, with who pays what to fund it, or
   * `undefined` when all its supporters have falls short of its cost.
   */
  exact(project: Project): Fresh | undefined {
    const tally = this.tally(project);
    const { wallets, weights, voters } = tally;
    const cost = this.#voterCount * project.cost;
    const costApprox = Number(cost);
    const reach = this.#reach(tally, costApprox);
    if (reach.enough === 'no') return undefined;
    if (reach.enough === 'too close to tell' && this.#holdings(tally, false) < cost * this.#denominator) {
      return undefined;
    }
    const { weight } = reach;
    let poorWeight = this.#fill(tally, costApprox, weight)?.poorWeight ?? weight;
    const marks = this.#marks;
    for (let attempt = 0; attempt < 4; attempt++) {
      if (poorWeight >= weight) break;
      const fresh = this.#priceOf(project, tally, cost, weight - poorWeight);
      if (this.#settle(tally, fresh)) return fresh;
      poorWeight = 0;
      for (let entry = 0; entry < wallets.length; entry++) {
        if (marks[entry]) poorWeight += (voters[entry] as number) * (weights[entry] as number);
      }
    }
    return this.#priceExactly(project, tally, cost, weight);
  }

  /** The marks for a tally of `entries` entries, all cleared. */
  #marksFor(entries: number): Uint8Array {
    if (this.#marks.length < entries) this.#marks = new Uint8Array(entries * 2);
    this.#marks.fill(0, 0, entries);
    return this.#marks;
  }

  /**
   * The price of `project` when the voters of the marked entries pay all
   * they have and the others, of weight `payingWeight` together, split what
   * is missing.
   */
  #priceOf(project: Project, tally: Tally, cost: bigint, payingWeight: number): Fresh {
    const paidByPoor = this.#holdings(tally, true);
    const paying = BigInt(payingWeight);
    const alpha = cost * this.#denominator - paidByPoor;
    const alphaDenominator = this.#denominator * paying;
    const poor: number[] = [];
    for (let entry = 0; entry < tally.wallets.length; entry++) if (this.#marks[entry]) poor.push(entry);
    const denominator = alphaDenominator * project.scale;
    return {
      price: { numerator: alpha, denominator, approx: approximate(alpha, denominator) },
      poor: Int32Array.from(poor),
      alpha,
      alphaApprox: approximate(alpha, alphaDenominator),
      payingWeight: paying,
    };
  }

  /**
   * Checks every entry against the price: the voters of a marked one must
   * not have more than their part, those of an unmarked one not less.
   * Unmarks or marks those that fail; `true` when none did.
   */
  #settle(tally: Tally, fresh: Fresh): boolean {
    const { wallets, weights } = tally;
    const tolerance = this.#tolerance;
    let settled = true;
    for (let entry = 0; entry < wallets.length; entry++) {
      const wallet = wallets[entry] as number;
      if (this.#broke[wallet]) continue;
      const own = weights[entry] as number;
      const gap = (this.#money[wallet] as number) - fresh.alphaApprox * own;
      const marked = this.#marks[entry] === 1;
      let side = marked ? (gap > tolerance ? 1 : 0) : gap < -tolerance ? -1 : 0;
      if (side === 0 && gap >= -tolerance && gap <= tolerance) {
        // Too close for doubles: money · payingWeight against alpha · weight, both over the denominator.
        const exact = this.#exactMoney(wallet) * fresh.payingWeight - fresh.alpha * BigInt(own);
        side = marked ? (exact > 0n ? 1 : 0) : exact < 0n ? -1 : 0;
      }
      if (side !== 0) {
        this.#marks[entry] = marked ? 0 : 1;
        settled = false;
      }
    }
    return settled;
  }

  /** The water-filling in fractions only: the slow way, for when the doubles did not settle. */
  #priceExactly(project: Project, tally: Tally, cost: bigint, weight: number): Fresh | undefined {
    const { wallets, weights, voters } = tally;
    const exact = Array.from(wallets, (wallet) => (this.#broke[wallet] ? 0n : this.#exactMoney(wallet)));
    this.#marksFor(wallets.length);
    let poorWeight = 0;
    for (;;) {
      if (poorWeight >= weight) return undefined;
      const fresh = this.#priceOf(project, tally, cost, weight - poorWeight);
      let dropped = false;
      exact.forEach((left, entry) => {
        if (this.#broke[wallets[entry] as number] || this.#marks[entry]) return;
        const own = weights[entry] as number;
        if (left * fresh.payingWeight < fresh.alpha * BigInt(own)) {
          this.#marks[entry] = 1;
          poorWeight += (voters[entry] as number) * own;
          dropped = true;
        }
      });
      if (!dropped) return fresh;
    }
  }

  /**
   * What the voters of the tally have together, over the denominator (broke
   * ones have 0); with `markedOnly`, only those of the marked entries. A
   * class's voters hold the share less what they paid in each round they
   * paid in, found up the classes it was born from.
   */
  #holdings(tally: Tally, markedOnly: boolean): bigint {
    const rounds = this.#paid.length;
    const byRound = this.#byRound;
    byRound.fill(0, 0, rounds);
    const { wallets, voters } = tally;
    let counted = 0;
    for (let entry = 0; entry < wallets.length; entry++) {
      if (markedOnly && this.#marks[entry] === 0) continue;
      let wallet = wallets[entry] as number;
      if (this.#broke[wallet]) continue;
      const count = voters[entry] as number;
      counted += count;
      for (; wallet > 0; wallet = this.#parent[wallet] as number) {
        const round = this.#bornIn[wallet] as number;
        byRound[round] = (byRound[round] as number) + count * (this.#bornWeight[wallet] as number);
      }
    }
    let have = BigInt(counted) * this.#share * this.#denominator;
    for (let round = 0; round < rounds; round++) {
      // Whole weights times voters summed in doubles: exact below 2⁵³.
      const weight = byRound[round] as number;
      if (weight !== 0) have -= BigInt(weight) * (this.#paid[round] as bigint);
    }
    return have;
  }

  /** What each voter of a class that is not broke has left, over the denominator. */
  #exactMoney(wallet: number): bigint {
    let left = this.#share * this.#denominator;
    for (let at = wallet; at > 0; at = this.#parent[at] as number) {
      left -= BigInt(this.#bornWeight[at] as number) * (this.#paid[this.#bornIn[at] as number] as bigint);
    }
    return left;
  }

  /** Funds `project` at its exact price: the voters of poor entries pay all they have, the others their part. */
  fund(project: Project, fresh: Fresh, round: number): void {
    const { wallets, weights } = this.tally(project);
    const next = this.#classes.after(this.#stage, project.index);
    const first = this.#stage.classCount;
    this.#grow(next.classCount);
    let poor = 0;
    for (let entry = 0; entry < wallets.length; entry++) {
      const from = wallets[entry] as number;
      const born = first + entry;
      const own = weights[entry] as number;
      this.#parent[born] = from;
      this.#bornIn[born] = round;
      this.#bornWeight[born] = own;
      if (this.#broke[from] || fresh.poor[poor] === entry) {
        if (fresh.poor[poor] === entry) poor++;
        this.#broke[born] = 1;
        this.#money[born] = 0;
      } else {
        this.#broke[born] = 0;
        const left = (this.#money[from] as number) - fresh.alphaApprox * own;
        this.#money[born] = left > 0 ? left : 0;
      }
    }
    // The new denominator is the old one times the paying weight; what earlier rounds paid is brought to it.
    const paying = fresh.payingWeight;
    for (let earlier = 0; earlier < this.#paid.length; earlier++) {
      this.#paid[earlier] = (this.#paid[earlier] as bigint) * paying;
    }
    this.#paid.push(fresh.alpha);
    this.#denominator *= paying;
    this.#stage = next;
  }

  /** Room for `classes` classes in the arrays kept by class. */
  #grow(classes: number): void {
    if (this.#money.length >= classes) return;
    const size = classes * 2;
    const grown = <T extends Float64Array | Uint8Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const array = make(size);
      array.set(old as never);
      return array;
    };
    this.#money = grown(this.#money, (n) => new Float64Array(n));
    this.#broke = grown(this.#broke, (n) => new Uint8Array(n));
    this.#parent = grown(this.#parent, (n) => new Int32Array(n));
    this.#bornIn = grown(this.#bornIn, (n) => new Int32Array(n));
    this.#bornWeight = grown(this.#bornWeight, (n) => new Int32Array(n));
  }
}
