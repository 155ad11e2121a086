import type { Actor } from '../identity/actor';
import { text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';
import { type Appeal, OPEN } from './appeal';
import { handles } from './permissions';
import type { AppealSettings } from './settings';

/** The 404 of an item the caller may not know exists. */
export const appealNotFound = (appealId: string): DomainError => ({
  code: 'appeal_not_found',
  message: text('Звернення не знайдено.', 'There is no such appeal.'),
  details: { appealId },
});

/** The 403 of someone who sees the item (its author) but does not handle its unit. */
export const notUnitOfficer = (appeal: Appeal): DomainError => ({
  code: 'not_unit_officer',
  message: text(
    'Це може зробити лише посадова особа підрозділу, якому доручено звернення, його керівник або рада.',
    'Only an officer of the unit the item is assigned to, its head or the council may do this.',
  ),
  details: { unitId: appeal.unitId },
});

/** The 409 of an action on an answered, refused or forwarded item. */
export const appealClosed = (appeal: Appeal): DomainError => ({
  code: 'appeal_closed',
  message: text(
    `Звернення ${appeal.number} вже закрите (${appeal.status}); змінити його не можна.`,
    `Item ${appeal.number} is already closed (${appeal.status}); it cannot change.`,
  ),
  details: { status: appeal.status },
});

/**
 * What every staff action checks first: the caller handles the item's unit
 * (`not_unit_officer`), and the item is still open (`appeal_closed`).
 */
export function staffRefusal(
  actor: Actor,
  settings: AppealSettings,
  appeal: Appeal,
): DomainError | undefined {
  if (!handles(actor, settings, appeal.unitId, appeal)) return notUnitOfficer(appeal);
  if (!OPEN.has(appeal.status)) return appealClosed(appeal);
  return undefined;
}
