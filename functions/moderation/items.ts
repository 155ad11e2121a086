import { type DecisionRecord, ItemStatus, type ModerationItem } from '../../domain/moderation/item';
import type { LoggedDecision } from '../../domain/moderation/transparency';
import { type FieldsOf, pickFields } from '../shared/item-fields';
import { Entity, keys } from '../shared/keys';
import type { TransactItem } from '../shared/outbox';

/**
 * How moderation items, reports and logged decisions are stored. Tools that
 * send something to the queue in their own transaction (a petition entering
 * moderation) use {@link moderationItemPut} from here, so the shape is declared once.
 */

/**
 * The attributes that make an item, and nothing else: keys, index attributes
 * and `entity` stay in the table. A record rather than a list, so that a
 * field added to {@link ModerationItem} fails to compile until it is named here.
 */
const ITEM_FIELDS = {
  id: true,
  communityId: true,
  type: true,
  subjectId: true,
  parentId: true,
  title: true,
  excerpt: true,
  authorKey: true,
  status: true,
  createdAt: true,
  waitingSince: true,
  reports: true,
  reportsSinceDecision: true,
  autoHidden: true,
  claim: true,
  decisions: true,
  appeal: true,
  version: true,
} as const satisfies FieldsOf<ModerationItem>;

/** Where an item sorts in its status's queue: waiting ones by when they started waiting, decided ones by decision. */
function queueSince(item: ModerationItem): string {
  if (item.status !== ItemStatus.decided) return item.waitingSince;
  return item.decisions.at(-1)?.decidedAt ?? item.waitingSince;
}

/** An item as stored: its key, its places in the queue and in its author's list, and its fields. */
export function moderationItemToItem(item: ModerationItem): Record<string, unknown> {
  return {
    ...keys.moderationItem(item.communityId, item.id),
    entity: Entity.moderationItem,
    ...keys.moderationQueueIndex(item.communityId, item.status, queueSince(item), item.id),
    ...keys.moderationByAuthorIndex(item.communityId, item.authorKey, item.createdAt, item.id),
    ...item,
  };
}

/** An item as stored, back to the domain: the allow-listed attributes only. */
export const moderationItemFromItem = (stored: Record<string, unknown>): ModerationItem =>
  pickFields<ModerationItem>(stored, ITEM_FIELDS);

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

const LOGGED_DECISION_FIELDS = {
  type: true,
  decision: true,
  reasonCode: true,
  decidedAt: true,
  waitedSeconds: true,
  onAppeal: true,
} as const satisfies FieldsOf<LoggedDecision>;

export const loggedDecisionFromItem = (stored: Record<string, unknown>): LoggedDecision =>
  pickFields<LoggedDecision>(stored, LOGGED_DECISION_FIELDS);

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
