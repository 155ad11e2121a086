import type { EventEnvelope } from '../../events/envelope';
import type { AuditIntent } from '../audit/intent';
import type { Community, Membership } from './community';

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; absent on the last page. */
  readonly cursor?: string;
}

/**
 * Storage the communities tool needs. Every write stores the command's events in
 * the same transaction (the outbox), so an event exists if and only if its
 * change committed; a staff action's audit intent goes into that transaction too.
 */
export interface CommunityStore {
  get(communityId: string): Promise<Community | undefined>;
  /** `exists` when a community with this id is already there. */
  create(
    community: Community,
    members: readonly Membership[],
    events: readonly EventEnvelope[],
  ): Promise<'created' | 'exists'>;
  /** `conflict` when the stored version is no longer `expectedVersion`. */
  saveSettings(
    community: Community,
    expectedVersion: number,
    events: readonly EventEnvelope[],
    audit?: AuditIntent,
  ): Promise<'saved' | 'conflict'>;
  listMembers(communityId: string, page: { limit: number; cursor?: string }): Promise<Page<Membership>>;
  /** Every council member, for the rule that a community always keeps one. */
  councilMembers(communityId: string): Promise<readonly Membership[]>;
  putMember(member: Membership, events: readonly EventEnvelope[], audit?: AuditIntent): Promise<void>;
  removeMember(member: Membership, events: readonly EventEnvelope[], audit?: AuditIntent): Promise<void>;
  getMember(communityId: string, issuer: string, subject: string): Promise<Membership | undefined>;
}
