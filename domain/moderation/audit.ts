import { AuditAction, type AuditIntent, type AuditSummary, newAuditIntent } from '../audit/intent';
import type { CommandContext } from '../shared/command';
import type { DecidedItem } from './commands/decide-item';
import type { ModerationItem } from './item';

/** What a decision did to its subject, as the subject's tool summarises it for the audit trail. */
export interface SubjectSides {
  readonly before: AuditSummary;
  readonly after: AuditSummary;
}

/**
 * The audit record of a moderation decision: the item's status before, and
 * after it the decision with its reason and note, whether it was on appeal,
 * and on both sides what the subject's tool says changed (`public`, say).
 * @example moderationAudit(context, item, decided, { before: { public: false }, after: { public: true } })
 */
export function moderationAudit(
  context: CommandContext,
  item: ModerationItem,
  decided: DecidedItem,
  subject: SubjectSides,
): AuditIntent {
  const { record } = decided;
  return newAuditIntent(context, {
    communityId: item.communityId,
    action: AuditAction.moderationDecide,
    target: `${item.type}/${item.subjectId}`,
    before: { status: item.status, ...subject.before },
    after: {
      status: decided.item.status,
      decision: record.decision,
      ...(record.reasonCode ? { reasonCode: record.reasonCode } : {}),
      ...(record.note ? { note: record.note } : {}),
      onAppeal: record.onAppeal,
      ...subject.after,
    },
  });
}
