import { forbidden } from '../../communities/permissions';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { type Outcome, ok, reject } from '../../shared/outcome';
import { type Consultation, invalidPhase, SURVEY_EDITABLE } from '../consultation';
import { mayActAsCouncil } from '../permissions';
import type { Survey } from '../survey';

/**
 * The council attaches, replaces or (with undefined) removes the survey, while
 * the consultation is a draft: once open, every response must answer the same questions.
 *
 * Outcomes: ok; `forbidden` (not council); `invalid_phase` (not a draft, with `currentPhase`).
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
  return ok({ ...rest, ...(survey ? { survey } : {}), revision: consultation.revision + 1 });
}
