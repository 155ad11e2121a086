import {
  type DecisionRecord,
  ItemStatus,
  type ModerationItem,
  type ModerationType,
} from '../../domain/moderation/item';
import type { LoggedDecision } from '../../domain/moderation/transparency';
import { Entity, keys } from '../shared/keys';
import type { TransactItem } from '../shared/outbox';

/**
 * How moderation items, reports and logged decisions are stored. Tools that
 * send something to the queue in their own transaction (a petition entering
 * moderation) use {@link moderationItemPut} from here, so the shape is declared once.
 */

const ITEM_FIELDS: readonly (keyof ModerationItem)[] = [
  'id',
  'communityId',
  'type',
  'subjectId',
  'parentId',
  'title',
  'excerpt',
  'authorKey',
  'status',
  'createdAt',
  'waitingSince',
  'reports',
  'reportsSinceDecision',
  'autoHidden',
  'claim',
  'decisions',
  'appeal',
  'version',
];

/** Where an item sorts in its status's queue: waiting ones by when they started waiting, decided ones by decision. */
function queueSince(item: ModerationItem): string {
  if (item.status !== ItemStatus.decided) return item.waitingSince;
  return item.decisions.at(-1)?.decidedAt ?? item.waitingSince;
}

export function moderationItemToItem(item: ModerationItem): Record<string, unknown> {
  return {
    ...keys.moderationItem(item.communityId, item.id),
    entity: Entity.moderationItem,
    GSI1PK: keys.moderationQueue(item.communityId, item.status),
    GSI1SK: keys.moderationQueueOrder(queueSince(item), item.id),
    GSI2PK: keys.moderationByAuthor(item.communityId, item.authorKey),
    GSI2SK: keys.moderationQueueOrder(item.createdAt, item.id),
    ...item,
  };
}

export function moderationItemFromItem(stored: Record<string, unknown>): ModerationItem {
  const item: Record<string, unknown> = {};
  for (const field of ITEM_FIELDS) if (stored[field] !== undefined) item[field] = stored[field];
  return item as unknown as ModerationItem;
}

/**
 * The whole item, written over the version it was read at (or only if absent,
 * for a new one): two writers that read the same version cannot both win.
 */
export function moderationItemPut(
  tableName: string,
  previousVersion: number,
  item: ModerationItem,
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: moderationItemToItem(item),
      ...(previousVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(PK)' }
        : {
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': previousVersion },
          }),
    },
  };
}

/**
 * A subject entering (or coming back to) the queue in its tool's own
 * transaction, as `enterQueue` built it: written over the version it was
 * built from (one less), or only if absent for a new item.
 */
export const enqueuePut = (tableName: string, item: ModerationItem): TransactItem =>
  moderationItemPut(tableName, item.version - 1, item);

/** One line of the decision log, read by the transparency report. */
export function decisionLogPut(
  tableName: string,
  item: Pick<ModerationItem, 'communityId' | 'id' | 'type'>,
  record: DecisionRecord,
): TransactItem {
  const logged: LoggedDecision = {
    type: item.type,
    decision: record.decision,
    ...(record.reasonCode ? { reasonCode: record.reasonCode } : {}),
    decidedAt: record.decidedAt,
    waitedSeconds: record.waitedSeconds,
    onAppeal: record.onAppeal,
  };
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.moderationDecision(item.communityId, record.decidedAt, item.id),
        entity: Entity.moderationDecision,
        ...logged,
      },
    },
  };
}

export function loggedDecisionFromItem(stored: Record<string, unknown>): LoggedDecision {
  return {
    type: stored.type as ModerationType,
    decision: stored.decision as LoggedDecision['decision'],
    ...(stored.reasonCode ? { reasonCode: stored.reasonCode as LoggedDecision['reasonCode'] } : {}),
    decidedAt: stored.decidedAt as string,
    waitedSeconds: stored.waitedSeconds as number,
    onAppeal: stored.onAppeal as boolean,
  };
}

/** One resident's report: its existence is the "once per resident". */
export function reportPut(
  tableName: string,
  item: Pick<ModerationItem, 'communityId' | 'id'>,
  signerKey: string,
  report: { reasonCode: string; note?: string; reportedAt: string },
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.moderationReport(item.communityId, item.id, signerKey),
        entity: Entity.moderationReport,
        ...report,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}
