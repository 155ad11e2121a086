import { type Actor, hasRole, Role } from '../identity/actor';
import { text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';

/** Communities are created by platform administrators only. */
export function mayCreateCommunity(actor: Actor): boolean {
  return actor.platformAdmin;
}

/** Settings belong to the community's council. */
export function mayChangeSettings(actor: Actor): boolean {
  return hasRole(actor, Role.council);
}

/** The council manages roles; a platform admin may too, to bootstrap a community's first council. */
export function mayManageMembers(actor: Actor): boolean {
  return hasRole(actor, Role.council) || actor.platformAdmin;
}

/** Who holds which role is visible to the community's staff. */
export function mayListMembers(actor: Actor): boolean {
  return hasRole(actor, Role.council) || hasRole(actor, Role.moderator) || actor.platformAdmin;
}

export function forbidden(required: string): DomainError {
  return {
    code: 'forbidden',
    message: text(
      `Ця дія дозволена лише ролі: ${required}. Зверніться до ради громади.`,
      `Only ${required} may do this. Ask the community's council for the role.`,
    ),
    details: { required },
  };
}
