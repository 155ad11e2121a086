import { z } from 'zod';

/** Event names of the petitions tool, with their versions. */
export const PetitionEvents = {
  created: 'petition.created.v1',
  submitted: 'petition.submitted.v1',
  published: 'petition.published.v1',
  rejected: 'petition.rejected.v1',
  hidden: 'petition.hidden.v1',
  /** Back in public after a hide (a moderator's or the reports'), or approved on appeal. */
  restored: 'petition.restored.v1',
  thresholdReached: 'petition.threshold-reached.v1',
  closed: 'petition.closed.v1',
  answered: 'petition.answered.v1',
} as const;

const base = { communityId: z.string(), petitionId: z.string() };

export const PetitionCreatedV1 = z.object({ ...base, title: z.string(), authorKey: z.string() });

/** To moderation (sponsors gathered, or none needed). */
export const PetitionSubmittedV1 = z.object({ ...base, sponsorCount: z.int() });

export const PetitionPublishedV1 = z.object({ ...base, openedAt: z.string(), closesAt: z.string() });

export const PetitionModeratedV1 = z.object({
  ...base,
  decidedBy: z.string(),
  reasonCode: z.string(),
  note: z.string().optional(),
});

/** Back in public: its signatures and dates are those it had when it was hidden. */
export const PetitionRestoredV1 = z.object({
  ...base,
  decidedBy: z.string(),
  closesAt: z.string().optional(),
});

export const PetitionThresholdReachedV1 = z.object({
  ...base,
  threshold: z.string(),
  signatures: z.int(),
  /** The total (online + offline) when the crossing was recorded; at least `signatures`. */
  total: z.int(),
  reachedAt: z.string(),
});

export const PetitionClosedV1 = z.object({
  ...base,
  closedAt: z.string(),
  total: z.int(),
  responseState: z.enum(['none', 'awaiting_response', 'answered']),
});

export const PetitionAnsweredV1 = z.object({
  ...base,
  decision: z.enum(['supported', 'partially_supported', 'not_supported']),
  answeredBy: z.string(),
  answeredAt: z.string(),
});
