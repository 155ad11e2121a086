import { forbidden } from '../communities/permissions';
import { type Actor, hasRole, Role } from '../identity/actor';
import { text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';
import { ItemStatus, type ModerationItem } from './item';

/** The queue, items and claims are for the community's staff: its moderators and its council. */
export const mayViewQueue = (actor: Actor | undefined): boolean =>
  hasRole(actor, Role.moderator) || hasRole(actor, Role.council);

/**
 * Who may decide an item now: a moderator decides what waits for moderation,
 * only the council decides an appeal (it reviews a moderator's decision), and
 * only the council changes what it decided on appeal, and nobody decides
 * their own submission.
 * Returns the refusal, or undefined when the actor may.
 */
export function decisionRefusal(actor: Actor, item: ModerationItem): DomainError | undefined {
  if (actor.signerKey === item.authorKey) {
    return {
      code: 'own_item',
      message: text(
        'Не можна модерувати власне звернення: це зробить інший модератор чи рада.',
        'You cannot moderate what you submitted yourself: another moderator or the council will.',
      ),
    };
  }
  if (item.status === ItemStatus.appeal || item.appeal?.decidedAt !== undefined) {
    return hasRole(actor, Role.council) ? undefined : forbidden('council');
  }
  return hasRole(actor, Role.moderator) ? undefined : forbidden('moderator');
}

/** The author of the item's subject, by the pseudonymous key both carry. */
export const isItemAuthor = (actor: Actor | undefined, item: ModerationItem): boolean =>
  actor !== undefined && actor.signerKey === item.authorKey;
