import type { BallotProfile } from './ballot-profile';
import { type EqualSharesOutcome, EqualSharesRuns } from './equal-shares';
import { ceiling } from './rational';

/** Bumped whenever a change could select differently; result documents carry it. */
export const ADD1_VERSION = 'add1/1';

/**
 * Equal shares with add1 completion. Equal shares alone often leaves money
 * unspent, so it is run with the budgets B, B + n, B + 2n, … (each voter's
 * share one unit larger each time) and the outcome kept is the last one whose
 * cost stays within the real budget B.
 *
 * Where it stops, as documented for the result: at the first budget whose
 * outcome costs more than B, or once every project that anybody approves is
 * funded (more money cannot add any). This assumes what the rule's authors
 * assume: that an outcome over budget is not followed by one within it.
 *
 * Budgets that cannot change the outcome are skipped, not run: each run
 * tells how far the share may grow before any of its decisions may flip (see
 * {@link EqualSharesRuns}), and the next run is at the first whole unit at or
 * past that point. The result is exactly that of trying every budget in turn
 * (the kept outcome is rerun at its last budget, for its exact payments), and
 * it keeps add1 fast where the share is large against the unit: Rembertów
 * 2023 counted in grosze needs 631 runs instead of 22,400. A run only works
 * out again the rounds from the first decision that may have flipped, on
 * classes of voters shared by all runs: the generated city of 100,000 voters
 * counted in kopiykas takes about 1,900 runs of a few rounds each.
 *
 * @example equalSharesAdd1(ballotProfile(instance), instance.budget).selected
 */
export function equalSharesAdd1(profile: BallotProfile, budget: bigint, step = 1n): Add1Outcome {
  if (step < 1n) throw new RangeError(`The add1 step must be at least 1, not ${step}.`);
  const fundable = profile.supporters.filter((voters) => voters.length > 0).length;
  const runs = new EqualSharesRuns(profile, budget, true);
  let count = 1;
  let kept = runs.run(0n);
  let keptIncrement = 0n;
  const done = (increment: bigint, outcome: EqualSharesOutcome): Add1Outcome => ({
    ...outcome,
    step,
    increment,
    runs: count,
  });
  while (kept.selected.length < fundable && kept.reach !== undefined) {
    const steps = ceiling({ numerator: kept.reach.numerator, denominator: kept.reach.denominator * step });
    const increment = keptIncrement + (steps > 1n ? steps : 1n) * step;
    const run = runs.run(increment);
    count++;
    if (run.cost > budget) {
      // The last budget within B funds what `kept` funds; run it for its exact shares and payments.
      count++;
      return done(increment - step, runs.run(increment - step).outcome());
    }
    kept = run;
    keptIncrement = increment;
  }
  return done(keptIncrement, kept.outcome());
}

/** What add1 settled on, and how it got there. */
export interface Add1Outcome extends EqualSharesOutcome {
  /** How much each voter's share grew from one budget tried to the next, in the budget's unit (part of the rule). */
  readonly step: bigint;
  /** How much each voter's share grew in all: the kept outcome is equal shares at B / n + `increment`. */
  readonly increment: bigint;
  /** How many times the rule ran (not part of the result: it measures the skipping). */
  readonly runs: number;
}
