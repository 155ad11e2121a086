import type { BallotProfile } from './ballot-profile';
import { type Doubt, type EqualSharesOutcome, type EqualSharesRun, EqualSharesRuns } from './equal-shares';

/** Bumped whenever a change could select differently; result documents carry it. */
export const ADD1_VERSION = 'add1/1';

/** What add1 settled on, and how it got there. */
export interface Add1Outcome extends EqualSharesOutcome {
  /** How much each voter's share grew from one budget tried to the next, in the budget's unit (part of the rule). */
  readonly step: bigint;
  /** How much each voter's share grew in all: the kept outcome is equal shares at B / n + `increment`. */
  readonly increment: bigint;
  /** How many times the rule ran (not part of the result: it measures the skipping). */
  readonly runs: number;
}

/**
 * Equal shares with add1 completion. Equal shares alone often leaves money
 * unspent, so it is run with the budgets B, B + n·s, B + 2n·s, … (each
 * voter's share larger by the step s each time; s = 1 unit of the budget's
 * money by default) and the outcome kept is the last one whose cost stays
 * within the real budget B.
 *
 * Where it stops, as documented for the result: at the first budget whose
 * outcome costs more than B, or once every project that anybody supports is
 * funded (more money cannot add any). This assumes what the rule's authors
 * assume: that an outcome over budget is not followed by one within it.
 *
 * The result is exactly that of trying every budget in turn, but most are
 * skipped, never guessed: a run at a larger share is checked against the
 * last one kept (see {@link EqualSharesRuns}) and vouches for every budget in
 * between only when none of them can fund anything else. The skips are
 * chosen in money, not in steps (a stride that doubles while runs vouch, and
 * a guess of where the outcome changes when one does not).
 *
 * @example equalSharesAdd1(ballotProfile(instance), instance.budget).selected
 */
export function equalSharesAdd1(profile: BallotProfile, budget: bigint, step = 1n): Add1Outcome {
  if (step < 1n) throw new RangeError(`The add1 step must be at least 1, not ${step}.`);
  const runs = new EqualSharesRuns(profile, budget, true);
  let kept = runs.run(0n);
  let latest = kept;
  const voters = BigInt(profile.voterCount);
  // How far to look ahead when nothing is known: a distance in money (a 64th of the share to
  // start with), the same whatever the money's unit; it follows how far apart changes are.
  let cruise = atLeastOneStep(voters > 0n ? budget / voters / 64n : step, step);
  let stride = cruise;
  /** Where a failed look ahead guessed the outcome changes, as an increment. */
  let aim: number | undefined;
  while (!kept.fundedAll) {
    // The very next budget needs no check against the kept one: nothing is skipped.
    const next = stride === step;
    const probe = runs.run(kept.increment + stride, next ? undefined : kept);
    latest = probe;
    const vouched = next ? sameOrder(kept, probe) : probe.doubt === undefined;
    if (next && probe.cost > budget) break;
    if (vouched) {
      kept = probe;
      const ahead = aim === undefined ? 0 : aim - Number(kept.increment);
      if (ahead > 0) {
        // Just before the guessed change: the next run is at the first step at or past it.
        stride = atLeastOneStep(BigInt(Math.ceil(ahead / Number(step))) * step, step);
      } else if (aim !== undefined) {
        aim = undefined;
        stride = cruise;
      } else {
        cruise = stride;
        stride *= 2n;
      }
      continue;
    }
    if (next) {
      // The very next budget, and another outcome: the kept one from now on.
      kept = probe;
      aim = undefined;
      stride = cruise;
      continue;
    }
    if (aim === undefined) cruise = atLeastOneStep(stride / 2n, step);
    aim = undefined;
    for (const doubt of probe.doubts) {
      const guess = guessChange(doubt, kept, probe);
      if (guess !== undefined && (aim === undefined || guess < aim)) aim = guess;
    }
    // The last step strictly before the guess, but always less than the stride that failed.
    const below =
      aim === undefined
        ? stride / step / 2n
        : BigInt(Math.max(0, Math.ceil((aim - Number(kept.increment)) / Number(step)) - 1));
    const steps = below < stride / step ? below : stride / step - 1n;
    stride = (steps > 1n ? steps : 1n) * step;
  }
  const outcome = latest === kept ? kept.outcome() : runs.run(kept.increment).outcome();
  return { ...outcome, step, increment: kept.increment, runs: runs.runs };
}

/** Whether two runs funded the same projects in the same order. */
function sameOrder(a: EqualSharesRun, b: EqualSharesRun): boolean {
  return a.selected.length === b.selected.length && a.selected.every((id, index) => b.selected[index] === id);
}

function atLeastOneStep(amount: bigint, step: bigint): bigint {
  const steps = amount / step;
  return (steps > 1n ? steps : 1n) * step;
}

/**
 * Where, between `kept` and `probe`, the outcome may change, guessed by
 * taking the compared amounts as straight lines in the increment: where the
 * rival's price meets the winner's, where it falls to the winner's price at
 * `kept` (as far as the first check can vouch), or where the added project
 * becomes affordable. `undefined` when nothing can be guessed. A guess only
 * picks the next run: runs, not guesses, vouch for budgets.
 */
function guessChange(doubt: Doubt, kept: EqualSharesRun, probe: EqualSharesRun): number | undefined {
  const from = Number(kept.increment);
  const span = Number(probe.increment) - from;
  let fraction: number | undefined;
  if (doubt.kind === 'added') {
    const rise = doubt.slackAfter - doubt.slackBefore;
    if (rise > 0) fraction = -doubt.slackBefore / rise;
  } else if (doubt.rivalBefore !== undefined) {
    const gapBefore = doubt.rivalBefore - doubt.winnerBefore;
    const gapAfter = doubt.rivalAfter - doubt.winnerAfter;
    if (gapAfter <= 0 && gapBefore > gapAfter) fraction = gapBefore / (gapBefore - gapAfter);
    else if (doubt.rivalBefore > doubt.rivalAfter)
      fraction = gapBefore / (doubt.rivalBefore - doubt.rivalAfter);
  }
  if (fraction === undefined || !Number.isFinite(fraction) || fraction <= 0 || fraction >= 1)
    return undefined;
  return from + span * fraction;
}
