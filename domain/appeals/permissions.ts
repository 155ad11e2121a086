import { type Actor, hasRole, Role } from '../identity/actor';
import type { Appeal, Person } from './appeal';
import { Visibility } from './publication';
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

/**
 * Public: an answered information request (its answer is public information),
 * and an issue report the moderation centre published (whatever its status,
 * so that anyone can follow it).
 */
export const isPublic = (appeal: Appeal): boolean =>
  (appeal.kind === AppealKind.information_request && appeal.status === 'answered') ||
  (appeal.kind === AppealKind.issue_report && appeal.publication?.visibility === Visibility.published);

/** When a public item became public (an answer, an issue report's first publication): the public list's order. */
export function publishedAt(appeal: Appeal): string | undefined {
  if (!isPublic(appeal)) return undefined;
  return appeal.kind === AppealKind.issue_report ? appeal.publication?.publishedAt : appeal.answer?.at;
}

/**
 * The community's moderators judge an issue report by all it shows (text,
 * location, photo), published or not: they read it (never its author), and act on nothing.
 */
const moderates = (actor: Actor | undefined, appeal: Appeal): boolean =>
  actor !== undefined && appeal.kind === AppealKind.issue_report && hasRole(actor, Role.moderator);

/**
 * Who may know the item exists through the private routes: its author, those
 * who handle its unit, and for an issue report the moderators. Public items
 * ({@link isPublic}) are read by everyone through the public routes, without the author.
 */
export function mayRead(actor: Actor | undefined, settings: AppealSettings, appeal: Appeal): boolean {
  return (
    isAuthor(actor, appeal) || handles(actor, settings, appeal.unitId, appeal) || moderates(actor, appeal)
  );
}
