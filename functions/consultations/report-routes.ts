import { createHash } from 'node:crypto';
import { AuditAction } from '../../domain/audit/intent';
import { forbidden } from '../../domain/communities/permissions';
import { publishReport } from '../../domain/consultations/commands/publish-report';
import { phaseChangedEvent, reportPublishedEvent } from '../../domain/consultations/events';
import {
  answerCsvRows,
  COMMENT_COLUMNS,
  commentRows,
  type Pseudonymize,
  RESULT_COLUMNS,
  resultRows,
  toCsv,
} from '../../domain/consultations/export';
import { mayActAsCouncil } from '../../domain/consultations/permissions';
import { commentCounts } from '../../domain/consultations/ranking';
import { surveyResults } from '../../domain/consultations/survey-results';
import { text } from '../../domain/shared/localized';
import { putAuditIntent } from '../audit/intents';
import { documentClient } from '../shared/dynamo';
import { type AnyRoute, defineRoute, userScope } from '../shared/routes';
import { councilAudit, currentDraftOf, ITEM, loadConsultation, retrying, storeFor } from './requests';
import { ConsultationPathSchema, ExportQuerySchema, ReportBodySchema, ReportViewSchema } from './schemas';
import { reportView, summaryView } from './views';

/**
 * A pseudonym per person and consultation: the signer key (itself an HMAC
 * under the server's secret) hashed with the consultation id, so one export's
 * rows can be grouped by person but two exports cannot be joined on people.
 */
const pseudonymsFor =
  (consultationId: string): Pseudonymize =>
  (signerKey) =>
    createHash('sha256').update(`${consultationId}\n${signerKey}`).digest('hex').slice(0, 16);

const CSV = 'text/csv; charset=utf-8';

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
      '`dataset=comments` (default), `survey-results` or `survey-answers`. Every export is recorded in the audit trail.',
    params: ConsultationPathSchema,
    query: ExportQuerySchema,
    responses: { 200: { description: 'The export (JSON, or CSV with `format=csv`)' } },
    errors: ['community_not_found', 'consultation_not_found', 'forbidden', 'survey_not_found'],
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
      const store = storeFor(request);
      const [draft, comments, responses] = await Promise.all([
        currentDraftOf(request, consultation),
        store.comments(consultation.communityId, consultation.id),
        survey ? store.responses(consultation.communityId, consultation.id) : Promise.resolve([]),
      ]);
      const pseudonymize = pseudonymsFor(consultation.id);
      const rows = commentRows(draft, comments, pseudonymize);
      const results = survey ? surveyResults(survey, responses) : undefined;
      const answers = responses
        .map((response) => ({
          respondent: pseudonymize(response.respondentKey),
          districtId: response.districtId ?? null,
          submittedAt: response.submittedAt,
          answers: response.answers,
        }))
        .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));

      let body: unknown;
      if (format === 'json') {
        body = {
          consultation: summaryView(consultation, command.clock.now()),
          exportedAt: command.clock.now().toISOString(),
          draftVersion: draft.version,
          counts: commentCounts(draft, comments),
          comments: rows,
          survey: survey && results ? { questions: survey.questions, results, answers } : null,
        };
      } else if (!survey || !results || dataset === 'comments') {
        body = toCsv(COMMENT_COLUMNS, rows);
      } else if (dataset === 'survey-results') {
        body = toCsv(RESULT_COLUMNS, resultRows(results));
      } else {
        const table = answerCsvRows(survey, answers);
        body = toCsv(table.columns, table.cells);
      }
      // On the record before the data leaves: an export that cannot be recorded is not given.
      await putAuditIntent(
        documentClient(request.config),
        request.config.tableName,
        councilAudit(command, AuditAction.consultationExport, consultation, undefined, {
          format,
          ...(format === 'csv' ? { dataset } : {}),
          comments: rows.length,
          responses: responses.length,
        }),
      );
      const name = `consultation-${consultation.id}${format === 'csv' ? `-${dataset}.csv` : '.json'}`;
      return {
        status: 200,
        body,
        headers: {
          'content-type': format === 'csv' ? CSV : 'application/json; charset=utf-8',
          'content-disposition': `attachment; filename="${name}"`,
          'cache-control': 'no-store',
        },
      };
    },
  }),
];
