import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditAction, newAuditIntent } from '../../../domain/audit/intent';
import { type Budget, BudgetPhase } from '../../../domain/budgets/budget';
import { RESULTS_FAILURES } from '../../../domain/budgets/results-failure';
import {
  REDELIVERY_MARGIN_MS,
  RESULTS_JOB_TIMEOUT_MINUTES,
} from '../../../functions/budgets/results-deadline';
import { failLostResultsJobs, runResultsJob } from '../../../functions/budgets/results-job';
import { dynamoBudgetStore } from '../../../functions/budgets/store';
import { documentClient } from '../../../functions/shared/dynamo';
import { keys } from '../../../functions/shared/keys';
import { actor, contextFor, fixedClock } from '../../support/actors';
import { createTestTable, type TestTable } from '../../support/table';

/**
 * A results job whose message never arrives (or ends in the dead-letter
 * queue, or whose local runtime died with it queued) would stay `running`
 * for ever: the scheduled sweep ends it `failed`, out of time, once it is well
 * past its time limit and the queue's redelivery margin, on DynamoDB Local
 * with a clock the test sets, and never touches a job that finished.
 */
let table: TestTable;
const COMMUNITY = 'c1';
const REQUESTED_AT = '2026-11-23T09:00:00.000Z';
/** When a job requested at {@link REQUESTED_AT} is certainly lost. */
const OVERDUE = Date.parse(REQUESTED_AT) + RESULTS_JOB_TIMEOUT_MINUTES * 60_000 + REDELIVERY_MARGIN_MS;
const at = (ms: number) => fixedClock(new Date(ms).toISOString());
let serial = 0;

beforeAll(async () => {
  vi.stubEnv('LOG_LEVEL', 'silent');
  table = await createTestTable('lost-results-jobs');
});
afterAll(() => vi.unstubAllEnvs());

const client = () => documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
const store = () => dynamoBudgetStore(client(), table.tableName);
const deps = () => ({ client: client(), tableName: table.tableName, store: store() });
const resultsOf = async (budgetId: string) => (await store().getBudget(COMMUNITY, budgetId))?.results;

/** A budget in tallying whose results were requested (job `J<n>`) as the API requests them. */
async function requestedJob(): Promise<{ budgetId: string; jobId: string }> {
  serial += 1;
  const budgetId = `lost${serial}`;
  const jobId = `J${serial}`;
  const budget = {
    id: budgetId,
    communityId: COMMUNITY,
    names: { uk: 'Б', en: 'B' },
    currency: 'UAH',
    totalAmount: 100,
    pots: [{ id: 'city', amount: 100 }],
    ballot: { type: 'approval' },
    rule: 'greedy',
    completion: 'none',
    minimumAge: 16,
    phase: BudgetPhase.tallying,
    schedule: {},
    votingClosedAt: '2026-11-22T12:00:00.000Z',
    imported: false,
    createdAt: '2026-11-01T00:00:00.000Z',
    createdBy: 'council',
    version: 3,
  } satisfies Budget;
  await store().createBudget(budget, []);
  const next: Budget = {
    ...budget,
    results: { jobId, status: 'running', requestedAt: REQUESTED_AT },
    version: 4,
  };
  const audit = newAuditIntent(contextFor(actor({ subject: 'council' })), {
    communityId: COMMUNITY,
    action: AuditAction.budgetResultsRequest,
    target: `budget/${budgetId}`,
    after: { jobId },
  });
  const job = { communityId: COMMUNITY, budgetId, jobId, requestedAt: REQUESTED_AT, requestedBy: 'council' };
  expect(await store().requestResults(budget, next, job, [], audit)).toBe('saved');
  return { budgetId, jobId };
}

describe('the sweep of lost results jobs', () => {
  it('marks failed, out of time, a job still running past its limit and margin, once', async () => {
    const { budgetId, jobId } = await requestedJob();

    const early = await failLostResultsJobs(at(OVERDUE - 1_000), deps());
    const statusEarly = await resultsOf(budgetId);
    const late = await failLostResultsJobs(at(OVERDUE + 1_000), deps());
    const again = await failLostResultsJobs(at(OVERDUE + 600_000), deps());

    expect(statusEarly).toMatchObject({ jobId, status: 'running' });
    expect(early.failed).toBe(0);
    expect(late.failed).toBe(1);
    expect(again.failed).toBe(0);
    expect(await resultsOf(budgetId)).toMatchObject({
      jobId,
      status: 'failed',
      errorCode: 'results_out_of_time',
      error: RESULTS_FAILURES.results_out_of_time.text.en,
    });
  });

  it('leaves alone a job that finished, and no later delivery recomputes a lost one', async () => {
    const finished = await requestedJob();
    await runResultsJob(
      { ...finished, communityId: COMMUNITY, requestedAt: REQUESTED_AT },
      { timeLimitMs: 60_000 },
    );
    const done = await resultsOf(finished.budgetId);
    const lost = await requestedJob();

    await failLostResultsJobs(at(OVERDUE + 1_000), deps());
    const compute = vi.fn();
    const late = await runResultsJob(
      { ...lost, communityId: COMMUNITY, requestedAt: REQUESTED_AT },
      { timeLimitMs: 60_000, compute },
    );

    expect(done).toMatchObject({ status: 'done' });
    expect(await resultsOf(finished.budgetId)).toEqual(done);
    expect(await resultsOf(lost.budgetId)).toMatchObject({
      status: 'failed',
      errorCode: 'results_out_of_time',
    });
    expect(late).toBe('skipped');
    expect(compute).not.toHaveBeenCalled();
  });

  it('waits for a run that started late until its own deadline and margin are past', async () => {
    const { budgetId, jobId } = await requestedJob();
    // The message came late: its run claimed the job a minute before the request was overdue.
    const deadline = OVERDUE - 60_000 + RESULTS_JOB_TIMEOUT_MINUTES * 60_000;
    await client().send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.budgetResultsJob(COMMUNITY, budgetId, jobId),
        UpdateExpression: 'SET startedAt = :started, deadline = :deadline',
        ExpressionAttributeValues: {
          ':started': new Date(OVERDUE - 60_000).toISOString(),
          ':deadline': new Date(deadline).toISOString(),
        },
      }),
    );

    const during = await failLostResultsJobs(at(OVERDUE + 1_000), deps());
    const statusDuring = await resultsOf(budgetId);
    const after = await failLostResultsJobs(at(deadline + REDELIVERY_MARGIN_MS + 1_000), deps());

    expect(during.failed).toBe(0);
    expect(statusDuring).toMatchObject({ jobId, status: 'running' });
    expect(after.failed).toBe(1);
    expect(await resultsOf(budgetId)).toMatchObject({
      jobId,
      status: 'failed',
      errorCode: 'results_out_of_time',
    });
  });
});
