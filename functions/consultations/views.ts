import type { z } from 'zod';
import { CommentState } from '../../domain/consultations/comment';
import { ACCEPTS_INPUT, type Consultation, effectivePhase } from '../../domain/consultations/consultation';
import {
  anchorFor,
  type Draft,
  type DraftTarget,
  findBlock,
  sectionOf,
} from '../../domain/consultations/draft';
import type { ConsultationCommentCounts } from '../../domain/consultations/ranking';
import type { ConsultationReport } from '../../domain/consultations/report';
import type {
  CountedQuestionResult,
  CountedSurveyResults,
  CountedTally,
} from '../../domain/consultations/survey-tally';
import type { CommentThread, CountedComment } from '../../domain/consultations/threads';
import { shownOfSubject } from '../../domain/moderation/withheld';
import { authorDecisionView } from '../moderation/schemas';
import type {
  CommentViewSchema,
  ConsultationSummarySchema,
  ConsultationViewSchema,
  DraftViewSchema,
  ReportViewSchema,
  SurveyResultsSchema,
} from './schemas';

/** What callers may see of consultations, comments, results and reports: no author keys, no withheld text. */

export function summaryView(
  consultation: Consultation,
  now: Date,
): z.infer<typeof ConsultationSummarySchema> {
  return {
    id: consultation.id,
    communityId: consultation.communityId,
    title: consultation.title,
    summary: consultation.summary,
    ownerDepartment: consultation.ownerDepartment,
    opensAt: consultation.opensAt,
    closesAt: consultation.closesAt,
    phase: consultation.phase,
    acceptsInput: ACCEPTS_INPUT.has(effectivePhase(consultation, now)),
    currentVersion: consultation.currentVersion,
    hasSurvey: consultation.survey !== undefined,
    createdAt: consultation.createdAt,
    ...(consultation.openedAt ? { openedAt: consultation.openedAt } : {}),
    ...(consultation.closedAt ? { closedAt: consultation.closedAt } : {}),
    ...(consultation.reportPublishedAt ? { reportPublishedAt: consultation.reportPublishedAt } : {}),
    revision: consultation.revision,
  };
}

export function draftView(draft: Draft): z.infer<typeof DraftViewSchema> {
  return {
    version: draft.version,
    blocks: draft.blocks.map((block) =>
      block.kind === 'section'
        ? {
            kind: block.kind,
            id: block.id,
            parentId: block.parentId,
            level: block.level,
            heading: block.heading,
          }
        : { kind: block.kind, id: block.id, parentId: block.parentId, text: block.text },
    ),
  };
}

export function consultationView(
  consultation: Consultation,
  draft: Draft,
  counts: ConsultationCommentCounts,
  now: Date,
): z.infer<typeof ConsultationViewSchema> {
  return {
    ...summaryView(consultation, now),
    versions: consultation.versions.map(({ version, publishedAt, sections, paragraphs }) => ({
      version,
      publishedAt,
      sections,
      paragraphs,
    })),
    draft: draftView(draft),
    ...(consultation.survey ? { survey: consultation.survey } : {}),
    counts,
  };
}

const targetView = (target: DraftTarget) => (target.kind === 'whole' ? { kind: target.kind } : target);

/**
 * A comment as the public sees it, attached where it belongs in `draft` (the
 * current version). Its text only while published, except in its author's own
 * answers (`forAuthor`), who may read what waits for a moderator.
 */
export function commentView(
  draft: Draft,
  comment: CountedComment,
  forAuthor = false,
): z.infer<typeof CommentViewSchema> {
  const attachedTo = anchorFor(draft, comment.target);
  const { moderation } = comment;
  // The moderation centre's rule, stricter for comments: unpublished text is withheld whatever the reason, and
  // the moderator's note is never part of a comment (its author reads it in the moderation item).
  const shown = shownOfSubject(comment.state !== CommentState.visible, {
    author: forAuthor && comment.state !== CommentState.deleted,
    staff: false,
  });
  return {
    id: comment.id,
    consultationId: comment.consultationId,
    target: targetView(comment.target),
    attachedTo: targetView(attachedTo),
    sectionId: sectionOf(draft, attachedTo) ?? null,
    draftVersion: comment.draftVersion,
    ...(comment.parentCommentId ? { parentCommentId: comment.parentCommentId } : {}),
    threadId: comment.threadId,
    depth: comment.depth,
    stance: comment.stance,
    text: shown.content ? comment.text : null,
    state: comment.state,
    votes: { up: comment.up, down: comment.down },
    createdAt: comment.createdAt,
    ...(comment.editedAt ? { editedAt: comment.editedAt } : {}),
    ...(comment.deletedAt ? { deletedAt: comment.deletedAt } : {}),
    ...(moderation ? { moderation: authorDecisionView(moderation) } : {}),
  };
}

export const threadView = (draft: Draft, thread: CommentThread) => ({
  ...commentView(draft, thread.comment),
  replies: thread.replies.map((reply) => commentView(draft, reply)),
});

/** A question's result for the public: free-text answers are the council's to publish, in the export. */
function publicResult(result: CountedQuestionResult) {
  if (result.type === 'text') return { type: result.type, answered: result.answered };
  return result.type === 'ranking' ? { ...result, order: [...result.order] } : result;
}

const publicTally = (tally: CountedTally) => ({
  respondents: tally.respondents,
  questions: Object.fromEntries(
    Object.entries(tally.questions).map(([questionId, result]) => [questionId, publicResult(result)]),
  ),
});

/**
 * The fewest respondents a district's public breakdown may have: below it a
 * district shows its count only, so that nobody's answers can be read off a
 * district of one or two (the council's export still has them all).
 */
export const MIN_PUBLIC_DISTRICT_RESPONDENTS = 5;

export function resultsView(results: CountedSurveyResults): z.infer<typeof SurveyResultsSchema> {
  return {
    ...publicTally(results),
    byDistrict: Object.fromEntries(
      Object.entries(results.byDistrict).map(([districtId, tally]) => [
        districtId,
        tally.respondents < MIN_PUBLIC_DISTRICT_RESPONDENTS
          ? { respondents: tally.respondents, questions: {} }
          : publicTally(tally),
      ]),
    ),
  };
}

export function reportView(report: ConsultationReport, draft: Draft): z.infer<typeof ReportViewSchema> {
  return {
    consultationId: report.consultationId,
    draftVersion: report.draftVersion,
    ...(report.summary ? { summary: report.summary } : {}),
    sections: report.sections.map((section) => {
      const block = findBlock(draft, section.sectionId);
      return {
        sectionId: section.sectionId,
        heading: block?.kind === 'section' ? block.heading : null,
        summary: section.summary,
        decision: section.decision,
        ...(section.reasons ? { reasons: section.reasons } : {}),
        commentIds: [...section.commentIds],
      };
    }),
    publishedAt: report.publishedAt,
  };
}
