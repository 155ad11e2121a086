import { type Actor, hasRole, Role } from '../identity/actor';

/** The audit trail answers to the council: only its members read and export it. */
export function mayReadAudit(actor: Actor): boolean {
  return hasRole(actor, Role.council);
}
