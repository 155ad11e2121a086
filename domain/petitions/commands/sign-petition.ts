import type { Community } from '../../communities/community';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { ineligibility } from '../eligibility';
import { type Petition, SIGNABLE } from '../petition';

export interface SignatureToWrite {
  readonly communityId: string;
  readonly petitionId: string;
  readonly signerKey: string;
  readonly signedAt: string;
  readonly districtId?: string;
}

/**
 * An eligible resident signs an open petition. The result is the signature to
 * write; whether it is a first signature or a repeat is decided by the store's
 * one conditional write, and counting happens later, in the stream tally.
 *
 * Outcomes: ok; `not_eligible` (with `reason`: not_resident, age_unknown,
 * under_age); `petition_not_open` (with `currentState`, also when the signature
 * period has ended but the closing job has not run yet).
 */
export function signPetition(
  context: CommandContext,
  community: Community,
  petition: Petition,
): Outcome<SignatureToWrite> {
  const { actor, clock } = context;
  const now = clock.now();
  const refusal = ineligibility(actor, community.id, community.settings.petitions.minimumAge, now);
  if (refusal) return reject(refusal);
  const periodOver = petition.closesAt !== undefined && now.toISOString() >= petition.closesAt;
  if (!SIGNABLE.has(petition.state) || periodOver) {
    return fail(
      'petition_not_open',
      text(
        periodOver
          ? 'Збір підписів під цією петицією завершено.'
          : `Петиція не відкрита для підписання (стан «${petition.state}»).`,
        periodOver
          ? 'This petition has stopped collecting signatures.'
          : `The petition is not open for signing (it is "${petition.state}").`,
      ),
      {
        currentState: periodOver ? 'closed' : petition.state,
        ...(petition.closesAt ? { closesAt: petition.closesAt } : {}),
      },
    );
  }
  return ok({
    communityId: community.id,
    petitionId: petition.id,
    signerKey: actor.signerKey,
    signedAt: now.toISOString(),
    ...(actor.residency?.districtId ? { districtId: actor.residency.districtId } : {}),
  });
}
