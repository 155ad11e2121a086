import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type Anonymisation,
  anonymisationAudit,
  type RetentionSubject,
} from '../../domain/retention/retention';
import type { Clock, IdGenerator } from '../../domain/shared/clock';
import { auditIntentPut } from '../audit/intents';
import { itemsUnder } from '../shared/dynamo';
import { type ItemKey, keys } from '../shared/keys';
import { commitWithEvents, type TransactItem } from '../shared/outbox';
import { DELETE_BATCH, deleteInBatches, deleteItem, retentionEntryDelete } from './entries';

/** TransactWriteItems takes at most 100 items. */
const MAX_TRANSACTION_ITEMS = 100;

/** What one subject's erasure came to. */
export type ErasureOutcome =
  /** Its personal items are gone, the subject is marked, the audit intent written. */
  | { readonly status: 'anonymised'; readonly erased: Readonly<Record<string, number>> }
  /** The subject is gone or was anonymised already: only its schedule entry was taken off. */
  | { readonly status: 'nothing_to_do' }
  /** The subject changed while being erased (its version moved): the next run finishes. */
  | { readonly status: 'conflict' };

/** What an eraser needs besides the subject. */
export interface ErasureContext {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly retentionDays: number;
}

/** The keys of every item of one partition whose sort key starts with `prefix`. */
export async function keysUnder(
  context: ErasureContext,
  partition: string,
  prefix: string,
): Promise<ItemKey[]> {
  const items = await itemsUnder(context.client, context.tableName, partition, prefix);
  return items.map(keyOf);
}

/** The keys of residents' reports on one moderation item (`REPORT#<signerKey>`): personal, as each names its reporter. */
export function reportsOn(context: ErasureContext, communityId: string, itemId: string): Promise<ItemKey[]> {
  return keysUnder(
    context,
    keys.moderationItem(communityId, itemId).PK,
    keys.moderationReport(communityId, itemId, '').SK,
  );
}

/** An item's own key. */
export const keyOf = (item: Record<string, unknown>): ItemKey => ({
  PK: item.PK as string,
  SK: item.SK as string,
});

/** The update that marks a subject anonymised, over the version it was read at (a newer one is read again). */
export function markAnonymised(
  tableName: string,
  key: ItemKey,
  version: { readonly attribute: 'version' | 'revision'; readonly value: number },
  anonymisation: Anonymisation,
): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET #anonymised = :anonymised, #version = :next',
      ConditionExpression: '#version = :read AND attribute_not_exists(#anonymised)',
      ExpressionAttributeNames: { '#anonymised': 'anonymised', '#version': version.attribute },
      ExpressionAttributeValues: {
        ':anonymised': anonymisation,
        ':read': version.value,
        ':next': version.value + 1,
      },
    },
  };
}

/** Takes a subject off the schedule when there is nothing (left) to erase: gone, or anonymised already. */
export async function dropEntry(context: ErasureContext, subject: RetentionSubject): Promise<ErasureOutcome> {
  await deleteInBatches(context.client, context.tableName, [
    keys.retentionEntry(subject.communityId, subject.kind, subject.subjectId),
  ]);
  return { status: 'nothing_to_do' };
}

/**
 * Erases `itemKeys` and marks the subject: all but the last batch in
 * BatchWrite chunks, then one transaction with the last batch, the mark
 * (`mark`, built from the counts), the schedule entry's deletion and the audit
 * intent. Until that transaction commits the subject is not anonymised and
 * stays on the schedule, so a run that stops anywhere before leaves only
 * items the next run finds and erases; after it, the next run finds nothing.
 */
export async function eraseAndMark(
  context: ErasureContext,
  subject: RetentionSubject,
  itemKeys: readonly ItemKey[],
  erased: Readonly<Record<string, number>>,
  mark: (anonymisation: Anonymisation) => TransactItem,
  before: readonly TransactItem[] = [],
): Promise<ErasureOutcome> {
  // The last transaction holds what `before` brings, the last deletions, and the mark, entry and intent (3).
  const room = Math.max(0, Math.min(DELETE_BATCH, MAX_TRANSACTION_ITEMS - 3 - before.length));
  const lastStart = Math.max(0, itemKeys.length - room);
  await deleteInBatches(context.client, context.tableName, itemKeys.slice(0, lastStart));
  const anonymisation: Anonymisation = { at: context.clock.now().toISOString(), erased };
  const committed = await commitWithEvents(
    context.client,
    context.tableName,
    [
      ...before,
      ...itemKeys.slice(lastStart).map((key) => deleteItem(context.tableName, key)),
      mark(anonymisation),
      retentionEntryDelete(context.tableName, subject.communityId, subject.kind, subject.subjectId),
      auditIntentPut(
        context.tableName,
        anonymisationAudit(context.ids, subject, context.retentionDays, anonymisation),
      ),
    ],
    [],
  );
  return committed === 'committed' ? { status: 'anonymised', erased } : { status: 'conflict' };
}
