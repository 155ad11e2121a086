import type { Community } from '../communities/community';
import { text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';
import { canTransition, type Petition, PetitionState } from './petition';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The 409 for any move the transition table does not allow; it names the current state. */
export function illegalTransition(petition: Petition, to: PetitionState): DomainError | undefined {
  if (canTransition(petition.state, to)) return undefined;
  return {
    code: 'invalid_state',
    message: text(
      `Петиція у стані «${petition.state}»; перейти в «${to}» з нього неможливо.`,
      `The petition is "${petition.state}"; it cannot become "${to}" from there.`,
    ),
    details: { currentState: petition.state, requestedState: to },
  };
}

/** Opening starts the signature period: `closesAt = openedAt + durationDays`. */
export function opened(petition: Petition, now: Date): Petition {
  return {
    ...petition,
    state: PetitionState.open,
    openedAt: now.toISOString(),
    closesAt: new Date(now.getTime() + petition.durationDays * DAY_MS).toISOString(),
  };
}

/**
 * Where a petition goes once it is ready for the public (submitted with no
 * sponsors needed, or its last sponsor arrived): to the moderators first, or
 * straight to `open` when the community moderates petitions after publication.
 */
export function readyForPublic(petition: Petition, community: Community, now: Date): Petition {
  const submitted = { ...petition, submittedAt: now.toISOString() };
  return community.settings.moderation.petitions === 'post'
    ? opened(submitted, now)
    : { ...submitted, state: PetitionState.in_moderation };
}
