import { LimitedAction } from '../../domain/communities/limits';
import type { SurveyAnswers } from '../../domain/consultations/survey';
import { ResponseErrorCode } from '../../domain/consultations/survey-response';
import { limitedBy } from '../shared/rate-limits';
import { type AnyRoute, answer, defineRoute, userScope } from '../shared/routes';
import { ITEM, rulesOf, useCasesFor } from './requests';
import {
  ConsultationPathSchema,
  SurveyResponseBodySchema,
  SurveyResponseViewSchema,
  SurveyResultsSchema,
} from './schemas';
import { resultsView } from './views';

const RESPONSE = `${ITEM}/survey/responses/me`;

/** What a resident sees of their own response. */
const responseView = (response: {
  readonly answers: SurveyAnswers;
  readonly submittedAt: string;
  readonly districtId?: string;
}) => ({
  answers: response.answers,
  submittedAt: response.submittedAt,
  ...(response.districtId ? { districtId: response.districtId } : {}),
});

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
      'rate_limited',
      ...Object.values(ResponseErrorCode),
    ],
    handle: limitedBy(LimitedAction.surveyAnswer, async (request) => {
      const { command, community } = userScope(request);
      const { consultationId } = request.params;
      return answer(
        await useCasesFor(request).answerSurvey(
          command,
          rulesOf(community),
          community.id,
          consultationId,
          request.body.answers,
        ),
        ({ response, written }) => ({
          status: written === 'created' ? 201 : 200,
          body: responseView(response),
        }),
      );
    }),
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
      const { command, community } = userScope(request);
      return answer(
        await useCasesFor(request).myResponse(command, community.id, request.params.consultationId),
        (response) => ({
          status: 200,
          body: responseView(response),
          headers: { 'cache-control': 'no-store' },
        }),
      );
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
    handle: async (request) =>
      answer(
        await useCasesFor(request).surveyResults(request.params.communityId, request.params.consultationId),
        (results) => ({ status: 200, body: resultsView(results) }),
      ),
  }),
];
