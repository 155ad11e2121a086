import { PetitionEvents } from '../../../events/petitions';
import type { Clock, IdGenerator } from '../../shared/clock';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { petitionEvent } from '../events';
import { illegalTransition } from '../lifecycle';
import { type Petition, PetitionState, ResponseState, totalSignatures } from '../petition';
import { RESPONSE_THRESHOLD } from '../thresholds';

/**
 * Closes an open petition whose signature period has ended. If the response
 * threshold was reached and the council has not answered yet, the answer is now
 * awaited. Run by the scheduled job, not by a person.
 *
 * Outcomes: ok (emits `petition.closed.v1`); `invalid_state` (not open);
 * `not_due` (its period has not ended).
 */
export function closePetition(clock: Clock, ids: IdGenerator, petition: Petition): Outcome<Petition> {
  const refusal = illegalTransition(petition, PetitionState.closed);
  if (refusal) return reject(refusal);
  const now = clock.now();
  if (!petition.closesAt || now.toISOString() < petition.closesAt) {
    return fail('not_due', text('Строк збору підписів ще триває.', 'The signature period has not ended.'), {
      closesAt: petition.closesAt,
    });
  }
  const awaiting =
    petition.thresholdsReached[RESPONSE_THRESHOLD] !== undefined &&
    petition.responseState === ResponseState.none;
  const next: Petition = {
    ...petition,
    state: PetitionState.closed,
    closedAt: now.toISOString(),
    responseState: awaiting ? ResponseState.awaiting_response : petition.responseState,
    version: petition.version + 1,
  };
  return ok(next, [
    petitionEvent(ids, now, next, PetitionEvents.closed, {
      closedAt: next.closedAt,
      total: totalSignatures(next),
      responseState: next.responseState,
    }),
  ]);
}
