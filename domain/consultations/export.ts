import { reasonText } from '../moderation/reasons';
import { CommentState } from './comment';
import { anchorFor, type Draft, sectionOf } from './draft';
import type { Survey, SurveyAnswers } from './survey';
import type { CountedQuestionResult, CountedSurveyResults, CountedTally } from './survey-tally';
import type { CountedComment } from './threads';

/**
 * What a council exports about a consultation: every comment with where it
 * attaches now, its stance, votes and moderation state; the survey's results
 * and its raw answers. Nobody is named: an author or respondent is a
 * pseudonym, made by the caller (a keyed hash, so the same person has the same
 * pseudonym within one consultation and different ones across consultations).
 * Text the public may not read (waiting, hidden, rejected, deleted) is left out.
 */

/** Turns a signer key into the pseudonym an export shows. */
export type Pseudonymize = (signerKey: string) => string;

export type CsvCell = string | number | null | undefined;

/** A type, not an interface, so that a row is a `Record` of cells for {@link toCsv}. */
export type CommentExportRow = {
  readonly commentId: string;
  readonly threadId: string;
  readonly parentCommentId: string | null;
  readonly depth: number;
  readonly draftVersion: number;
  readonly targetKind: string;
  readonly targetId: string | null;
  /** Where the comment attaches in the current version (a removed paragraph's comments: its section). */
  readonly attachedKind: string;
  readonly attachedId: string | null;
  readonly sectionId: string | null;
  readonly stance: string;
  readonly state: string;
  readonly moderationReasonCode: string | null;
  readonly moderationReason: string | null;
  readonly up: number;
  readonly down: number;
  readonly createdAt: string;
  readonly editedAt: string | null;
  readonly deletedAt: string | null;
  readonly author: string;
  /** Null unless the comment is published. */
  readonly text: string | null;
};

export const COMMENT_COLUMNS: readonly (keyof CommentExportRow)[] = [
  'commentId',
  'threadId',
  'parentCommentId',
  'depth',
  'draftVersion',
  'targetKind',
  'targetId',
  'attachedKind',
  'attachedId',
  'sectionId',
  'stance',
  'state',
  'moderationReasonCode',
  'moderationReason',
  'up',
  'down',
  'createdAt',
  'editedAt',
  'deletedAt',
  'author',
  'text',
];

/** The comments as exported, oldest first. */
export function commentRows(
  draft: Draft,
  comments: readonly CountedComment[],
  pseudonymize: Pseudonymize,
): CommentExportRow[] {
  return [...comments]
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    .map((comment) => {
      const attached = anchorFor(draft, comment.target);
      const reasonCode = comment.moderation?.reasonCode;
      return {
        commentId: comment.id,
        threadId: comment.threadId,
        parentCommentId: comment.parentCommentId ?? null,
        depth: comment.depth,
        draftVersion: comment.draftVersion,
        targetKind: comment.target.kind,
        targetId: comment.target.kind === 'whole' ? null : comment.target.id,
        attachedKind: attached.kind,
        attachedId: attached.kind === 'whole' ? null : attached.id,
        sectionId: sectionOf(draft, attached) ?? null,
        stance: comment.stance,
        state: comment.state,
        moderationReasonCode: reasonCode ?? null,
        moderationReason: reasonText(reasonCode)?.en ?? null,
        up: comment.up,
        down: comment.down,
        createdAt: comment.createdAt,
        editedAt: comment.editedAt ?? null,
        deletedAt: comment.deletedAt ?? null,
        author: pseudonymize(comment.authorKey),
        text: comment.state === CommentState.visible ? comment.text : null,
      };
    });
}

/** A response as exported: who (a pseudonym), where, when, and the answers as given. */
export interface AnswerExportRow {
  readonly respondent: string;
  readonly districtId: string | null;
  readonly submittedAt: string;
  readonly answers: SurveyAnswers;
}

/** One number of the results: per district ('' overall), question, measure and item. */
export type ResultExportRow = {
  readonly districtId: string;
  readonly questionId: string;
  readonly type: string;
  /** `count` (per option or scale value), `borda` (ranking points), `mean` (scale), `answered`. */
  readonly measure: 'count' | 'borda' | 'mean' | 'answered';
  readonly item: string;
  readonly value: string | number;
};

/** The numbers of one question's result beyond how many answered it: per option, value or ranked option. */
function measures(result: CountedQuestionResult): [ResultExportRow['measure'], string, string | number][] {
  switch (result.type) {
    case 'single':
    case 'multiple':
      return Object.entries(result.counts).map(([item, count]) => ['count', item, count]);
    case 'scale':
      return [
        ...Object.entries(result.distribution).map(([item, count]): ['count', string, number] => [
          'count',
          item,
          count,
        ]),
        ['mean', '', result.mean.rounded ?? ''],
      ];
    case 'ranking':
      return result.order.map((item) => ['borda', item, result.borda[item] ?? 0]);
    case 'text':
      return [];
  }
}

function tallyRows(districtId: string, tally: CountedTally): ResultExportRow[] {
  return Object.entries(tally.questions).flatMap(([questionId, result]) =>
    [['answered', '', result.answered] as const, ...measures(result)].map(([measure, item, value]) => ({
      districtId,
      questionId,
      type: result.type,
      measure,
      item,
      value,
    })),
  );
}

/**
 * The results as rows: overall first (`districtId` ''), then per district.
 * From the responses or from the survey tally's counters alike (text answers are not rows).
 */
export function resultRows(results: CountedSurveyResults): ResultExportRow[] {
  return [
    ...tallyRows('', results),
    ...Object.entries(results.byDistrict).flatMap(([districtId, tally]) => tallyRows(districtId, tally)),
  ];
}

export const RESULT_COLUMNS: readonly (keyof ResultExportRow)[] = [
  'districtId',
  'questionId',
  'type',
  'measure',
  'item',
  'value',
];

/** The raw answers as CSV rows: one column per question; lists (choices, rankings best first) joined by `|`. */
export function answerCsvRows(survey: Survey, rows: readonly AnswerExportRow[]) {
  const columns = [
    'respondent',
    'districtId',
    'submittedAt',
    ...survey.questions.map((question) => question.id),
  ];
  const cells = rows.map((row): Record<string, CsvCell> => {
    const record: Record<string, CsvCell> = {
      respondent: row.respondent,
      districtId: row.districtId,
      submittedAt: row.submittedAt,
    };
    for (const question of survey.questions) {
      const answer = Object.hasOwn(row.answers, question.id) ? row.answers[question.id] : undefined;
      record[question.id] = Array.isArray(answer) ? answer.join('|') : (answer as CsvCell);
    }
    return record;
  });
  return { columns, cells };
}

/** A spreadsheet runs a cell that starts like a formula; such text cells are prefixed with `'`. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * RFC 4180 CSV: a header row, CRLF line ends, fields quoted where needed.
 * @example toCsv(['a', 'b'], [{ a: 'x,y', b: 2 }]) // → 'a,b\r\n"x,y",2\r\n'
 */
export function toCsv(
  columns: readonly string[],
  rows: readonly Readonly<Record<string, CsvCell>>[],
): string {
  return `${columns.join(',')}\r\n${csvRows(columns, rows)}`;
}

/**
 * The rows of {@link toCsv} without the header row: a later page of an
 * export, so that the pages concatenated are the whole file.
 * @example csvRows(['a', 'b'], [{ a: 'x,y', b: 2 }]) // → '"x,y",2\r\n'
 */
export function csvRows(
  columns: readonly string[],
  rows: readonly Readonly<Record<string, CsvCell>>[],
): string {
  return rows.map((row) => `${columns.map((column) => csvCell(row[column])).join(',')}\r\n`).join('');
}
