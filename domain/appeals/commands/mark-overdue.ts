import { AuditAction, type AuditIntent } from '../../audit/intent';
import type { Clock, IdGenerator } from '../../shared/clock';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { type Appeal, OPEN } from '../appeal';
import { localDay } from '../calendar';
import { isOverdue } from '../due-dates';
import { appealClosed } from '../errors';
import { overdueEvent } from '../events';
import { isMarkedOverdue, OVERDUE_ACTOR } from '../overdue';

/**
 * Marks an open item whose due day has passed (in the community's days) as
 * overdue since today. Run by the overdue job, not by a person: the audit
 * names {@link OVERDUE_ACTOR}. The status does not change (the item is still
 * being handled); the mark takes it off the schedule, so the event fires once
 * per due day: two runs that read the same version race on the conditional
 * write, and the loser, reading again, finds it marked.
 *
 * Outcomes: ok (emits `appeal.overdue.v1`, audited); `appeal_closed` (answered,
 * refused or forwarded meanwhile); `not_due` (its due day is today or later, or
 * it is marked for this due day already).
 */
export function markOverdue(clock: Clock, ids: IdGenerator, appeal: Appeal): Outcome<Appeal> {
  if (!OPEN.has(appeal.status)) return reject(appealClosed(appeal));
  const now = clock.now();
  const today = localDay(now);
  if (!isOverdue(appeal.dueOn, today) || isMarkedOverdue(appeal)) {
    return fail(
      'not_due',
      text(
        `Звернення ${appeal.number} не прострочене або вже позначене (строк: ${appeal.dueOn}).`,
        `Item ${appeal.number} is not overdue, or is marked already (due: ${appeal.dueOn}).`,
      ),
      { dueOn: appeal.dueOn, today, ...(appeal.overdueSince ? { overdueSince: appeal.overdueSince } : {}) },
    );
  }
  const next: Appeal = { ...appeal, overdueSince: today, version: appeal.version + 1 };
  return ok(next, [overdueEvent(ids, now, next)], overdueAudit(ids, now, appeal, next));
}

/** The job's audit record: which due day passed and the day it was marked. */
function overdueAudit(ids: IdGenerator, now: Date, before: Appeal, after: Appeal): AuditIntent {
  return {
    id: ids.next(),
    communityId: before.communityId,
    actor: OVERDUE_ACTOR,
    action: AuditAction.appealMarkOverdue,
    target: `appeal/${before.id}`,
    at: now.toISOString(),
    before: { dueOn: before.dueOn, ...(before.overdueSince ? { overdueSince: before.overdueSince } : {}) },
    after: { dueOn: after.dueOn, overdueSince: after.overdueSince as string },
  };
}
