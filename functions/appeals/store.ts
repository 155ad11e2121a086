import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AppealStore, UnitQuery } from '../../domain/appeals/ports';
import type { EventEnvelope } from '../../events/envelope';
import { auditPuts } from '../audit/intents';
import { indexPage, readItem } from '../shared/dynamo';
import { Entity, keys } from '../shared/keys';
import { commitWithEventsAt, newPut, type TransactItem } from '../shared/outbox';
import { decodeCursor, indexCursor, pageAfter } from '../shared/pagination';
import { appealFromItem, appealToItem } from './items';
import { registrationQueueWrites } from './moderation';
import { statsUpdates } from './stats-store';

/** Two writers on the counter at once: DynamoDB cancels one; it is a lost race like a failed condition. */
const isTransactionConflict = (error: unknown): boolean =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');

/** The DynamoDB implementation of {@link AppealStore}: one conditional transaction per change. */
export function dynamoAppealStore(client: DynamoDBDocumentClient, tableName: string): AppealStore {
  /** Commits `items` with the events; a failed condition or a conflicting transaction is a lost race. */
  const commit = async (
    items: TransactItem[],
    events: readonly EventEnvelope[],
  ): Promise<'saved' | 'conflict'> => {
    try {
      const result = await commitWithEventsAt(client, tableName, items, events);
      return result.committed ? 'saved' : 'conflict';
    } catch (error) {
      if (isTransactionConflict(error)) return 'conflict';
      throw error;
    }
  };

  return {
    async get(communityId, appealId) {
      const item = await readItem(client, tableName, keys.appeal(communityId, appealId));
      return item ? appealFromItem(item) : undefined;
    },

    async lastNumber(communityId, year) {
      const counter = await readItem(client, tableName, keys.appealCounter(communityId, year));
      return (counter?.last as number | undefined) ?? 0;
    },

    /**
     * The counter moves from `previousLast` to the item's number in the same
     * transaction that stores the item: a number is given exactly once, and
     * none is skipped, because a registration that loses the race writes nothing.
     * An issue report waiting for the moderators enters their queue in it too.
     */
    register(appeal, previousLast, events) {
      const [year, sequence] = appeal.number.split('-') as [string, string];
      const counter: TransactItem = {
        Update: {
          TableName: tableName,
          Key: keys.appealCounter(appeal.communityId, year),
          UpdateExpression: 'SET #last = :next, #entity = :entity',
          ConditionExpression: previousLast === 0 ? 'attribute_not_exists(#last)' : '#last = :previous',
          ExpressionAttributeNames: { '#last': 'last', '#entity': 'entity' },
          ExpressionAttributeValues: {
            ':next': Number(sequence),
            ':entity': Entity.appealCounter,
            ...(previousLast === 0 ? {} : { ':previous': previousLast }),
          },
        },
      };
      return commit(
        [
          counter,
          newPut(tableName, appealToItem(appeal)),
          ...registrationQueueWrites(tableName, appeal),
          ...statsUpdates(tableName, undefined, appeal),
        ],
        events,
      );
    },

    /** The whole item over the version it was read at, with its events, audit intent and statistics. */
    save(previous, next, events, audit) {
      const put: TransactItem = {
        Put: {
          TableName: tableName,
          Item: appealToItem(next),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': previous.version },
        },
      };
      return commit(
        [put, ...auditPuts(tableName, audit), ...statsUpdates(tableName, previous, next)],
        events,
      );
    },

    byAuthor(communityId, authorKey, page) {
      const { GSI3PK } = keys.appealAuthorList(communityId, authorKey);
      return indexPage(client, tableName, { index: 'GSI3', partition: GSI3PK, page }, appealFromItem);
    },

    /** Open items by due day (the earliest, and so the overdue, first); closed ones newest first. */
    async byUnit(query: UnitQuery) {
      const { GSI1PK } = keys.appealUnitList(query.communityId, query.unitId, query.open);
      const filters: string[] = [];
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':pk': GSI1PK };
      // Open items sort by due day: those due before a day are a key range, so a page is never short for it.
      if (query.dueBefore) values[':dueBefore'] = query.dueBefore;
      if (query.status) {
        filters.push('#status = :status');
        names['#status'] = 'status';
        values[':status'] = query.status;
      }
      if (query.kind) {
        filters.push('#kind = :kind');
        names['#kind'] = 'kind';
        values[':kind'] = query.kind;
      }
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: query.dueBefore ? 'GSI1PK = :pk AND GSI1SK < :dueBefore' : 'GSI1PK = :pk',
          ...(filters.length > 0
            ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names }
            : {}),
          ExpressionAttributeValues: values,
          ScanIndexForward: query.open,
          Limit: query.limit,
          ExclusiveStartKey: decodeCursor(query.cursor, indexCursor('GSI1', GSI1PK)),
        }),
      );
      return pageAfter((result.Items ?? []).map(appealFromItem), result.LastEvaluatedKey);
    },

    published(communityId, kind, page) {
      const { GSI4PK } = keys.appealPublicList(communityId, kind);
      return indexPage(client, tableName, { index: 'GSI4', partition: GSI4PK, page }, appealFromItem);
    },
  };
}
