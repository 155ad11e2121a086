import type { Community } from '../../communities/community';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { ineligibility } from '../eligibility';
import { readinessEvent } from '../events';
import { illegalTransition, readyForPublic } from '../lifecycle';
import { isAuthor } from '../permissions';
import { type Petition, PetitionState } from '../petition';

/**
 * Whether the sponsor link a person presents is the petition's, given the
 * token stored with it. The caller compares in constant time
 * (`sameSecret`, functions/shared/secrets.ts): a comparison that stops at the
 * first different character would let the token be found one character at a time.
 */
export type SponsorLinkCheck = (storedToken: string) => boolean;

/**
 * An eligible resident with the author's sponsor link backs a petition that is
 * gathering sponsors. The last sponsor needed sends it on, as a submission
 * would. One sponsorship per person is enforced by the store's conditional write.
 *
 * Outcomes: ok (emits `petition.submitted.v1`/`petition.published.v1` when it was
 * the last sponsor needed); `not_eligible`; `invalid_sponsor_token`;
 * `author_cannot_sponsor`; `invalid_state`.
 */
export function sponsorPetition(
  context: CommandContext,
  community: Community,
  petition: Petition,
  presentedLink: SponsorLinkCheck,
): Outcome<Petition> {
  const { actor, clock, ids } = context;
  const now = clock.now();
  const refusal = ineligibility(actor, community.id, community.settings.petitions.minimumAge, now);
  if (refusal) return reject(refusal);
  if (!presentedLink(petition.sponsorToken)) {
    return fail(
      'invalid_sponsor_token',
      text(
        'Посилання для підтримки недійсне. Попросіть автора надіслати його ще раз.',
        'The sponsor link is not valid. Ask the author to send it again.',
      ),
    );
  }
  if (isAuthor(actor, petition)) {
    return fail(
      'author_cannot_sponsor',
      text('Автор не може підтримати власну петицію.', 'The author cannot sponsor their own petition.'),
    );
  }
  if (petition.state !== PetitionState.gathering_sponsors) {
    return reject(
      illegalTransition(petition, PetitionState.in_moderation) ?? {
        code: 'invalid_state',
        message: text('Петиція вже не збирає підтримку.', 'The petition is no longer gathering sponsors.'),
        details: { currentState: petition.state },
      },
    );
  }
  const sponsored = { ...petition, sponsorCount: petition.sponsorCount + 1, version: petition.version + 1 };
  if (sponsored.sponsorCount < sponsored.sponsorsNeeded) return ok(sponsored);
  const next = readyForPublic(sponsored, community, now);
  return ok(next, [readinessEvent(ids, now, next)]);
}
