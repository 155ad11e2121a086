import { AuditAction } from '../../audit/intent';
import { forbidden } from '../../communities/permissions';
import { hasRole, Role } from '../../identity/actor';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { type Appeal, AppealStatus, moved, type Person } from '../appeal';
import { appealAudit } from '../audit';
import { staffRefusal } from '../errors';
import { assignedEvent, statusChangeEvents } from '../events';
import { mayReassign } from '../permissions';
import type { AppealSettings } from '../settings';

export interface AssignAppealInput {
  /** The officer who is to answer it. */
  readonly officer?: Person;
  /** Another unit (the council only). */
  readonly unitId?: string;
}

/**
 * A unit's head gives an item to an officer of the unit; the council may also
 * move it to another unit (its officer, if named, then belongs there). Either
 * way the item waits for a start again.
 *
 * Outcomes: ok (emits `appeal.assigned.v1`, audited); `not_unit_officer` (does
 * not handle the item's unit); `appeal_closed`; `unknown_unit`; `forbidden`
 * (neither the council nor the head of the unit).
 */
export function assignAppeal(
  context: CommandContext,
  settings: AppealSettings,
  appeal: Appeal,
  input: AssignAppealInput,
): Outcome<Appeal> {
  const { actor, clock, ids } = context;
  const refusal = staffRefusal(actor, settings, appeal);
  if (refusal) return reject(refusal);
  const unitId = input.unitId ?? appeal.unitId;
  const unit = settings.units.find((u) => u.id === unitId);
  if (!unit) {
    return fail(
      'unknown_unit',
      text('У громади немає такого підрозділу.', 'The community has no such unit.'),
      {
        unitId,
        units: settings.units.map((u) => u.id),
      },
    );
  }
  const movesUnit = unitId !== appeal.unitId;
  if (movesUnit ? !hasRole(actor, Role.council) : !mayReassign(actor, settings, unitId)) {
    return reject(forbidden(movesUnit ? 'council' : 'council, head of the unit'));
  }
  const now = clock.now();
  const note = input.officer
    ? text(
        `Доручено посадовій особі підрозділу «${unit.names.uk}».`,
        `Given to an officer of "${unit.names.en}".`,
      )
    : text(`Передано до підрозділу «${unit.names.uk}».`, `Routed to the unit "${unit.names.en}".`);
  // A new unit's items have no officer until one is named; within the unit the officer stays unless replaced.
  const { assignee: previousAssignee, ...rest } = appeal;
  const assignee = input.officer ?? (movesUnit ? undefined : previousAssignee);
  const next = moved(
    { ...rest, unitId, ...(assignee ? { assignee } : {}) },
    AppealStatus.assigned,
    now.toISOString(),
    note,
  );
  return ok(
    next,
    [assignedEvent(ids, now, next, false, appeal.unitId), ...statusChangeEvents(ids, now, appeal, next)],
    appealAudit(context, AuditAction.appealAssign, appeal, next, ['status', 'unitId', 'assignee']),
  );
}
