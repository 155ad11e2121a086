import type { CommandContext } from '../../shared/command';
import { versionConflict } from '../../shared/conflict';
import { text } from '../../shared/localized';
import { type DomainError, fail, type Outcome, ok, reject } from '../../shared/outcome';
import { type Consultation, inputRefusal } from '../consultation';
import { ineligibility, type ParticipationRules } from '../eligibility';
import type { SurveyAnswers } from '../survey';
import { storedAnswers, validateResponse } from '../survey-response';
import { isNonEmpty, rejectViolations } from '../violations';

/** One resident's response: the store writes it with one put keyed by the respondent, replacing any earlier one. */
export interface SurveyResponseToWrite {
  readonly communityId: string;
  readonly consultationId: string;
  readonly respondentKey: string;
  readonly answers: SurveyAnswers;
  readonly districtId?: string;
  readonly submittedAt: string;
}

/**
 * Two requests of one resident crossed and the later one is stored already:
 * this earlier one does not replace it (the store's conditional write tells).
 */
export const responseOvertaken: DomainError = versionConflict(
  undefined,
  text(
    'Ваші пізніші відповіді вже збережено; ці, надіслані раніше, не замінили їх.',
    'Your later answers are stored already; these, sent earlier, did not replace them.',
  ),
);

/**
 * An eligible resident answers the consultation's survey, or replaces their
 * answers, while the consultation is open.
 *
 * Outcomes: ok (the response to write); `not_eligible` (with `reason`);
 * `consultation_not_open` (with `currentPhase`); `survey_not_found`; and, with
 * every problem in `details.errors` (pointers `/body/answers/<questionId>`):
 * `answer_required`, `unknown_question`, `answer_to_hidden_question`,
 * `wrong_answer_type`, `unknown_option`, `duplicate_choice`, `too_few_choices`,
 * `too_many_choices`, `scale_out_of_range`, `ranking_duplicate`,
 * `ranking_unknown_option`, `text_too_long` (the first one's code is the outcome's).
 */
export function submitSurveyResponse(
  context: CommandContext,
  rules: ParticipationRules,
  consultation: Consultation,
  answers: Readonly<Record<string, unknown>>,
): Outcome<SurveyResponseToWrite> {
  const { actor, clock } = context;
  const now = clock.now();
  const refusal = ineligibility(actor, rules, now) ?? inputRefusal(consultation, now);
  if (refusal) return reject(refusal);
  const { survey } = consultation;
  if (!survey) {
    return fail(
      'survey_not_found',
      text('До цієї консультації не додано опитування.', 'This consultation has no survey.'),
    );
  }
  const violations = validateResponse(survey, answers);
  if (isNonEmpty(violations)) return rejectViolations(violations);
  return ok({
    communityId: consultation.communityId,
    consultationId: consultation.id,
    respondentKey: actor.signerKey,
    answers: storedAnswers(survey, answers),
    ...(actor.residency?.districtId ? { districtId: actor.residency.districtId } : {}),
    submittedAt: now.toISOString(),
  });
}
