import { BudgetEvents } from '../../../events/budgets';
import { AuditAction } from '../../audit/intent';
import { forbidden } from '../../communities/permissions';
import type { Clock } from '../../shared/clock';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { audited, fail, type Outcome, ok, reject, type StaffOutcome } from '../../shared/outcome';
import { budgetAudit } from '../audit';
import { type Budget, BudgetPhase, type ResultsSummary } from '../budget';
import { budgetEvent } from '../events';
import { mayManageBudget, wrongPhase } from '../permissions';
import type { ResultsJob } from '../ports';
import { failedSummary, type ResultsFailure } from '../results-failure';

/**
 * The life of a results job, as the budget records it:
 * requested (the budget marked `running`, the job item written, the event that
 * starts the computation) → started (one delivery claims the run, with a
 * deadline) → done (results stored) or failed (with the reason). Each step is a
 * command here; the route, the store and the job only carry them out.
 */

/** What a request for results writes: the budget waiting for the job, and the job. */
export interface RequestedResults {
  readonly budget: Budget;
  readonly job: ResultsJob;
}

/** A run's claim on its job: when it started and until when it may run. */
export interface ResultsRun {
  readonly jobId: string;
  readonly startedAt: string;
  readonly deadline: string;
}

/** Whether the budget still waits for this job (not superseded by a later request, not finished). */
export const waitsFor = (
  budget: Budget | undefined,
  jobId: string,
): budget is Budget & { results: ResultsSummary } =>
  budget?.results?.jobId === jobId && budget.results.status === 'running';

/** The rejection of a step for a job the budget no longer waits for: a later request or an end came first. */
function notWaiting(budget: Budget, jobId: string): Outcome<never> {
  return fail(
    'invalid_state',
    text(
      'Бюджет більше не чекає на це обчислення результатів.',
      'The budget no longer waits for this results job.',
    ),
    { jobId, resultsStatus: budget.results?.status ?? 'none', currentJobId: budget.results?.jobId ?? null },
  );
}

/**
 * The council asks for the results, in tallying: the budget waits for a new
 * job (a later request supersedes an earlier one), and the event starts it.
 *
 * Outcomes: ok (emits `budget.results-requested.v1`, audited); `forbidden`
 * (not council); `wrong_phase` (not tallying).
 */
export function requestResults(context: CommandContext, budget: Budget): StaffOutcome<RequestedResults> {
  const { actor, clock, ids } = context;
  if (!mayManageBudget(actor)) return reject(forbidden('council'));
  if (budget.phase !== BudgetPhase.tallying) return reject(wrongPhase(budget, [BudgetPhase.tallying]));
  const requestedAt = clock.now().toISOString();
  const job: ResultsJob = {
    communityId: budget.communityId,
    budgetId: budget.id,
    jobId: ids.next(),
    requestedAt,
    requestedBy: actor.subject,
  };
  const next: Budget = {
    ...budget,
    results: { jobId: job.jobId, status: 'running', requestedAt },
    version: budget.version + 1,
  };
  const audit = budgetAudit(context, AuditAction.budgetResultsRequest, budget, {
    after: { jobId: job.jobId, rule: budget.rule, completion: budget.completion },
  });
  // The event, not the stream, starts the job: it runs in a function of its own.
  const requested = budgetEvent(ids, clock.now(), budget, BudgetEvents.resultsRequested, {
    jobId: job.jobId,
    requestedAt,
  });
  return audited({ budget: next, job }, [requested], audit);
}

/**
 * A delivery of the job starts its run: it may run `timeLimitMs` from now.
 * Only the first delivery's claim is written (the store's condition); a later
 * one learns the deadline instead.
 *
 * Outcomes: ok (the claim to record); `invalid_state` (the budget no longer
 * waits for the job: nothing to run).
 */
export function startResults(
  clock: Clock,
  budget: Budget,
  jobId: string,
  timeLimitMs: number,
): Outcome<ResultsRun> {
  if (!waitsFor(budget, jobId)) return notWaiting(budget, jobId);
  const now = clock.now();
  return ok({
    jobId,
    startedAt: now.toISOString(),
    deadline: new Date(now.getTime() + timeLimitMs).toISOString(),
  });
}

/**
 * The job's results are in: the budget records them `done`, computed now.
 *
 * Outcomes: ok (the budget to store with the results); `invalid_state` (a
 * later request or a failure came first: the results are not stored).
 */
export function finishResults(clock: Clock, budget: Budget, jobId: string): Outcome<Budget> {
  if (!waitsFor(budget, jobId)) return notWaiting(budget, jobId);
  return ok({
    ...budget,
    results: { ...budget.results, jobId, status: 'done', computedAt: clock.now().toISOString() },
    version: budget.version + 1,
  });
}

/**
 * The job failed (it threw, ran out of time or was lost): the budget records
 * why, for the council to read.
 *
 * Outcomes: ok (the budget, results `failed`); `invalid_state` (a later
 * request, or results stored meanwhile, win: nothing changes).
 */
export function failResults(budget: Budget, jobId: string, failure: ResultsFailure): Outcome<Budget> {
  if (!waitsFor(budget, jobId)) return notWaiting(budget, jobId);
  return ok({ ...budget, results: failedSummary(budget.results, failure), version: budget.version + 1 });
}

/** What a delivery does that finds its job claimed by an earlier one. */
export type ClaimedElsewhere = 'busy' | 'out_of_time';

/**
 * A delivery found the job claimed: while the claim's deadline is ahead, a
 * run is still going (`busy`: look again later); past it, that run was cut
 * off, and this delivery marks the job failed instead of recomputing
 * (`out_of_time`). No deadline at all: the request came from before jobs
 * recorded their runs, and its time is long gone.
 */
export function claimedElsewhere(clock: Clock, deadline: string | undefined): ClaimedElsewhere {
  const until = Date.parse(deadline ?? '');
  return !Number.isNaN(until) && clock.now().getTime() < until ? 'busy' : 'out_of_time';
}

/** A job the lost-job sweep watches: as requested, with the deadline its run recorded, if one did. */
export interface WatchedJob {
  readonly communityId: string;
  readonly budgetId: string;
  readonly jobId: string;
  readonly requestedAt: string;
  readonly deadline?: string;
}

/**
 * What the sweep does with a watched job: watch it again `until` then (its run
 * started late and may still finish), or take it off the watch, failing it
 * first when the budget still waits for it (`lost`), or as it is (`ended`: it
 * finished, failed, or was superseded).
 */
export type WatchedJobStep =
  | { readonly kind: 'watch_again'; readonly until: string }
  | { readonly kind: 'lost' }
  | { readonly kind: 'ended' };

/**
 * Settles a watched job at `now`. `overdueAt` (ms) is when a job still
 * running is certainly lost: its time limit and the queue's redelivery margin
 * after its request or its run's deadline (`functions/budgets/results-deadline.ts`).
 */
export function settleWatchedJob(
  now: Date,
  budget: Budget | undefined,
  job: WatchedJob,
  overdueAt: number,
): WatchedJobStep {
  if (!waitsFor(budget, job.jobId)) return { kind: 'ended' };
  if (now.getTime() < overdueAt) return { kind: 'watch_again', until: new Date(overdueAt).toISOString() };
  return { kind: 'lost' };
}
