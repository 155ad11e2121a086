import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Budget, maxProjectsOf } from '../../domain/budgets/budget';
import type { PotTally } from '../../domain/budgets/pabulib-of-budget';
import type { BudgetStore } from '../../domain/budgets/ports';
import { type Project, ProjectState } from '../../domain/budgets/project';
import { enterQueue } from '../../domain/moderation/queue';
import { RetentionKind } from '../../domain/retention/retention';
import { auditPuts } from '../audit/intents';
import { enqueuePut } from '../moderation/items';
import { retentionEntryPut } from '../retention/entries';
import { dueQuery, indexPage, itemsOfBuckets, itemsUnder, queryAll, readItem } from '../shared/dynamo';
import { mergedAfter, pageOfRows } from '../shared/export-pages';
import { BALLOT_BUCKETS, Entity, type KeyPrefix, keys } from '../shared/keys';
import { commitWithEvents, commitWithEventsAt, newPut, type TransactItem } from '../shared/outbox';
import { decodeCursor, indexCursor, pageAfter, tableCursor } from '../shared/pagination';
import { RETRY, type RetryPolicy, retrying } from '../shared/use-case';
import {
  ballotFromItem,
  ballotToItem,
  budgetFromItem,
  budgetToItem,
  projectFromItem,
  projectToItem,
  resultFromItem,
  resultToItem,
  tallyFromItem,
} from './items';
import { overdueAt } from './results-deadline';
import { dynamoResultsJobWrites } from './results-job-store';
import { projectSnapshot } from './snapshot';

/** TransactWriteItems takes at most 100 items; leave room for the budget, events and the audit intent. */
const PROJECTS_PER_TRANSACTION = 80;
/** BatchWriteItem takes at most 25 puts. */
const BATCH = 25;
/**
 * Batches of an import in flight at once. One after another, a district's
 * 9,000 ballots took 20 s through DynamoDB Local on a busy machine, twice the
 * API Lambda's 10 s; the writes are independent (nobody sees them until the
 * budget item is written last), so they overlap.
 */
const BATCHES_IN_FLIGHT = 8;
/**
 * How a batch's unprocessed items are sent again: 5 retries, each after a
 * pause that doubles (40 ms … 640 ms), so that a throttled table gets time to
 * recover; items still unprocessed then fail the import instead of looping on.
 */
const UNPROCESSED_ITEMS_POLICY: RetryPolicy = {
  attempts: 6,
  pause: (retry) => new Promise((wake) => setTimeout(wake, 20 * 2 ** retry)),
};
/**
 * At most this many projects are read for one page of a filtered list, however
 * few of them match: a budget holds at most its `maxProjects` submissions
 * (500 by default), so below that a page is always full or the last.
 */
export const PROJECTS_READ_PER_PAGE = 500;
/** Projects read per query of a filtered page: a few round trips for a whole budget. */
const PROJECTS_PER_QUERY = 100;

/** A transaction cancelled only because another one was writing the same item at that instant. */
const isTransactionConflict = (error: unknown): boolean =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');

/** A whole item written over the version it was read at: two writers that read the same version cannot both win. */
function versionedPut(
  tableName: string,
  item: Record<string, unknown>,
  previousVersion: number,
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: item,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': previousVersion },
    },
  };
}

/** Holds a write to the budget's phase as it was read: a move of phase meanwhile cancels the write. */
const phaseCheck = (tableName: string, budget: Budget): TransactItem => ({
  ConditionCheck: {
    TableName: tableName,
    Key: keys.budget(budget.communityId, budget.id),
    ConditionExpression: '#phase = :phase',
    ExpressionAttributeNames: { '#phase': 'phase' },
    ExpressionAttributeValues: { ':phase': budget.phase },
  },
});

export const budgetPut = (tableName: string, previous: Budget, next: Budget): TransactItem =>
  versionedPut(tableName, budgetToItem(next), previous.version);

export const projectPut = (tableName: string, previous: Project, next: Project): TransactItem =>
  versionedPut(tableName, projectToItem(next), previous.version);

/** The DynamoDB implementation of {@link BudgetStore}. */
export function dynamoBudgetStore(client: DynamoDBDocumentClient, tableName: string): BudgetStore {
  const committed = async (items: readonly TransactItem[], events: Parameters<typeof commitWithEvents>[3]) =>
    (await commitWithEvents(client, tableName, items, events)) === 'committed' ? 'saved' : 'conflict';

  const batchWrite = async (batch: readonly Record<string, unknown>[]) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    // BatchWrite may leave some items unprocessed under load: send those again, after a growing pause, a few times.
    const written = await retrying(async () => {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      return pending.length === 0 ? 'written' : RETRY;
    }, UNPROCESSED_ITEMS_POLICY);
    if (written === RETRY) {
      throw new Error(
        `DynamoDB left ${pending.length} items unprocessed after ${UNPROCESSED_ITEMS_POLICY.attempts - 1} retries`,
      );
    }
  };

  /** Every item, in batches, {@link BATCHES_IN_FLIGHT} at a time; the first failure fails it all, and no new batch starts. */
  const batchPut = async (items: readonly Record<string, unknown>[]) => {
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (!failed && next < items.length) {
        const start = next;
        next += BATCH;
        try {
          await batchWrite(items.slice(start, start + BATCH));
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    const workers = Math.min(BATCHES_IN_FLIGHT, Math.ceil(items.length / BATCH));
    await Promise.all(Array.from({ length: workers }, worker));
  };

  /** The items of a budget's partition under one prefix: its projects, or its results. */
  const underBudget = ({ PK, SKPrefix }: KeyPrefix) => itemsUnder(client, tableName, PK, SKPrefix);

  return {
    ...dynamoResultsJobWrites(client, tableName),

    async getBudget(communityId, budgetId) {
      const item = await readItem(client, tableName, keys.budget(communityId, budgetId));
      return item ? budgetFromItem(item) : undefined;
    },

    async listBudgets(communityId, limit, cursor) {
      const partition = keys.budgetListing(communityId).GSI1PK;
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: decodeCursor(cursor, indexCursor('GSI1', partition)),
        }),
      );
      return pageAfter((page.Items ?? []).map(budgetFromItem), page.LastEvaluatedKey);
    },

    async createBudget(budget, events, audit) {
      await commitWithEvents(
        client,
        tableName,
        [newPut(tableName, budgetToItem(budget)), ...auditPuts(tableName, audit)],
        events,
      );
    },

    saveBudget: (previous, next, events, audit) =>
      committed([budgetPut(tableName, previous, next), ...auditPuts(tableName, audit)], events),

    async getProject(communityId, budgetId, projectId) {
      const item = await readItem(client, tableName, keys.budgetProject(communityId, budgetId, projectId));
      return item ? projectFromItem(item) : undefined;
    },

    async projects(communityId, budgetId) {
      const items = await underBudget(keys.budgetProjects(communityId, budgetId));
      return items.map(projectFromItem);
    },

    async projectPage(communityId, budgetId, filter, query) {
      const projects = keys.budgetProjects(communityId, budgetId);
      const { PK: partition, SKPrefix: prefix } = projects;
      // The partition also holds the budget and its results: a cursor must point between its projects.
      const startKey: Record<string, unknown> | undefined = decodeCursor(query.cursor, tableCursor(projects));
      const states = Object.fromEntries(filter.states.map((state, index) => [`:s${index}`, state]));
      const conditions = [`#state IN (${Object.keys(states).join(', ')})`];
      if (filter.potId !== undefined) conditions.push('potId = :pot');
      const items: Record<string, unknown>[] = [];
      let next = startKey;
      let read = 0;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
            FilterExpression: conditions.join(' AND '),
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':pk': partition,
              ':prefix': prefix,
              ...states,
              ...(filter.potId !== undefined ? { ':pot': filter.potId } : {}),
            },
            Limit: Math.min(PROJECTS_PER_QUERY, PROJECTS_READ_PER_PAGE - read),
            ExclusiveStartKey: next,
          }),
        );
        read += page.ScannedCount ?? 0;
        const matched = page.Items ?? [];
        const room = query.limit - items.length;
        if (matched.length > room) {
          // More matched than the page takes: go on after the last one it shows.
          items.push(...matched.slice(0, room));
          const last = items[items.length - 1] as Record<string, unknown>;
          next = { PK: last.PK, SK: last.SK };
          break;
        }
        items.push(...matched);
        next = page.LastEvaluatedKey;
      } while (next && items.length < query.limit && read < PROJECTS_READ_PER_PAGE);
      return pageAfter(items.map(projectFromItem), next);
    },

    projectsByAuthor(communityId, budgetId, authorKey, query) {
      const partition = keys.budgetProjectsOfAuthor(communityId, budgetId, authorKey).GSI3PK;
      // In the order of project ids, as the budget's own list.
      const list = { index: 'GSI3', partition, page: query, newestFirst: false } as const;
      return indexPage(client, tableName, list, projectFromItem);
    },

    async createProject(project, events, whilePhase) {
      const queued =
        project.state === ProjectState.in_moderation
          ? [
              // Queued when it was submitted: the command's clock stamped that.
              enqueuePut(
                tableName,
                enterQueue(undefined, {
                  communityId: project.communityId,
                  snapshot: projectSnapshot(project),
                  since: project.createdAt,
                }),
              ),
            ]
          : [];
      const count: TransactItem = {
        Update: {
          TableName: tableName,
          Key: keys.budgetProjectCount(project.communityId, project.budgetId),
          UpdateExpression: 'ADD submitted :one',
          ConditionExpression: 'attribute_not_exists(submitted) OR submitted < :max',
          ExpressionAttributeValues: { ':one': 1, ':max': maxProjectsOf(whilePhase) },
        },
      };
      let outcome: Awaited<ReturnType<typeof commitWithEventsAt>>;
      try {
        outcome = await commitWithEventsAt(
          client,
          tableName,
          [newPut(tableName, projectToItem(project)), phaseCheck(tableName, whilePhase), count, ...queued],
          events,
        );
      } catch (error) {
        // Two submissions written at the same instant: the one that lost tries again (the route re-reads).
        if (isTransactionConflict(error)) return 'conflict';
        throw error;
      }
      if (outcome.committed) return 'saved';
      // A phase that moved on comes first: the route re-reads and the command names the phase.
      return outcome.failedIndexes.includes(2) && !outcome.failedIndexes.includes(1) ? 'full' : 'conflict';
    },

    saveProject: (previous, next, events, audit, whilePhase) =>
      committed(
        [
          projectPut(tableName, previous, next),
          ...(whilePhase ? [phaseCheck(tableName, whilePhase)] : []),
          ...auditPuts(tableName, audit),
        ],
        events,
      ),

    async castBallots(ballots) {
      await Promise.all(
        ballots.map(async (ballot) => {
          try {
            await client.send(
              new PutCommand({
                TableName: tableName,
                Item: ballotToItem(ballot),
                ConditionExpression: 'attribute_not_exists(PK) OR castAt <= :castAt',
                ExpressionAttributeValues: { ':castAt': ballot.castAt },
              }),
            );
          } catch (error) {
            // A newer ballot of the same voter got there first: it stands, this one is older.
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
          }
        }),
      );
    },

    async ballotsOf(communityId, budgetId, voterKey) {
      const items = await queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.budgetBallot(communityId, budgetId, voterKey, '').PK },
        ConsistentRead: true,
      });
      return items.map(ballotFromItem);
    },

    async allBallots(communityId, budgetId) {
      const items = await itemsOfBuckets(
        client,
        tableName,
        BALLOT_BUCKETS,
        (bucket) => keys.budgetBallotBucket(communityId, budgetId, bucket).GSI1PK,
      );
      return items.map(ballotFromItem);
    },

    async ballotPage(communityId, budgetId, page) {
      const items = mergedAfter(client, {
        tableName,
        indexName: 'GSI1',
        partitionAttribute: 'GSI1PK',
        sortAttribute: 'GSI1SK',
        partitions: Array.from(
          { length: BALLOT_BUCKETS },
          (_, bucket) => keys.budgetBallotBucket(communityId, budgetId, bucket).GSI1PK,
        ),
        after: page.after,
        // Read ahead per bucket about its share of the page: the merge reads at most a chunk per bucket beyond it.
        chunk: Math.min(Math.ceil(page.rows / BALLOT_BUCKETS) + 1, 500),
      });
      const taken = await pageOfRows(
        items,
        page,
        (item) => {
          const ballot = ballotFromItem(item);
          return page.keep(ballot) ? ballot : undefined;
        },
        page.sizeOf,
      );
      return { ballots: taken.rows, ...(taken.after === undefined ? {} : { after: taken.after }) };
    },

    async tallies(communityId, budgetId) {
      const items = await underBudget(keys.budgetResults(communityId, budgetId));
      const tallies = new Map<string, PotTally>();
      for (const item of items) {
        const tally = tallyFromItem(item);
        if (tally) tallies.set(item.potId as string, tally);
      }
      return tallies;
    },

    async results(communityId, budgetId) {
      const items = await underBudget(keys.budgetResults(communityId, budgetId));
      return items.map(resultFromItem);
    },

    requestResults: (previous, next, job, events, audit) =>
      committed(
        [
          budgetPut(tableName, previous, next),
          {
            Put: {
              TableName: tableName,
              Item: {
                ...keys.budgetResultsJob(job.communityId, job.budgetId, job.jobId),
                entity: Entity.budgetResultsJob,
                ...job,
                ...keys.budgetResultsWatchedOrder(
                  new Date(overdueAt(job.requestedAt)).toISOString(),
                  job.communityId,
                  job.budgetId,
                  job.jobId,
                ),
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          ...auditPuts(tableName, audit),
        ],
        events,
      ),

    storeResults: (previous, done, jobId, results) =>
      committed(
        [
          {
            Put: {
              TableName: tableName,
              Item: budgetToItem(done),
              ConditionExpression: '#version = :expected AND #results.#job = :job',
              ExpressionAttributeNames: { '#version': 'version', '#results': 'results', '#job': 'jobId' },
              ExpressionAttributeValues: { ':expected': previous.version, ':job': jobId },
            },
          },
          ...results.map((result) => ({
            Put: { TableName: tableName, Item: resultToItem(done.communityId, done.id, jobId, result) },
          })),
        ],
        [],
      ),

    async publish(previous, next, previousProjects, nextProjects, events, audit) {
      const before = new Map(previousProjects.map((project) => [project.id, project]));
      const projectPuts = nextProjects.map((project) =>
        projectPut(tableName, before.get(project.id) ?? project, project),
      );
      // Projects first, in chunks; the budget, its events and the audit entry with the last chunk: until
      // that transaction commits the budget is not published, and publishing again finishes the job.
      const chunks: TransactItem[][] = [];
      for (let start = 0; start < projectPuts.length; start += PROJECTS_PER_TRANSACTION) {
        chunks.push(projectPuts.slice(start, start + PROJECTS_PER_TRANSACTION));
      }
      const last = chunks.pop() ?? [];
      for (const chunk of chunks) {
        if ((await committed(chunk, [])) === 'conflict') return 'conflict';
      }
      // Published results put the budget on the retention schedule: its voters' data expires from then.
      const retention = next.resultsPublishedAt
        ? [
            retentionEntryPut(tableName, {
              kind: RetentionKind.budget,
              communityId: next.communityId,
              subjectId: next.id,
              endedAt: next.resultsPublishedAt,
            }),
          ]
        : [];
      return committed(
        [budgetPut(tableName, previous, next), ...last, ...retention, ...auditPuts(tableName, audit)],
        events,
      );
    },

    async importBudget(budget, projects, ballots, events, audit) {
      // Ballots and projects first: until the budget item exists nobody can see any of it.
      await batchPut([...projects.map(projectToItem), ...ballots.map(ballotToItem)]);
      await commitWithEvents(
        client,
        tableName,
        [newPut(tableName, budgetToItem(budget)), ...auditPuts(tableName, audit)],
        events,
      );
    },

    async dueForPhaseChange(now, limit) {
      const page = await client.send(
        new QueryCommand({ ...dueQuery(tableName, keys.budgetDue.GSI2PK, now), Limit: limit }),
      );
      return (page.Items ?? []).map((item) => ({
        communityId: item.communityId as string,
        budgetId: item.id as string,
      }));
    },
  };
}
