import type { ApprovalProfile } from './approval-profile';
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
 * @example equalSharesAdd1(approvalProfile(instance), instance.budget).selected
 */
export function equalSharesAdd1(profile: ApprovalProfile, budget: bigint): EqualSharesOutcome {
  const fundable = profile.supporters.filter((voters) => voters.length > 0).length;
  const runs = new EqualSharesRuns(profile, budget, true);
  let kept = runs.run(0n);
  let keptIncrement = 0n;
  while (kept.selected.length < fundable && kept.reach !== undefined) {
    const step = ceiling(kept.reach);
    const increment = keptIncrement + (step > 1n ? step : 1n);
    const run = runs.run(increment);
    if (run.cost > budget) {
      // The last budget within B funds what `kept` funds; run it for its exact shares and payments.
      return runs.run(increment - 1n).outcome();
    }
    kept = run;
    keptIncrement = increment;
  }
  return kept.outcome();
}
