import { type ModerationItem, parseItemId } from '../../domain/moderation/item';
import { unseenItem } from '../../domain/moderation/queue';
import type { CommandContext } from '../../domain/shared/command';
import { type Localized, text } from '../../domain/shared/localized';
import { type DomainError, type Outcome, ok, reject } from '../../domain/shared/outcome';
import { versionConflict } from '../shared/use-case';
import type { ModerationPort } from './ports';
import type { DescribedSubject } from './subjects';

/**
 * How the moderation centre's use cases find an item: by its id, with the
 * subject as its tool describes it now, and the rejections they share.
 */

/** Names the item in the `version_conflict` message. */
export const ITEM: Localized = text('Запис модерації', 'The moderation item');

/**
 * Someone else changed the item the caller looked at (a decision, a claim or a
 * report): the caller looks at it again rather than sending the same thing
 * again, which would overrule a decision they have not seen.
 */
export const itemChanged = (itemId: string): DomainError => ({
  ...versionConflict(ITEM),
  message: text(
    'Запис щойно змінив хтось інший (рішення, взяття в роботу чи скарга). Перегляньте його ще раз.',
    'Someone else changed this item just now (a decision, a claim or a report). Look at it again.',
  ),
  details: { itemId },
});

/** The 404 of an item: missing, or not the caller's to know about. */
export const itemNotFound = (itemId: string): DomainError => ({
  code: 'item_not_found',
  message: text(
    'Такого запису модерації немає в цій громаді.',
    'There is no such moderation item in this community.',
  ),
  details: { itemId },
});

export interface Loaded {
  readonly item: ModerationItem;
  readonly subject: DescribedSubject;
}

/**
 * The item of an id, with the subject as it is now. A subject the centre has
 * not seen yet (a petition published without pre-moderation) gets a fresh,
 * unsaved item (version 0): waiting if the public does not see the subject,
 * settled if it does.
 */
export async function loadItem(
  port: ModerationPort,
  context: CommandContext,
  communityId: string,
  itemId: string,
): Promise<Outcome<Loaded>> {
  const id = parseItemId(itemId);
  if (!id) return reject(itemNotFound(itemId));
  const [stored, subject] = await Promise.all([
    port.get(communityId, itemId),
    port.subject(communityId, id.type, id.subjectId),
  ]);
  if (!subject) return reject(itemNotFound(itemId));
  const item =
    stored ??
    unseenItem(
      { communityId, snapshot: subject.snapshot, since: context.clock.now().toISOString() },
      subject.isPublic,
    );
  return ok({ item, subject });
}

/** A stored item only: claims and appeals are about something that has been in the queue. */
export async function loadStored(
  port: ModerationPort,
  context: CommandContext,
  communityId: string,
  itemId: string,
): Promise<Outcome<ModerationItem>> {
  const loaded = await loadItem(port, context, communityId, itemId);
  if (!loaded.ok) return loaded;
  return loaded.value.item.version === 0 ? reject(itemNotFound(itemId)) : ok(loaded.value.item);
}
