import type { Actor } from '../identity/actor';
import { ageOn, IneligibleReason } from '../petitions/eligibility';
import { text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';
import type { Budget } from './budget';

/**
 * A resident of the budget's community, old enough by the budget's rule, as the
 * identity provider vouches. The reasons are the petitions' ones, so clients
 * handle every tool alike. Returns the refusal, or undefined when eligible.
 */
export function voterIneligibility(actor: Actor, budget: Budget, today: Date): DomainError | undefined {
  if (actor.residency?.communityId !== budget.communityId) {
    return {
      code: 'not_eligible',
      message: text(
        'Подавати проєкти й голосувати можуть лише мешканці цієї громади (за даними вашого посвідчення особи).',
        'Only residents of this community may submit projects and vote (as your identity provider states).',
      ),
      details: { reason: IneligibleReason.not_resident },
    };
  }
  if (!actor.birthdate) {
    return {
      code: 'not_eligible',
      message: text(
        'Ваш постачальник ідентифікації не передав дату народження, тож вік перевірити неможливо.',
        'Your identity provider did not share a birth date, so your age cannot be checked.',
      ),
      details: { reason: IneligibleReason.age_unknown, minimumAge: budget.minimumAge },
    };
  }
  if (ageOn(actor.birthdate, today) < budget.minimumAge) {
    return {
      code: 'not_eligible',
      message: text(
        `Брати участь у громадському бюджеті можна з ${budget.minimumAge} років.`,
        `You must be at least ${budget.minimumAge} years old to take part in this budget.`,
      ),
      details: { reason: IneligibleReason.under_age, minimumAge: budget.minimumAge },
    };
  }
  return undefined;
}
