import { forbidden } from '../../communities/permissions';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { CLAIM_MINUTES, claimedByOther, type ModerationItem, WAITING } from '../item';
import { decisionRefusal, mayViewQueue } from '../permissions';
import { claimedError, nothingToDecide } from './errors';

/**
 * A moderator takes an item for {@link CLAIM_MINUTES} minutes, so that two
 * people do not work on the same thing; claiming again renews the claim. The
 * claim ends with a decision, a release, or when its time is up.
 *
 * Outcomes: ok (the item with its claim); `forbidden` (not staff, or an appeal
 * and not council); `nothing_to_decide` (the item waits for nobody);
 * `item_claimed` (someone else holds it: `claimedBy`, `until`).
 */
export function claimItem(context: CommandContext, item: ModerationItem): Outcome<ModerationItem> {
  const { actor, clock } = context;
  if (!mayViewQueue(actor)) return reject(forbidden('moderator'));
  const refusal = decisionRefusal(actor, item);
  if (refusal) return reject(refusal);
  if (!WAITING.has(item.status)) return reject(nothingToDecide(item));
  const now = clock.now();
  if (claimedByOther(item, actor.subject, now)) return reject(claimedError(item));
  const until = new Date(now.getTime() + CLAIM_MINUTES * 60_000).toISOString();
  return ok({ ...item, claim: { by: actor.subject, until }, version: item.version + 1 });
}

/**
 * The holder gives a claim back before its time is up.
 *
 * Outcomes: ok (the item without a claim); `not_claimed` (no claim holds now);
 * `item_claimed` (the claim is someone else's).
 */
export function releaseClaim(context: CommandContext, item: ModerationItem): Outcome<ModerationItem> {
  const { actor, clock } = context;
  const now = clock.now();
  if (claimedByOther(item, actor.subject, now)) return reject(claimedError(item));
  if (!item.claim || item.claim.until <= now.toISOString()) {
    return fail('not_claimed', text('Цей запис зараз ніхто не опрацьовує.', 'Nobody holds this item now.'));
  }
  const { claim: _released, ...rest } = item;
  return ok({ ...rest, version: item.version + 1 });
}
