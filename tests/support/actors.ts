import type { Community } from '../../domain/communities/community';
import { CommunitySettingsSchema } from '../../domain/communities/settings';
import { type Actor, Role } from '../../domain/identity/actor';
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

/** A community as the store holds it, with its settings parsed from `settings` (names default to "Громада"/"Community"). */
export function communityAt(iso: string, settings: Record<string, unknown> = {}, id = 'c1'): Community {
  return {
    id,
    settings: CommunitySettingsSchema.parse({ names: { uk: 'Громада', en: 'Community' }, ...settings }),
    createdAt: iso,
    createdBy: 'admin',
    updatedAt: iso,
    version: 1,
  };
}

/** A command context at `iso`: the council's unless `who` says otherwise. */
export function contextAt(
  iso: string,
  who: Actor = actor({ subject: 'council', roles: new Set([Role.council]) }),
): CommandContext {
  return { actor: who, clock: fixedClock(iso), ids: sequentialIds() };
}
