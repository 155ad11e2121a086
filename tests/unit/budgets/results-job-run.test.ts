import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Budget, BudgetPhase } from '../../../domain/budgets/budget';
import { createBudget } from '../../../domain/budgets/commands/create-budget';
import { claimedElsewhere, settleWatchedJob } from '../../../domain/budgets/commands/results-job';
import {
  REDELIVERY_MARGIN_MS,
  RESULTS_JOB_TIMEOUT_MINUTES,
} from '../../../functions/budgets/results-deadline';
import { failLostResultsJobs, runResultsJob } from '../../../functions/budgets/results-job';
import { budgetUseCases } from '../../../functions/budgets/use-cases';
import { communityAt, contextAt, fixedClock } from '../../support/actors';
import { type FakeBudgetStore, fakeBudgetStore } from '../../support/fakes/budget-store';

/**
 * A results job's life after its request, on the in-memory store: the claim
 * a delivery records, what a later delivery decides (busy, out of time), and
 * the sweep that ends lost jobs. Prepare / Act / Assess, no DynamoDB.
 */

const REQUESTED_AT = '2026-11-23T09:00:00.000Z';
const MINUTE = 60_000;
/** When a job requested at {@link REQUESTED_AT} and never claimed is certainly lost. */
const OVERDUE = Date.parse(REQUESTED_AT) + RESULTS_JOB_TIMEOUT_MINUTES * MINUTE + REDELIVERY_MARGIN_MS;
const at = (ms: number) => fixedClock(new Date(ms).toISOString());

const community = communityAt(REQUESTED_AT);
const council = contextAt(REQUESTED_AT);

beforeAll(() => {
  vi.stubEnv('LOG_LEVEL', 'silent');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

/** A budget in tallying whose results the council asked for: the job waits for its delivery. */
async function requested(store: FakeBudgetStore) {
  const created = createBudget(council, community, {
    names: { uk: 'Бюджет', en: 'Budget' },
    currency: 'UAH',
    totalAmount: 1_000,
    ballot: { type: 'approval' },
    rule: 'greedy',
  });
  if (!created.ok) throw new Error(created.error.code);
  const budget: Budget = { ...created.value, phase: BudgetPhase.tallying };
  await store.createBudget(budget, []);
  const asked = await budgetUseCases(store).askForResults(council, {
    communityId: budget.communityId,
    budgetId: budget.id,
  });
  if (!asked.ok) throw new Error(asked.error.code);
  const { job } = asked.value;
  return { ...job, request: job };
}

const resultsOf = async (store: FakeBudgetStore, budgetId: string) =>
  (await store.getBudget('c1', budgetId))?.results;

describe('a delivery of a results job', () => {
  it('claims the job and stores its results; a later delivery finds nothing to do', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const { request, jobId, budgetId } = await requested(store);
    const compute = vi.fn(() => []);
    const clock = at(Date.parse(REQUESTED_AT) + MINUTE);

    // Act
    const first = await runResultsJob(request, { timeLimitMs: MINUTE, compute, clock }, { store });
    const again = await runResultsJob(request, { timeLimitMs: MINUTE, compute, clock }, { store });

    // Assess
    expect(first).toBe('done');
    expect(again).toBe('skipped');
    expect(compute).toHaveBeenCalledTimes(1);
    expect(store.runs.get(jobId)).toEqual({
      startedAt: '2026-11-23T09:01:00.000Z',
      deadline: '2026-11-23T09:02:00.000Z',
    });
    expect(await resultsOf(store, budgetId)).toMatchObject({ jobId, status: 'done' });
  });

  it('is busy while another run’s claim holds, and fails the job out of time once it is past', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const { request, jobId, budgetId } = await requested(store);
    const started = Date.parse(REQUESTED_AT) + MINUTE;
    await store.claimResultsJob(request, {
      jobId,
      startedAt: new Date(started).toISOString(),
      deadline: new Date(started + MINUTE).toISOString(),
    });
    const compute = vi.fn(() => []);

    // Act
    const during = await runResultsJob(
      request,
      { timeLimitMs: MINUTE, compute, clock: at(started + MINUTE - 1) },
      { store },
    );
    const after = await runResultsJob(
      request,
      { timeLimitMs: MINUTE, compute, clock: at(started + MINUTE) },
      { store },
    );

    // Assess
    expect(during).toBe('busy');
    expect(after).toBe('failed');
    expect(compute).not.toHaveBeenCalled();
    expect(await resultsOf(store, budgetId)).toMatchObject({
      jobId,
      status: 'failed',
      errorCode: 'results_out_of_time',
    });
  });

  it('takes a claim without a recorded deadline (a job from before claims) as out of time', () => {
    // Act
    const decided = claimedElsewhere(at(Date.parse(REQUESTED_AT)), undefined);

    // Assess
    expect(decided).toBe('out_of_time');
  });
});

describe('the lost-job sweep', () => {
  it('fails a job never delivered once it is overdue, not before, and takes it off the watch', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const { jobId, budgetId } = await requested(store);

    // Act
    const early = await failLostResultsJobs(at(OVERDUE - 1_000), { store });
    const late = await failLostResultsJobs(at(OVERDUE + 1_000), { store });
    const again = await failLostResultsJobs(at(OVERDUE + 10 * MINUTE), { store });

    // Assess
    expect([early.failed, late.failed, again.failed]).toEqual([0, 1, 0]);
    expect(store.watch.has(jobId)).toBe(false);
    expect(await resultsOf(store, budgetId)).toMatchObject({
      jobId,
      status: 'failed',
      errorCode: 'results_out_of_time',
      errorDetail: 'no run finished it',
    });
  });

  it('leaves a finished job as it is, and watches a late run again until its own deadline is past', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const finished = await requested(store);
    await runResultsJob(
      finished.request,
      { timeLimitMs: MINUTE, compute: () => [], clock: at(Date.parse(REQUESTED_AT)) },
      { store },
    );
    const done = await resultsOf(store, finished.budgetId);
    const late = await requested(store);
    const claimedAt = OVERDUE - MINUTE;
    const deadline = claimedAt + RESULTS_JOB_TIMEOUT_MINUTES * MINUTE;
    await store.claimResultsJob(late.request, {
      jobId: late.jobId,
      startedAt: new Date(claimedAt).toISOString(),
      deadline: new Date(deadline).toISOString(),
    });

    // Act
    const during = await failLostResultsJobs(at(OVERDUE + 1_000), { store });
    const watchedUntil = store.watch.get(late.jobId);
    const after = await failLostResultsJobs(at(deadline + REDELIVERY_MARGIN_MS + 1_000), { store });

    // Assess
    expect(during.failed).toBe(0);
    expect(await resultsOf(store, finished.budgetId)).toEqual(done);
    expect(store.watch.has(finished.jobId)).toBe(false);
    expect(watchedUntil).toBe(new Date(deadline + REDELIVERY_MARGIN_MS).toISOString());
    expect(after.failed).toBe(1);
    expect(await resultsOf(store, late.budgetId)).toMatchObject({ status: 'failed' });
  });

  it('decides by the budget: a job it no longer waits for has ended, whatever the time', () => {
    // Act
    const step = settleWatchedJob(
      new Date(OVERDUE + 1_000),
      undefined,
      { communityId: 'c1', budgetId: 'gone', jobId: 'J1', requestedAt: REQUESTED_AT },
      OVERDUE,
    );

    // Assess
    expect(step).toEqual({ kind: 'ended' });
  });
});
