import { monotonicFactory } from 'ulid';
import type { Clock, IdGenerator } from '../../domain/shared/clock';
import { randomSecret } from './secrets';

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };

/** ULIDs that sort in creation order even within one millisecond; secrets from the system's random source. */
export function ulidGenerator(): IdGenerator {
  const next = monotonicFactory();
  return { next: () => next(), secret: randomSecret };
}
