import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Community, Membership } from '../../domain/communities/community';
import { type CommunitySettings, CommunitySettingsSchema } from '../../domain/communities/settings';
import { Role } from '../../domain/identity/actor';
import { batchGetAll } from './dynamo';
import { type FieldsOf, pickFields } from './item-fields';
import { Entity, keys } from './keys';

/**
 * Item codecs of the tenancy base every tool stands on (communities, memberships,
 * platform admins), and the one read that scopes a request to a community.
 */

export function communityToItem(community: Community): Record<string, unknown> {
  return { ...keys.community(community.id), entity: Entity.community, ...community };
}

const COMMUNITY_FIELDS = {
  id: true,
  settings: true,
  createdAt: true,
  createdBy: true,
  updatedAt: true,
  version: true,
} as const satisfies FieldsOf<Community>;

const MEMBERSHIP_FIELDS = {
  communityId: true,
  issuer: true,
  subject: true,
  roles: true,
  units: true,
  grantedBy: true,
  grantedAt: true,
} as const satisfies FieldsOf<Membership>;

/**
 * Stored settings, read back. The schema is strict, as request bodies must be;
 * a stored key it does not know (written by a later version, before a roll
 * back) is dropped rather than failing every request of that community. Any
 * other fault still throws: it is data no version wrote.
 */
export function storedSettings(stored: unknown): CommunitySettings {
  const value: unknown = structuredClone(stored);
  for (;;) {
    const result = CommunitySettingsSchema.safeParse(value);
    if (result.success) return result.data;
    const unknownKeys = result.error.issues.filter((issue) => issue.code === 'unrecognized_keys');
    if (unknownKeys.length === 0) throw result.error;
    for (const issue of unknownKeys) {
      const holder = issue.path.reduce<unknown>(
        (at, step) => (at as Record<PropertyKey, unknown> | undefined)?.[step],
        value,
      ) as Record<string, unknown>;
      for (const key of issue.keys) delete holder[key];
    }
  }
}

export function communityFromItem(item: Record<string, unknown>): Community {
  return {
    ...pickFields<Community>(item, COMMUNITY_FIELDS),
    // Parsing fills defaults added since the item was written.
    settings: storedSettings(item.settings),
  };
}

export function memberToItem(member: Membership): Record<string, unknown> {
  return {
    ...keys.member(member.communityId, member.issuer, member.subject),
    entity: Entity.member,
    ...member,
  };
}

export const memberFromItem = (item: Record<string, unknown>): Membership =>
  pickFields<Membership>(item, MEMBERSHIP_FIELDS);

export interface RequestScope {
  readonly community?: Community;
  readonly roles: readonly Role[];
  /**
   * The units the caller handles as an officer: those of the membership that the
   * community's settings still have (see {@link officerUnits}); absent otherwise.
   */
  readonly units?: readonly string[];
  readonly platformAdmin: boolean;
}

/**
 * An officer's units as they count now. A council may remove a unit from the
 * settings while officers are still scoped to it; the settings change goes
 * through (refusing it would need every membership read inside the settings'
 * transaction, and a grant racing the removal would still slip past), and the
 * stale unit grants nothing, because it is dropped here, at every request,
 * against the settings read in the same round trip. Units on someone who is
 * not an officer count for nothing either.
 */
export function officerUnits(membership: Membership | undefined, community: Community | undefined): string[] {
  if (!membership?.roles.includes(Role.officer) || !community) return [];
  const known = new Set(community.settings.appeals.units.map((unit) => unit.id));
  return (membership.units ?? []).filter((unit) => known.has(unit));
}

/**
 * Reads, in one round trip, what a request needs to know before any rule runs:
 * the community named in the path, the caller's membership in it and whether the
 * caller is a platform admin.
 */
export async function loadRequestScope(
  client: DynamoDBDocumentClient,
  tableName: string,
  request: { communityId?: string; identity?: { issuer: string; subject: string } },
): Promise<RequestScope> {
  const { communityId, identity } = request;
  const wanted = [
    ...(communityId ? [keys.community(communityId)] : []),
    ...(communityId && identity ? [keys.member(communityId, identity.issuer, identity.subject)] : []),
    ...(identity ? [keys.platformAdmin(identity.issuer, identity.subject)] : []),
  ];
  if (wanted.length === 0) return { roles: [], platformAdmin: false };

  const found = await batchGetAll(client, tableName, wanted);

  const byEntity = (entity: string) => found.find((item) => item.entity === entity);
  const communityItem = byEntity(Entity.community);
  const memberItem = byEntity(Entity.member);
  const community = communityItem ? communityFromItem(communityItem) : undefined;
  const membership = memberItem ? memberFromItem(memberItem) : undefined;
  const units = officerUnits(membership, community);
  return {
    ...(community ? { community } : {}),
    roles: membership?.roles ?? [],
    ...(units.length > 0 ? { units } : {}),
    platformAdmin: byEntity(Entity.platformAdmin) !== undefined,
  };
}

/**
 * Makes someone a platform admin. Only deployment tooling calls this (the demo
 * data, the bootstrap command): no API route can create a platform admin.
 */
export async function putPlatformAdmin(
  client: DynamoDBDocumentClient,
  tableName: string,
  admin: { issuer: string; subject: string; grantedAt: string },
): Promise<void> {
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.platformAdmin(admin.issuer, admin.subject), entity: Entity.platformAdmin, ...admin },
    }),
  );
}
