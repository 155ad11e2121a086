import { ConsultationEvents } from '../../events/consultations';
import type { EventEnvelope } from '../../events/envelope';
import type { IdGenerator } from '../shared/clock';
import { communityEvent } from '../shared/events';
import type { Comment } from './comment';
import type { Consultation, ConsultationPhase } from './consultation';
import type { Draft } from './draft';
import type { ConsultationReport } from './report';

/**
 * The consultations' events, one builder each: the commands build theirs here
 * with their context's clock and ids, and return them with what they decided,
 * so the use case stores them in the same write.
 */

/** Builds an event about a consultation; the id and time come from the use case's context. */
export const consultationEvent = (
  ids: IdGenerator,
  now: Date,
  consultation: Pick<Consultation, 'id' | 'communityId'>,
  name: string,
  detail: Record<string, unknown>,
): EventEnvelope =>
  communityEvent(ids, now, consultation.communityId, `consultation/${consultation.id}`, name, {
    consultationId: consultation.id,
    ...detail,
  });

/** Builds an event about a comment. */
export const commentEvent = (
  ids: IdGenerator,
  now: Date,
  comment: Pick<Comment, 'id' | 'communityId' | 'consultationId'>,
  name: string,
  detail: Record<string, unknown>,
): EventEnvelope =>
  communityEvent(ids, now, comment.communityId, `comment/${comment.id}`, name, {
    consultationId: comment.consultationId,
    commentId: comment.id,
    ...detail,
  });

export const createdEvent = (ids: IdGenerator, now: Date, consultation: Consultation): EventEnvelope =>
  consultationEvent(ids, now, consultation, ConsultationEvents.created, {
    title: consultation.title,
    opensAt: consultation.opensAt,
    closesAt: consultation.closesAt,
    draftVersion: consultation.currentVersion,
  });

export const phaseChangedEvent = (
  ids: IdGenerator,
  now: Date,
  from: ConsultationPhase,
  after: Consultation,
  by: 'council' | 'schedule',
): EventEnvelope =>
  consultationEvent(ids, now, after, ConsultationEvents.phaseChanged, {
    from,
    to: after.phase,
    changedAt: now.toISOString(),
    by,
  });

export function revisedEvent(ids: IdGenerator, now: Date, consultation: Consultation, draft: Draft) {
  const sections = draft.blocks.filter((block) => block.kind === 'section').length;
  return consultationEvent(ids, now, consultation, ConsultationEvents.revised, {
    draftVersion: draft.version,
    sections,
    paragraphs: draft.blocks.length - sections,
    publishedAt: now.toISOString(),
  });
}

export const surveySetEvent = (ids: IdGenerator, now: Date, consultation: Consultation): EventEnvelope =>
  consultationEvent(ids, now, consultation, ConsultationEvents.surveySet, {
    questions: consultation.survey?.questions.length ?? 0,
  });

export const commentPostedEvent = (ids: IdGenerator, now: Date, comment: Comment): EventEnvelope =>
  commentEvent(ids, now, comment, ConsultationEvents.commentPosted, {
    targetKind: comment.target.kind,
    ...(comment.target.kind === 'whole' ? {} : { targetId: comment.target.id }),
    ...(comment.parentCommentId ? { parentCommentId: comment.parentCommentId } : {}),
    draftVersion: comment.draftVersion,
    stance: comment.stance,
    state: comment.state,
  });

export const reportPublishedEvent = (
  ids: IdGenerator,
  now: Date,
  report: ConsultationReport,
): EventEnvelope =>
  consultationEvent(
    ids,
    now,
    { id: report.consultationId, communityId: report.communityId },
    ConsultationEvents.reportPublished,
    {
      draftVersion: report.draftVersion,
      publishedAt: report.publishedAt,
      sections: report.sections.map((section) => ({
        sectionId: section.sectionId,
        decision: section.decision,
        comments: section.commentIds.length,
      })),
    },
  );
