import { AuditAction } from '../../audit/intent';
import type { Community } from '../../communities/community';
import { forbidden } from '../../communities/permissions';
import type { CommandContext } from '../../shared/command';
import { audited, reject, type StaffOutcome } from '../../shared/outcome';
import { consultationAudit } from '../audit';
import { type Consultation, ConsultationPhase, invalidDates, versionSummary } from '../consultation';
import { type Draft, parseDraft } from '../draft';
import { createdEvent, surveySetEvent } from '../events';
import { mayActAsCouncil } from '../permissions';
import type { Survey } from '../survey';

export interface CreateConsultationInput {
  readonly title: string;
  readonly summary: string;
  readonly ownerDepartment: string;
  /** ISO timestamps; the consultation takes input from `opensAt` until just before `closesAt`. */
  readonly opensAt: string;
  readonly closesAt: string;
  /** The draft under discussion, as Markdown (see `parseDraft`). */
  readonly markdown: string;
  /** Already checked against `SurveySchema`. */
  readonly survey?: Survey;
}

/** A consultation with the draft version it points at; the store keeps each version as its own item. */
export interface ConsultationWithDraft {
  readonly consultation: Consultation;
  readonly draft: Draft;
}

/**
 * The council creates a consultation in `draft`, with version 1 of its draft.
 * It opens when the scheduled job finds `opensAt` reached, or when the council opens it.
 *
 * Outcomes: ok (emits `consultation.created.v1`, and `consultation.survey-set.v1`
 * with a survey; audited); `forbidden` (not council); `invalid_dates` (closes before it
 * opens, or in the past); `draft_too_large`, `too_many_sections`,
 * `too_many_paragraphs`, `draft_empty`, `duplicate_block_id` (the Markdown).
 */
export function createConsultation(
  context: CommandContext,
  community: Community,
  input: CreateConsultationInput,
): StaffOutcome<ConsultationWithDraft> {
  const { actor, clock, ids } = context;
  if (!mayActAsCouncil(actor)) return reject(forbidden('council'));
  const now = clock.now();
  const opensAt = Date.parse(input.opensAt);
  const closesAt = Date.parse(input.closesAt);
  if (Number.isNaN(opensAt) || Number.isNaN(closesAt) || closesAt <= opensAt || closesAt <= now.getTime()) {
    return reject(invalidDates(input.opensAt, input.closesAt));
  }
  const parsed = parseDraft(input.markdown, ids);
  if (!parsed.ok) return parsed;
  const draft = parsed.value;
  const consultation: Consultation = {
    id: ids.next(),
    communityId: community.id,
    title: input.title,
    summary: input.summary,
    ownerDepartment: input.ownerDepartment,
    opensAt: new Date(opensAt).toISOString(),
    closesAt: new Date(closesAt).toISOString(),
    phase: ConsultationPhase.draft,
    currentVersion: draft.version,
    versions: [versionSummary(draft, now, actor.subject)],
    ...(input.survey ? { survey: input.survey } : {}),
    createdBy: actor.subject,
    createdAt: now.toISOString(),
    revision: 1,
  };
  return audited(
    { consultation, draft },
    [
      createdEvent(ids, now, consultation),
      ...(consultation.survey ? [surveySetEvent(ids, now, consultation)] : []),
    ],
    consultationAudit(context, AuditAction.consultationCreate, consultation, undefined, {
      title: consultation.title,
      phase: consultation.phase,
      opensAt: consultation.opensAt,
      closesAt: consultation.closesAt,
      draftVersion: draft.version,
      surveyQuestions: consultation.survey?.questions.length ?? 0,
    }),
  );
}
