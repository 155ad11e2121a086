import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { PabulibInstance } from '../../domain/budgets/pabulib';
import {
  type Add1Outcome,
  type BallotProfile,
  type EqualSharesOutcome,
  EqualSharesRuns,
  equalSharesAdd1,
  equalSharesAt,
} from '../../domain/budgets/rules';
import { compare, type Rational, rational } from '../../domain/budgets/rules/rational';

/**
 * The definitions that the fast rules are checked against: add1 trying every
 * budget in turn, and equal shares worked voter by voter in fractions.
 */

/** One run of equal shares at an increment of every voter's share. */
export type Run = (profile: BallotProfile, budget: bigint, increment: bigint) => EqualSharesOutcome;

/** One run of the rule itself at an increment, without skipping anything. */
export const ruleRun: Run = (profile, budget, increment) => equalSharesAt(profile, budget, increment);

/** The projects that somebody supports: once all of them are funded, more money adds nothing. */
export const fundableCount = (profile: BallotProfile): number =>
  profile.supporters.filter((voters) => voters.length > 0).length;

/** add1 exactly as defined: every budget B, B + n, B + 2n, … in turn, no skipping. */
export function add1StepByStep(
  profile: BallotProfile,
  budget: bigint,
  run: Run = ruleRun,
): EqualSharesOutcome {
  const fundable = fundableCount(profile);
  let kept = run(profile, budget, 0n);
  for (let increment = 1n; kept.selected.length < fundable; increment++) {
    const next = run(profile, budget, increment);
    if (next.cost > budget) break;
    kept = next;
  }
  return kept;
}

/** What trying every step of add1 in turn settled on, and how many steps it tried. */
export interface SteppedOutcome extends EqualSharesOutcome {
  readonly increment: bigint;
  readonly steps: number;
}

/**
 * add1 as defined, with the step `step`: plain runs at the increments 0, s,
 * 2s, … (one engine reused, each run from scratch: no reference run, so no
 * skipping), keeping the last whose cost stays within the budget; it stops at
 * the first over the budget or once everything supported is funded. What
 * each voter keeps is worked out once, by a last plain run at the kept
 * increment (working it out at every step would cost more than the runs).
 *
 * `lastIncrement`, when given, is where to give up: past the increment a fast
 * add1 settled on, stepping on can only find that the two disagree, and the
 * answer then is the outcome there (which differs from the fast one's).
 */
export function steppedAdd1(
  profile: BallotProfile,
  budget: bigint,
  step = 1n,
  lastIncrement?: bigint,
): SteppedOutcome {
  const fundable = fundableCount(profile);
  const runs = new EqualSharesRuns(profile, budget);
  let kept = 0n;
  let funded = runs.run(0n).selected.length;
  let steps = 1;
  for (let increment = step; funded < fundable; increment += step) {
    const next = runs.run(increment);
    steps++;
    if (next.cost > budget) break;
    kept = increment;
    funded = next.selected.length;
    if (lastIncrement !== undefined && increment > lastIncrement) break;
  }
  return { ...runs.run(kept).outcome(), increment: kept, steps };
}

/** The parts of an add1 outcome that are the rule's result (not how many runs it took). */
export const settled = ({ selected, cost, share, remaining, increment }: Add1Outcome | SteppedOutcome) => ({
  selected,
  cost,
  share,
  remaining,
  increment,
});

const minus = (a: Rational, b: Rational): Rational =>
  rational(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator);

const times = (a: Rational, b: bigint): Rational => rational(a.numerator * b, a.denominator);

/**
 * Equal shares word for word, voter by voter, in fractions, as a reference
 * that shares nothing with the rule's own arithmetic. Each voter holds
 * B / n + increment and has a utility for each project they support: its
 * cost on an approval ballot, the points they gave it on a point ballot.
 * While some project can be paid by its supporters, each gets the least ρ
 * (price per unit of utility) with Σ min(left, ρ · utility) = cost (walking
 * up from the supporter who runs out at the lowest ρ), and the least ρ is
 * funded (ties: more supporters, then the smaller id), each supporter paying
 * min(left, ρ · utility). Supported projects that cost nothing come first.
 */
export const byDefinition: Run = (profile, budget, increment) => {
  const voterCount = BigInt(profile.voterCount);
  if (voterCount === 0n) return { selected: [], cost: 0n, share: rational(0n), remaining: [] };
  const share = rational(budget + voterCount * increment, voterCount);
  const left = Array.from({ length: profile.voterCount }, () => share);
  const supported = profile.projects
    .map((project, index) => {
      const voters = [...(profile.supporters[index] ?? [])];
      const points = profile.points?.[index];
      const utilities = voters.map((_, place) => (points ? BigInt(points[place] as number) : project.cost));
      return { ...project, voters, utilities };
    })
    .filter(({ voters }) => voters.length > 0);
  type Candidate = (typeof supported)[number];
  const tieBreak = (a: Candidate, b: Candidate): number =>
    a.voters.length !== b.voters.length ? b.voters.length - a.voters.length : a.id < b.id ? -1 : 1;
  const selected = supported.filter(({ cost }) => cost === 0n).sort(tieBreak);
  let open = supported.filter(({ cost }) => cost > 0n);
  /** The least ρ with Σ min(left, ρ · utility) = cost, or undefined when the supporters cannot pay. */
  const priceOf = (project: Candidate): Rational | undefined => {
    // Each supporter pays ρ · utility until ρ reaches left / utility, where they run out.
    const runOut = project.voters
      .map((voter, place) => ({ left: left[voter] as Rational, utility: project.utilities[place] as bigint }))
      .sort((a, b) =>
        compare(
          rational(a.left.numerator, a.left.denominator * a.utility),
          rational(b.left.numerator, b.left.denominator * b.utility),
        ),
      );
    let missing = rational(project.cost);
    let weight = project.utilities.reduce((total, utility) => total + utility, 0n);
    for (const supporter of runOut) {
      const rho = rational(missing.numerator, missing.denominator * weight);
      if (compare(times(rho, supporter.utility), supporter.left) <= 0) return rho;
      missing = minus(missing, supporter.left);
      weight -= supporter.utility;
    }
    return undefined;
  };
  for (;;) {
    let best: { project: Candidate; rho: Rational } | undefined;
    for (const project of open) {
      const rho = priceOf(project);
      if (!rho) continue;
      const order = best ? compare(rho, best.rho) || tieBreak(project, best.project) : -1;
      if (order < 0) best = { project, rho };
    }
    if (!best) break;
    const { project, rho } = best;
    project.voters.forEach((voter, place) => {
      const amount = left[voter] as Rational;
      const due = times(rho, project.utilities[place] as bigint);
      left[voter] = compare(amount, due) < 0 ? rational(0n) : minus(amount, due);
    });
    selected.push(project);
    open = open.filter((other) => other !== project);
  }
  return {
    selected: selected.map(({ id }) => id),
    cost: selected.reduce((total, { cost }) => total + cost, 0n),
    share,
    remaining: left,
  };
};

/** A fast add1 and add1 stepped unit by unit on one election, side by side. */
export interface Add1Comparison {
  readonly agree: boolean;
  /** The parts of the settled outcome where they differ, e.g. `selected`, `increment`. */
  readonly differences: readonly string[];
  readonly fast: Add1Outcome;
  readonly stepped: SteppedOutcome;
  readonly fastSeconds: number;
  readonly steppedSeconds: number;
}

/**
 * Runs the fast add1, then the definition (every step, plain runs of one
 * engine, up to where it stops by itself), and compares what they settled on.
 * @example compareWithStepping(ballotProfile(instance), instance.budget).agree
 */
export function compareWithStepping(profile: BallotProfile, budget: bigint): Add1Comparison {
  let started = performance.now();
  const fast = equalSharesAdd1(profile, budget);
  const fastSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const stepped = steppedAdd1(profile, budget);
  const steppedSeconds = (performance.now() - started) / 1000;
  const mine = settled(fast);
  const theirs = settled(stepped);
  const differences = (Object.keys(mine) as (keyof typeof mine)[]).filter(
    (key) => !isDeepStrictEqual(mine[key], theirs[key]),
  );
  return { agree: differences.length === 0, differences, fast, stepped, fastSeconds, steppedSeconds };
}

/** The same election with every cost and the budget ×`scale` (×100: counted in kopiykas). */
export const scaled = (instance: PabulibInstance, scale: bigint): PabulibInstance => ({
  ...instance,
  budget: instance.budget * scale,
  projects: instance.projects.map((project) => ({ ...project, cost: project.cost * scale })),
});

/** SHA-256 (hex) of what each voter keeps, written `n/d` and joined by commas, as the reference results hold it. */
export const remainingSha256 = (outcome: EqualSharesOutcome): string =>
  createHash('sha256')
    .update(outcome.remaining.map(({ numerator, denominator }) => `${numerator}/${denominator}`).join(','))
    .digest('hex');
