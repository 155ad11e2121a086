import type { z } from 'zod';
import type { EventEnvelope } from '../../events/envelope';
import { PetitionEvents, type PetitionThresholdReachedV1 } from '../../events/petitions';
import type { IdGenerator } from '../shared/clock';
import { communityEvent } from '../shared/events';
import { type Petition, PetitionState, type PetitionThreshold } from './petition';

/** Builds a petition event; the id and time come from the command's context. */
export function petitionEvent(
  ids: IdGenerator,
  now: Date,
  petition: Petition,
  name: string,
  detail: Record<string, unknown>,
): EventEnvelope {
  return communityEvent(ids, now, petition.communityId, `petition/${petition.id}`, name, {
    petitionId: petition.id,
    ...detail,
  });
}

/** What a move to the public emits: `submitted` on the way to moderation, `published` when it opens. */
export function readinessEvent(ids: IdGenerator, now: Date, petition: Petition): EventEnvelope {
  return petition.state === PetitionState.open
    ? petitionEvent(ids, now, petition, PetitionEvents.published, {
        openedAt: petition.openedAt,
        closesAt: petition.closesAt,
      })
    : petitionEvent(ids, now, petition, PetitionEvents.submitted, { sponsorCount: petition.sponsorCount });
}

/**
 * The one builder of `petition.threshold-reached.v1`, for both places a
 * threshold is crossed (the signature tally, and paper signatures added by the
 * council): its detail is typed by the event's schema, so the two cannot drift.
 * `total` is online plus paper signatures when the crossing was recorded.
 * @example thresholdEvent(ids, now, { communityId: 'demo', id: petitionId }, { name: 'response', signatures: 500 }, 501)
 */
export function thresholdEvent(
  ids: IdGenerator,
  now: Date,
  petition: Pick<Petition, 'communityId' | 'id'>,
  threshold: PetitionThreshold,
  total: number,
): EventEnvelope {
  const detail: z.infer<typeof PetitionThresholdReachedV1> = {
    communityId: petition.communityId,
    petitionId: petition.id,
    threshold: threshold.name,
    signatures: threshold.signatures,
    total,
    reachedAt: now.toISOString(),
  };
  return communityEvent(
    ids,
    now,
    petition.communityId,
    `petition/${petition.id}`,
    PetitionEvents.thresholdReached,
    detail,
  );
}
