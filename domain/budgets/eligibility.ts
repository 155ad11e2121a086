import type { Actor } from '../identity/actor';
import { participationRefusal } from '../identity/eligibility';
import { text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';
import type { Budget } from './budget';

/**
 * A resident of the budget's community, old enough by the budget's rule, as the
 * identity provider vouches. Returns the refusal, or undefined when eligible.
 */
export const voterIneligibility = (actor: Actor, budget: Budget, today: Date): DomainError | undefined =>
  participationRefusal(actor, budget.communityId, budget.minimumAge, today, {
    notResident: text(
      'Подавати проєкти й голосувати можуть лише мешканці цієї громади (за даними вашого посвідчення особи).',
      'Only residents of this community may submit projects and vote (as your identity provider states).',
    ),
    underAge: (age) =>
      text(
        `Брати участь у громадському бюджеті можна з ${age} років.`,
        `You must be at least ${age} years old to take part in this budget.`,
      ),
  });
