import type { BallotProfile } from './ballot-profile';
import { holdsBetween, type RateBounds, Rates } from './rates';
import { type Rational, rational } from './rational';
import { type Fresh, type Price, type Project, projectsOf, Wallets } from './wallets';

export type { Price } from './wallets';

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

/** A candidate's price in a round, or a lower bound of it; `poor` when its exact price there was worked out. */
export interface RivalPrice {
  /** The price as a double: of its bounds, the lower one unless `fresh`, where they are 2⁻²⁴ apart at most. */
  readonly approx: number;
  /** Whether it was priced in that round (otherwise `approx` is a lower bound from an earlier one). */
  readonly fresh: boolean;
  /** The entries of its tally there (see {@link Wallets.tally}) whose voters would have paid all they had left, ascending. */
  readonly poor?: Int32Array;
}

/** What a run decided in one round, kept to compare runs at other increments. */
export interface Round {
  /** The funded project, by index in the profile. */
  readonly winner: number;
  readonly price: Price;
  /**
   * The entries of its tally (see {@link Wallets.tally}) whose voters paid
   * all they had left for it, and have nothing from then on; ascending.
   */
  readonly broke: Int32Array;
  /** The other candidates of the round, by project index. */
  readonly rivals: ReadonlyMap<number, RivalPrice>;
}

/**
 * Why a run could not vouch for every increment between a reference run's
 * and its own, with what add1 needs to guess where the outcome changes.
 * Prices are doubles (see {@link RivalPrice.approx}).
 */
export type Doubt =
  | {
      /** In round `round`, `rival` may come before the reference's winner somewhere in between. */
      readonly kind: 'rival';
      readonly round: number;
      readonly winnerBefore: number;
      /** The rival's price at the reference's increment (a lower bound when it was not priced there). */
      readonly rivalBefore: number | undefined;
      readonly winnerAfter: number;
      readonly rivalAfter: number;
    }
  | {
      /** The reference stopped after `round` rounds; here a project is still affordable then. */
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
   * By project index: what the supporters of each unfunded project lacked
   * together to pay for it when the run found it out of their reach (money
   * times n, a double, for guesses only; at the end they lack at least as
   * much); NaN for the funded ones and those nobody supports.
   */
  readonly lacking: Float64Array;
  /**
   * Only for a run against a reference run at a smaller increment: `undefined`
   * when every increment from the reference's to this one funds the same
   * projects in the same order (see {@link EqualSharesRuns}), else why not.
   */
  readonly doubt: Doubt | undefined;
  /**
   * With {@link doubt}: every doubt found while the two runs funded the same
   * so far (the first is `doubt`), for guessing the nearest change.
   */
  readonly doubts: readonly Doubt[];
  /**
   * The run's whole outcome. What each voter has left is only worked out when
   * asked for, and only until the {@link EqualSharesRuns} that made the run runs again.
   */
  outcome(): EqualSharesOutcome;
}

/**
 * A project that may still be funded in the current run, with bounds of its
 * price ρ (see {@link Wallets.quote}): those of the current round when
 * `pricedIn` is it, else `low` is only a lower bound (ρ only grows as voters pay).
 */
interface Candidate {
  readonly project: Project;
  low: number;
  high: number;
  pricedIn: number;
  exact: Fresh | undefined;
}

/**
 * Equal shares, run again and again on one profile and budget at the shares
 * B / n + `increment`, as the add1 completion does. The arithmetic is in
 * {@link Wallets}: exact, with doubles to save work.
 *
 * The candidates are priced lazily: a project's ρ only grows as voters pay,
 * so a price from an earlier round is a lower bound, and a candidate is
 * priced again only when that bound does not leave it behind the one in
 * front. Prices are bounds from doubles, and worked out exactly only for the
 * project funded and where bounds overlap.
 *
 * **Runs against a reference.** Take a run at t₀ and one at t₁ > t₀ that fund
 * the same projects in the same order. For a fixed order of funding, more
 * money per voter leaves every voter at least as much after each round (a
 * voter keeps `max(0, left − ρ · utility)`, and ρ only falls as money grows),
 * so a candidate's ρ in a round only falls as t grows, and a project that is
 * unaffordable in a round at t₁ is unaffordable there at every t ≤ t₁. Hence
 * every t between funds the same as t₀ when, in each round, the winner's ρ at
 * t₀ comes before every other candidate's ρ (or a lower bound of it) at t₁.
 * That comparison of each price at its worst end fails near a change, where
 * both prices drift alike; two finer arguments cover it. When the voters who
 * pay all they have are the same at t₀ and t₁ in every round so far and for
 * the rival, every amount is affine in t between them, so a comparison that
 * holds at both ends holds in between. Else {@link Rates} bounds how fast
 * each price can fall anywhere between, and the winner stays ahead when the
 * gap, above zero at both ends, cannot dip below it with those slopes.
 * `run(t₁, reference)` checks this as it goes; add1 uses it to skip every
 * budget that cannot change the outcome. A check that fails proves nothing:
 * add1 then looks closer.
 */
export class EqualSharesRuns {
  readonly #budget: bigint;
  readonly #voterCount: bigint;
  readonly #projects: readonly Project[];
  /** Supported projects that cost nothing, in the rule's order: funded first. */
  readonly #free: readonly Project[];
  /** Supported projects that cost something. */
  readonly #priced: readonly Project[];
  readonly #wallets: Wallets;
  readonly #rates: Rates;
  /** The current run's {@link EqualSharesRun.lacking}. */
  #lacking = new Float64Array(0);
  /** Whether runs work out their close rivals exactly, for runs checked against them. */
  readonly #closeRivals: boolean;
  #runs = 0;

  /** With `closeRivals`, each run keeps what a later run checked against it needs (see {@link run}). */
  constructor(profile: BallotProfile, budget: bigint, closeRivals = false) {
    this.#closeRivals = closeRivals;
    this.#budget = budget;
    this.#voterCount = BigInt(profile.voterCount);
    this.#projects = projectsOf(profile);
    const supported = this.#projects.filter((project) => project.supporters.length > 0);
    this.#free = supported.filter((project) => project.cost === 0n).sort((a, b) => (tieBreak(a, b) ? -1 : 1));
    this.#priced = supported.filter((project) => project.cost > 0n);
    this.#wallets = new Wallets(this.#projects, profile.voterCount);
    this.#rates = new Rates();
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
    const share = this.#budget + this.#voterCount * increment;
    const wallets = this.#wallets;
    wallets.reset(share);
    const candidates: Candidate[] = this.#priced.map((project) => ({
      project,
      low: 0,
      high: 0,
      pricedIn: -1,
      exact: undefined,
    }));
    const rounds: Round[] = [];
    this.#lacking = new Float64Array(this.#projects.length).fill(Number.NaN);
    const lacking = this.#lacking;
    const doubts: Doubt[] = [];
    /** Whether this run has funded what the reference funded so far, so rounds still compare. */
    let comparable = reference !== undefined;
    let sameSoFar = true;
    // Bounds of rates of change between the reference and this run, while they can be given.
    let rates = reference ? this.#rates : undefined;
    rates?.reset(Number(this.#voterCount));
    for (;;) {
      const round = rounds.length;
      const winner = this.#winner(candidates, round);
      if (!winner) break;
      const fresh = winner.exact as Fresh;
      if (this.#closeRivals) this.#workOutCloseRivals(winner, candidates, round);
      if (reference && comparable) {
        const challenge = new Challenge(
          reference,
          round,
          winner,
          increment - reference.increment,
          rates,
          wallets,
        );
        const doubt = this.#challenge(challenge, candidates, sameSoFar);
        const before = reference.rounds[round];
        if (doubt) doubts.push(doubt);
        // Later rounds still compare while both runs fund the same; a rival's doubt does not change that.
        comparable = before?.winner === winner.project.index;
        const rate = comparable ? challenge.winnerRate() : undefined;
        if (rate && before) rates?.fund(winner.project, before.broke, fresh.poor, rate, wallets);
        else rates = undefined;
      }
      candidates.splice(candidates.indexOf(winner), 1);
      const rivals = new Map<number, RivalPrice>();
      for (const other of candidates) rivals.set(other.project.index, rivalPrice(other, round));
      wallets.fund(winner.project, fresh, round);
      if (reference) sameSoFar &&= sameVoters(reference.rounds[round]?.broke, fresh.poor);
      rounds.push({ winner: winner.project.index, price: fresh.price, broke: fresh.poor, rivals });
    }
    if (reference && doubts.length === 0 && reference.rounds.length > rounds.length) {
      // Cannot happen: the reference's next winner stays affordable here.
      throw new Error('A run at a larger share stopped before its reference did.');
    }

    const projects = this.#projects;
    const funded = [...this.#free, ...rounds.map(({ winner }) => projects[winner] as Project)];
    const selected = funded.map(({ id }) => id);
    const cost = funded.reduce((sum, project) => sum + project.cost, 0n);
    return {
      increment,
      selected,
      cost,
      rounds,
      fundedAll: funded.length === this.#free.length + this.#priced.length,
      lacking,
      doubt: doubts[0],
      doubts,
      outcome: () => {
        if (runNumber !== this.#runs) throw new Error('This run has been overtaken by a later one.');
        // Without voters there is nobody to share the budget among.
        const each = this.#voterCount === 0n ? rational(0n) : rational(share, this.#voterCount);
        return { selected, cost, share: each, remaining: wallets.remaining() };
      },
    };
  }

  /**
   * The candidate the rule funds in `round`, with its exact price, or
   * `undefined` when none is affordable. Prices candidates (again) only as
   * far as needed to be sure of it, dropping those nobody can pay any more.
   */
  #winner(candidates: Candidate[], round: number): Candidate | undefined {
    for (;;) {
      if (candidates.length === 0) return undefined;
      let first = candidates[0] as Candidate;
      for (const candidate of candidates) if (inOrder(candidate, first, round)) first = candidate;
      if (first.pricedIn !== round) {
        this.#requote(first, candidates, round);
        continue;
      }
      let challenger = candidates.find((other) => other !== first && !surelyBefore(first, other, round));
      // Among candidates worked out exactly here the order is exact: move to the one in front.
      while (challenger && bothExact(first, challenger, round)) {
        first = challenger;
        challenger = candidates.find((other) => other !== first && !surelyBefore(first, other, round));
      }
      if (!challenger) {
        if (first.exact) return first;
        this.#exactify(first, candidates);
      } else if (challenger.pricedIn !== round) {
        this.#requote(challenger, candidates, round);
      } else {
        // Both priced here and too close for their bounds: work both out exactly.
        if (!first.exact) this.#exactify(first, candidates);
        if (!challenger.exact) this.#exactify(challenger, candidates);
      }
    }
  }

  /**
   * Works out exactly, in `round`, the candidates priced within
   * {@link CLOSE_RIVALS} of the winner: a later run checked against this one
   * can then bound how fast their prices fall (see {@link Rates}).
   */
  #workOutCloseRivals(winner: Candidate, candidates: Candidate[], round: number): void {
    const limit = (winner.exact as Fresh).price.approx * (1 + CLOSE_RIVALS);
    for (const other of [...candidates]) {
      if (other === winner || other.low > limit) continue;
      if (other.pricedIn !== round && (!this.#requote(other, candidates, round) || other.low > limit))
        continue;
      if (!other.exact) this.#exactify(other, candidates);
    }
  }

  /** Prices a candidate in `round`, or drops it when its supporters cannot pay it (then they never will). */
  #requote(candidate: Candidate, candidates: Candidate[], round: number): boolean {
    const quote = this.#wallets.quote(candidate.project);
    if (!quote) {
      this.#lacking[candidate.project.index] = this.#wallets.shortfall;
      candidates.splice(candidates.indexOf(candidate), 1);
      return false;
    }
    candidate.low = quote.low;
    candidate.high = quote.high;
    candidate.exact = quote.exact;
    candidate.pricedIn = round;
    return true;
  }

  /** Works out a candidate's exact price in the current round (it was priced in it). */
  #exactify(candidate: Candidate, candidates: Candidate[]): void {
    const fresh = this.#wallets.exact(candidate.project);
    if (!fresh) {
      this.#lacking[candidate.project.index] = this.#wallets.shortfall;
      // Its quote vouched that it is affordable; the exact sums have the last word all the same.
      candidates.splice(candidates.indexOf(candidate), 1);
      return;
    }
    candidate.exact = fresh;
    candidate.low = fresh.price.approx;
    candidate.high = fresh.price.approx;
  }

  /**
   * Whether the round of `challenge` vouches for every increment between the
   * reference's and this run's (see the class notes); `undefined` when it
   * does, else the doubt.
   */
  #challenge(challenge: Challenge, candidates: Candidate[], sameSoFar: boolean): Doubt | undefined {
    const { reference, round, winner } = challenge;
    const before = reference.rounds[round];
    if (!before) {
      return {
        kind: 'added',
        round,
        slackBefore: -(reference.lacking[winner.project.index] as number),
        slackAfter: this.#wallets.slack(winner.project),
      };
    }
    const winnerAfter = (winner.exact as Fresh).price.approx;
    if (before.winner !== winner.project.index) {
      const previous = candidates.find((candidate) => candidate.project.index === before.winner);
      if (previous && previous.pricedIn !== round) this.#requote(previous, candidates, round);
      return {
        kind: 'rival',
        round,
        winnerBefore: before.price.approx,
        rivalBefore: before.rivals.get(winner.project.index)?.approx,
        winnerAfter: previous ? (previous.low + previous.high) / 2 : Number.POSITIVE_INFINITY,
        rivalAfter: winnerAfter,
      };
    }
    const affine = sameSoFar && sameVoters(before.broke, (winner.exact as Fresh).poor);
    const beaten = (other: Candidate): boolean =>
      other.exact && other.pricedIn === round
        ? comesFirst(before.price, winner.project, other.exact.price, other.project)
        : before.price.approx * (1 + 2 ** -50) < other.low;
    for (const other of [...candidates]) {
      if (other === winner || beaten(other)) continue;
      if (other.pricedIn !== round) {
        if (!this.#requote(other, candidates, round)) continue; // unaffordable here, so at every smaller increment
        if (beaten(other)) continue;
      }
      if (!other.exact) {
        this.#exactify(other, candidates);
        if (!other.exact || beaten(other)) continue;
      }
      const then = before.rivals.get(other.project.index);
      if (then?.poor && affine && sameVoters(then.poor, other.exact.poor)) continue;
      if (then?.poor && challenge.holdsAgainst(other.project, other.exact, then)) continue;
      return {
        kind: 'rival',
        round,
        winnerBefore: before.price.approx,
        rivalBefore: then?.approx,
        winnerAfter,
        rivalAfter: other.exact.price.approx,
      };
    }
    return undefined;
  }
}

/** How close, relatively, a rival's price must be to the winner's to be worked out exactly for later runs. */
const CLOSE_RIVALS = 0.03;

/** Doubles of exact prices are within 2⁻⁵² of them; comparisons of them allow this much. */
const NEAR = 2 ** -48;

/** One round of a run against a reference: what its checks share. */
class Challenge {
  #winnerRate: RateBounds | undefined | null = null;

  constructor(
    readonly reference: EqualSharesRun,
    readonly round: number,
    readonly winner: Candidate,
    /** The increment of this run less the reference's. */
    readonly span: bigint,
    readonly rates: Rates | undefined,
    readonly wallets: Wallets,
  ) {}

  /** Bounds of how fast the winner's split falls between the two runs, when they can be given. */
  winnerRate(): RateBounds | undefined {
    if (this.#winnerRate === null) {
      const before = this.reference.rounds[this.round];
      this.#winnerRate =
        before && this.rates
          ? this.rates.split(
              this.winner.project,
              before.broke,
              (this.winner.exact as Fresh).poor,
              this.wallets,
            )
          : undefined;
    }
    return this.#winnerRate;
  }

  /**
   * Whether the winner comes before `rival` all the way between the runs, by
   * the bounds of their rates (see {@link holdsBetween}); `then` is what the
   * reference's round kept of the rival (its exact price and poor there).
   */
  holdsAgainst(rival: Project, now: Fresh, then: RivalPrice): boolean {
    const winnerRate = this.winnerRate();
    const rivalRate = this.rates?.split(rival, then.poor as Int32Array, now.poor, this.wallets);
    if (!winnerRate || !rivalRate) return false;
    const before = this.reference.rounds[this.round] as Round;
    const winnerScale = Number(this.winner.project.scale);
    const rivalScale = Number(rival.scale);
    const slope = {
      low: rivalRate.low / rivalScale - winnerRate.high / winnerScale,
      high: rivalRate.high / rivalScale - winnerRate.low / winnerScale,
    };
    const atStart = then.approx * (1 - NEAR) - before.price.approx * (1 + NEAR);
    const atEnd = now.price.approx * (1 - NEAR) - (this.winner.exact as Fresh).price.approx * (1 + NEAR);
    return holdsBetween(atStart, atEnd, slope, Number(this.span));
  }
}

/** What a round keeps of a candidate it did not fund. */
function rivalPrice(candidate: Candidate, round: number): RivalPrice {
  if (candidate.pricedIn !== round) return { approx: candidate.low, fresh: false };
  if (!candidate.exact) return { approx: (candidate.low + candidate.high) / 2, fresh: true };
  return { approx: candidate.exact.price.approx, fresh: true, poor: candidate.exact.poor };
}

/** Whether two ascending lists of voters are the same. */
function sameVoters(a: Int32Array | undefined, b: Int32Array | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/** Negative, zero or positive as price `a` is below, equal to or above `b`. */
function comparePrices(a: Price, b: Price): number {
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

function bothExact(a: Candidate, b: Candidate, round: number): boolean {
  return a.exact !== undefined && b.exact !== undefined && a.pricedIn === round && b.pricedIn === round;
}

/** Whether `a` goes before `b` when looking for the first: exactly when both are worked out here, else by lower bound. */
function inOrder(a: Candidate, b: Candidate, round: number): boolean {
  if (bothExact(a, b, round))
    return comesFirst((a.exact as Fresh).price, a.project, (b.exact as Fresh).price, b.project);
  return a.low !== b.low ? a.low < b.low : tieBreak(a.project, b.project);
}

/** Whether `first` (priced in `round`) surely comes before `other` there. */
function surelyBefore(first: Candidate, other: Candidate, round: number): boolean {
  if (bothExact(first, other, round)) {
    return comesFirst(
      (first.exact as Fresh).price,
      first.project,
      (other.exact as Fresh).price,
      other.project,
    );
  }
  return other.low > first.high;
}
