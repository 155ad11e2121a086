import { z } from 'zod';

/** Event names of the consultations tool, with their versions. */
export const ConsultationEvents = {
  created: 'consultation.created.v1',
  /** By the council, or by the schedule when `opensAt` or `closesAt` came. */
  phaseChanged: 'consultation.phase-changed.v1',
  /** A new version of the draft; comments on earlier versions stay attached (see the tool's README section). */
  revised: 'consultation.revised.v1',
  surveySet: 'consultation.survey-set.v1',
  commentPosted: 'consultation.comment-posted.v1',
  /** A moderation decision (or reports) changed whether the public sees a comment. */
  commentModerated: 'consultation.comment-moderated.v1',
  reportPublished: 'consultation.report-published.v1',
} as const;

const base = { communityId: z.string(), consultationId: z.string() };

export const ConsultationCreatedV1 = z.object({
  ...base,
  title: z.string(),
  opensAt: z.string(),
  closesAt: z.string(),
  draftVersion: z.int(),
});

export const ConsultationPhaseChangedV1 = z.object({
  ...base,
  from: z.enum(['draft', 'open', 'closed', 'report_published']),
  to: z.enum(['draft', 'open', 'closed', 'report_published']),
  changedAt: z.string(),
  /** `council` or `schedule`. */
  by: z.enum(['council', 'schedule']),
});

export const ConsultationRevisedV1 = z.object({
  ...base,
  draftVersion: z.int(),
  sections: z.int(),
  paragraphs: z.int(),
  publishedAt: z.string(),
});

/** `questions` is 0 when the survey was removed. */
export const ConsultationSurveySetV1 = z.object({ ...base, questions: z.int() });

/** No author data: the comment's id says where to read it, within the community's rules. */
export const ConsultationCommentPostedV1 = z.object({
  ...base,
  commentId: z.string(),
  targetKind: z.enum(['whole', 'section', 'paragraph']),
  targetId: z.string().optional(),
  parentCommentId: z.string().optional(),
  draftVersion: z.int(),
  stance: z.enum(['for', 'against', 'neutral']),
  /** `pending` under pre-moderation, `visible` under post-moderation. */
  state: z.enum(['pending', 'visible']),
});

export const ConsultationCommentModeratedV1 = z.object({
  ...base,
  commentId: z.string(),
  decision: z.enum(['approve', 'reject', 'hide', 'restore']),
  from: z.string(),
  to: z.string(),
  reasonCode: z.string().optional(),
  decidedBy: z.string(),
});

export const ConsultationReportPublishedV1 = z.object({
  ...base,
  draftVersion: z.int(),
  publishedAt: z.string(),
  sections: z.array(
    z.object({
      sectionId: z.string(),
      decision: z.enum(['accepted', 'partially_accepted', 'rejected']),
      comments: z.int(),
    }),
  ),
});
