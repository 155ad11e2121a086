import { CommunityEvents } from '../../../events/communities';
import { envelope } from '../../../events/envelope';
import { AuditAction, newAuditIntent } from '../../audit/intent';
import { Role } from '../../identity/actor';
import type { CommandContext } from '../../shared/command';
import { type Localized, text } from '../../shared/localized';
import { fail, type Outcome, ok, type Rejection, reject } from '../../shared/outcome';
import type { Community, Membership } from '../community';
import { forbidden, mayManageMembers } from '../permissions';

export interface SetMemberRolesInput {
  readonly issuer: string;
  readonly subject: string;
  /** The complete set of roles after the change; empty removes the membership. */
  readonly roles: readonly Role[];
  /** The units an officer handles (1 to {@link MAX_OFFICER_UNITS}); only with the `officer` role. */
  readonly units?: readonly string[];
}

/** An officer answers for a few units; a person who handles more is better made council. */
export const MAX_OFFICER_UNITS = 20;

/**
 * The units of an officer's membership must name units the reception has, and
 * only an officer has units: a unit on a moderator would grant nothing and read
 * as if it did.
 */
function unitsProblem(community: Community, input: SetMemberRolesInput): Rejection | undefined {
  const units = input.units ?? [];
  const refuse = (message: Localized, details: Record<string, unknown> = {}) =>
    fail('validation_failed', message, {
      errors: [{ pointer: '/body/units', detail: message.en }],
      subject: input.subject,
      ...details,
    });
  if (!input.roles.includes(Role.officer)) {
    if (units.length === 0) return undefined;
    return refuse(
      text(
        'Підрозділи надаються лише разом із роллю officer.',
        'Units are given only with the officer role.',
      ),
    );
  }
  if (units.length === 0 || units.length > MAX_OFFICER_UNITS) {
    return refuse(
      text(
        `Посадова особа (officer) має мати від 1 до ${MAX_OFFICER_UNITS} підрозділів.`,
        `An officer needs from 1 to ${MAX_OFFICER_UNITS} units.`,
      ),
    );
  }
  const known = new Set(community.settings.appeals.units.map((unit) => unit.id));
  const unknown = units.filter((unit) => !known.has(unit));
  if (unknown.length > 0) {
    return refuse(
      text(
        `Невідомі підрозділи: ${unknown.join(', ')}. Спершу додайте їх у налаштування appeals.units.`,
        `Unknown units: ${unknown.join(', ')}. Add them to the settings appeals.units first.`,
      ),
      { units: unknown },
    );
  }
  return undefined;
}

/**
 * Grants, changes or removes a person's roles in a community (council, or a
 * platform admin bootstrapping one). A community never loses its last council
 * member this way, or nobody could manage it again.
 *
 * Outcomes: ok (emits `community.member-changed.v1` and the audit intent
 * `community.member.set`; `value` is the membership,
 * or `undefined` when removed); `forbidden`; `member_not_found` (removing roles of
 * someone who has none); `last_council_member`; `validation_failed` (an officer
 * without 1 to 20 units of `settings.appeals.units`, an unknown unit — named in
 * the message and `details.units` — or units without the officer role).
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

  const unitsRefusal = unitsProblem(community, input);
  if (unitsRefusal) return unitsRefusal;

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
  const units = roles.includes(Role.officer) ? [...new Set(input.units ?? [])].sort() : [];
  const membership: Membership | undefined =
    roles.length === 0
      ? undefined
      : {
          communityId: community.id,
          issuer: input.issuer,
          subject: input.subject,
          roles,
          ...(units.length > 0 ? { units } : {}),
          grantedBy: actor.subject,
          grantedAt: now.toISOString(),
        };
  const changed = envelope({
    id: ids.next(),
    name: CommunityEvents.memberChanged,
    communityId: community.id,
    occurredAt: now,
    subject: `community/${community.id}/member/${input.subject}`,
    detail: {
      communityId: community.id,
      changedBy: actor.subject,
      memberSubject: input.subject,
      roles,
      units,
    },
  });
  const audit = newAuditIntent(context, {
    communityId: community.id,
    action: AuditAction.communityMemberSet,
    target: `member/${input.subject}`,
    // Units appear in the trail only where an officer's membership had or has them.
    before: { roles: [...(current?.roles ?? [])], ...(current?.units ? { units: [...current.units] } : {}) },
    after: { roles, ...(units.length > 0 ? { units } : {}) },
  });
  return ok(membership, [changed], audit);
}
