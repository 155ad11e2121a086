import { PetitionEvents } from '../../../events/petitions';
import type { Community } from '../../communities/community';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { ineligibility } from '../eligibility';
import { petitionEvent } from '../events';
import { type Petition, PetitionState, ResponseState } from '../petition';

export interface CreatePetitionInput {
  readonly title: string;
  readonly text: string;
  readonly category?: string;
  readonly districtId?: string;
}

/**
 * A resident starts a petition, as a draft. It carries the community's current
 * thresholds, duration and sponsors needed, so later settings changes do not
 * move its goalposts.
 *
 * Outcomes: ok (emits `petition.created.v1`); `not_eligible` (not a resident,
 * age unknown or under age); `unknown_district`.
 */
export function createPetition(
  context: CommandContext,
  community: Community,
  input: CreatePetitionInput,
): Outcome<Petition> {
  const { actor, clock, ids } = context;
  const now = clock.now();
  const refusal = ineligibility(actor, community.id, community.settings.petitions.minimumAge, now);
  if (refusal) return reject(refusal);
  if (
    input.districtId &&
    !community.settings.districts.some((district) => district.id === input.districtId)
  ) {
    return fail(
      'unknown_district',
      text('У громаді немає такого округу.', 'The community has no such district.'),
      {
        districtId: input.districtId,
        districts: community.settings.districts.map((district) => district.id),
      },
    );
  }
  const { petitions } = community.settings;
  const petition: Petition = {
    id: ids.next(),
    communityId: community.id,
    title: input.title,
    text: input.text,
    ...(input.category ? { category: input.category } : {}),
    ...(input.districtId ? { districtId: input.districtId } : {}),
    authorKey: actor.signerKey,
    state: PetitionState.draft,
    responseState: ResponseState.none,
    sponsorToken: ids.secret(),
    sponsorsNeeded: petitions.sponsorsNeeded,
    sponsorCount: 0,
    thresholds: petitions.thresholds,
    durationDays: petitions.durationDays,
    createdAt: now.toISOString(),
    signatureCount: 0,
    offlineSignatureCount: 0,
    thresholdsReached: {},
    textHidden: false,
    version: 1,
  };
  return ok(petition, [
    petitionEvent(ids, now, petition, PetitionEvents.created, {
      title: petition.title,
      authorKey: petition.authorKey,
    }),
  ]);
}
