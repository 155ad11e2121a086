import type { Actor, Role } from '../../domain/identity/actor';
import type { CommandContext } from '../../domain/shared/command';
import { ulidGenerator } from '../../functions/shared/ids';

/** A fixed clock for commands under test. */
export const fixedClock = (iso = '2026-11-22T10:00:00.000Z') => ({ now: () => new Date(iso) });

/** Valid ULIDs, unique across the whole test run (outbox items are keyed by event id). */
export function sequentialIds() {
  return ulidGenerator();
}

export function actor(overrides: Partial<Actor> & { roles?: ReadonlySet<Role> } = {}): Actor {
  return {
    issuer: 'https://issuer.test',
    subject: 'someone',
    signerKey: 'k'.repeat(64),
    platformAdmin: false,
    roles: new Set(),
    ...overrides,
  };
}

export function contextFor(who: Actor): CommandContext {
  return { actor: who, clock: fixedClock(), ids: sequentialIds() };
}
