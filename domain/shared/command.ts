import type { Actor } from '../identity/actor';
import type { Clock, IdGenerator } from './clock';

/** What every command receives besides its input: who acts, and the injected clock and ids. */
export interface CommandContext {
  readonly actor: Actor;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}
