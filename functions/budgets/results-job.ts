import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import {
  failResults,
  finishResults,
  type ResultsRun,
  startResults,
  waitsFor,
} from '../../domain/budgets/commands/results-job';
import type { BudgetStore } from '../../domain/budgets/ports';
import {
  RESULTS_FAILURES,
  type ResultsFailure,
  ResultsFailureCode,
} from '../../domain/budgets/results-failure';
import type { Clock } from '../../domain/shared/clock';
import { BudgetResultsRequestedV1 } from '../../events/budgets';
import { type EventEnvelope, EventEnvelopeSchema } from '../../events/envelope';
import { loadConfig } from '../shared/config';
import { documentClient, dueQuery, readItem } from '../shared/dynamo';
import { systemClock } from '../shared/ids';
import { keys } from '../shared/keys';
import { logLine } from '../shared/log';
import { runChange } from '../shared/use-case';
import { budgetResults, ResultsError } from './results';
import { overdueAt } from './results-deadline';
import { dynamoBudgetStore } from './store';
import { BUDGET, loadBudget } from './use-cases';

/** How long a global secondary index may lag behind the table (typically well under a second). */
const INDEX_SETTLE_MS = 1_000;

/** What the council reads in English at `GET …/results/preview` when a job ran out of time or was cut off. */
export const RAN_OUT_OF_TIME = RESULTS_FAILURES[ResultsFailureCode.out_of_time].text.en;

/** Which job to run: the detail of `budget.results-requested.v1`. */
export type ResultsRequest = z.infer<typeof BudgetResultsRequestedV1>;

/**
 * What became of one delivery of a job: `done` (results stored), `failed`
 * (reason recorded on the budget), `skipped` (superseded, finished, or the
 * budget is gone), `busy` (another delivery of the same job is still within
 * its deadline: look again later).
 */
export type ResultsJobOutcome = 'done' | 'failed' | 'skipped' | 'busy';

/** The computation, replaceable so that a test can hold a job open or make it throw. */
export type ComputeResults = typeof budgetResults;

export interface ResultsJobOptions {
  /** How long this run may take from now; past it a second delivery marks the job failed. */
  readonly timeLimitMs: number;
  readonly compute?: ComputeResults;
  /** The job's "now" (when it starts, its deadline, when it finished); the system clock unless a test sets one. */
  readonly clock?: Clock;
}

export interface JobDependencies {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly store: BudgetStore;
}

export function dependencies(): JobDependencies {
  const config = loadConfig();
  const client = documentClient(config);
  return { client, tableName: config.tableName, store: dynamoBudgetStore(client, config.tableName) };
}

/**
 * Records on the job item that a run started and until when it may run. Only
 * the first delivery gets the claim; a later one learns the deadline instead.
 */
async function claim(
  { client, tableName }: JobDependencies,
  request: ResultsRequest,
  run: ResultsRun,
): Promise<{ claimed: true } | { claimed: false; deadline: number }> {
  const key = keys.budgetResultsJob(request.communityId, request.budgetId, request.jobId);
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'SET startedAt = :now, deadline = :deadline',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(startedAt)',
        ExpressionAttributeValues: { ':now': run.startedAt, ':deadline': run.deadline },
      }),
    );
    return { claimed: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const item = await readItem(client, tableName, key);
  // No job item: the request came from before jobs recorded their runs; its time is long gone.
  return { claimed: false, deadline: Date.parse(String(item?.deadline ?? '')) || 0 };
}

/**
 * Marks the job failed with `failure`, while the budget still waits for it
 * (a later request, or results stored meanwhile, win: `failResults` refuses,
 * and that is the end of it). Retries a moved version through the runner.
 * @throws Error when the budget kept changing: the next delivery or sweep settles the job.
 */
async function markFailed(
  deps: JobDependencies,
  request: ResultsRequest,
  failure: ResultsFailure,
): Promise<void> {
  const outcome = await runChange(
    {
      load: () => loadBudget(deps.store, request.communityId, request.budgetId),
      decide: (budget) => failResults(budget, request.jobId, failure),
      save: (budget, done) => deps.store.saveBudget(budget, done.value, done.events, done.audit),
    },
    { what: BUDGET },
  );
  if (!outcome.ok && outcome.error.code === 'version_conflict') {
    throw new Error(`Could not mark results job ${request.jobId} failed: the budget kept changing`);
  }
}

/**
 * Stores the job's results with the budget `done`, while the budget still
 * waits for the job; whether they were stored (a superseded job's are not).
 */
async function storeResults(
  deps: JobDependencies,
  clock: Clock,
  request: ResultsRequest,
  results: ReturnType<ComputeResults>,
): Promise<'saved' | 'stale'> {
  const outcome = await runChange(
    {
      load: () => loadBudget(deps.store, request.communityId, request.budgetId),
      decide: (budget) => finishResults(clock, budget, request.jobId),
      save: (budget, done) => deps.store.storeResults(budget, done.value, request.jobId, results),
    },
    { what: BUDGET },
  );
  return outcome.ok ? 'saved' : 'stale';
}

/** Why an error failed the job: a rule's refusal of its input, or anything else, unexpected. */
const failureOf = (error: unknown): ResultsFailure => ({
  code: error instanceof ResultsError ? ResultsFailureCode.input_refused : ResultsFailureCode.job_failed,
  detail: error instanceof Error ? error.message : String(error),
});

/**
 * Runs one results job, once. The results are stored only while the budget
 * still waits for that job, so a superseded job changes nothing.
 *
 * Nothing is ever computed twice and nothing fails silently:
 * - a job that throws (a rule refusing its input, or anything unexpected) is
 *   marked `failed` with the error's message and the error is not rethrown, so
 *   no queue or stream runs it again; only when even that write fails does this
 *   throw, and the next delivery settles the job as below;
 * - a job that runs out of time cannot say so itself: equal shares is one
 *   synchronous computation, so no timer of this run fires before the function
 *   is stopped. Instead the first delivery records a deadline on the job item
 *   (now + the time it has), and the queue delivers the message again after its
 *   visibility timeout, which is longer than the function's. A delivery that
 *   finds the job claimed, still `running` and past its deadline marks it
 *   failed (`results_out_of_time`) and does not recompute. One that finds it
 *   claimed within the deadline is a duplicate of a run still going: `busy`.
 */
export async function runResultsJob(
  request: ResultsRequest,
  options: ResultsJobOptions,
  deps: JobDependencies = dependencies(),
): Promise<ResultsJobOutcome> {
  const compute = options.compute ?? budgetResults;
  const clock = options.clock ?? systemClock;
  const budget = await deps.store.getBudget(request.communityId, request.budgetId);
  const start = budget && startResults(clock, budget, request.jobId, options.timeLimitMs);
  if (!budget || !start?.ok) return 'skipped';

  const claimed = await claim(deps, request, start.value);
  if (!claimed.claimed) {
    if (clock.now().getTime() < claimed.deadline) return 'busy';
    logLine('error', {
      msg: 'budget results job ran out of time',
      budgetId: request.budgetId,
      jobId: request.jobId,
    });
    await markFailed(deps, request, { code: ResultsFailureCode.out_of_time });
    return 'failed';
  }

  const started = performance.now();
  try {
    // A council's close takes effect a moment later (BALLOT_BOX_GRACE_MS), and the ballots are read
    // from an index, which follows the table within about a second: count only once both have settled.
    const settling = Date.parse(budget.votingClosedAt ?? '') + INDEX_SETTLE_MS - clock.now().getTime();
    if (settling > 0) await new Promise((wake) => setTimeout(wake, settling));
    const [projects, ballots] = await Promise.all([
      deps.store.projects(request.communityId, request.budgetId),
      deps.store.allBallots(request.communityId, request.budgetId),
    ]);
    const results = compute(budget, projects, ballots);
    const stored = await storeResults(deps, clock, request, results);
    logLine('info', {
      msg: 'budget results computed',
      budgetId: budget.id,
      ballots: ballots.length,
      ms: Math.round(performance.now() - started),
      stored,
    });
    return 'done';
  } catch (error) {
    logLine(error instanceof ResultsError ? 'warn' : 'error', {
      msg: 'budget results job failed',
      budgetId: budget.id,
      jobId: request.jobId,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    await markFailed(deps, request, failureOf(error));
    return 'failed';
  }
}

/**
 * The job of a `budget.results-requested.v1` event, as the local runtime's job
 * worker calls it (the contract of a queued job module: `runJob` and `failJob`).
 */
export function runJob(event: EventEnvelope, options: ResultsJobOptions): Promise<ResultsJobOutcome> {
  return runResultsJob(BudgetResultsRequestedV1.parse(event.detail), options);
}

/** Why a host ended a job (the local runtime's `JobFailure`). */
interface HostFailure {
  readonly kind: 'out_of_time' | 'failed';
  readonly detail?: string;
}

/**
 * Marks the event's job failed: for a run its host had to stop (a worker that
 * overran or was stopped: out of time; one that died or threw: failed).
 */
export function failJob(event: EventEnvelope, failure: HostFailure): Promise<void> {
  return markFailed(dependencies(), BudgetResultsRequestedV1.parse(event.detail), {
    code: failure.kind === 'out_of_time' ? ResultsFailureCode.out_of_time : ResultsFailureCode.job_failed,
    ...(failure.detail ? { detail: failure.detail } : {}),
  });
}

/** How many watched jobs one sweep looks at; the next run takes the rest. */
const WATCHED_PER_RUN = 100;

/**
 * Ends the results jobs that were lost: still `running` past their time
 * limit and the queue's redelivery margin (see {@link overdueAt}), because
 * their message never arrived, went to the dead-letter queue, or the local
 * runtime died with the job queued. Each is marked failed
 * (`results_out_of_time`) by the same versioned write as any failure, so a job
 * that finished meanwhile keeps its outcome. A job claimed late (its run's own
 * deadline not yet past) is looked at again later; one that ended is taken
 * off the watch. The budget phase job runs this every 5 minutes.
 */
export async function failLostResultsJobs(
  clock: Clock,
  deps: JobDependencies = dependencies(),
): Promise<{ failed: number }> {
  const now = clock.now();
  const page = await deps.client.send(
    new QueryCommand({
      ...dueQuery(deps.tableName, keys.budgetResultsWatched, now.toISOString()),
      Limit: WATCHED_PER_RUN,
    }),
  );
  let failed = 0;
  for (const item of page.Items ?? []) {
    try {
      if (await settleWatched(deps, now, item)) failed += 1;
    } catch (error) {
      // One job that cannot be settled now must not hold up the others: the next run tries again.
      logLine('error', { msg: 'lost results job not settled', jobId: item.jobId, error: String(error) });
    }
  }
  return { failed };
}

/** Settles one watched job (see {@link failLostResultsJobs}); whether it marked the job failed. */
async function settleWatched(
  deps: JobDependencies,
  now: Date,
  item: Record<string, unknown>,
): Promise<boolean> {
  const request: ResultsRequest = {
    communityId: String(item.communityId),
    budgetId: String(item.budgetId),
    jobId: String(item.jobId),
    requestedAt: String(item.requestedAt),
  };
  const key = keys.budgetResultsJob(request.communityId, request.budgetId, request.jobId);
  const budget = await deps.store.getBudget(request.communityId, request.budgetId);
  const due = overdueAt(request.requestedAt, item.deadline as string | undefined);
  if (waitsFor(budget, request.jobId) && now.getTime() < due) {
    // Its run started late and is still within its time: look again once that is over.
    await deps.client.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: key,
        UpdateExpression: 'SET GSI2SK = :order',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: {
          ':order': keys.budgetResultsWatchedOrder(
            new Date(due).toISOString(),
            request.communityId,
            request.budgetId,
            request.jobId,
          ).GSI2SK,
        },
      }),
    );
    return false;
  }
  const lost = waitsFor(budget, request.jobId);
  if (lost) {
    logLine('error', { msg: 'budget results job lost', budgetId: request.budgetId, jobId: request.jobId });
    await markFailed(deps, request, { code: ResultsFailureCode.out_of_time, detail: 'no run finished it' });
  }
  await deps.client.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: key,
      UpdateExpression: 'REMOVE GSI2PK, GSI2SK',
      ConditionExpression: 'attribute_exists(PK)',
    }),
  );
  return lost;
}

/** The body of an SQS message that an EventBridge rule sent: the event, with our envelope as its detail. */
const QueuedEventSchema = z.object({
  detail: EventEnvelopeSchema.extend({ detail: BudgetResultsRequestedV1 }),
});

/**
 * The results function in AWS: an SQS event source (batch size 1) on the
 * queue an EventBridge rule fills with `budget.results-requested.v1`. Only a
 * `busy` job, or one whose failure could not even be recorded, goes back to
 * the queue (see {@link runResultsJob}); a message that is not a results
 * request is logged and dropped, as no retry can fix it.
 */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    let request: ResultsRequest;
    try {
      request = QueuedEventSchema.parse(JSON.parse(record.body)).detail.detail;
    } catch (error) {
      logLine('error', {
        msg: 'not a results request: dropped',
        messageId: record.messageId,
        error: String(error),
      });
      continue;
    }
    try {
      const outcome = await runResultsJob(request, { timeLimitMs: context.getRemainingTimeInMillis() });
      if (outcome === 'busy') batchItemFailures.push({ itemIdentifier: record.messageId });
    } catch (error) {
      logLine('error', {
        msg: 'results job could not record its outcome',
        jobId: request.jobId,
        error: String(error),
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
