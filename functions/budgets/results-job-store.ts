import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { WatchedJob } from '../../domain/budgets/commands/results-job';
import type { BudgetStore } from '../../domain/budgets/ports';
import { keys } from '../shared/keys';

/** The writes of a results job's run and of the lost-job sweep, as {@link BudgetStore} declares them. */
export type ResultsJobWrites = Pick<
  BudgetStore,
  'claimResultsJob' | 'watchedResultsJobs' | 'watchResultsJobUntil' | 'unwatchResultsJob'
>;

/** A watched job item as the sweep reads it (allow-list: its key attributes stay behind). */
const watchedFromItem = (item: Record<string, unknown>): WatchedJob => ({
  communityId: String(item.communityId),
  budgetId: String(item.budgetId),
  jobId: String(item.jobId),
  requestedAt: String(item.requestedAt),
  ...(typeof item.deadline === 'string' ? { deadline: item.deadline } : {}),
});

/**
 * The DynamoDB side of a results job's life after its request: the claim a
 * run records on the job item, and the watch (GSI2, ordered by when the job is
 * certainly lost) the budget phase job sweeps. Part of the budgets store.
 */
export function dynamoResultsJobWrites(client: DynamoDBDocumentClient, tableName: string): ResultsJobWrites {
  const jobKey = (job: { communityId: string; budgetId: string; jobId: string }) =>
    keys.budgetResultsJob(job.communityId, job.budgetId, job.jobId);

  return {
    async claimResultsJob(job, run) {
      const key = jobKey({ ...job, jobId: run.jobId });
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
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
      );
      return typeof Item?.deadline === 'string'
        ? { claimed: false, deadline: Item.deadline }
        : { claimed: false };
    },

    async watchedResultsJobs(now, limit) {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :bound',
          ExpressionAttributeValues: {
            ':pk': keys.budgetResultsWatched.GSI2PK,
            ':bound': `${now}#\uffff`,
          },
          Limit: limit,
        }),
      );
      return (page.Items ?? []).map(watchedFromItem);
    },

    async watchResultsJobUntil(job, until) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: jobKey(job),
          UpdateExpression: 'SET GSI2SK = :order',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: {
            ':order': keys.budgetResultsWatchedOrder(until, job.communityId, job.budgetId, job.jobId).GSI2SK,
          },
        }),
      );
    },

    async unwatchResultsJob(job) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: jobKey(job),
          UpdateExpression: 'REMOVE GSI2PK, GSI2SK',
          ConditionExpression: 'attribute_exists(PK)',
        }),
      );
    },
  };
}
