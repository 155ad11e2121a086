import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { ResultsJob } from '../../domain/budgets/ports';
import { loadConfig } from '../shared/config';
import { documentClient } from '../shared/dynamo';
import { logLine } from '../shared/log';
import { commitWithEvents } from '../shared/outbox';
import { budgetResults, ResultsError } from './results';
import { budgetPut, dynamoBudgetStore } from './store';

/** How long a global secondary index may lag behind the table (typically well under a second). */
const INDEX_SETTLE_MS = 1_000;

/**
 * The stream consumer of results jobs: a job item written by
 * `POST …/budgets/{b}/results` is computed here, once. The results are stored
 * only while the budget still waits for that job, so a redelivered or
 * superseded job changes nothing. A rule that refuses the input fails the job
 * (recorded on the budget); a storage failure throws, and the record comes back.
 */
export async function runResultsJobs(records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  const config = loadConfig();
  const client = documentClient(config);
  const store = dynamoBudgetStore(client, config.tableName);
  for (const record of records) {
    const job = unmarshall((record.dynamodb?.NewImage ?? {}) as Record<string, AttributeValue>) as ResultsJob;
    const budget = await store.getBudget(job.communityId, job.budgetId);
    if (!budget || budget.results?.jobId !== job.jobId || budget.results.status !== 'running') continue;
    // A council's close takes effect a moment later (BALLOT_BOX_GRACE_MS), and the ballots are read
    // from an index, which follows the table within about a second: count only once both have settled.
    const settling = Date.parse(budget.votingClosedAt ?? '') + INDEX_SETTLE_MS - Date.now();
    if (settling > 0) await new Promise((wake) => setTimeout(wake, settling));
    const started = performance.now();
    try {
      const [projects, ballots] = await Promise.all([
        store.projects(job.communityId, job.budgetId),
        store.allBallots(job.communityId, job.budgetId),
      ]);
      const results = budgetResults(budget, projects, ballots);
      const stored = await store.storeResults(budget, job.jobId, results);
      logLine('info', {
        msg: 'budget results computed',
        budgetId: budget.id,
        ballots: ballots.length,
        ms: Math.round(performance.now() - started),
        stored,
      });
    } catch (error) {
      if (!(error instanceof ResultsError)) throw error;
      const failed = {
        ...budget,
        results: { ...budget.results, status: 'failed' as const, error: error.message },
        version: budget.version + 1,
      };
      await commitWithEvents(client, config.tableName, [budgetPut(config.tableName, budget, failed)], []);
    }
  }
  return { batchItemFailures: [] };
}
