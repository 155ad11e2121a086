import { gunzipSync, gzipSync } from 'node:zlib';
import type { SurveyResponseToWrite } from '../../domain/consultations/commands/submit-survey-response';
import { type Comment, STANCES, type Stance, type VoteCounts } from '../../domain/consultations/comment';
import { type Consultation, ConsultationPhase } from '../../domain/consultations/consultation';
import type { Draft } from '../../domain/consultations/draft';
import type { StoredSurveyResponse } from '../../domain/consultations/ports';
import { controversyKey, type TargetCommentCounts, topKey } from '../../domain/consultations/ranking';
import type { ConsultationReport } from '../../domain/consultations/report';
import type { SurveyAnswers } from '../../domain/consultations/survey';
import type { SurveyTallyCounters } from '../../domain/consultations/survey-tally';
import type { CountedComment } from '../../domain/consultations/threads';
import { EXCERPT_CHARS, ModerationType, type SubjectSnapshot } from '../../domain/moderation/item';
import { type FieldsOf, pickFields } from '../shared/item-fields';
import { Entity, keys } from '../shared/keys';

/**
 * How consultations, draft versions, comments, votes, survey responses and
 * reports are stored. The store, the vote tally and the moderation port all
 * read and write these shapes, so they are declared here once.
 */

/** When the schedule moves a consultation next: a draft opens, an open one closes; nothing after. */
function nextScheduledChange(consultation: Consultation): string | undefined {
  if (consultation.phase === ConsultationPhase.draft) return consultation.opensAt;
  if (consultation.phase === ConsultationPhase.open) return consultation.closesAt;
  return undefined;
}

/**
 * The whole consultation item. A save writes it whole (no stream consumer owns
 * any of its attributes), which also drops it from the schedule index once
 * nothing is scheduled any more.
 */
export function consultationToItem(consultation: Consultation): Record<string, unknown> {
  const due = nextScheduledChange(consultation);
  return {
    ...keys.consultation(consultation.communityId, consultation.id),
    entity: Entity.consultation,
    ...keys.consultationListing(consultation.communityId, consultation.phase),
    ...keys.consultationNewest(consultation.createdAt, consultation.id),
    ...(due ? keys.consultationSchedule(consultation.communityId, due, consultation.id) : {}),
    ...consultation,
  };
}

const CONSULTATION_FIELDS = {
  id: true,
  communityId: true,
  title: true,
  summary: true,
  ownerDepartment: true,
  opensAt: true,
  closesAt: true,
  phase: true,
  currentVersion: true,
  versions: true,
  survey: true,
  createdBy: true,
  createdAt: true,
  openedAt: true,
  closedAt: true,
  reportPublishedAt: true,
  anonymised: true,
  revision: true,
} as const satisfies FieldsOf<Consultation>;

export const consultationFromItem = (item: Record<string, unknown>): Consultation =>
  pickFields<Consultation>(item, CONSULTATION_FIELDS);

/**
 * A part of a stored draft version holds at most this many bytes of the
 * gzipped JSON: an item stays far below DynamoDB's 400 KB, and a version of
 * the largest allowed draft (200 KB of Markdown plus ids) needs one or two.
 */
export const DRAFT_PART_BYTES = 300_000;

/** A draft version as the items that store it: its JSON gzipped, cut into parts. */
export function draftItems(
  communityId: string,
  consultationId: string,
  draft: Draft,
): Record<string, unknown>[] {
  const packed = gzipSync(Buffer.from(JSON.stringify(draft), 'utf8'));
  const parts = Math.max(1, Math.ceil(packed.byteLength / DRAFT_PART_BYTES));
  return Array.from({ length: parts }, (_, part) => ({
    ...keys.consultationDraftPart(communityId, consultationId, draft.version, part),
    entity: Entity.consultationDraft,
    communityId,
    consultationId,
    version: draft.version,
    part,
    parts,
    data: packed.subarray(part * DRAFT_PART_BYTES, (part + 1) * DRAFT_PART_BYTES),
  }));
}

/** The draft the parts of one version hold; undefined when a part is missing. */
export function draftFromItems(items: readonly Record<string, unknown>[]): Draft | undefined {
  const first = items[0];
  if (!first || items.length !== first.parts) return undefined;
  const ordered = [...items].sort((a, b) => (a.part as number) - (b.part as number));
  const packed = Buffer.concat(ordered.map((item) => item.data as Uint8Array));
  return JSON.parse(gunzipSync(packed).toString('utf8')) as Draft;
}

/** Attributes only the vote tally writes; a command's save never touches them. */
export const TALLY_OWNED = ['up', 'down'] as const;

/** A new comment's item, with no votes yet. */
export function commentToItem(comment: Comment): Record<string, unknown> {
  return {
    ...keys.comment(comment.communityId, comment.id),
    ...keys.commentIndex(
      comment.communityId,
      comment.consultationId,
      comment.target.kind === 'whole' ? undefined : comment.target.id,
      comment.createdAt,
      comment.id,
      comment,
    ),
    ...(comment.depth === 1 ? commentRanking(comment, { up: 0, down: 0 }) : {}),
    entity: Entity.comment,
    ...comment,
    up: 0,
    down: 0,
  };
}

/**
 * The `top` and `controversial` index keys of a top-level comment with these
 * counts: written with the comment, rewritten by the vote tally in the same
 * write as its counts, so the indexes order by the counts the comment shows.
 */
export function commentRanking(
  comment: Pick<Comment, 'communityId' | 'consultationId' | 'id' | 'createdAt'>,
  counts: VoteCounts,
): Record<string, string> {
  const ranked = { id: comment.id, createdAt: comment.createdAt, ...counts };
  return keys.commentRanking(
    comment.communityId,
    comment.consultationId,
    topKey(ranked),
    controversyKey(ranked),
  );
}

const COMMENT_FIELDS = {
  id: true,
  communityId: true,
  consultationId: true,
  target: true,
  draftVersion: true,
  parentCommentId: true,
  threadId: true,
  depth: true,
  stance: true,
  text: true,
  state: true,
  authorKey: true,
  districtId: true,
  createdAt: true,
  editedAt: true,
  deletedAt: true,
  moderation: true,
  revision: true,
} as const satisfies FieldsOf<Comment>;

export function commentFromItem(item: Record<string, unknown>): CountedComment {
  return {
    ...pickFields<Comment>(item, COMMENT_FIELDS),
    up: (item.up as number | undefined) ?? 0,
    down: (item.down as number | undefined) ?? 0,
  };
}

/** The attributes a comment command owns: everything but the keys and the tally's counts. */
export function commentOwned(comment: Comment): Record<string, unknown> {
  return pickFields<Record<string, unknown>>({ ...comment }, COMMENT_FIELDS);
}

/** A comment counter as the count tally keeps it (attributes named by stance; absent ones are 0). */
export function counterFromItem(item: Record<string, unknown>): TargetCommentCounts {
  const byStance = Object.fromEntries(
    STANCES.map((stance) => [stance, (item[stance] as number | undefined) ?? 0]),
  ) as Record<Stance, number>;
  return { targetId: (item.targetId as string | null | undefined) ?? undefined, byStance };
}

/** A vote as stored: `none` once withdrawn, so that the item (and its sequence) lives on. */
export const STORED_NO_VOTE = 'none';

export function surveyResponseItem(response: SurveyResponseToWrite): Record<string, unknown> {
  return {
    ...keys.surveyResponse(response.communityId, response.consultationId, response.respondentKey),
    ...keys.surveyResponseIndex(
      response.communityId,
      response.consultationId,
      response.respondentKey,
      response.submittedAt,
    ),
    entity: Entity.surveyResponse,
    ...response,
  };
}

/**
 * Survey counters are stored as attributes `count:<counter name>` on their page
 * item, beside its keys and fields: the prefix keeps the two apart.
 */
export const SURVEY_COUNTER_ATTRIBUTE_PREFIX = 'count:';

/** The survey counters of a consultation from its counter pages: overall and per district. */
export function surveyCountersFromItems(items: readonly Record<string, unknown>[]): SurveyTallyCounters {
  const overall: Record<string, number> = {};
  const byDistrict: Record<string, Record<string, number>> = {};
  for (const item of items) {
    const districtId = typeof item.districtId === 'string' ? item.districtId : undefined;
    if (districtId !== undefined) byDistrict[districtId] ??= {};
    const into = districtId === undefined ? overall : (byDistrict[districtId] as Record<string, number>);
    for (const [attribute, value] of Object.entries(item)) {
      if (!attribute.startsWith(SURVEY_COUNTER_ATTRIBUTE_PREFIX) || typeof value !== 'number') continue;
      const name = attribute.slice(SURVEY_COUNTER_ATTRIBUTE_PREFIX.length);
      into[name] = (into[name] ?? 0) + value;
    }
  }
  return { overall, byDistrict };
}

export function surveyResponseFromItem(item: Record<string, unknown>): StoredSurveyResponse {
  return {
    respondentKey: item.respondentKey as string,
    answers: item.answers as SurveyAnswers,
    submittedAt: item.submittedAt as string,
    ...(item.districtId ? { districtId: item.districtId as string } : {}),
  };
}

export function reportToItem(report: ConsultationReport): Record<string, unknown> {
  return {
    ...keys.consultationReport(report.communityId, report.consultationId),
    entity: Entity.consultationReport,
    ...report,
  };
}

const REPORT_FIELDS = {
  communityId: true,
  consultationId: true,
  draftVersion: true,
  summary: true,
  sections: true,
  publishedAt: true,
  publishedBy: true,
} as const satisfies FieldsOf<ConsultationReport>;

export const reportFromItem = (item: Record<string, unknown>): ConsultationReport =>
  pickFields<ConsultationReport>(item, REPORT_FIELDS);

/** What the moderation queue shows of a comment: the consultation it is in, and its text. */
export function commentSnapshot(
  consultation: Pick<Consultation, 'title'>,
  comment: Comment,
): SubjectSnapshot {
  return {
    type: ModerationType.comment,
    subjectId: comment.id,
    parentId: comment.consultationId,
    title: consultation.title,
    excerpt: [...comment.text].slice(0, EXCERPT_CHARS).join(''),
    authorKey: comment.authorKey,
  };
}
