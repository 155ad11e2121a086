import type { EventEnvelope } from '../../events/envelope';
import type { IdGenerator } from '../shared/clock';
import { communityEvent } from '../shared/events';
import type { ModerationItem } from './item';

/** Builds a moderation event about an item; the id and time come from the command's context. */
export function moderationEvent(
  ids: IdGenerator,
  now: Date,
  item: ModerationItem,
  name: string,
  detail: Record<string, unknown>,
): EventEnvelope {
  return communityEvent(ids, now, item.communityId, `moderation/${item.id}`, name, {
    itemId: item.id,
    type: item.type,
    subjectId: item.subjectId,
    ...detail,
  });
}
