import { AuditAction } from '../../domain/audit/intent';
import { forbidden } from '../../domain/communities/permissions';
import { publishReport } from '../../domain/consultations/commands/publish-report';
import { phaseChangedEvent, reportPublishedEvent } from '../../domain/consultations/events';
import { mayActAsCouncil } from '../../domain/consultations/permissions';
import { text } from '../../domain/shared/localized';
import { type AnyRoute, defineRoute, userScope } from '../shared/routes';
import { exportConsultation } from './export';
import { councilAudit, currentDraftOf, ITEM, loadConsultation, retrying, storeFor } from './requests';
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
      const { command } = userScope(request);
      const store = storeFor(request);
      return retrying(async () => {
        const consultation = await loadConsultation(request);
        if ('code' in consultation) return { error: consultation };
        // Only the comments the report names are read, never every comment of the consultation.
        const named = request.body.sections.flatMap((entry) => entry.commentIds ?? []);
        const [draft, commentIds] = await Promise.all([
          currentDraftOf(request, consultation),
          store.commentIdsAmong(consultation.communityId, consultation.id, named),
        ]);
        const outcome = publishReport(command, consultation, draft, request.body, commentIds);
        if (!outcome.ok) return outcome;
        const published = outcome.value;
        const now = command.clock.now();
        const saved = await store.saveReport(
          consultation,
          published,
          [
            phaseChangedEvent(command.ids, now, consultation.phase, published.consultation, 'council'),
            reportPublishedEvent(command.ids, now, published.report),
          ],
          councilAudit(
            command,
            AuditAction.consultationReportPublish,
            consultation,
            { phase: consultation.phase },
            {
              phase: published.consultation.phase,
              draftVersion: published.report.draftVersion,
              sections: published.report.sections.length,
            },
          ),
        );
        return saved === 'conflict' ? 'conflict' : { status: 201, body: reportView(published.report, draft) };
      });
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
    handle: async (request) => {
      const consultation = await loadConsultation(request);
      if ('code' in consultation) return { error: consultation };
      const report = await storeFor(request).report(consultation.communityId, consultation.id);
      if (!report) {
        return {
          error: {
            code: 'report_not_found',
            message: text('Рада ще не оприлюднила звіт.', 'The council has not published the report yet.'),
            details: { currentPhase: consultation.phase },
          },
        };
      }
      return { status: 200, body: reportView(report, await currentDraftOf(request, consultation)) };
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${ITEM}/export`,
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
    handle: async (request) => {
      const { command } = userScope(request);
      if (!mayActAsCouncil(command.actor)) return { error: forbidden('council') };
      const consultation = await loadConsultation(request);
      if ('code' in consultation) return { error: consultation };
      const { format, dataset } = request.query;
      const { survey } = consultation;
      if (format === 'csv' && dataset !== 'comments' && !survey) {
        return {
          error: {
            code: 'survey_not_found',
            message: text('До цієї консультації не додано опитування.', 'This consultation has no survey.'),
          },
        };
      }
      return exportConsultation(request, consultation);
    },
  }),
];
