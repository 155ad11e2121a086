import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Budget, BudgetPhase } from '../../../domain/budgets/budget';
import { BudgetEvents } from '../../../events/budgets';
import { handler, RAN_OUT_OF_TIME, runResultsJob } from '../../../functions/budgets/results-job';
import { dynamoBudgetStore } from '../../../functions/budgets/store';
import { documentClient } from '../../../functions/shared/dynamo';
import { EVENT_SOURCE } from '../../../functions/shared/event-publisher';
import { Entity, keys } from '../../../functions/shared/keys';
import { lambdaContext } from '../../../infra/local/server';
import { createTestTable, type TestTable } from '../../support/table';

/**
 * The results function as AWS runs it: SQS messages (EventBridge events of
 * `budget.results-requested.v1`) against the real DynamoDB Local. A job is
 * computed once; a message delivered again never recomputes it: it settles a
 * job that ran out of time as failed, or comes back later while the first run
 * may still be going. A job that throws ends failed and is not retried.
 */
let table: TestTable;
const COMMUNITY = 'c1';
let serial = 0;

beforeAll(async () => {
  vi.stubEnv('LOG_LEVEL', 'silent');
  table = await createTestTable('results-job');
});
afterAll(() => vi.unstubAllEnvs());

const store = () =>
  dynamoBudgetStore(
    documentClient({ dynamoEndpoint: table.endpoint, region: table.region }),
    table.tableName,
  );

/** A budget in tallying that waits for job `jobId`, and its job item (claimed when `deadline` is given). */
async function waitingBudget(deadline?: Date): Promise<{ budgetId: string; jobId: string }> {
  serial += 1;
  const budgetId = `b${serial}`;
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
    results: { jobId, status: 'running', requestedAt: '2026-11-23T09:00:00.000Z' },
    imported: false,
    createdAt: '2026-11-01T00:00:00.000Z',
    createdBy: 'council',
    version: 3,
  } satisfies Budget;
  await store().createBudget(budget, []);
  const client = documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
  await client.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...keys.budgetResultsJob(COMMUNITY, budgetId, jobId),
        entity: Entity.budgetResultsJob,
        communityId: COMMUNITY,
        budgetId,
        jobId,
        requestedAt: budget.results.requestedAt,
        requestedBy: 'council',
        ...(deadline
          ? {
              startedAt: new Date(deadline.getTime() - 900_000).toISOString(),
              deadline: deadline.toISOString(),
            }
          : {}),
      },
    }),
  );
  return { budgetId, jobId };
}

/** The SQS message an EventBridge rule makes of the event. */
function message(budgetId: string, jobId: string, messageId = `m-${budgetId}`): SQSEvent {
  const envelope = {
    id: '01JC0000000000000000000000',
    name: BudgetEvents.resultsRequested,
    communityId: COMMUNITY,
    occurredAt: '2026-11-23T09:00:00.000Z',
    subject: `budget/${budgetId}`,
    detail: { communityId: COMMUNITY, budgetId, jobId, requestedAt: '2026-11-23T09:00:00.000Z' },
  };
  const body = { version: '0', source: EVENT_SOURCE, 'detail-type': envelope.name, detail: envelope };
  return { Records: [{ messageId, body: JSON.stringify(body) }] } as unknown as SQSEvent;
}

const context = () => lambdaContext('budget-results', 'eu-central-1', 15 * 60_000);
const statusOf = async (budgetId: string) => (await store().getBudget(COMMUNITY, budgetId))?.results;

describe('the results function', () => {
  it('computes a job once; the same message again changes nothing', async () => {
    const { budgetId, jobId } = await waitingBudget();

    const first = await handler(message(budgetId, jobId), context());
    const done = await statusOf(budgetId);
    const again = await handler(message(budgetId, jobId), context());

    expect(first).toEqual({ batchItemFailures: [] });
    expect(done).toMatchObject({ jobId, status: 'done' });
    expect(again).toEqual({ batchItemFailures: [] });
    expect(await statusOf(budgetId)).toEqual(done);
    expect(await store().results(COMMUNITY, budgetId)).toHaveLength(1);
  });

  it('marks failed, without computing, a job delivered again still running past its deadline', async () => {
    const { budgetId, jobId } = await waitingBudget(new Date(Date.now() - 1_000));

    const response = await handler(message(budgetId, jobId), context());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(await statusOf(budgetId)).toMatchObject({ jobId, status: 'failed', error: RAN_OUT_OF_TIME });
    expect(await store().results(COMMUNITY, budgetId)).toEqual([]);
  });

  it('sends back, untouched, a duplicate of a run still within its deadline', async () => {
    const { budgetId, jobId } = await waitingBudget(new Date(Date.now() + 600_000));

    const response = await handler(message(budgetId, jobId, 'duplicate'), context());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'duplicate' }] });
    expect(await statusOf(budgetId)).toMatchObject({ jobId, status: 'running' });
  });

  it('ends a job that throws as failed with the error, once, and does not throw', async () => {
    const { budgetId, jobId } = await waitingBudget();
    const compute = vi.fn(() => {
      throw new TypeError('Cannot read properties of undefined');
    });

    const outcome = await runResultsJob(
      { communityId: COMMUNITY, budgetId, jobId, requestedAt: '' },
      {
        timeLimitMs: 60_000,
        compute,
      },
    );
    const again = await runResultsJob(
      { communityId: COMMUNITY, budgetId, jobId, requestedAt: '' },
      {
        timeLimitMs: 60_000,
        compute,
      },
    );

    expect(outcome).toBe('failed');
    expect(again).toBe('skipped');
    expect(compute).toHaveBeenCalledTimes(1);
    expect(await statusOf(budgetId)).toMatchObject({
      jobId,
      status: 'failed',
      error: 'The results job failed unexpectedly: Cannot read properties of undefined',
    });
  });

  it('drops a message that is not a results request, as no retry can fix it', async () => {
    const poison = { Records: [{ messageId: 'poison', body: '{"detail":{}}' }] } as unknown as SQSEvent;

    expect(await handler(poison, context())).toEqual({ batchItemFailures: [] });
  });
});
