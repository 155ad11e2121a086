import type { Community } from '../../communities/community';
import type { CommandContext } from '../../shared/command';
import { type Outcome, ok, reject } from '../../shared/outcome';
import { readinessEvent } from '../events';
import { illegalTransition, readyForPublic } from '../lifecycle';
import { isAuthor, notAuthor } from '../permissions';
import { type Petition, PetitionState } from '../petition';

/**
 * The author sends a draft on: to gather sponsors when the community asks for
 * them, otherwise to moderation (or straight to `open` under post-moderation).
 *
 * Outcomes: ok (emits `petition.submitted.v1` or `petition.published.v1`, none
 * when it only starts gathering sponsors); `not_author`; `invalid_state`.
 */
export function submitPetition(
  context: CommandContext,
  community: Community,
  petition: Petition,
): Outcome<Petition> {
  const { actor, clock, ids } = context;
  if (!isAuthor(actor, petition)) return reject(notAuthor);
  const now = clock.now();
  if (petition.sponsorsNeeded > 0) {
    const refusal = illegalTransition(petition, PetitionState.gathering_sponsors);
    if (refusal) return reject(refusal);
    return ok({ ...petition, state: PetitionState.gathering_sponsors, version: petition.version + 1 });
  }
  const next = readyForPublic(petition, community, now);
  const refusal = illegalTransition(petition, next.state);
  if (refusal) return reject(refusal);
  const saved = { ...next, version: petition.version + 1 };
  return ok(saved, [readinessEvent(ids, now, saved)]);
}
