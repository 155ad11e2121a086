import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Appeal } from '../../domain/appeals/appeal';
import type { AppealStatsReader } from '../../domain/appeals/ports';
import type { AppealKind } from '../../domain/appeals/settings';
import { type StoredStats, statsChanges } from '../../domain/appeals/stats';
import { Entity, keys } from '../shared/keys';
import type { TransactItem } from '../shared/outbox';

/**
 * The reception's statistics in the table: one item per bucket (see
 * `domain/appeals/stats.ts`), its counters as attributes `n#<counter>`, moved
 * by `ADD` in the transaction of each change of an item.
 */

/** Counters are stored under this prefix, apart from the bucket's own attributes. */
const COUNTER = 'n#';

/**
 * The updates a change of `previous` into `next` (a registration: no
 * `previous`) makes to the statistics: one `ADD` per bucket it moves, to go in
 * the change's own transaction, so the counters move if and only if the item does.
 */
export function statsUpdates(tableName: string, previous: Appeal | undefined, next: Appeal): TransactItem[] {
  return statsChanges(previous, next).map((delta) => {
    const names: Record<string, string> = {
      '#entity': 'entity',
      '#communityId': 'communityId',
      '#month': 'month',
      '#kind': 'kind',
      '#categoryId': 'categoryId',
      '#unitId': 'unitId',
    };
    const values: Record<string, unknown> = {
      ':entity': Entity.appealStats,
      ':communityId': delta.communityId,
      ':month': delta.month,
      ':kind': delta.kind,
      ':categoryId': delta.categoryId,
      ':unitId': delta.unitId,
    };
    const additions = Object.entries(delta.counters).map(([counter, change], index) => {
      names[`#c${index}`] = `${COUNTER}${counter}`;
      values[`:c${index}`] = change;
      return `#c${index} :c${index}`;
    });
    return {
      Update: {
        TableName: tableName,
        Key: keys.appealStats(delta.communityId, delta.month, delta.kind, delta.categoryId, delta.unitId),
        UpdateExpression:
          `SET #entity = :entity, #communityId = :communityId, #month = :month, #kind = :kind, ` +
          `#categoryId = :categoryId, #unitId = :unitId ADD ${additions.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  });
}

/** A stored bucket back into its counters. */
function statsFromItem(item: Record<string, unknown>): StoredStats {
  const counters: Record<string, number> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(COUNTER) && typeof value === 'number') counters[name.slice(COUNTER.length)] = value;
  }
  return {
    communityId: item.communityId as string,
    month: item.month as string,
    kind: item.kind as AppealKind,
    categoryId: item.categoryId as string,
    unitId: item.unitId as string,
    counters,
  };
}

/** The DynamoDB implementation of {@link AppealStatsReader}: one Query over the community's buckets of the months. */
export function dynamoAppealStatsReader(
  client: DynamoDBDocumentClient,
  tableName: string,
): AppealStatsReader {
  return {
    async statsOf(communityId, from, to) {
      const range = keys.appealStatsRange(communityId, from, to);
      const stored: StoredStats[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': range.PK, ':from': range.SKFrom, ':to': range.SKTo },
            ExclusiveStartKey: startKey,
          }),
        );
        stored.push(...(page.Items ?? []).map(statsFromItem));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return stored;
    },
  };
}
