/**
 * The only place that builds `PK`/`SK`/`GSI*` strings. Every community key starts
 * with `C#<communityId>`, so tenants never share a partition and no query can
 * cross communities. Parts that come from outside (issuers, subjects) are
 * URI-encoded so that a `#` inside them cannot forge another key.
 */

const part = (value: string): string => encodeURIComponent(value);

export const Entity = {
  community: 'community',
  member: 'member',
  platformAdmin: 'platform-admin',
  outbox: 'outbox',
} as const;
export type Entity = (typeof Entity)[keyof typeof Entity];

export interface ItemKey {
  readonly PK: string;
  readonly SK: string;
}

export const communityPartition = (communityId: string): string => `C#${communityId}`;

export const keys = {
  community: (communityId: string): ItemKey => ({ PK: communityPartition(communityId), SK: 'COMMUNITY' }),

  member: (communityId: string, issuer: string, subject: string): ItemKey => ({
    PK: communityPartition(communityId),
    SK: `MEMBER#${part(issuer)}#${part(subject)}`,
  }),
  /** Sort-key prefix of every membership of a community. */
  memberPrefix: 'MEMBER#',
  /** Platform administrators are the one thing above communities. */
  platformAdmin: (issuer: string, subject: string): ItemKey => ({
    PK: 'PLATFORM',
    SK: `ADMIN#${part(issuer)}#${part(subject)}`,
  }),

  /** One outbox item per event, in the community's outbox partition, ordered by event id (ULID). */
  outbox: (communityId: string, eventId: string): ItemKey => ({
    PK: `${communityPartition(communityId)}#OUTBOX`,
    SK: `EVT#${eventId}`,
  }),
} as const;
