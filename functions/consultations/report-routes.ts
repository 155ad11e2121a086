import { type AnyRoute, answer, defineRoute, userScope } from '../shared/routes';
import { EXPORT, exportConsultation } from './export';
import { ITEM, useCasesFor } from './requests';
import { ConsultationPathSchema, ExportQuerySchema, ReportBodySchema, ReportViewSchema } from './schemas';
import { reportView } from './views';

export const reportRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: `${ITEM}/report`,
    auth: 'user',
    operationId: 'publishConsultationReport',
    summary: "Publish the council's report once the consultation has closed (council)",
    description:
      'Per section of the final version: a summary of what was heard, the decision (`accepted`, ' +
      '`partially_accepted`, `rejected`; the last two with `reasons`) and the comments it answers. Every ' +
      'mistake is listed in `errors`; the problem is that of the first. The consultation moves to `report_published`.',
    params: ConsultationPathSchema,
    body: ReportBodySchema,
    responses: { 201: { description: 'The report', schema: ReportViewSchema } },
    errors: [
      'community_not_found',
      'consultation_not_found',
      'forbidden',
      'invalid_phase',
      'report_empty',
      'unknown_section',
      'duplicate_section',
      'summary_required',
      'reasons_required',
      'unknown_comment',
      'version_conflict',
    ],
    handle: async (request) => {
      const { command, community } = userScope(request);
      return answer(
        await useCasesFor(request).publishReport(
          command,
          community.id,
          request.params.consultationId,
          request.body,
        ),
        ({ report, draft }) => ({ status: 201, body: reportView(report, draft) }),
      );
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${ITEM}/report`,
    auth: 'public',
    operationId: 'getConsultationReport',
    summary: "The council's report: per section, what was heard, the decision and the comments it answers",
    params: ConsultationPathSchema,
    cache: { maxAgeSeconds: 60 },
    responses: { 200: { description: 'The report', schema: ReportViewSchema } },
    errors: ['community_not_found', 'consultation_not_found', 'report_not_found'],
    handle: async (request) =>
      answer(
        await useCasesFor(request).report(request.params.communityId, request.params.consultationId),
        ({ report, draft }) => ({ status: 200, body: reportView(report, draft) }),
      ),
  }),

  defineRoute({
    method: 'GET',
    path: EXPORT,
    auth: 'user',
    operationId: 'exportConsultation',
    summary: 'Comments, survey results and raw answers as JSON or CSV (council)',
    description:
      'Comments with their section (where they attach now), stance, votes and moderation state; authors and ' +
      'respondents only as pseudonyms (the same within this consultation). Text that is not published is left ' +
      'out. `format=json` holds everything, with the counts the API shows; `format=csv` one table: ' +
      '`dataset=comments` (default), `survey-results` or `survey-answers`. Every export is recorded in the audit trail. ' +
      'An export pages: a page reads at most 5,000 comments or responses and holds at most 5 MiB; when more ' +
      'remains a `Link` header with `rel="next"` names the next page (the same query and a `cursor`), and each ' +
      'page is recorded in the audit trail before it is given. CSV pages concatenated in order are the file (the ' +
      "header row only on the first); each JSON page is the whole document with that page's `comments` and " +
      '`survey.answers` (comments first, then answers) and `next`: join them by appending those arrays. ' +
      'A JSON export that pages takes its counts and results from the tallies (text answers only in `answers`).',
    params: ConsultationPathSchema,
    query: ExportQuerySchema,
    responses: { 200: { description: 'The export (JSON, or CSV with `format=csv`)' } },
    errors: [
      'community_not_found',
      'consultation_not_found',
      'forbidden',
      'survey_not_found',
      'invalid_cursor',
    ],
    handle: (request) => exportConsultation(request),
  }),
];
