import type { Community } from '../communities/community';
import type { ModerationMode } from '../communities/settings';
import type { Actor } from '../identity/actor';
import { participationRefusal } from '../identity/eligibility';
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
 */
export const ineligibility = (
  actor: Actor,
  rules: ParticipationRules,
  today: Date,
): DomainError | undefined =>
  participationRefusal(actor, rules.communityId, rules.minimumAge, today, {
    notResident: text(
      'Брати участь у консультаціях можуть лише мешканці цієї громади (за даними вашого посвідчення особи).',
      'Only residents of this community may take part in its consultations (as your identity provider states).',
    ),
    underAge: (age) =>
      text(
        `Брати участь у консультаціях можна з ${age} років.`,
        `You must be at least ${age} years old to take part in consultations.`,
      ),
  });
