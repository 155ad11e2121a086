import { CommunityEvents } from '../../../events/communities';
import { envelope } from '../../../events/envelope';
import { AuditAction, newAuditIntent } from '../../audit/intent';
import { Role } from '../../identity/actor';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import type { Community, Membership } from '../community';
import { forbidden, mayManageMembers } from '../permissions';

export interface SetMemberRolesInput {
  readonly issuer: string;
  readonly subject: string;
  /** The complete set of roles after the change; empty removes the membership. */
  readonly roles: readonly Role[];
}

/**
 * Grants, changes or removes a person's roles in a community (council, or a
 * platform admin bootstrapping one). A community never loses its last council
 * member this way, or nobody could manage it again.
 *
 * Outcomes: ok (emits `community.member-changed.v1` and the audit intent
 * `community.member.set`; `value` is the membership,
 * or `undefined` when removed); `forbidden`; `member_not_found` (removing roles of
 * someone who has none); `last_council_member`.
 */
export function setMemberRoles(
  context: CommandContext,
  community: Community,
  current: Membership | undefined,
  council: readonly Membership[],
  input: SetMemberRolesInput,
): Outcome<Membership | undefined> {
  const { actor, clock, ids } = context;
  if (!mayManageMembers(actor)) return reject(forbidden('council'));
  if (!current && input.roles.length === 0) {
    return fail(
      'member_not_found',
      text('Ця особа не має ролей у громаді.', 'This person holds no role in the community.'),
      { subject: input.subject },
    );
  }

  const losesCouncil = current?.roles.includes(Role.council) && !input.roles.includes(Role.council);
  const othersInCouncil = council.filter((m) => !(m.issuer === input.issuer && m.subject === input.subject));
  if (losesCouncil && othersInCouncil.length === 0) {
    return fail(
      'last_council_member',
      text(
        'Це останній член ради громади. Спершу призначте іншого.',
        'This is the last council member of the community. Appoint another one first.',
      ),
      { subject: input.subject },
    );
  }

  const now = clock.now();
  const roles = [...new Set(input.roles)].sort();
  const membership: Membership | undefined =
    roles.length === 0
      ? undefined
      : {
          communityId: community.id,
          issuer: input.issuer,
          subject: input.subject,
          roles,
          grantedBy: actor.subject,
          grantedAt: now.toISOString(),
        };
  const changed = envelope({
    id: ids.next(),
    name: CommunityEvents.memberChanged,
    communityId: community.id,
    occurredAt: now,
    subject: `community/${community.id}/member/${input.subject}`,
    detail: { communityId: community.id, changedBy: actor.subject, memberSubject: input.subject, roles },
  });
  const audit = newAuditIntent(context, {
    communityId: community.id,
    action: AuditAction.communityMemberSet,
    target: `member/${input.subject}`,
    before: { roles: [...(current?.roles ?? [])] },
    after: { roles },
  });
  return ok(membership, [changed], audit);
}
