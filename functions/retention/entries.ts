import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RetentionKind, RetentionSubject } from '../../domain/retention/retention';
import { Entity, type ItemKey, keys } from '../shared/keys';
import type { TransactItem } from '../shared/outbox';
import { RETRY, type RetryPolicy, retrying } from '../shared/use-case';

/**
 * The retention schedule: what the stores write when a subject's purpose ends
 * (a petition closes, a budget's results or a consultation's report are
 * published), and the deletions the retention job makes.
 */

/**
 * The put that puts a subject on the retention schedule: in the transaction of
 * the change that ends it, so no closed petition or published result escapes
 * the job. Unconditional: writing it twice writes the same item.
 */
export function retentionEntryPut(tableName: string, subject: RetentionSubject): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.retentionEntry(subject.communityId, subject.kind, subject.subjectId),
        ...keys.retentionEntryIndex(subject.endedAt, subject.communityId, subject.kind, subject.subjectId),
        entity: Entity.retentionEntry,
        ...subject,
      },
    },
  };
}

/** The delete that takes a subject off the schedule: in the erasure's last transaction. */
export function retentionEntryDelete(
  tableName: string,
  communityId: string,
  kind: RetentionKind,
  subjectId: string,
): TransactItem {
  return {
    Delete: {
      TableName: tableName,
      Key: keys.retentionEntry(communityId, kind, subjectId),
      ConditionExpression: 'attribute_exists(PK)',
    },
  };
}

/** BatchWriteItem takes at most 25 requests. */
export const DELETE_BATCH = 25;

/**
 * How a batch's unprocessed deletions are sent again: 5 retries after a pause
 * that doubles (40 ms … 640 ms); what is still unprocessed then fails the run,
 * and the next run deletes it (a deletion done twice deletes nothing more).
 */
const UNPROCESSED_DELETES_POLICY: RetryPolicy = {
  attempts: 6,
  pause: (retry) => new Promise((wake) => setTimeout(wake, 20 * 2 ** retry)),
};

/**
 * Deletes `itemKeys` in BatchWrite chunks of {@link DELETE_BATCH}, sending
 * unprocessed ones again. Not atomic, and need not be: the items are erased
 * in any order, and the subject is marked only by the last transaction, so a
 * run that stops half-way leaves items the next run finds and deletes.
 */
export async function deleteInBatches(
  client: DynamoDBDocumentClient,
  tableName: string,
  itemKeys: readonly ItemKey[],
): Promise<void> {
  for (let start = 0; start < itemKeys.length; start += DELETE_BATCH) {
    let pending = itemKeys
      .slice(start, start + DELETE_BATCH)
      .map((key) => ({ DeleteRequest: { Key: { PK: key.PK, SK: key.SK } } }));
    const deleted = await retrying(async () => {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      return pending.length === 0 ? 'deleted' : RETRY;
    }, UNPROCESSED_DELETES_POLICY);
    if (deleted === RETRY) {
      throw new Error(
        `DynamoDB left ${pending.length} deletions unprocessed after ${UNPROCESSED_DELETES_POLICY.attempts - 1} retries`,
      );
    }
  }
}

/** The transaction entry that deletes one item (in the erasure's last transaction). */
export const deleteItem = (tableName: string, key: ItemKey): TransactItem => ({
  Delete: { TableName: tableName, Key: { PK: key.PK, SK: key.SK } },
});
