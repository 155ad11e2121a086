import { AuditAction } from '../../audit/intent';
import { forbidden } from '../../communities/permissions';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { type Outcome, ok, reject } from '../../shared/outcome';
import { consultationAudit } from '../audit';
import { type Consultation, invalidPhase, SURVEY_EDITABLE } from '../consultation';
import { surveySetEvent } from '../events';
import { mayActAsCouncil } from '../permissions';
import type { Survey } from '../survey';

/**
 * The council attaches, replaces or (with undefined) removes the survey, while
 * the consultation is a draft: once open, every response must answer the same questions.
 *
 * Outcomes: ok (emits `consultation.survey-set.v1`, audited); `forbidden` (not
 * council); `invalid_phase` (not a draft, with `currentPhase`).
 */
export function setSurvey(
  context: CommandContext,
  consultation: Consultation,
  survey: Survey | undefined,
): Outcome<Consultation> {
  if (!mayActAsCouncil(context.actor)) return reject(forbidden('council'));
  if (!SURVEY_EDITABLE.has(consultation.phase)) {
    return reject(invalidPhase(consultation, text('змінити опитування', 'changing the survey')));
  }
  const { survey: _previous, ...rest } = consultation;
  const next: Consultation = { ...rest, ...(survey ? { survey } : {}), revision: consultation.revision + 1 };
  return ok(
    next,
    [surveySetEvent(context.ids, context.clock.now(), next)],
    consultationAudit(
      context,
      AuditAction.consultationSurveySet,
      consultation,
      { surveyQuestions: consultation.survey?.questions.length ?? 0 },
      { surveyQuestions: next.survey?.questions.length ?? 0 },
    ),
  );
}
