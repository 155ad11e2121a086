import type { EventEnvelope } from '../../events/envelope';
import { PetitionEvents } from '../../events/petitions';
import type { IdGenerator } from '../shared/clock';
import { communityEvent } from '../shared/events';
import { type Petition, PetitionState, type PetitionThreshold, totalSignatures } from './petition';

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

export function thresholdEvent(
  ids: IdGenerator,
  now: Date,
  petition: Petition,
  threshold: PetitionThreshold,
): EventEnvelope {
  return petitionEvent(ids, now, petition, PetitionEvents.thresholdReached, {
    threshold: threshold.name,
    signatures: threshold.signatures,
    total: totalSignatures(petition),
    reachedAt: now.toISOString(),
  });
}
