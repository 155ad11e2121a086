import type { BallotProfile } from './ballot-profile';
import { approximate, type Rational, rational } from './rational';

/**
 * What each voter has left in one run of equal shares, exactly, with doubles
 * beside it to save work; and the prices of projects at that state.
 *
 * A voter who ever pays all they have left is broke from then on; any other
 * voter has their share less the payments of every funded project they
 * support, each `α · weight` (see {@link Project.weights}). So the exact state
 * is one fraction α per funded project: all kept over one denominator (the
 * product of the paying weights so far), money times n so that the share
 * B / n + t is the whole number B + n·t. Beside it each voter's money is kept
 * as a double, within far less than {@link Wallets.tolerance} of the exact
 * amount (every amount a voter holds or pays is at most the share, and each
 * of the at most one subtraction per funded project strays by 2⁻⁵³ of it).
 * Every decision the doubles cannot settle with that margin is made from the
 * fractions, so the doubles never change an outcome: they only save work.
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
  /** The supporters who pay all they have left, ascending. */
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
  /** Each voter's supported projects and weights, voter `i`'s at `[ballotStart[i], ballotStart[i + 1])`. */
  readonly #ballots: { ballotStart: Int32Array; ballotProject: Int32Array; ballotWeight: Int32Array };
  readonly #money: Float64Array;
  readonly #broke: Uint8Array;
  /** By project: the round that funded it, or -1. */
  readonly #roundOf: Int32Array;
  /** By supporter place of the project being priced: 1 when that supporter pays all it has. */
  readonly #marks: Uint8Array;
  /** Scratch for quotes: the money and weight of the supporters who are not broke. */
  readonly #liveMoney: Float64Array;
  readonly #liveWeight: Float64Array;
  /** Scratch: weights summed by round. */
  readonly #byRound: Float64Array;
  /** By round: what each paying supporter paid per unit of weight, over the current denominator. */
  #paid: bigint[] = [];
  #denominator = 1n;
  /** The share of each voter times n: B + n · increment. */
  #share = 0n;
  #tolerance = 0;

  constructor(projects: readonly Project[], voterCount: number) {
    this.#voterCount = BigInt(voterCount);
    const ballotStart = new Int32Array(voterCount + 1);
    for (const project of projects) {
      for (const voter of project.supporters) ballotStart[voter + 1] = (ballotStart[voter + 1] as number) + 1;
    }
    for (let voter = 0; voter < voterCount; voter++) {
      ballotStart[voter + 1] = (ballotStart[voter + 1] as number) + (ballotStart[voter] as number);
    }
    const filled = ballotStart.slice(0, voterCount);
    const ballotProject = new Int32Array(ballotStart[voterCount] as number);
    const ballotWeight = new Int32Array(ballotStart[voterCount] as number);
    for (const project of projects) {
      project.supporters.forEach((voter, place) => {
        const at = filled[voter] as number;
        filled[voter] = at + 1;
        ballotProject[at] = project.index;
        ballotWeight[at] = project.weights ? (project.weights[place] as number) : 1;
      });
    }
    this.#ballots = { ballotStart, ballotProject, ballotWeight };
    this.#money = new Float64Array(voterCount);
    this.#broke = new Uint8Array(voterCount);
    this.#roundOf = new Int32Array(projects.length);
    const most = Math.max(0, ...projects.map((project) => project.supporters.length));
    this.#marks = new Uint8Array(most);
    this.#liveMoney = new Float64Array(most);
    this.#liveWeight = new Float64Array(most);
    this.#byRound = new Float64Array(projects.length);
  }

  /** Every voter holds `share` / n again, nothing funded. */
  reset(share: bigint): void {
    this.#share = share;
    const approx = Number(share);
    this.#money.fill(approx);
    this.#broke.fill(0);
    this.#roundOf.fill(-1);
    this.#paid = [];
    this.#denominator = 1n;
    this.#tolerance = approx * 2 ** -38;
  }

  /**
   * Bounds of the price of `project` now, or `undefined` when all its
   * supporters have falls short of its cost. From doubles when they can
   * vouch for bounds 2⁻²⁴ apart, else exact.
   */
  quote(project: Project): Quote | undefined {
    const { supporters, weights } = project;
    const money = this.#money;
    const broke = this.#broke;
    const liveMoney = this.#liveMoney;
    const liveWeight = this.#liveWeight;
    const cost = this.#voterCount * project.cost;
    const costApprox = Number(cost);
    let have = 0;
    let weight = 0;
    let live = 0;
    for (let place = 0; place < supporters.length; place++) {
      const voter = supporters[place] as number;
      if (broke[voter]) continue;
      const own = weights ? (weights[place] as number) : 1;
      liveMoney[live] = money[voter] as number;
      liveWeight[live] = own;
      have += money[voter] as number;
      weight += own;
      live++;
    }
    if (live === 0) return undefined;
    // What the doubles of a sum over these supporters may stray from the exact sum.
    const margin = live * (this.#tolerance + costApprox * 2 ** -52) + costApprox * 2 ** -50;
    if (have < costApprox - margin) return undefined;
    if (have <= costApprox + margin) return this.#exactQuote(project);
    // Those below an equal split of what is missing pay all they have; the split only grows as
    // they drop out of it, so a few passes settle it.
    const marks = this.#marks;
    marks.fill(0, 0, live);
    let poorMoney = 0;
    let poorWeight = 0;
    let split = costApprox / weight;
    for (;;) {
      let dropped = false;
      for (let at = 0; at < live; at++) {
        if (marks[at] === 0 && (liveMoney[at] as number) < split * (liveWeight[at] as number)) {
          marks[at] = 1;
          poorMoney += liveMoney[at] as number;
          poorWeight += liveWeight[at] as number;
          dropped = true;
        }
      }
      if (!dropped || poorWeight >= weight) break;
      split = (costApprox - poorMoney) / (weight - poorWeight);
    }
    if (poorWeight >= weight) return this.#exactQuote(project);
    // The true split α has Σ min(left, α · weight) = cost, and that sum only grows with α: a
    // split whose sum falls short by more than the margin is below α, one that passes it, above.
    const below = split * (1 - BRACKET);
    const above = split * (1 + BRACKET);
    let sumBelow = 0;
    let sumAbove = 0;
    for (let at = 0; at < live; at++) {
      const left = liveMoney[at] as number;
      const own = liveWeight[at] as number;
      sumBelow += Math.min(left, below * own);
      sumAbove += Math.min(left, above * own);
    }
    if (sumBelow >= costApprox - margin || sumAbove < costApprox + margin) return this.#exactQuote(project);
    const scale = Number(project.scale);
    return {
      low: (below / scale) * (1 - 2 ** -50),
      high: (above / scale) * (1 + 2 ** -50),
      exact: undefined,
    };
  }

  #exactQuote(project: Project): Quote | undefined {
    const fresh = this.exact(project);
    return fresh && { low: fresh.price.approx, high: fresh.price.approx, exact: fresh };
  }

  /** Whether the voter has paid all they had (then they pay nothing more in this run). */
  isBroke(voter: number): boolean {
    return this.#broke[voter] === 1;
  }

  /** What the supporters of `project` have left together, less its cost, times n, as a double: for guesses only. */
  slack(project: Project): number {
    let sum = 0;
    for (const voter of project.supporters) if (!this.#broke[voter]) sum += this.#money[voter] as number;
    return sum - Number(this.#voterCount * project.cost);
  }

  /** What each voter has left, by voter number, as fractions in lowest terms. */
  remaining(): Rational[] {
    const denominator = this.#denominator * this.#voterCount;
    const byPayments = new Map<string, Rational>();
    const nothing = rational(0n);
    return Array.from(this.#broke, (broke, voter) => {
      if (broke) return nothing;
      let key = '';
      this.#eachPayment(voter, (round, weight) => {
        key += `${round}:${weight},`;
      });
      let left = byPayments.get(key);
      if (!left) {
        left = rational(this.#exactMoney(voter), denominator);
        byPayments.set(key, left);
      }
      return left;
    });
  }

  /**
   * The exact price of `project` now, with who pays what to fund it, or
   * `undefined` when all its supporters have falls short of its cost.
   */
  exact(project: Project): Fresh | undefined {
    const { supporters, weights } = project;
    const money = this.#money;
    const broke = this.#broke;
    const marks = this.#marks;
    const cost = this.#voterCount * project.cost;
    const costApprox = Number(cost);
    let have = 0;
    let weight = 0;
    let live = 0;
    for (let place = 0; place < supporters.length; place++) {
      const voter = supporters[place] as number;
      if (broke[voter]) continue;
      have += money[voter] as number;
      weight += weights ? (weights[place] as number) : 1;
      live++;
    }
    if (live === 0) return undefined;
    const margin = live * (this.#tolerance + costApprox * 2 ** -52) + costApprox * 2 ** -50;
    if (have < costApprox - margin) return undefined;
    if (have <= costApprox + margin && !this.#affordableExactly(project, cost)) return undefined;

    // Who pays all they have: those below an equal split of what is missing; the split only
    // grows as they drop out of it, so a few passes settle it.
    marks.fill(0, 0, supporters.length);
    let poorMoney = 0;
    let poorWeight = 0;
    let split = costApprox / weight;
    for (;;) {
      let dropped = false;
      for (let place = 0; place < supporters.length; place++) {
        const voter = supporters[place] as number;
        if (broke[voter] || marks[place]) continue;
        const own = weights ? (weights[place] as number) : 1;
        if ((money[voter] as number) < split * own) {
          marks[place] = 1;
          poorMoney += money[voter] as number;
          poorWeight += own;
          dropped = true;
        }
      }
      if (!dropped || poorWeight >= weight) break;
      split = (costApprox - poorMoney) / (weight - poorWeight);
    }
    for (let attempt = 0; attempt < 4; attempt++) {
      if (poorWeight >= weight) break;
      const fresh = this.#priceOf(project, cost, weight - poorWeight);
      if (this.#settle(project, fresh)) return fresh;
      poorWeight = 0;
      for (let place = 0; place < supporters.length; place++) {
        if (marks[place]) poorWeight += weights ? (weights[place] as number) : 1;
      }
    }
    return this.#priceExactly(project, cost, weight);
  }

  /**
   * The price of `project` when the marked supporters pay all they have and
   * the others, of weight `payingWeight` together, split what is missing.
   */
  #priceOf(project: Project, cost: bigint, payingWeight: number): Fresh {
    const { supporters } = project;
    const paidByPoor = this.#holdings(supporters, true);
    const paying = BigInt(payingWeight);
    const alpha = cost * this.#denominator - paidByPoor;
    const alphaDenominator = this.#denominator * paying;
    const poor: number[] = [];
    for (let place = 0; place < supporters.length; place++) {
      if (this.#marks[place]) poor.push(supporters[place] as number);
    }
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
   * Checks every supporter against the price: a marked one must not have
   * more than its part, an unmarked one not less. Unmarks or marks those
   * that fail; `true` when none did.
   */
  #settle(project: Project, fresh: Fresh): boolean {
    const { supporters, weights } = project;
    const tolerance = this.#tolerance;
    let settled = true;
    for (let place = 0; place < supporters.length; place++) {
      const voter = supporters[place] as number;
      if (this.#broke[voter]) continue;
      const own = weights ? (weights[place] as number) : 1;
      const gap = (this.#money[voter] as number) - fresh.alphaApprox * own;
      const marked = this.#marks[place] === 1;
      let side = marked ? (gap > tolerance ? 1 : 0) : gap < -tolerance ? -1 : 0;
      if (side === 0 && gap >= -tolerance && gap <= tolerance) {
        // Too close for doubles: money · payingWeight against alpha · weight, both over the denominator.
        const exact = this.#exactMoney(voter) * fresh.payingWeight - fresh.alpha * BigInt(own);
        side = marked ? (exact > 0n ? 1 : 0) : exact < 0n ? -1 : 0;
      }
      if (side !== 0) {
        this.#marks[place] = marked ? 0 : 1;
        settled = false;
      }
    }
    return settled;
  }

  /** The water-filling in fractions only: the slow way, for when the doubles did not settle. */
  #priceExactly(project: Project, cost: bigint, weight: number): Fresh | undefined {
    const { supporters, weights } = project;
    const exact = Array.from(supporters, (voter) => (this.#broke[voter] ? 0n : this.#exactMoney(voter)));
    const own = (place: number) => (weights ? (weights[place] as number) : 1);
    this.#marks.fill(0, 0, supporters.length);
    let poorWeight = 0;
    for (;;) {
      if (poorWeight >= weight) return undefined;
      const fresh = this.#priceOf(project, cost, weight - poorWeight);
      let dropped = false;
      exact.forEach((left, place) => {
        const voter = supporters[place] as number;
        if (this.#broke[voter] || this.#marks[place]) return;
        if (left * fresh.payingWeight < fresh.alpha * BigInt(own(place))) {
          this.#marks[place] = 1;
          poorWeight += own(place);
          dropped = true;
        }
      });
      if (!dropped) return fresh;
    }
  }

  /** Whether the supporters of `project` have at least its cost (times n) together, in fractions. */
  #affordableExactly(project: Project, cost: bigint): boolean {
    const have = this.#holdings(project.supporters, false);
    return have >= cost * this.#denominator;
  }

  /**
   * What the supporters have together, over the denominator (broke ones have
   * 0); with `markedOnly`, only those at the places marked in {@link #marks}.
   */
  #holdings(supporters: Int32Array, markedOnly: boolean): bigint {
    const rounds = this.#paid.length;
    const byRound = this.#byRound;
    byRound.fill(0, 0, rounds);
    const { ballotStart, ballotProject, ballotWeight } = this.#ballots;
    const roundOf = this.#roundOf;
    const broke = this.#broke;
    const marks = this.#marks;
    let voters = 0;
    for (let place = 0; place < supporters.length; place++) {
      if (markedOnly && marks[place] === 0) continue;
      const voter = supporters[place] as number;
      if (broke[voter]) continue;
      voters++;
      const end = ballotStart[voter + 1] as number;
      for (let at = ballotStart[voter] as number; at < end; at++) {
        const round = roundOf[ballotProject[at] as number] as number;
        if (round >= 0) byRound[round] = (byRound[round] as number) + (ballotWeight[at] as number);
      }
    }
    let have = BigInt(voters) * this.#share * this.#denominator;
    for (let round = 0; round < rounds; round++) {
      // Whole weights summed in doubles: exact below 2⁵³, far above any ballot's points times voters.
      const weight = byRound[round] as number;
      if (weight !== 0) have -= BigInt(weight) * (this.#paid[round] as bigint);
    }
    return have;
  }

  /** What a voter who is not broke has left, over the denominator. */
  #exactMoney(voter: number): bigint {
    let left = this.#share * this.#denominator;
    this.#eachPayment(voter, (round, weight) => {
      left -= BigInt(weight) * (this.#paid[round] as bigint);
    });
    return left;
  }

  /** Each round of the current run whose project the voter supports, with the voter's weight for it. */
  #eachPayment(voter: number, visit: (round: number, weight: number) => void): void {
    const { ballotStart, ballotProject, ballotWeight } = this.#ballots;
    for (let at = ballotStart[voter] as number; at < (ballotStart[voter + 1] as number); at++) {
      const round = this.#roundOf[ballotProject[at] as number] as number;
      if (round >= 0) visit(round, ballotWeight[at] as number);
    }
  }

  /** Funds `project` at its exact price: the poor pay all they have, the others their part. */
  fund(project: Project, fresh: Fresh, round: number): void {
    const { supporters, weights } = project;
    const { poor, alphaApprox } = fresh;
    let next = 0;
    for (let place = 0; place < supporters.length; place++) {
      const voter = supporters[place] as number;
      if (this.#broke[voter]) continue;
      if (poor[next] === voter) {
        next++;
        this.#broke[voter] = 1;
        this.#money[voter] = 0;
      } else {
        const left =
          (this.#money[voter] as number) - alphaApprox * (weights ? (weights[place] as number) : 1);
        this.#money[voter] = left > 0 ? left : 0;
      }
    }
    // The new denominator is the old one times the paying weight; what earlier rounds paid is brought to it.
    const paying = fresh.payingWeight;
    for (let earlier = 0; earlier < this.#paid.length; earlier++) {
      this.#paid[earlier] = (this.#paid[earlier] as bigint) * paying;
    }
    this.#paid.push(fresh.alpha);
    this.#denominator *= paying;
    this.#roundOf[project.index] = round;
  }
}
