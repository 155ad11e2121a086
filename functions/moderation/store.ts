import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ItemStatus } from '../../domain/moderation/item';
import type { ModerationStore } from '../../domain/moderation/ports';
import { indexPage, readItem } from '../shared/dynamo';
import { keys } from '../shared/keys';
import { decodeCursor, indexCursor, pageAfter } from '../shared/pagination';
import { loggedDecisionFromItem, moderationItemFromItem } from './items';

/** The DynamoDB implementation of {@link ModerationStore}. */
export function dynamoModerationStore(client: DynamoDBDocumentClient, tableName: string): ModerationStore {
  return {
    async get(communityId, itemId) {
      const item = await readItem(client, tableName, keys.moderationItem(communityId, itemId));
      return item ? moderationItemFromItem(item) : undefined;
    },

    async queue(query) {
      const { GSI1PK: partition } = keys.moderationQueue(query.communityId, query.status);
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: {
            ':pk': partition,
            ...(query.type ? { ':type': query.type } : {}),
          },
          ...(query.type
            ? { FilterExpression: '#type = :type', ExpressionAttributeNames: { '#type': 'type' } }
            : {}),
          ScanIndexForward: query.status !== ItemStatus.decided,
          Limit: query.limit,
          ExclusiveStartKey: decodeCursor(query.cursor, indexCursor('GSI1', partition)),
        }),
      );
      return pageAfter((page.Items ?? []).map(moderationItemFromItem), page.LastEvaluatedKey);
    },

    byAuthor(communityId, authorKey, query) {
      const { GSI2PK: partition } = keys.moderationByAuthor(communityId, authorKey);
      return indexPage(client, tableName, { index: 'GSI2', partition, page: query }, moderationItemFromItem);
    },

    async decisionsBetween(communityId, from, to, max) {
      const partition = keys.moderationDecision(communityId, '', '').PK;
      const items: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined;
      // Page by page, one more than `max` at most: enough to know the period holds more.
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            // Keys are `<decidedAt>#<itemId>`: those decided at `to` itself sort after `to`, out of the period.
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ':pk': partition, ':from': from, ':to': to },
            ProjectionExpression: '#type, decision, reasonCode, decidedAt, waitedSeconds, onAppeal',
            Limit: max + 1 - items.length,
            ExclusiveStartKey: startKey,
          }),
        );
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey && items.length <= max);
      const decisions = items.map(loggedDecisionFromItem).filter((decision) => decision.decidedAt < to);
      return decisions.length > max
        ? { decisions: decisions.slice(0, max), complete: false }
        : { decisions, complete: true };
    },
  };
}
