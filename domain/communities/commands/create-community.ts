import { CommunityEvents } from '../../../events/communities';
import { envelope } from '../../../events/envelope';
import { Role } from '../../identity/actor';
import type { CommandContext } from '../../shared/command';
import { type Outcome, ok, reject } from '../../shared/outcome';
import type { Community, Membership } from '../community';
import { forbidden, mayCreateCommunity } from '../permissions';
import type { CommunitySettings } from '../settings';

export interface CreateCommunityInput {
  readonly id: string;
  readonly settings: CommunitySettings;
  /** The first council members; the council then manages everyone else. */
  readonly council: readonly { readonly issuer: string; readonly subject: string }[];
}

/**
 * Creates a community with its first council.
 *
 * Outcomes: ok (emits `community.created.v1`); `forbidden` (not a platform admin).
 * `community_exists` is decided by the store's conditional write.
 */
export function createCommunity(
  context: CommandContext,
  input: CreateCommunityInput,
): Outcome<{ community: Community; members: Membership[] }> {
  const { actor, clock, ids } = context;
  if (!mayCreateCommunity(actor)) return reject(forbidden('platform admin'));
  const now = clock.now().toISOString();
  const community: Community = {
    id: input.id,
    settings: input.settings,
    createdAt: now,
    createdBy: actor.subject,
    updatedAt: now,
    version: 1,
  };
  const members = input.council.map(
    (person): Membership => ({
      communityId: input.id,
      issuer: person.issuer,
      subject: person.subject,
      roles: [Role.council],
      grantedBy: actor.subject,
      grantedAt: now,
    }),
  );
  const created = envelope({
    id: ids.next(),
    name: CommunityEvents.created,
    communityId: input.id,
    occurredAt: clock.now(),
    subject: `community/${input.id}`,
    detail: { communityId: input.id, names: input.settings.names, createdBy: actor.subject },
  });
  return ok({ community, members }, [created]);
}
