import type { Actor } from '../identity/actor';
import { text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';

/** Why someone may not sign, sponsor or start a petition here. */
export const IneligibleReason = {
  not_resident: 'not_resident',
  age_unknown: 'age_unknown',
  under_age: 'under_age',
} as const;
export type IneligibleReason = (typeof IneligibleReason)[keyof typeof IneligibleReason];

/** Whole years between an ISO birth date and a day (birthdays count from the day itself). */
export function ageOn(birthdate: string, day: Date): number {
  const [year, month, date] = birthdate.split('-').map(Number) as [number, number, number];
  const beforeBirthday =
    day.getUTCMonth() + 1 < month || (day.getUTCMonth() + 1 === month && day.getUTCDate() < date);
  return day.getUTCFullYear() - year - (beforeBirthday ? 1 : 0);
}

/**
 * A resident of this community, old enough by its rules, as the identity
 * provider vouches. Returns the refusal, or undefined when eligible.
 */
export function ineligibility(
  actor: Actor,
  communityId: string,
  minimumAge: number,
  today: Date,
): DomainError | undefined {
  if (actor.residency?.communityId !== communityId) {
    return {
      code: 'not_eligible',
      message: text(
        'Підписувати й подавати петиції можуть лише мешканці цієї громади (за даними вашого посвідчення особи).',
        'Only residents of this community may sign or start petitions (as your identity provider states).',
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
      details: { reason: IneligibleReason.age_unknown, minimumAge },
    };
  }
  if (ageOn(actor.birthdate, today) < minimumAge) {
    return {
      code: 'not_eligible',
      message: text(
        `Підписувати петиції можна з ${minimumAge} років.`,
        `You must be at least ${minimumAge} years old to take part in petitions.`,
      ),
      details: { reason: IneligibleReason.under_age, minimumAge },
    };
  }
  return undefined;
}
