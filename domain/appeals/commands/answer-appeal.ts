import { AuditAction } from '../../audit/intent';
import type { CommandContext } from '../../shared/command';
import { type Outcome, ok, reject } from '../../shared/outcome';
import { type Appeal, AppealStatus, moved } from '../appeal';
import { appealAudit } from '../audit';
import { staffRefusal } from '../errors';
import { answeredEvent, statusChangeEvents } from '../events';
import type { AppealSettings } from '../settings';

export interface AnswerAppealInput {
  readonly text: string;
}

/**
 * An officer of the unit answers, in electronic form: the author reads it in
 * the API; an information request's question and answer become public.
 *
 * Outcomes: ok (emits `appeal.answered.v1` with whether it was on time,
 * audited); `not_unit_officer`; `appeal_closed`.
 */
export function answerAppeal(
  context: CommandContext,
  settings: AppealSettings,
  appeal: Appeal,
  input: AnswerAppealInput,
): Outcome<Appeal> {
  const { actor, clock, ids } = context;
  const refusal = staffRefusal(actor, settings, appeal);
  if (refusal) return reject(refusal);
  const now = clock.now();
  const at = now.toISOString();
  const next = moved({ ...appeal, answer: { text: input.text, at } }, AppealStatus.answered, at);
  return ok(
    next,
    [answeredEvent(ids, now, next), ...statusChangeEvents(ids, now, appeal, next)],
    appealAudit(context, AuditAction.appealAnswer, appeal, next, ['status']),
  );
}
