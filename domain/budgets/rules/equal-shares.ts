import type { BallotProfile } from './ballot-profile';
import { approximate, type Rational, rational } from './rational';

/** Bumped whenever a change could select differently; result documents carry it. */
export const EQUAL_SHARES_VERSION = 'equal-shares/1';

/** What one run of equal shares funded, and what it left each voter. */
export interface EqualSharesOutcome {
  /** The funded project ids, in the order the rule funded them. */
  readonly selected: readonly string[];
  /** The sum of their costs. */
  readonly cost: bigint;
  /** Each voter's share of the money the run started with: B / n, plus the increment add1 settled on. */
  readonly share: Rational;
  /** What each voter has left at the end, by voter number; each paid `share − remaining`. */
  readonly remaining: readonly Rational[];
}

/**
 * The Method of Equal Shares (Peters, Pierczyński, Skowron 2021) in exact
 * arithmetic, without completion.
 *
 * Each of the n voters gets the share B / n. While some unfunded project can
 * be paid by its supporters, each such project of cost c gets its price ρ:
 * the least amount per unit of utility such that supporters paying
 * `min(left, ρ · utility)` raise exactly c. The project with the least ρ is
 * funded and its supporters pay. A voter's utility is the project's cost on
 * an approval ballot (so ρ is what each supporter pays per unit of cost) and
 * the points given on a cumulative or scoring ballot (see {@link BallotProfile}).
 *
 * Tie-breaks, in order: the smaller ρ; more supporters; the smaller project
 * id compared as a string (UTF-16 code units, so `"10"` comes before `"9"`).
 * A project that costs 0 and has a supporter is funded first, before any
 * money moves: it takes nothing from anyone. A project nobody supports is
 * never funded, whatever it costs.
 *
 * @example equalShares(ballotProfile(instance), instance.budget).selected
 */
export function equalShares(profile: BallotProfile, budget: bigint): EqualSharesOutcome {
  return equalSharesAt(profile, budget, 0n);
}

/** Equal shares where every voter's share is B / n + `increment`. */
export function equalSharesAt(profile: BallotProfile, budget: bigint, increment: bigint): EqualSharesOutcome {
  return new EqualSharesRuns(profile, budget).run(increment).outcome();
}

/** A price ρ, exactly `numerator / denominator`; `approx` is within 2⁻⁵² of it relatively. */
export interface Price {
  readonly numerator: bigint;
  readonly denominator: bigint;
  readonly approx: number;
}

/** A candidate's price in a round, and whether it is its price there or only a lower bound of it. */
export interface RivalPrice {
  readonly price: Price;
  readonly fresh: boolean;
  /** When fresh: the supporters who would pay all they have left for it, ascending. */
  readonly poor?: Int32Array;
}

/** What a run decided in one round, kept to compare runs at other increments. */
export interface Round {
  /** The funded project, by index in the profile. */
  readonly winner: number;
  readonly price: Price;
  /** The supporters who paid all they had left for it (and have nothing from then on), ascending. */
  readonly broke: Int32Array;
  /** The other candidates of the round, by project index. */
  readonly rivals: ReadonlyMap<number, RivalPrice>;
}

/**
 * Why a run could not vouch for every increment between a reference run's
 * and its own, with what add1 needs to guess where the outcome changes.
 * Prices are the doubles of {@link Price.approx}.
 */
export type Doubt =
  | {
      /** In round `round`, `rival` may come before the reference's `winner` somewhere in between. */
      readonly kind: 'rival';
      readonly round: number;
      readonly winnerBefore: number;
      /** The rival's price at the reference's increment, when it was priced there. */
      readonly rivalBefore: number | undefined;
      readonly winnerAfter: number;
      readonly rivalAfter: number;
    }
  | {
      /** The reference stopped after `round` rounds; here `rival` is still affordable then. */
      readonly kind: 'added';
      readonly round: number;
      /** What its supporters had, less its cost, at the end of the reference (< 0) and here (≥ 0). */
      readonly slackBefore: number;
      readonly slackAfter: number;
    };

/** One run of equal shares at one increment. */
export interface EqualSharesRun {
  readonly increment: bigint;
  /** The funded project ids, in the order the rule funded them. */
  readonly selected: readonly string[];
  readonly cost: bigint;
  /** The rounds after the free projects, in order. */
  readonly rounds: readonly Round[];
  /** Whether every project that anybody supports was funded. */
  readonly fundedAll: boolean;
  /**
   * What the supporters of a project (by index) had left together at the end
   * of the run, less its cost, times n, as a double: for guesses only.
   */
  slackAtEnd(project: number): number;
  /**
   * Only for a run against a reference run at a smaller increment: `undefined`
   * when every increment from the reference's to this one funds the same
   * projects in the same order (see {@link EqualSharesRuns}), else why not.
   */
  readonly doubt: Doubt | undefined;
  /**
   * The run's whole outcome. What each voter has left is only worked out when
   * asked for, and only until the {@link EqualSharesRuns} that made the run runs again.
   */
  outcome(): EqualSharesOutcome;
}

interface Project {
  readonly index: number;
  readonly id: string;
  readonly cost: bigint;
  readonly supporters: Int32Array;
  /** The supporters' utilities in units of {@link scale}: points, or 1 each on an approval ballot. */
  readonly weights: Int32Array | undefined;
  /** A supporter's utility is weight × scale: the cost on an approval ballot, 1 on a point ballot. */
  readonly scale: bigint;
}

interface Candidate {
  readonly project: Project;
  /** The price in the current round when `fresh`, else a lower bound of it. */
  price: Price;
  fresh: Fresh | undefined;
}

/** A price worked out in the current round, with what funding the project would take. */
interface Fresh {
  readonly price: Price;
  /** The supporters who pay all they have left, ascending. */
  readonly poor: Int32Array;
  /** What each other supporter pays per unit of weight: exactly `alpha / (denominator · payingWeight)`. */
  readonly alpha: bigint;
  readonly alphaApprox: number;
  readonly payingWeight: bigint;
}

/** Below any price: every project costs more than nothing, so unpriced candidates come first. */
const NO_PRICE_YET: Price = { numerator: 0n, denominator: 1n, approx: 0 };

/** Doubles closer than this, relatively, are compared exactly. */
const CLOSE = 2 ** -40;

/**
 * Equal shares, run again and again on one profile and budget at the shares
 * B / n + `increment`, as the add1 completion does.
 *
 * **Arithmetic.** A voter who ever pays all they have left is broke from
 * then on; any other voter has their share less the payments of every funded
 * project they support, each `α · weight`. So the exact state of a run is one
 * fraction α per round: all amounts are kept over one denominator (the
 * product of the paying weights of the rounds so far), money times n so that
 * the share B / n + t is the whole number B + n·t. Beside the exact state each
 * voter's money is kept as a double, within far less than 2⁻³⁰ of the share;
 * every comparison the doubles cannot settle with that margin (who pays all,
 * whether a project is affordable, which price is smaller) is made exactly
 * from the fractions. The doubles only save work: the outcome is that of the
 * exact rule.
 *
 * **Runs against a reference.** Take a run at t₀ and one at t₁ > t₀ that fund
 * the same projects in the same order. For a fixed order of funding, more
 * money per voter leaves every voter at least as much after each round (a
 * voter keeps `max(0, left − ρ · utility)`, and ρ only falls as money grows),
 * so a candidate's ρ in a round only falls as t grows, and a project that is
 * unaffordable in a round at t₁ is unaffordable there at every t ≤ t₁. Hence
 * every t between funds the same as t₀ when, in each round, the winner's ρ at
 * t₀ comes before every other candidate's ρ (or a lower bound of it) at t₁.
 * And where that fails near a change, a second argument covers the rest: when
 * the supporters who pay all they have are the same at t₀ and t₁ in every
 * round so far and for the rival, every amount is affine in t between them,
 * so a comparison that holds at both ends holds in between. `run(t₁, reference)`
 * checks this as it goes; add1 uses it to skip every budget that cannot
 * change the outcome.
 */
export class EqualSharesRuns {
  readonly #budget: bigint;
  readonly #voterCount: bigint;
  readonly #projects: readonly Project[];
  /** Supported projects that cost nothing, in the rule's order: funded first. */
  readonly #free: readonly Project[];
  /** Supported projects that cost something. */
  readonly #priced: readonly Project[];
  /** Each voter's supported projects and weights, voter `i`'s at `[#ballotStart[i], #ballotStart[i + 1])`. */
  readonly #ballotStart: Int32Array;
  readonly #ballotProject: Int32Array;
  readonly #ballotWeight: Int32Array;
  // The state of the current run.
  readonly #money: Float64Array;
  readonly #broke: Uint8Array;
  /** By project: the round that funded it in the current run, or -1. */
  readonly #roundOf: Int32Array;
  /** By supporter place of the project being priced: 1 when that supporter pays all it has. */
  readonly #marks: Uint8Array;
  /** By round: what each paying supporter paid per unit of weight, over the current denominator. */
  #paid: bigint[] = [];
  #denominator = 1n;
  /** The share of each voter times n: B + n · increment. */
  #share = 0n;
  #tolerance = 0;
  #runs = 0;

  constructor(profile: BallotProfile, budget: bigint) {
    this.#budget = budget;
    this.#voterCount = BigInt(profile.voterCount);
    const projects = profile.projects.map(
      ({ id, cost }, index): Project => ({
        index,
        id,
        cost,
        supporters: profile.supporters[index] ?? new Int32Array(0),
        weights: profile.points?.[index],
        scale: profile.points ? 1n : cost,
      }),
    );
    this.#projects = projects;
    const supported = projects.filter((project) => project.supporters.length > 0);
    this.#free = supported
      .filter((project) => project.cost === 0n)
      .sort((a, b) => (tieBreak(a, b) ? -1 : 1));
    this.#priced = supported.filter((project) => project.cost > 0n);

    const voters = profile.voterCount;
    const ballotStart = new Int32Array(voters + 1);
    for (const project of projects) {
      for (const voter of project.supporters) ballotStart[voter + 1] = (ballotStart[voter + 1] as number) + 1;
    }
    for (let voter = 0; voter < voters; voter++) {
      ballotStart[voter + 1] = (ballotStart[voter + 1] as number) + (ballotStart[voter] as number);
    }
    const filled = ballotStart.slice(0, voters);
    this.#ballotProject = new Int32Array(ballotStart[voters] as number);
    this.#ballotWeight = new Int32Array(ballotStart[voters] as number);
    for (const project of projects) {
      project.supporters.forEach((voter, place) => {
        const at = filled[voter] as number;
        filled[voter] = at + 1;
        this.#ballotProject[at] = project.index;
        this.#ballotWeight[at] = project.weights ? (project.weights[place] as number) : 1;
      });
    }
    this.#ballotStart = ballotStart;
    this.#money = new Float64Array(voters);
    this.#broke = new Uint8Array(voters);
    this.#roundOf = new Int32Array(projects.length);
    this.#marks = new Uint8Array(Math.max(0, ...projects.map((project) => project.supporters.length)));
  }

  /** How many runs so far. */
  get runs(): number {
    return this.#runs;
  }

  /**
   * Equal shares at the share B / n + `increment`; against `reference` (a run
   * at a smaller increment), also whether every increment in between funds
   * the same (see {@link EqualSharesRun.doubt}).
   */
  run(increment: bigint, reference?: EqualSharesRun): EqualSharesRun {
    const runNumber = ++this.#runs;
    this.#reset(increment);
    const candidates: Candidate[] = this.#priced.map((project) => ({
      project,
      price: NO_PRICE_YET,
      fresh: undefined,
    }));
    const rounds: Round[] = [];
    let doubt: Doubt | undefined;
    let sameSoFar = true;
    while (candidates.length > 0) {
      const first = firstInOrder(candidates);
      if (!first.fresh) {
        if (!this.#priceAfresh(first)) candidates.splice(candidates.indexOf(first), 1);
        continue;
      }
      const fresh = first.fresh;
      if (reference && !doubt) {
        doubt = this.#challenge(reference, rounds.length, first, candidates, sameSoFar);
      }
      candidates.splice(candidates.indexOf(first), 1);
      const rivals = new Map<number, RivalPrice>();
      for (const other of candidates) {
        rivals.set(
          other.project.index,
          other.fresh
            ? { price: other.price, fresh: true, poor: other.fresh.poor }
            : { price: other.price, fresh: false },
        );
      }
      this.#fund(first.project, fresh, rounds.length);
      const round: Round = { winner: first.project.index, price: fresh.price, broke: fresh.poor, rivals };
      if (reference) sameSoFar &&= sameVoters(reference.rounds[rounds.length]?.broke, fresh.poor);
      rounds.push(round);
      for (const candidate of candidates) candidate.fresh = undefined;
    }
    if (reference && !doubt && reference.rounds.length > rounds.length) {
      // Cannot happen (the reference's next winner stays affordable here); refuse to vouch all the same.
      throw new Error('A run at a larger share stopped before its reference did.');
    }

    const funded = [...this.#free, ...rounds.map(({ winner }) => this.#projects[winner] as Project)];
    const selected = funded.map(({ id }) => id);
    const cost = funded.reduce((sum, { cost }) => sum + cost, 0n);
    const finalMoney = Float64Array.from(this.#money);
    const finalBroke = Uint8Array.from(this.#broke);
    const projects = this.#projects;
    const voterCount = this.#voterCount;
    const fundable = this.#free.length + this.#priced.length;
    return {
      increment,
      selected,
      cost,
      rounds,
      fundedAll: funded.length === fundable,
      slackAtEnd: (index) => {
        const project = projects[index] as Project;
        return sumOf(project.supporters, finalMoney, finalBroke) - Number(voterCount * project.cost);
      },
      doubt,
      outcome: () => {
        if (runNumber !== this.#runs) throw new Error('This run has been overtaken by a later one.');
        return { selected, cost, share: this.#shareOfEach(), remaining: this.#remaining() };
      },
    };
  }

  #reset(increment: bigint): void {
    this.#share = this.#budget + this.#voterCount * increment;
    const share = Number(this.#share);
    this.#money.fill(share);
    this.#broke.fill(0);
    this.#roundOf.fill(-1);
    this.#paid = [];
    this.#denominator = 1n;
    // Every amount a voter holds or pays is at most the share; doubles stray from it by far less than this.
    this.#tolerance = share * 2 ** -30;
  }

  #shareOfEach(): Rational {
    // Without voters there is nobody to share the budget among.
    return this.#voterCount === 0n ? rational(0n) : rational(this.#share, this.#voterCount);
  }

  /**
   * Prices `candidate` in the current round and keeps it as its fresh price;
   * `false` when its supporters cannot pay it (then they never will, in this run).
   */
  #priceAfresh(candidate: Candidate): boolean {
    const fresh = this.#price(candidate.project);
    if (!fresh) return false;
    candidate.fresh = fresh;
    candidate.price = fresh.price;
    return true;
  }

  /** The price of `project` now, or `undefined` when all its supporters have falls short of its cost. */
  #price(project: Project): Fresh | undefined {
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
    const margin = live * this.#tolerance;
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
    const paidByPoor = this.#holdings(supporters, (place) => this.#marks[place] === 1);
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
    const have = this.#holdings(project.supporters, () => true);
    return have >= cost * this.#denominator;
  }

  /** What the supporters at the places `counted` picks have together, over the denominator (broke ones have 0). */
  #holdings(supporters: Int32Array, counted: (place: number) => boolean): bigint {
    const byRound = new Float64Array(this.#paid.length);
    let voters = 0;
    for (let place = 0; place < supporters.length; place++) {
      const voter = supporters[place] as number;
      if (this.#broke[voter] || !counted(place)) continue;
      voters++;
      this.#eachPayment(voter, (round, weight) => {
        byRound[round] = (byRound[round] as number) + weight;
      });
    }
    let have = BigInt(voters) * this.#share * this.#denominator;
    byRound.forEach((weight, round) => {
      // Whole weights summed in doubles: exact below 2⁵³, far above any ballot's points times voters.
      if (weight !== 0) have -= BigInt(weight) * (this.#paid[round] as bigint);
    });
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
    for (let at = this.#ballotStart[voter] as number; at < (this.#ballotStart[voter + 1] as number); at++) {
      const round = this.#roundOf[this.#ballotProject[at] as number] as number;
      if (round >= 0) visit(round, this.#ballotWeight[at] as number);
    }
  }

  /** Funds `project` at its fresh price: the poor pay all they have, the others their part. */
  #fund(project: Project, fresh: Fresh, round: number): void {
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
        const left = (this.#money[voter] as number) - alphaApprox * (weights ? (weights[place] as number) : 1);
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

  /**
   * Whether round `round` of this run, won by `winner`, vouches for every
   * increment between `reference`'s and this one (see the class notes);
   * `undefined` when it does, else the doubt.
   */
  #challenge(
    reference: EqualSharesRun,
    round: number,
    winner: Candidate,
    candidates: Candidate[],
    sameSoFar: boolean,
  ): Doubt | undefined {
    const before = reference.rounds[round];
    const winnerFresh = winner.fresh as Fresh;
    if (!before) {
      const cost = Number(this.#voterCount * winner.project.cost);
      return {
        kind: 'added',
        round,
        slackBefore: reference.slackAtEnd(winner.project.index),
        slackAfter: sumOf(winner.project.supporters, this.#money, this.#broke) - cost,
      };
    }
    if (before.winner !== winner.project.index) {
      const previous = candidates.find((candidate) => candidate.project.index === before.winner);
      if (previous && !previous.fresh) this.#priceAfresh(previous);
      return {
        kind: 'rival',
        round,
        winnerBefore: before.price.approx,
        rivalBefore: rivalBefore(before, winner.project.index),
        winnerAfter: previous?.price.approx ?? Number.POSITIVE_INFINITY,
        rivalAfter: winner.price.approx,
      };
    }
    const affine = sameSoFar && sameVoters(before.broke, winnerFresh.poor);
    const beaten = (other: Candidate) => comesFirst(before.price, winner.project, other.price, other.project);
    for (const other of [...candidates]) {
      if (other === winner || beaten(other)) continue;
      if (!other.fresh) {
        if (!this.#priceAfresh(other)) {
          // Unaffordable here, so at every smaller increment too.
          candidates.splice(candidates.indexOf(other), 1);
          continue;
        }
        if (beaten(other)) continue;
      }
      const then = before.rivals.get(other.project.index);
      if (affine && then?.fresh && sameVoters(then.poor, other.fresh?.poor)) continue;
      return {
        kind: 'rival',
        round,
        winnerBefore: before.price.approx,
        rivalBefore: rivalBefore(before, other.project.index),
        winnerAfter: winner.price.approx,
        rivalAfter: other.price.approx,
      };
    }
    return undefined;
  }

  /** What each voter has left, by voter number, as fractions in lowest terms. */
  #remaining(): Rational[] {
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
}

/** A rival's price at the reference's round, or its lower bound there, as a double. */
function rivalBefore(round: Round, project: number): number | undefined {
  return round.rivals.get(project)?.price.approx;
}

function sumOf(supporters: Int32Array, money: Float64Array, broke: Uint8Array): number {
  let sum = 0;
  for (const voter of supporters) if (!broke[voter]) sum += money[voter] as number;
  return sum;
}

/** Whether two ascending lists of voters are the same. */
function sameVoters(a: Int32Array | undefined, b: Int32Array | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/** Negative, zero or positive as price `a` is below, equal to or above `b`. */
function comparePrices(a: Price, b: Price): number {
  if (a.approx < b.approx * (1 - CLOSE)) return -1;
  if (a.approx > b.approx * (1 + CLOSE)) return 1;
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The tie-breaks after ρ: more supporters, then the smaller id. */
function tieBreak(a: Project, b: Project): boolean {
  if (a.supporters.length !== b.supporters.length) return a.supporters.length > b.supporters.length;
  return a.id < b.id;
}

/** The rule's order: the smaller ρ, then more supporters, then the smaller id. */
function comesFirst(aPrice: Price, a: Project, bPrice: Price, b: Project): boolean {
  const byPrice = comparePrices(aPrice, bPrice);
  return byPrice !== 0 ? byPrice < 0 : tieBreak(a, b);
}

function firstInOrder(candidates: readonly Candidate[]): Candidate {
  let first = candidates[0] as Candidate;
  for (const candidate of candidates) {
    if (comesFirst(candidate.price, candidate.project, first.price, first.project)) first = candidate;
  }
  return first;
}
