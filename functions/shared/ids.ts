import { monotonicFactory } from 'ulid';
import type { Clock, IdGenerator } from '../../domain/shared/clock';

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };

/** ULIDs that sort in creation order even within one millisecond. */
export function ulidGenerator(): IdGenerator {
  const next = monotonicFactory();
  return { next: () => next() };
}
