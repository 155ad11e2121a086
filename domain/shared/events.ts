import { type EventEnvelope, envelope } from '../../events/envelope';
import type { IdGenerator } from './clock';

/**
 * An event about one thing in a community: the envelope with a fresh id from
 * the command's generator, the command's time, `subject` as `<kind>/<id>`,
 * and the community id first in `detail` (every event schema has it).
 * @example communityEvent(ids, now, 'demo', 'petition/01J…', PetitionEvents.closed, { petitionId, total })
 */
export function communityEvent(
  ids: IdGenerator,
  now: Date,
  communityId: string,
  subject: string,
  name: string,
  detail: Record<string, unknown>,
): EventEnvelope {
  return envelope({
    id: ids.next(),
    name,
    communityId,
    occurredAt: now,
    subject,
    detail: { communityId, ...detail },
  });
}
