import type { Actor } from '../identity/actor';
import { participationRefusal } from '../identity/eligibility';
import { text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';

/**
 * A resident of this community, old enough by its rules, as the identity
 * provider vouches. Returns the refusal, or undefined when eligible.
 */
export const ineligibility = (
  actor: Actor,
  communityId: string,
  minimumAge: number,
  today: Date,
): DomainError | undefined =>
  participationRefusal(actor, communityId, minimumAge, today, {
    notResident: text(
      'Підписувати й подавати петиції можуть лише мешканці цієї громади (за даними вашого посвідчення особи).',
      'Only residents of this community may sign or start petitions (as your identity provider states).',
    ),
    underAge: (age) =>
      text(
        `Підписувати петиції можна з ${age} років.`,
        `You must be at least ${age} years old to take part in petitions.`,
      ),
  });
