import { type AuditAction, type AuditIntent, type AuditSummary, newAuditIntent } from '../audit/intent';
import type { CommandContext } from '../shared/command';
import type { Consultation } from './consultation';

/**
 * The audit record of a council action on a consultation: who, what, and the
 * summaries the action names (the consultation's own fields, or counts such
 * as a draft's version or a survey's questions).
 * @example consultationAudit(context, AuditAction.consultationSurveySet, consultation, { surveyQuestions: 0 }, { surveyQuestions: 3 })
 */
export function consultationAudit(
  context: CommandContext,
  action: AuditAction,
  consultation: Pick<Consultation, 'communityId' | 'id'>,
  before?: AuditSummary,
  after?: AuditSummary,
): AuditIntent {
  return newAuditIntent(context, {
    communityId: consultation.communityId,
    action,
    target: `consultation/${consultation.id}`,
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
  });
}
