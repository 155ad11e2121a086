import type { AuditActor } from '../audit/intent';
import { type Appeal, OPEN } from './appeal';

/** The overdue job as the audit trail names it: no person acted, the calendar did. */
export const OVERDUE_ACTOR: AuditActor = { subject: 'system:appeals-overdue', roles: ['system'] };

/**
 * True when the overdue job has marked the item for the due day in force and
 * it is still open. An extension granted after the mark sets a due day on or
 * after the mark (never before today), so the item is not overdue again until
 * that day passes, and goes back on the schedule for it; `overdueSince` keeps
 * the history ("it was overdue once") for the statistics.
 * @example isMarkedOverdue({ ...appeal, status: 'assigned', dueOn: '2026-12-01', overdueSince: '2026-12-02' }) // true
 */
export function isMarkedOverdue(appeal: Appeal): boolean {
  return OPEN.has(appeal.status) && appeal.overdueSince !== undefined && appeal.overdueSince > appeal.dueOn;
}

/** True when the item waits on the overdue schedule: open, and not yet marked for its due day. */
export function awaitsOverdueMark(appeal: Appeal): boolean {
  return OPEN.has(appeal.status) && !isMarkedOverdue(appeal);
}
