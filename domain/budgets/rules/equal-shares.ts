import type { BallotProfile } from './ballot-profile';
import { compare, type Rational, rational } from './rational';
import { compareRatios, type Fraction, type Ratio, Reach, type Trend } from './trend';
import { HAS_NOTHING, PAYS_ALL, PAYS_SHARE, type Stage, type Tally, VoterClasses, Wallets } from './wallets';

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
 * The Method of Equal Shares (Peters, Pierczyński, Skowron 2021) for approval
 * ballots with cost utilities, in exact arithmetic, without completion.
 *
 * Each of the n voters gets the share B / n. While some unfunded project can
 * be paid by its supporters, each such project of cost c gets its price α:
 * the least amount such that supporters paying `min(left, α)` raise exactly
 * c. The project with the least ρ = α / c is funded and its supporters pay.
 *
 * Tie-breaks, in order: the smaller ρ; more supporters; the smaller project
 * id compared as a string (UTF-16 code units, so `"10"` comes before `"9"`).
 * A project that costs 0 and has a supporter is funded first, before any
 * money moves: it takes nothing from anyone. A project nobody approves is
 * never funded, whatever it costs.
 *
 * @example equalShares(ballotProfile(instance), instance.budget).selected
 */
export function equalShares(profile: BallotProfile, budget: bigint): EqualSharesOutcome {
  return runEqualShares(profile, budget, 0n, false).outcome();
}

/** A run at one increment, and how far the increment can grow with the same outcome. */
export interface EqualSharesRun {
  /** The funded project ids, in the order the rule funded them. */
  readonly selected: readonly string[];
  readonly cost: bigint;
  /**
   * Every increment from this run's up to (not including) this run's plus
   * `reach` funds the same projects in the same order; `undefined` when no
   * increase would change anything. Only computed when asked for.
   */
  readonly reach: Rational | undefined;
  /**
   * The run's whole outcome; what each voter has left is only worked out when
   * asked for, and only until the {@link EqualSharesRuns} that made the run runs again.
   */
  outcome(): EqualSharesOutcome;
}

/**
 * Equal shares where every voter's share is B / n + `increment`. With
 * `trackReach`, it also tells how far the increment can grow before any
 * decision may flip (see {@link EqualSharesRun.reach}). A one-off run of
 * {@link EqualSharesRuns}.
 */
export function runEqualShares(
  profile: BallotProfile,
  budget: bigint,
  increment: bigint,
  trackReach: boolean,
): EqualSharesRun {
  return new EqualSharesRuns(profile, budget, trackReach).run(increment);
}

/** A project that can be funded by paying for it, as a candidate of every run. */
interface Project {
  readonly project: number;
  readonly id: string;
  readonly cost: bigint;
  readonly supporterCount: number;
}

interface Price {
  /** What is still missing after the poorest groups paid all they have, over the wallets' denominator. */
  readonly missing: Trend;
  /** How many supporters split `missing` equally: each pays `missing / payers`. */
  readonly payers: bigint;
  /** ρ = payment / cost: the price per unit of cost, the rule's measure of value for money. */
  readonly perUnit: Ratio;
  /** The places in the project's tally of the classes that still hold money. */
  readonly holders: readonly number[];
  /** By place in the project's tally: how that class pays ({@link PAYS_SHARE}, {@link PAYS_ALL}, {@link HAS_NOTHING}). */
  readonly marks: Uint8Array;
}

interface Candidate extends Project {
  /** ρ: exact when `price` is set (priced since the last funding), otherwise a lower bound. */
  perUnit: Ratio;
  price: Price | undefined;
}

/**
 * A round of a run: from one stage (see {@link Stage}) to the funding of the
 * next project, or to the end. Kept so that a run at another increment can
 * take the rounds that stay the same there as they are.
 */
interface Round {
  readonly stage: Stage;
  /** The increment the round was worked out at. */
  readonly from: bigint;
  /** The candidates at the start of the round, with the lower bounds of their ρ at `from`. */
  readonly waiting: readonly { readonly project: Project; readonly perUnit: Ratio }[];
  /**
   * Each decision of the round stays the same at every increment from `from`
   * up to (not including) this one, given those of the rounds before;
   * `undefined` when none may ever change.
   */
  limit: Fraction | undefined;
}

/** The rule's order: the smaller ρ, then more supporters, then the smaller id. */
function comesFirst(a: Candidate, b: Candidate): boolean {
  const byPerUnit = compareRatios(a.perUnit, b.perUnit);
  if (byPerUnit !== 0) return byPerUnit < 0;
  if (a.supporterCount !== b.supporterCount) return a.supporterCount > b.supporterCount;
  return a.id < b.id;
}

/**
 * Equal shares, run again and again on one profile and budget at the shares
 * B / n + `increment`, as the add1 completion does. With `trackReach`, each
 * run notes every condition its decisions rest on as a linear function of the
 * increment, to tell how far the increment can grow before any decision may
 * flip (see {@link EqualSharesRun.reach}); add1 uses that to skip the budgets
 * that cannot change the outcome.
 *
 * Between such points every amount of a run is linear in the increment, so a
 * run does not start from scratch: it takes the rounds of the run before that
 * still stand at its increment as they are, moves the amounts along, and
 * works out only the rest; and the classes of voters (see {@link VoterClasses})
 * are shared by all runs.
 *
 * The candidates are priced lazily: a project's ρ only grows as voters pay,
 * so a price from an earlier round is a lower bound, and only the candidate
 * first in order needs a fresh price. This stays sound across the reach: a
 * price worked out with the poorest groups paying all they have and the rest
 * an equal split is, as a linear function of the increment, never above the
 * true price (at any increment, paying at most that much each raises at most
 * the cost), so only a funded project needs its split to hold across the reach.
 */
export class EqualSharesRuns {
  readonly #profile: BallotProfile;
  readonly #budget: bigint;
  readonly #trackReach: boolean;
  readonly #voterCount: bigint;
  /** Amounts start over the voter count: the share B / n + t is (B + n·t) / n and grows by n / n per unit of t. */
  readonly #denominator: bigint;
  readonly #classes: VoterClasses;
  /** The projects that cost 0 and that somebody wants: funded first, before any money moves. */
  readonly #free: readonly number[];
  readonly #projects: readonly Project[];
  #wallets: Wallets | undefined;
  /** The increment of the last run: every amount in the wallets is at it. */
  #increment = 0n;
  /** The last run's rounds. */
  readonly #rounds: Round[] = [];
  /** The projects the last run funded after the free ones, round by round. */
  readonly #funded: number[] = [];
  #runs = 0;

  constructor(profile: BallotProfile, budget: bigint, trackReach: boolean) {
    this.#profile = profile;
    this.#budget = budget;
    this.#trackReach = trackReach;
    this.#voterCount = BigInt(profile.voterCount);
    this.#denominator = this.#voterCount === 0n ? 1n : this.#voterCount;
    this.#classes = new VoterClasses(profile);
    const free: Candidate[] = [];
    const projects: Project[] = [];
    profile.projects.forEach(({ id, cost }, project) => {
      const supporterCount = profile.supporters[project]?.length ?? 0;
      if (supporterCount === 0) return;
      if (cost === 0n)
        free.push({ project, id, cost, supporterCount, perUnit: NO_PRICE_YET, price: undefined });
      else projects.push({ project, id, cost, supporterCount });
    });
    this.#free = free.sort((a, b) => (comesFirst(a, b) ? -1 : 1)).map(({ project }) => project);
    this.#projects = projects;
  }

  /** Equal shares at the share B / n + `increment`. */
  run(increment: bigint): EqualSharesRun {
    const runNumber = ++this.#runs;
    const { wallets, stage: start, candidates } = this.#restart(increment);
    const classes = this.#classes;
    let stage = start;
    let reach = this.#startRound(stage, candidates, increment);
    while (candidates.length > 0) {
      const winner = firstInOrder(candidates);
      if (!winner.price) {
        const tally = classes.tally(stage, winner.project);
        const price = priceFor(winner.cost, tally, wallets, reach);
        if (price) {
          winner.price = price;
          winner.perUnit = price.perUnit;
        } else {
          // Its supporters cannot pay it now, and they will only have less.
          candidates.splice(candidates.indexOf(winner), 1);
        }
        continue;
      }
      candidates.splice(candidates.indexOf(winner), 1);
      const price = winner.price;
      if (reach) {
        for (const other of candidates) reach.keepAtLeast(other.perUnit, winner.perUnit);
        keepPayingAll(price, classes.tally(stage, winner.project), wallets, reach);
      }
      const next = classes.after(stage, winner.project);
      // Notes as well that the classes paying the split stay at or above it.
      wallets.charge(next.bornFrom, price.marks, price.missing, price.payers, reach);
      this.#endRound(reach, increment);
      this.#funded.push(winner.project);
      stage = next;
      for (const candidate of candidates) candidate.price = undefined;
      reach = this.#startRound(stage, candidates, increment);
    }
    this.#endRound(reach, increment);

    const { projects } = this.#profile;
    const selected = [...this.#free, ...this.#funded];
    const ids = selected.map((project) => projects[project]?.id as string);
    const cost = selected.reduce((sum, project) => sum + (projects[project]?.cost ?? 0n), 0n);
    const total = this.#budget + this.#voterCount * increment;
    // Without voters there is nobody to share the budget among.
    const share = this.#voterCount === 0n ? rational(0n) : rational(total, this.#denominator);
    return {
      selected: ids,
      cost,
      reach: this.#trackReach ? this.#reachFrom(increment) : undefined,
      outcome: () => {
        if (runNumber !== this.#runs) throw new Error('This run has been overtaken by a later one.');
        return { selected: ids, cost, share, remaining: wallets.remaining(classes.walletsOf(stage)) };
      },
    };
  }

  /**
   * Takes the rounds of the last run that stand at `increment` as they are,
   * up to the first that may not (or the last), and sets the wallets and the
   * candidates as they are at its start.
   */
  #restart(increment: bigint): { wallets: Wallets; stage: Stage; candidates: Candidate[] } {
    const shift = increment - this.#increment;
    this.#increment = increment;
    let wallets = this.#wallets;
    if (!wallets || this.#rounds.length === 0) {
      const share = { value: this.#budget + this.#voterCount * increment, slope: this.#voterCount };
      wallets = new Wallets(share, this.#denominator);
      this.#wallets = wallets;
      const candidates = this.#projects.map((project) => ({
        ...project,
        perUnit: NO_PRICE_YET,
        price: undefined,
      }));
      return { wallets, stage: this.#classes.root, candidates };
    }
    const last = this.#rounds.length - 1;
    let depth = 0;
    while (depth < last && stands(this.#rounds[depth] as Round, increment)) depth++;
    const round = this.#rounds[depth] as Round;
    this.#rounds.length = depth;
    this.#funded.length = depth;
    wallets.restart(depth, round.stage.classCount, shift);
    const moved = increment - round.from;
    const candidates = round.waiting.map(({ project, perUnit }) => ({
      ...project,
      perUnit: { ...perUnit, value: perUnit.value + perUnit.slope * moved },
      price: undefined,
    }));
    return { wallets, stage: round.stage, candidates };
  }

  #startRound(stage: Stage, candidates: readonly Candidate[], increment: bigint): Reach | undefined {
    const waiting = candidates.map(({ project, id, cost, supporterCount, perUnit }) => ({
      project: { project, id, cost, supporterCount },
      perUnit,
    }));
    this.#rounds.push({ stage, from: increment, waiting, limit: { numerator: increment, denominator: 1n } });
    return this.#trackReach ? new Reach() : undefined;
  }

  /** Notes how far the round's decisions stand; without tracking, they stand nowhere else. */
  #endRound(reach: Reach | undefined, increment: bigint): void {
    if (reach) (this.#rounds.at(-1) as Round).limit = reach.after(increment);
  }

  /** How far past `increment` every round of the run stands. */
  #reachFrom(increment: bigint): Rational | undefined {
    let limit: Fraction | undefined;
    for (const round of this.#rounds) {
      if (round.limit !== undefined && (limit === undefined || compare(round.limit, limit) < 0))
        limit = round.limit;
    }
    return limit === undefined
      ? undefined
      : rational(limit.numerator - increment * limit.denominator, limit.denominator);
  }
}

/** Whether every decision of `round` is the same at `increment` (given those of the rounds before). */
function stands(round: Round, increment: bigint): boolean {
  if (increment < round.from) return false;
  return round.limit === undefined || increment * round.limit.denominator < round.limit.numerator;
}

/** Every project costs more than nothing, so 0 is below any price: it puts unpriced projects first. */
const NO_PRICE_YET: Ratio = { value: 0n, slope: 0n, denominator: 1n };

function firstInOrder(candidates: readonly Candidate[]): Candidate {
  let first = candidates[0] as Candidate;
  for (const candidate of candidates) if (comesFirst(candidate, first)) first = candidate;
  return first;
}

/**
 * The price of a project of cost `cost` > 0 to its supporters (`tally`, in
 * the wallets' classes), or `undefined` when all they have falls short. A
 * class pays all it has while that is less than an equal split of what is
 * still missing; the rest split what is missing equally. Those classes are
 * found without sorting: the split only grows as poorer classes drop out of
 * it, so whatever falls below it stays below, and a few passes settle it
 * (if every class drops out, all they have falls short). A pass compares each
 * class's amount over the denominator of its own stage with the split over
 * that denominator, so that only the classes that drop out are multiplied.
 */
function priceFor(cost: bigint, tally: Tally, wallets: Wallets, reach: Reach | undefined): Price | undefined {
  const marks = new Uint8Array(tally.wallets.length).fill(HAS_NOTHING);
  const holders: number[] = [];
  let payers = 0;
  tally.wallets.forEach((wallet, index) => {
    if (wallets.isEmpty(wallet)) return;
    holders.push(index);
    payers += tally.voters[index] as number;
    marks[index] = PAYS_SHARE;
  });
  let missingValue = cost * wallets.denominator;
  const have = wallets.holdings(tally, holders);
  if (have.value < missingValue) {
    // Unaffordable for as long as something stays missing.
    reach?.keepNonNegative({ value: missingValue - have.value, slope: -have.slope });
    return undefined;
  }
  // Affordable: a class pays all it has only while others pay more, so some class always splits.
  let missingSlope = 0n;
  let splitting = holders;
  const eras = wallets.eras;
  for (;;) {
    // left < missing / payers, for whole numerators over the class's stage: raw < ⌈missing / (payers · scale)⌉.
    const splits: (bigint | undefined)[] = new Array(eras);
    const rest: number[] = [];
    const dropped: number[] = [];
    let droppedVoters = 0;
    for (const index of splitting) {
      const wallet = tally.wallets[index] as number;
      const era = wallets.era(wallet);
      let split = splits[era];
      if (split === undefined) {
        const divisor = BigInt(payers) * wallets.scale(era);
        split = (missingValue + divisor - 1n) / divisor;
        splits[era] = split;
      }
      if (wallets.raw(wallet) >= split) {
        rest.push(index);
      } else {
        dropped.push(index);
        droppedVoters += tally.voters[index] as number;
        marks[index] = PAYS_ALL;
      }
    }
    if (dropped.length === 0) break;
    payers -= droppedVoters;
    const paid = wallets.holdings(tally, dropped);
    missingValue -= paid.value;
    missingSlope -= paid.slope;
    splitting = rest;
  }
  const missing = { value: missingValue, slope: missingSlope };
  const perUnit = { ...missing, denominator: wallets.denominator * BigInt(payers) * cost };
  return { missing, payers: BigInt(payers), perUnit, holders, marks };
}

/**
 * Notes what keeps the classes of a funded project's supporters that paid all
 * they had doing so: they stay below the split. Amounts are over the wallets'
 * denominator times `payers`, where the split is `missing`. (What keeps the
 * others paying the split, {@link Wallets.charge} notes.)
 */
function keepPayingAll(
  { holders, marks, missing, payers }: Price,
  tally: Tally,
  wallets: Wallets,
  reach: Reach,
): void {
  // By stage: the factor from a class's amount over its stage's denominator to this one times `payers`.
  const factors: (bigint | undefined)[] = new Array(wallets.eras);
  for (const index of holders) {
    if (marks[index] !== PAYS_ALL) continue;
    const wallet = tally.wallets[index] as number;
    const era = wallets.era(wallet);
    let factor = factors[era];
    if (factor === undefined) {
      factor = wallets.scale(era) * payers;
      factors[era] = factor;
    }
    const slope = missing.slope - wallets.rawSlope(wallet) * factor;
    // Only a condition that falls can fail.
    if (slope < 0n) reach.keepNonNegative({ value: missing.value - wallets.raw(wallet) * factor, slope });
  }
}
