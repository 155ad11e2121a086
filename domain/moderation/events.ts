import { type EventEnvelope, envelope } from '../../events/envelope';
import type { IdGenerator } from '../shared/clock';
import type { ModerationItem } from './item';

/** Builds a moderation event about an item; the id and time come from the command's context. */
export function moderationEvent(
  ids: IdGenerator,
  now: Date,
  item: ModerationItem,
  name: string,
  detail: Record<string, unknown>,
): EventEnvelope {
  return envelope({
    id: ids.next(),
    name,
    communityId: item.communityId,
    occurredAt: now,
    subject: `moderation/${item.id}`,
    detail: {
      communityId: item.communityId,
      itemId: item.id,
      type: item.type,
      subjectId: item.subjectId,
      ...detail,
    },
  });
}
