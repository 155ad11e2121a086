import { submitSurveyResponse } from '../../domain/consultations/commands/submit-survey-response';
import { ResponseErrorCode } from '../../domain/consultations/survey-response';
import { surveyResultsFromCounters } from '../../domain/consultations/survey-tally';
import { text } from '../../domain/shared/localized';
import type { DomainError } from '../../domain/shared/outcome';
import { type AnyRoute, defineRoute, userScope } from '../shared/routes';
import { ITEM, loadConsultation, rulesOf, storeFor } from './requests';
import {
  ConsultationPathSchema,
  SurveyResponseBodySchema,
  SurveyResponseViewSchema,
  SurveyResultsSchema,
} from './schemas';
import { resultsView } from './views';

const RESPONSE = `${ITEM}/survey/responses/me`;

/** Two requests of one resident crossed: the later one is stored, and this earlier one is not. */
const overtaken: DomainError = {
  code: 'version_conflict',
  message: text(
    'Ваші пізніші відповіді вже збережено; ці, надіслані раніше, не замінили їх.',
    'Your later answers are stored already; these, sent earlier, did not replace them.',
  ),
};

const noSurvey: DomainError = {
  code: 'survey_not_found',
  message: text('До цієї консультації не додано опитування.', 'This consultation has no survey.'),
};

export const surveyRoutes: AnyRoute[] = [
  defineRoute({
    method: 'PUT',
    path: RESPONSE,
    auth: 'user',
    operationId: 'answerConsultationSurvey',
    summary: 'Answer the survey, or replace your answers (eligible resident, while open)',
    description:
      '`answers` maps question ids to an option id (single), option ids (multiple; ranking, best first), a whole ' +
      'number (scale) or text. Every mistake is listed in `errors` with a pointer `/body/answers/<questionId>`; ' +
      'each kind has its own code, and the problem is that of the first. One write per resident: 201 the first ' +
      'time, 200 after.',
    params: ConsultationPathSchema,
    body: SurveyResponseBodySchema,
    responses: {
      201: { description: 'Answered', schema: SurveyResponseViewSchema },
      200: { description: 'Your earlier answers replaced', schema: SurveyResponseViewSchema },
    },
    errors: [
      'community_not_found',
      'consultation_not_found',
      'not_eligible',
      'consultation_not_open',
      'survey_not_found',
      'version_conflict',
      ...Object.values(ResponseErrorCode),
    ],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const consultation = await loadConsultation(request);
      if ('code' in consultation) return { error: consultation };
      const outcome = submitSurveyResponse(command, rulesOf(community), consultation, request.body.answers);
      if (!outcome.ok) return outcome;
      const response = outcome.value;
      const written = await storeFor(request).submitResponse(response);
      // A later request of the same resident was stored first: theirs stands, this one is refused.
      if (written === 'superseded') return { error: overtaken };
      return {
        status: written === 'created' ? 201 : 200,
        body: {
          answers: response.answers,
          submittedAt: response.submittedAt,
          ...(response.districtId ? { districtId: response.districtId } : {}),
        },
      };
    },
  }),

  defineRoute({
    method: 'GET',
    path: RESPONSE,
    auth: 'user',
    operationId: 'getMyConsultationSurveyResponse',
    summary: 'Your answers to the survey',
    params: ConsultationPathSchema,
    responses: { 200: { description: 'Your answers', schema: SurveyResponseViewSchema } },
    errors: ['community_not_found', 'consultation_not_found', 'not_found'],
    handle: async (request) => {
      const { command } = userScope(request);
      const consultation = await loadConsultation(request);
      if ('code' in consultation) return { error: consultation };
      const response = await storeFor(request).responseOf(
        consultation.communityId,
        consultation.id,
        command.actor.signerKey,
      );
      if (!response) {
        return {
          error: {
            code: 'not_found',
            message: text('Ви ще не відповіли на опитування.', 'You have not answered the survey yet.'),
          },
        };
      }
      return {
        status: 200,
        body: {
          answers: response.answers,
          submittedAt: response.submittedAt,
          ...(response.districtId ? { districtId: response.districtId } : {}),
        },
        headers: { 'cache-control': 'no-store' },
      };
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${ITEM}/survey/results`,
    auth: 'public',
    operationId: 'getConsultationSurveyResults',
    summary: 'Survey results: counts per option, scale distribution and mean, Borda ranking; by district too',
    description:
      'Read from counters that the stream tally keeps as responses arrive (a second or so behind), so it costs ' +
      'the same at any number of responses. Free-text answers are counted here; their text is in the ' +
      "council's export. `byDistrict` groups the responses whose token named a district; a district with " +
      "fewer than 5 respondents shows its count only, so that nobody's answers can be read off it.",
    params: ConsultationPathSchema,
    cache: { maxAgeSeconds: 60 },
    responses: { 200: { description: 'The results', schema: SurveyResultsSchema } },
    errors: ['community_not_found', 'consultation_not_found', 'survey_not_found'],
    handle: async (request) => {
      const consultation = await loadConsultation(request);
      if ('code' in consultation) return { error: consultation };
      if (!consultation.survey) return { error: noSurvey };
      const counters = await storeFor(request).surveyCounters(consultation.communityId, consultation.id);
      return { status: 200, body: resultsView(surveyResultsFromCounters(consultation.survey, counters)) };
    },
  }),
];
