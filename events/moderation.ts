import { z } from 'zod';

/** Event names of the moderation centre, with their versions. */
export const ModerationEvents = {
  decided: 'moderation.decided.v1',
  appealed: 'moderation.appealed.v1',
  autoHidden: 'moderation.auto-hidden.v1',
} as const;

const base = {
  communityId: z.string(),
  itemId: z.string(),
  /** The tool's kind of subject: petition, budget-project, comment. */
  type: z.string(),
  subjectId: z.string(),
};

export const ModerationDecidedV1 = z.object({
  ...base,
  decision: z.enum(['approve', 'reject', 'hide', 'restore']),
  reasonCode: z.string().optional(),
  note: z.string().optional(),
  decidedBy: z.string(),
  decidedAt: z.string(),
  /** True when the council decided the author's appeal. */
  onAppeal: z.boolean(),
});

export const ModerationAppealedV1 = z.object({ ...base, appealedAt: z.string() });

export const ModerationAutoHiddenV1 = z.object({
  ...base,
  /** Reports since the last decision, which reached the community's `reportsBeforeHide`. */
  reports: z.int(),
  hiddenAt: z.string(),
});
