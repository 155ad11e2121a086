import { ModerationEvents } from '../../../events/moderation';
import type { Actor } from '../../identity/actor';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { type DomainError, type Outcome, ok, reject } from '../../shared/outcome';
import { moderationEvent } from '../events';
import { ADVERSE, ItemStatus, lastDecision, type ModerationItem } from '../item';
import { isItemAuthor } from '../permissions';

/** Why this actor cannot appeal this item now, or undefined when they can. */
export function appealRefusal(actor: Actor | undefined, item: ModerationItem): DomainError | undefined {
  if (!isItemAuthor(actor, item)) {
    return {
      code: 'not_author',
      message: text('Оскаржити рішення може лише автор.', 'Only the author may appeal.'),
    };
  }
  if (item.appeal) {
    return {
      code: 'already_appealed',
      message: text('Рішення можна оскаржити лише один раз.', 'A decision can be appealed only once.'),
      details: { appealedAt: item.appeal.appealedAt },
    };
  }
  const last = lastDecision(item);
  if (item.status !== ItemStatus.decided || !last || !ADVERSE.has(last.decision)) {
    return {
      code: 'not_appealable',
      message: text(
        'Оскаржити можна лише відхилення чи приховування, коли рішення вже ухвалено.',
        'Only a decision to reject or hide can be appealed, once it has been made.',
      ),
      details: { itemStatus: item.status, ...(last ? { lastDecision: last.decision } : {}) },
    };
  }
  return undefined;
}

/**
 * The author appeals a rejection or a hide, once, with their reasons. The item
 * goes back to the queue marked `appeal`, where only the council decides.
 *
 * Outcomes: ok (emits `moderation.appealed.v1`); `not_author`;
 * `already_appealed`; `not_appealable` (the item's last decision is not a
 * rejection or a hide, or it is still waiting for one).
 */
export function appealItem(
  context: CommandContext,
  item: ModerationItem,
  appealText: string,
): Outcome<ModerationItem> {
  const { actor, clock, ids } = context;
  const refusal = appealRefusal(actor, item);
  if (refusal) return reject(refusal);
  const now = clock.now();
  const appealed: ModerationItem = {
    ...item,
    status: ItemStatus.appeal,
    waitingSince: now.toISOString(),
    appeal: { text: appealText, appealedAt: now.toISOString() },
    version: item.version + 1,
  };
  return ok(appealed, [
    moderationEvent(ids, now, appealed, ModerationEvents.appealed, { appealedAt: now.toISOString() }),
  ]);
}
