import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { type Appeal, AppealStatus, moved, STARTABLE } from '../appeal';
import { initialDueDay } from '../due-dates';
import { staffRefusal } from '../errors';
import { startedEvent, statusChangeEvents } from '../events';
import { AppealKind, type AppealSettings } from '../settings';

export interface StartAppealInput {
  /** Appeals only: needs no further study, so it is due by the shorter rule (15 days by default). */
  readonly noFurtherStudy?: boolean;
}

/**
 * An officer of the unit starts work on an item. Marking an appeal as needing
 * no further study moves its due day to the shorter rule, counted from
 * registration (never later than it was, and not after an extension).
 *
 * Outcomes: ok (emits `appeal.started.v1`); `not_unit_officer`; `appeal_closed`;
 * `invalid_state` (already started or extended); `validation_failed`
 * (`noFurtherStudy` on an item that is not an appeal).
 */
export function startAppeal(
  context: CommandContext,
  settings: AppealSettings,
  appeal: Appeal,
  input: StartAppealInput,
): Outcome<Appeal> {
  const { actor, clock, ids } = context;
  const refusal = staffRefusal(actor, settings, appeal);
  if (refusal) return reject(refusal);
  if (!STARTABLE.has(appeal.status)) {
    return fail(
      'invalid_state',
      text(
        `Роботу над зверненням уже розпочато (стан «${appeal.status}»).`,
        `Work on this item has already started (status "${appeal.status}").`,
      ),
      { currentState: appeal.status },
    );
  }
  if (input.noFurtherStudy && appeal.kind !== AppealKind.appeal) {
    return fail(
      'validation_failed',
      text(
        'Позначка «не потребує додаткового вивчення» — лише для звернень громадян.',
        'Only appeals may be marked as needing no further study.',
      ),
      { errors: [{ pointer: '/body/noFurtherStudy', detail: 'appeals only' }] },
    );
  }
  const now = clock.now();
  const shorter =
    input.noFurtherStudy && !appeal.extension
      ? initialDueDay(settings, {
          kind: appeal.kind,
          registeredOn: appeal.registeredOn,
          categoryId: appeal.categoryId,
          noFurtherStudy: true,
        })
      : undefined;
  const next = moved(
    {
      ...appeal,
      ...(input.noFurtherStudy ? { noFurtherStudy: true } : {}),
      ...(shorter && shorter < appeal.dueOn ? { dueOn: shorter } : {}),
    },
    AppealStatus.in_progress,
    now.toISOString(),
  );
  return ok(next, [startedEvent(ids, now, next), ...statusChangeEvents(ids, now, appeal, next)]);
}
