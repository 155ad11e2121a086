import type { Community } from '../communities/community';
import type { ModerationMode } from '../communities/settings';
import type { Actor } from '../identity/actor';
import { ageOn, IneligibleReason } from '../petitions/eligibility';
import { text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';

/** The community's rules for taking part in its consultations, read in one place. */
export interface ParticipationRules {
  readonly communityId: string;
  /** `pre`: comments wait for a moderator; `post`: they are shown at once and can be reported. */
  readonly moderation: ModerationMode;
  /** Absent: residents of any age take part. */
  readonly minimumAge?: number;
}

/**
 * The rules of a community's consultations. The community settings have no
 * consultation age limit yet, so it is passed in; when they get one, it is read here.
 */
export function participationRules(community: Community, minimumAge?: number): ParticipationRules {
  return {
    communityId: community.id,
    moderation: community.settings.moderation.consultations,
    ...(minimumAge === undefined ? {} : { minimumAge }),
  };
}

/**
 * A resident of this community, old enough if the community sets an age, as the
 * identity provider vouches. Returns the refusal, or undefined when eligible.
 * The reasons are the petitions' ones, so clients handle both tools alike.
 */
export function ineligibility(actor: Actor, rules: ParticipationRules, today: Date): DomainError | undefined {
  if (actor.residency?.communityId !== rules.communityId) {
    return {
      code: 'not_eligible',
      message: text(
        'Брати участь у консультаціях можуть лише мешканці цієї громади (за даними вашого посвідчення особи).',
        'Only residents of this community may take part in its consultations (as your identity provider states).',
      ),
      details: { reason: IneligibleReason.not_resident },
    };
  }
  const { minimumAge } = rules;
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
      message: text(
        `Брати участь у консультаціях можна з ${minimumAge} років.`,
        `You must be at least ${minimumAge} years old to take part in consultations.`,
      ),
      details: { reason: IneligibleReason.under_age, minimumAge },
    };
  }
  return undefined;
}
