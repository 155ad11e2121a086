import { type Actor, hasRole, Role } from '../identity/actor';
import type { Appeal, Person } from './appeal';
import { AppealKind, type AppealSettings } from './settings';

const samePerson = (actor: Actor, person: Person | undefined): boolean =>
  person !== undefined && actor.issuer === person.issuer && actor.subject === person.subject;

export const isAuthor = (actor: Actor | undefined, appeal: Appeal): boolean =>
  actor !== undefined && actor.signerKey === appeal.authorKey;

/** The head of a unit, as the council named them in the settings. */
export function isHeadOf(actor: Actor | undefined, settings: AppealSettings, unitId: string): boolean {
  const unit = settings.units.find((u) => u.id === unitId);
  return actor !== undefined && samePerson(actor, unit?.head);
}

/**
 * Who handles a unit's items: the council, the unit's head, an officer of the
 * unit. `appeal` adds its assignee (an officer the head chose), so that the one
 * it was given to may act on it even before their units are on their membership.
 */
export function handles(
  actor: Actor | undefined,
  settings: AppealSettings,
  unitId: string,
  appeal?: Appeal,
): boolean {
  if (!actor) return false;
  if (hasRole(actor, Role.council) || isHeadOf(actor, settings, unitId)) return true;
  if (!hasRole(actor, Role.officer)) return false;
  return (actor.units?.has(unitId) ?? false) || (appeal !== undefined && samePerson(actor, appeal.assignee));
}

/** Reassigning: the council to any unit, the head within their own. */
export const mayReassign = (actor: Actor, settings: AppealSettings, unitId: string): boolean =>
  hasRole(actor, Role.council) || isHeadOf(actor, settings, unitId);

/** Public once answered: an information request's answer is public information. */
export const isPublic = (appeal: Appeal): boolean =>
  appeal.kind === AppealKind.information_request && appeal.status === 'answered';

/**
 * Who may know the item exists: its author and those who handle its unit;
 * everyone for an answered information request (shown without the requester).
 * Issue reports stay private until their moderation is built.
 */
export function mayRead(actor: Actor | undefined, settings: AppealSettings, appeal: Appeal): boolean {
  return isAuthor(actor, appeal) || handles(actor, settings, appeal.unitId, appeal);
}
