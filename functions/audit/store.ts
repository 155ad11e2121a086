import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../domain/audit/chain';
import type { AuditStore } from '../../domain/audit/ports';
import { keys } from '../shared/keys';
import { decodeCursor, invalidCursor, pageAfter, tableCursor } from '../shared/pagination';
import { readAuditHead } from './append';
import { putAuditIntent } from './intents';

/** The highest sequence number a sort key can hold (see `keys.auditEntry`). */
const LAST_SEQ = 10 ** 12 - 1;

/**
 * A cursor of this list: the key of an entry of this community's chain, and
 * nothing else (a forged key could otherwise make DynamoDB refuse the query).
 */
function startKeyOf(cursor: string | undefined, communityId: string): Record<string, string> | undefined {
  const key = decodeCursor(cursor, tableCursor(keys.auditEntries(communityId)));
  if (!key) return undefined;
  // The query reads BETWEEN the cursor's entry and the last one: a key beyond the last would make DynamoDB refuse it.
  if ((key.SK as string) > keys.auditEntry(communityId, LAST_SEQ).SK) throw invalidCursor();
  return { PK: key.PK as string, SK: key.SK as string };
}

/** The DynamoDB implementation of {@link AuditStore}. */
export function dynamoAuditStore(client: DynamoDBDocumentClient, tableName: string): AuditStore {
  /** Entries `from` on; with a cursor, after the cursor's entry (which is then where the list goes on). */
  const entryQuery = (communityId: string, from: number, startKey: Record<string, string> | undefined) => ({
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
    ExpressionAttributeValues: {
      ':pk': keys.auditHead(communityId).PK,
      // A cursor may lie before `from` (another `from` made it): it wins, as it names the position.
      ':first': startKey?.SK ?? keys.auditEntry(communityId, from).SK,
      ':last': keys.auditEntry(communityId, LAST_SEQ).SK,
    },
    ProjectionExpression: '#entry',
    ExpressionAttributeNames: { '#entry': 'entry' },
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  });

  return {
    head: (communityId) => readAuditHead(client, tableName, communityId),

    async list(communityId, query) {
      const startKey = startKeyOf(query.cursor, communityId);
      const result = await client.send(
        new QueryCommand({ ...entryQuery(communityId, query.from, startKey), Limit: query.limit }),
      );
      const items = (result.Items ?? []).map((item) => item.entry as AuditEntry);
      return pageAfter(items, result.LastEvaluatedKey);
    },

    async *entriesFrom(communityId, from) {
      let startKey: Record<string, string> | undefined;
      do {
        const result = await client.send(new QueryCommand(entryQuery(communityId, from, startKey)));
        for (const item of result.Items ?? []) yield item.entry as AuditEntry;
        startKey = result.LastEvaluatedKey as Record<string, string> | undefined;
      } while (startKey);
    },

    record: (intent) => putAuditIntent(client, tableName, intent),
  };
}
