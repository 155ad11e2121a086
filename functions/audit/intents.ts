import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../../domain/audit/canonical';
import { type AuditIntent, AuditIntentSchema } from '../../domain/audit/intent';
import { Entity, type ItemKey, keys } from '../shared/keys';
import type { TransactItem } from '../shared/outbox';

/** The stored shape of an audit intent: the intent whole, as the appender reads it from the stream. */
export interface AuditIntentItem extends ItemKey {
  readonly entity: typeof Entity.auditIntent;
  readonly intent: AuditIntent;
}

/**
 * The item of an intent, checked first: a malformed intent is a programming
 * error and fails the action's write rather than reaching the chain. The
 * intent is stored as plain JSON (`undefined` members dropped), which is what
 * its entry's hash will cover.
 * @throws CanonicalJsonError for a value JSON cannot hold (a Date, NaN).
 * @throws ZodError when the intent is malformed (or a summary is too large).
 */
export function auditIntentItem(intent: AuditIntent): AuditIntentItem {
  const stored = JSON.parse(canonicalJson(intent)) as AuditIntent;
  AuditIntentSchema.parse(stored);
  return { ...keys.auditIntent(stored.communityId, stored.id), entity: Entity.auditIntent, intent: stored };
}

/** A new intent, never over an existing one: ids are unique, so a clash is a bug worth failing on. */
const intentPut = (tableName: string, intent: AuditIntent) => ({
  TableName: tableName,
  Item: auditIntentItem(intent),
  ConditionExpression: 'attribute_not_exists(PK)',
});

/**
 * The transaction entry that records an action in the audit trail: put it in
 * the same `TransactWriteItems` as the action's state change (like the
 * outbox), so that the intent exists if and only if the action committed. The
 * audit appender then adds it to the community's chain, exactly once.
 * @throws ZodError when the intent is malformed (or a summary is too large).
 * @example
 * const intent = newAuditIntent(command, {
 *   communityId, action: AuditAction.communitySettingsUpdate, target: `community/${communityId}`,
 *   before: { reportsBeforeHide: 3 }, after: { reportsBeforeHide: 5 },
 * });
 * await commitWithEvents(client, tableName, [settingsPut, auditIntentPut(tableName, intent)], events);
 */
export function auditIntentPut(tableName: string, intent: AuditIntent): TransactItem {
  return { Put: intentPut(tableName, intent) };
}

/**
 * Records an intent on its own, for an action that changes nothing but must be
 * on the record all the same (an export). The caller should only go on once
 * this has succeeded.
 */
export async function putAuditIntent(
  client: DynamoDBDocumentClient,
  tableName: string,
  intent: AuditIntent,
): Promise<void> {
  await client.send(new PutCommand(intentPut(tableName, intent)));
}

/** The audit entry of a store write: none when the action is not a staff action. */
export function auditPuts(tableName: string, audit: AuditIntent | undefined): TransactItem[] {
  return audit ? [auditIntentPut(tableName, audit)] : [];
}
