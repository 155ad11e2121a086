import { z } from 'zod';
import type { Actor } from '../../domain/identity/actor';
import { appealRefusal } from '../../domain/moderation/commands/appeal-item';
import {
  DECISIONS,
  type DecisionRecord,
  ITEM_STATUSES,
  ItemStatus,
  isOverdue,
  MODERATION_TYPES,
  type ModerationItem,
  reportTotal,
} from '../../domain/moderation/item';
import { isItemAuthor } from '../../domain/moderation/permissions';
import { CHOOSABLE_REASON_CODES, REASON_CODES, reasonText } from '../../domain/moderation/reasons';
import { freeText } from '../../domain/shared/free-text';
import { text, validationMessage } from '../../domain/shared/localized';
import { CommunityIdSchema } from '../communities/schemas';
import { PageQuerySchema } from '../shared/pagination';

export const ModerationPathSchema = z.object({ communityId: CommunityIdSchema });

/** `<type>.<subjectId>`: e.g. `petition.01JD…`; see `GET …/moderation/reasons` for the kinds. */
const ItemIdSchema = z
  .string()
  .regex(new RegExp(`^(?:${MODERATION_TYPES.join('|')})\\.[0-9A-Za-z_-]{1,64}$`), {
    error: validationMessage(
      text(
        'Ідентифікатор запису має вигляд <тип>.<id>, напр. petition.01JD…',
        'An item id looks like <type>.<id>, e.g. petition.01JD…',
      ),
    ),
  });

export const ItemPathSchema = z.object({ communityId: CommunityIdSchema, itemId: ItemIdSchema });

export const QueueQuerySchema = PageQuerySchema.extend({
  status: z.enum(ITEM_STATUSES).default(ItemStatus.pending),
  type: z.enum(MODERATION_TYPES).optional(),
});

const Note = freeText({ min: 1, max: 2000, multiline: true });
const ChoosableReason = z.enum(CHOOSABLE_REASON_CODES);

export const DecisionBodySchema = z
  .object({
    decision: z.enum(DECISIONS),
    reasonCode: ChoosableReason.optional(),
    note: Note.optional(),
    /** The item version the decision was made on (from the queue or the claim). */
    version: z.int().min(1).optional(),
  })
  .strict();

export const ReportBodySchema = z.object({ reasonCode: ChoosableReason, note: Note.optional() }).strict();

export const AppealBodySchema = z.object({ text: freeText({ min: 1, max: 5000, multiline: true }) }).strict();

/** Calendar dates or instants; `to` is exclusive. Default: the last 365 days. */
export const TransparencyQuerySchema = z.object({
  from: z.union([z.iso.date(), z.iso.datetime()]).optional(),
  to: z.union([z.iso.date(), z.iso.datetime()]).optional(),
});

const Localized = z.object({ uk: z.string(), en: z.string() });

const DecisionViewSchema = z.object({
  decision: z.enum(DECISIONS),
  reasonCode: z.string().optional(),
  /** The text the author is shown, in both languages. */
  reason: Localized.optional(),
  note: z.string().optional(),
  decidedAt: z.string(),
  /** Staff only. */
  decidedBy: z.string().optional(),
  onAppeal: z.boolean(),
});

export const ItemViewSchema = z
  .object({
    id: z.string(),
    type: z.enum(MODERATION_TYPES),
    subjectId: z.string(),
    parentId: z.string().optional(),
    title: z.string(),
    excerpt: z.string(),
    status: z.enum(ITEM_STATUSES),
    createdAt: z.string(),
    waitingSince: z.string(),
    overdue: z.boolean(),
    autoHidden: z.boolean(),
    /** Staff only: counts by reason, the total, and those since the last decision. */
    reports: z
      .object({ byReason: z.record(z.string(), z.int()), total: z.int(), sinceDecision: z.int() })
      .optional(),
    /** Staff only. */
    claim: z.object({ by: z.string(), until: z.string() }).optional(),
    decisions: z.array(DecisionViewSchema),
    appeal: z
      .object({ text: z.string(), appealedAt: z.string(), decidedAt: z.string().optional() })
      .optional(),
    /** For the author: whether an appeal can be made now. */
    mayAppeal: z.boolean().optional(),
    version: z.int(),
  })
  .meta({ id: 'ModerationItem' });

export const ItemListSchema = z.object({ items: z.array(ItemViewSchema), cursor: z.string().optional() });

export const ReportResultSchema = z.object({ alreadyReported: z.boolean(), itemId: z.string() });

export const ReasonListSchema = z.object({
  reasons: z.array(
    z.object({ code: z.string(), hidesText: z.boolean(), text: Localized, choosable: z.boolean() }),
  ),
});

export const TransparencyReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    decisions: z.int(),
    byTool: z.record(z.string(), z.record(z.string(), z.int())),
    byReasonCode: z.record(z.string(), z.int()),
    byMonth: z.record(z.string(), z.int()),
    medianSecondsToDecision: z.number().nullable(),
    appeals: z.object({ decided: z.int(), overturned: z.int() }),
  })
  .meta({ id: 'ModerationTransparencyReport' });

/**
 * A moderation decision as the subject's author reads it, in a tool's view of
 * the subject or in the centre's: the decision, the reason code with its text
 * (uk and en), the `note` where the view shows one, and when.
 */
export function authorDecisionView<D extends string>(
  record: { readonly decision: D; readonly reasonCode?: string; readonly decidedAt: string },
  note?: string,
) {
  const reason = reasonText(record.reasonCode);
  return {
    decision: record.decision,
    ...(record.reasonCode ? { reasonCode: record.reasonCode } : {}),
    ...(reason ? { reason } : {}),
    ...(note ? { note } : {}),
    decidedAt: record.decidedAt,
  };
}

function decisionView(record: DecisionRecord, staff: boolean) {
  return {
    ...authorDecisionView(record, record.note),
    ...(staff ? { decidedBy: record.decidedBy } : {}),
    onAppeal: record.onAppeal,
  };
}

/**
 * An item as its viewer may see it: the staff see reports, claims and who
 * decided; the author sees the decisions with their reasons (uk and en) and
 * whether they may appeal. Nobody sees the author's key.
 */
export function itemView(
  item: ModerationItem,
  viewer: { staff: boolean; actor?: Actor; slaDays: number; now: Date },
) {
  return {
    id: item.id,
    type: item.type,
    subjectId: item.subjectId,
    ...(item.parentId ? { parentId: item.parentId } : {}),
    title: item.title,
    excerpt: item.excerpt,
    status: item.status,
    createdAt: item.createdAt,
    waitingSince: item.waitingSince,
    overdue: isOverdue(item, viewer.slaDays, viewer.now),
    autoHidden: item.autoHidden,
    ...(viewer.staff
      ? {
          reports: {
            byReason: item.reports as Record<string, number>,
            total: reportTotal(item),
            sinceDecision: item.reportsSinceDecision,
          },
          ...(item.claim && item.claim.until > viewer.now.toISOString() ? { claim: item.claim } : {}),
        }
      : {}),
    decisions: item.decisions.map((record) => decisionView(record, viewer.staff)),
    ...(item.appeal ? { appeal: item.appeal } : {}),
    ...(isItemAuthor(viewer.actor, item)
      ? { mayAppeal: appealRefusal(viewer.actor, item) === undefined }
      : {}),
    version: item.version,
  };
}

export const reasonList = () => ({
  reasons: Object.entries(REASON_CODES).map(([code, reason]) => ({
    code,
    hidesText: reason.hidesText,
    text: reason.text,
    choosable: (CHOOSABLE_REASON_CODES as string[]).includes(code),
  })),
});
