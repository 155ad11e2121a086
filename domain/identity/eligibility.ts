import { type Localized, text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';
import type { Actor } from './actor';

/** Why someone may not take part: the same reasons in every tool, so clients handle them alike. */
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

/** What a tool tells someone it turns away: in its own words, for the two refusals that name the tool. */
export interface RefusalTexts {
  readonly notResident: Localized;
  readonly underAge: (minimumAge: number) => Localized;
}

/**
 * The one participation rule of every tool: a resident of the community, at
 * least `minimumAge` years old (no age rule when it is undefined), as the
 * identity provider vouches. Returns the 403 `not_eligible` refusal with its
 * `reason`, or undefined when the actor may take part.
 */
export function participationRefusal(
  actor: Actor,
  communityId: string,
  minimumAge: number | undefined,
  today: Date,
  texts: RefusalTexts,
): DomainError | undefined {
  if (actor.residency?.communityId !== communityId) {
    return {
      code: 'not_eligible',
      message: texts.notResident,
      details: { reason: IneligibleReason.not_resident },
    };
  }
  if (minimumAge === undefined) return undefined;
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
      message: texts.underAge(minimumAge),
      details: { reason: IneligibleReason.under_age, minimumAge },
    };
  }
  return undefined;
}
