import type { AuditIntent } from '../../../domain/audit/intent';
import type { Community, Membership } from '../../../domain/communities/community';
import type { CommunityStore } from '../../../domain/communities/ports';
import { Role } from '../../../domain/identity/actor';
import type { EventEnvelope } from '../../../events/envelope';

/** What the fake remembers besides communities and members: everything a use case wrote, in order. */
export interface CommunityStoreRecord {
  readonly events: EventEnvelope[];
  readonly audits: AuditIntent[];
}

/**
 * An in-memory {@link CommunityStore} with the DynamoDB one's contract: a
 * community is created once, settings are saved over the version read, and
 * every write keeps its events and audit intent. `conflictNext(n)` makes the
 * next `n` settings saves answer `conflict`, as if another change had come
 * first, so the runner's retry is tested without a race.
 */
export function fakeCommunityStore(seed: { communities?: Community[]; members?: Membership[] } = {}) {
  const communities = new Map<string, Community>();
  const members = new Map<string, Membership>();
  const memberKey = (communityId: string, issuer: string, subject: string) =>
    `${communityId}|${issuer}|${subject}`;
  for (const community of seed.communities ?? []) communities.set(community.id, community);
  for (const member of seed.members ?? [])
    members.set(memberKey(member.communityId, member.issuer, member.subject), member);
  const record: CommunityStoreRecord = { events: [], audits: [] };
  let conflicts = 0;
  let saves = 0;
  const keep = (events: readonly EventEnvelope[], audit?: AuditIntent) => {
    record.events.push(...events);
    if (audit) record.audits.push(audit);
  };
  const membersOf = (communityId: string) =>
    [...members.values()].filter((member) => member.communityId === communityId);

  const store: CommunityStore = {
    async get(communityId) {
      return communities.get(communityId);
    },
    async create(community, council, events) {
      if (communities.has(community.id)) return 'exists';
      communities.set(community.id, community);
      for (const member of council)
        members.set(memberKey(member.communityId, member.issuer, member.subject), member);
      keep(events);
      return 'created';
    },
    async saveSettings(community, expectedVersion, events, audit) {
      saves += 1;
      if (conflicts > 0) {
        conflicts -= 1;
        return 'conflict';
      }
      if (communities.get(community.id)?.version !== expectedVersion) return 'conflict';
      communities.set(community.id, community);
      keep(events, audit);
      return 'saved';
    },
    async listMembers(communityId, page) {
      return { items: membersOf(communityId).slice(0, page.limit) };
    },
    async councilMembers(communityId) {
      return membersOf(communityId).filter((member) => member.roles.includes(Role.council));
    },
    async getMember(communityId, issuer, subject) {
      return members.get(memberKey(communityId, issuer, subject));
    },
    async putMember(member, events, audit) {
      members.set(memberKey(member.communityId, member.issuer, member.subject), member);
      keep(events, audit);
    },
    async removeMember(member, events, audit) {
      members.delete(memberKey(member.communityId, member.issuer, member.subject));
      keep(events, audit);
    },
  };

  return {
    store,
    record,
    /** The next `count` settings saves answer `conflict`. */
    conflictNext(count: number) {
      conflicts = count;
    },
    /** Settings saves tried so far, refused ones included. */
    get saves() {
      return saves;
    },
  };
}
