import { AuditAction } from '../../audit/intent';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { type Outcome, ok, reject } from '../../shared/outcome';
import { type Appeal, AppealStatus, moved } from '../appeal';
import { appealAudit } from '../audit';
import { staffRefusal } from '../errors';
import { forwardedEvent, statusChangeEvents } from '../events';
import type { AppealSettings } from '../settings';

export interface ForwardAppealInput {
  /** The body it goes to, by name (another council, an agency). */
  readonly body: string;
  readonly note?: string;
}

/**
 * An officer of the unit sends the item on to the body that can answer it
 * (Law "On Citizens' Appeals", art. 7): the author is told where it went.
 *
 * Outcomes: ok (emits `appeal.forwarded.v1`, audited); `not_unit_officer`; `appeal_closed`.
 */
export function forwardAppeal(
  context: CommandContext,
  settings: AppealSettings,
  appeal: Appeal,
  input: ForwardAppealInput,
): Outcome<Appeal> {
  const { actor, clock, ids } = context;
  const refusal = staffRefusal(actor, settings, appeal);
  if (refusal) return reject(refusal);
  const now = clock.now();
  const at = now.toISOString();
  const next = moved(
    { ...appeal, forwardedTo: { body: input.body, ...(input.note ? { note: input.note } : {}), at } },
    AppealStatus.forwarded,
    at,
    text(`Надіслано за належністю: ${input.body}.`, `Forwarded to the competent body: ${input.body}.`),
  );
  return ok(
    next,
    [forwardedEvent(ids, now, next), ...statusChangeEvents(ids, now, appeal, next)],
    appealAudit(context, AuditAction.appealForward, appeal, next, ['status']),
  );
}
