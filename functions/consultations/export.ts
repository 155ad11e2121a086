import { createHash } from 'node:crypto';
import { AuditAction } from '../../domain/audit/intent';
import { forbidden } from '../../domain/communities/permissions';
import { consultationAudit } from '../../domain/consultations/audit';
import {
  type AnswerExportRow,
  answerCsvRows,
  COMMENT_COLUMNS,
  commentRows,
  csvRows,
  type Pseudonymize,
  RESULT_COLUMNS,
  resultRows,
  toCsv,
} from '../../domain/consultations/export';
import { mayActAsCouncil } from '../../domain/consultations/permissions';
import type { ConsultationStore, StoredSurveyResponse } from '../../domain/consultations/ports';
import { commentCounts, commentCountsFromTargets } from '../../domain/consultations/ranking';
import { surveyResults } from '../../domain/consultations/survey-results';
import { surveyResultsFromCounters } from '../../domain/consultations/survey-tally';
import { text } from '../../domain/shared/localized';
import { putAuditIntent } from '../audit/intents';
import { documentClient } from '../shared/dynamo';
import {
  EXPORT_LIMIT_BYTES,
  exportCursor,
  exportPageRows,
  exportPosition,
  nextPageLink,
} from '../shared/export-pages';
import { invalidCursor, isKeyValue } from '../shared/pagination';
import { pathTo, type RouteReply, type RouteRequest, userScope } from '../shared/routes';
import { ITEM, storeFor } from './requests';
import { consultationReads } from './use-cases';
import { summaryView } from './views';

const CSV = 'text/csv; charset=utf-8';

/** The export's path template: its `Link` to the next page is built from it. */
export const EXPORT = `${ITEM}/export`;

/** What the rows of a JSON page may take: the rest (summary, counts, results, questions) is bounded by the survey. */
const JSON_ROW_BYTES = EXPORT_LIMIT_BYTES * 0.8;

/**
 * What an author's key becomes once the consultation's retention has passed:
 * this prefix and the pseudonym the export showed (see `functions/retention`).
 */
export const PSEUDONYM_PREFIX = 'pseudonym:';

/**
 * A pseudonym per person and consultation: the signer key (itself an HMAC
 * under the server's secret) hashed with the consultation id, so one export's
 * rows can be grouped by person but two exports cannot be joined on people.
 * A key the retention job already replaced by its pseudonym is that pseudonym.
 */
export const pseudonymsFor =
  (consultationId: string): Pseudonymize =>
  (signerKey) =>
    signerKey.startsWith(PSEUDONYM_PREFIX)
      ? signerKey.slice(PSEUDONYM_PREFIX.length)
      : createHash('sha256').update(`${consultationId}\n${signerKey}`).digest('hex').slice(0, 16);

/** A stored item's room in a page (its JSON, a little more than the row it becomes). */
const storedSize = (item: unknown): number => Buffer.byteLength(JSON.stringify(item), 'utf8');

const answerRows = (
  pseudonymize: Pseudonymize,
  responses: readonly StoredSurveyResponse[],
): AnswerExportRow[] =>
  responses
    .map((response) => ({
      respondent: pseudonymize(response.respondentKey),
      districtId: response.districtId ?? null,
      submittedAt: response.submittedAt,
      answers: response.answers,
    }))
    .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));

/** Where a cursor says the previous page ended (a sort key), if anywhere. */
function sortKey(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isKeyValue(value)) throw invalidCursor();
  return value;
}

type ExportQuery = {
  format: 'json' | 'csv';
  dataset: 'comments' | 'survey-results' | 'survey-answers';
  cursor?: string;
};

/**
 * A consultation's export, a page at a time (see `functions/shared/export-pages.ts`).
 * CSV: the header row only on the first page, so pages concatenated are the
 * file; `survey-results` is one page. JSON: each page is the whole document
 * with this page's `comments` and `survey.answers` (comments first, then the
 * answers) and `next`. When the whole export fits one page, counts and results
 * are computed from what it read, as ever; when it pages, they come from the
 * stream tally's counters (what the API shows), and text answers are only in
 * `answers`. Each page is recorded in the audit trail before it leaves.
 */
export async function exportConsultation(
  request: RouteRequest<{ communityId: string; consultationId: string }, ExportQuery>,
): Promise<RouteReply> {
  const { command, community } = userScope(request);
  if (!mayActAsCouncil(command.actor)) return { error: forbidden('council') };
  const store: ConsultationStore = storeFor(request);
  const reads = consultationReads(store);
  const loaded = await reads.consultation(community.id, request.params.consultationId);
  if (!loaded.ok) return { error: loaded.error };
  const consultation = loaded.value;
  const { format, dataset, cursor } = request.query;
  const survey = consultation.survey;
  if (format === 'csv' && dataset !== 'comments' && !survey) {
    return {
      error: {
        code: 'survey_not_found',
        message: text('До цієї консультації не додано опитування.', 'This consultation has no survey.'),
      },
    };
  }
  const kind = `consultation/${consultation.id}/${format}${format === 'csv' ? `/${dataset}` : ''}`;
  // A cursor of another export or of a list is refused before anything is read.
  const position = exportPosition(cursor, kind);
  const rows = exportPageRows(request.config);
  const pseudonymize = pseudonymsFor(consultation.id);
  const { communityId, id } = consultation;
  const draft = await reads.currentDraft(consultation);
  const link = (next: string) =>
    nextPageLink(pathTo(EXPORT, { communityId, consultationId: id }), { format, dataset }, next);

  let body: unknown;
  let given = { comments: 0, responses: 0 };
  let next: string | undefined;
  const first = position === undefined;

  if (format === 'json') {
    const phase = position?.phase === 'answers' ? 'answers' : 'comments';
    let comments: Awaited<ReturnType<ConsultationStore['commentPage']>> = { items: [] };
    if (phase === 'comments') {
      comments = await store.commentPage(communityId, id, {
        after: sortKey(position?.after),
        rows,
        bytes: JSON_ROW_BYTES,
        sizeOf: storedSize,
      });
    }
    let responses: Awaited<ReturnType<ConsultationStore['responsePage']>> = { items: [] };
    const readAnswers = survey !== undefined && (phase === 'answers' || comments.after === undefined);
    const room = phase === 'answers' ? rows : rows - comments.items.length;
    const roomBytes =
      JSON_ROW_BYTES - comments.items.reduce((bytes, comment) => bytes + storedSize(comment), 0);
    if (readAnswers && room > 0 && roomBytes > 0) {
      responses = await store.responsePage(communityId, id, {
        after: phase === 'answers' ? sortKey(position?.after) : undefined,
        rows: room,
        bytes: roomBytes,
        sizeOf: storedSize,
      });
      if (responses.after !== undefined)
        next = exportCursor(kind, { phase: 'answers', after: responses.after });
    } else if (readAnswers) {
      next = exportCursor(kind, { phase: 'answers' });
    }
    if (comments.after !== undefined) next = exportCursor(kind, { phase: 'comments', after: comments.after });
    const whole = first && next === undefined;
    // The whole export in one page: counted from what it read. Else from the tallies' counters, a bounded read;
    // so too once the responses are erased (`anonymised`): the counters are what is left of them.
    const [counts, results] =
      whole && !consultation.anonymised
        ? [commentCounts(draft, comments.items), survey ? surveyResults(survey, responses.items) : undefined]
        : await Promise.all([
            store.commentCounts(communityId, id).then((targets) => commentCountsFromTargets(draft, targets)),
            survey
              ? store
                  .surveyCounters(communityId, id)
                  .then((counters) => surveyResultsFromCounters(survey, counters))
              : Promise.resolve(undefined),
          ]);
    const commentsOut = commentRows(draft, comments.items, pseudonymize);
    const answers = answerRows(pseudonymize, responses.items);
    body = {
      consultation: summaryView(consultation, command.clock.now()),
      exportedAt: command.clock.now().toISOString(),
      draftVersion: draft.version,
      counts,
      comments: commentsOut,
      survey: survey && results ? { questions: survey.questions, results, answers } : null,
      ...(next === undefined ? {} : { next }),
    };
    given = { comments: commentsOut.length, responses: answers.length };
  } else if (!survey || dataset === 'comments') {
    const page = await store.commentPage(communityId, id, {
      after: sortKey(position?.after),
      rows,
      bytes: EXPORT_LIMIT_BYTES,
      sizeOf: storedSize,
    });
    const table = commentRows(draft, page.items, pseudonymize);
    body = first ? toCsv(COMMENT_COLUMNS, table) : csvRows(COMMENT_COLUMNS, table);
    if (page.after !== undefined) next = exportCursor(kind, { after: page.after });
    given = { comments: table.length, responses: 0 };
  } else if (dataset === 'survey-results') {
    // One page: the results from the responses when they fit in one, else from the survey tally's counters.
    const page = await store.responsePage(communityId, id, { rows, bytes: Infinity, sizeOf: () => 0 });
    const results =
      page.after === undefined && !consultation.anonymised
        ? surveyResults(survey, page.items)
        : surveyResultsFromCounters(survey, await store.surveyCounters(communityId, id));
    body = toCsv(RESULT_COLUMNS, resultRows(results));
    given = { comments: 0, responses: results.respondents };
  } else {
    const page = await store.responsePage(communityId, id, {
      after: sortKey(position?.after),
      rows,
      bytes: EXPORT_LIMIT_BYTES,
      sizeOf: storedSize,
    });
    const table = answerCsvRows(survey, answerRows(pseudonymize, page.items));
    body = first ? toCsv(table.columns, table.cells) : csvRows(table.columns, table.cells);
    if (page.after !== undefined) next = exportCursor(kind, { after: page.after });
    given = { comments: 0, responses: table.cells.length };
  }

  // On the record before the data leaves, page by page: a page that cannot be recorded is not given.
  await putAuditIntent(
    documentClient(request.config),
    request.config.tableName,
    consultationAudit(command, AuditAction.consultationExport, consultation, undefined, {
      format,
      ...(format === 'csv' ? { dataset } : {}),
      ...given,
      ...(first && next === undefined ? {} : { page: first ? 'first' : 'next', more: next !== undefined }),
    }),
  );
  const name = `consultation-${id}${format === 'csv' ? `-${dataset}.csv` : '.json'}`;
  return {
    status: 200,
    body,
    headers: {
      'content-type': format === 'csv' ? CSV : 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
      ...(next === undefined ? {} : link(next)),
    },
  };
}
