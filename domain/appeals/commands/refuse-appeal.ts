import { AuditAction } from '../../audit/intent';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { type Appeal, AppealStatus, moved } from '../appeal';
import { appealAudit } from '../audit';
import { staffRefusal } from '../errors';
import { refusedEvent, statusChangeEvents } from '../events';
import { refusalCodes, refusalReason } from '../refusals';
import { AppealKind, type AppealSettings } from '../settings';

export interface RefuseAppealInput {
  readonly reasonCode: string;
  /** The officer's explanation to the author. */
  readonly text: string;
  /** `repeated` only: the answered appeal of the same author it repeats. */
  readonly previousAppealId?: string;
}

/**
 * An officer of the unit refuses with a lawful reason of the item's kind
 * (`refusals.ts`). A `repeated` appeal links the answered appeal of the same
 * author it repeats (`previous`, loaded by the use case from `previousAppealId`).
 * A refused information request stays private.
 *
 * Outcomes: ok (emits `appeal.refused.v1` with the reason code, audited);
 * `not_unit_officer`; `appeal_closed`; `unknown_refusal_reason` (not a reason
 * of this kind); `invalid_previous_appeal` (missing, not answered, not the same
 * author's appeal).
 */
export function refuseAppeal(
  context: CommandContext,
  settings: AppealSettings,
  appeal: Appeal,
  input: RefuseAppealInput,
  previous: Appeal | undefined,
): Outcome<Appeal> {
  const { actor, clock, ids } = context;
  const refusal = staffRefusal(actor, settings, appeal);
  if (refusal) return reject(refusal);
  const reason = refusalReason(appeal.kind, input.reasonCode);
  if (!reason) {
    return fail(
      'unknown_refusal_reason',
      text(
        'Для цього виду звернень немає такої підстави відмови.',
        'There is no such reason for refusing this kind of item.',
      ),
      { reasonCode: input.reasonCode, reasonCodes: refusalCodes(appeal.kind) },
    );
  }
  const repeated = appeal.kind === AppealKind.appeal && input.reasonCode === 'repeated';
  if (repeated && !qualifiesAsPrevious(appeal, previous)) {
    return fail(
      'invalid_previous_appeal',
      text(
        'Відмова з підстави повторності має посилатися на звернення того самого автора, на яке вже надано відповідь.',
        'A refusal as repeated must link an answered appeal of the same author.',
      ),
      { previousAppealId: input.previousAppealId ?? null },
    );
  }
  const now = clock.now();
  const at = now.toISOString();
  const next = moved(
    {
      ...appeal,
      refusal: {
        reasonCode: input.reasonCode,
        text: input.text,
        at,
        ...(repeated && previous ? { previousAppealId: previous.id } : {}),
      },
    },
    AppealStatus.refused,
    at,
    reason,
  );
  return ok(
    next,
    [refusedEvent(ids, now, next, input.reasonCode), ...statusChangeEvents(ids, now, appeal, next)],
    appealAudit(context, AuditAction.appealRefuse, appeal, next, ['status']),
  );
}

/** An answered appeal of the same author, other than this one. */
function qualifiesAsPrevious(appeal: Appeal, previous: Appeal | undefined): boolean {
  return (
    previous !== undefined &&
    previous.id !== appeal.id &&
    previous.communityId === appeal.communityId &&
    previous.kind === AppealKind.appeal &&
    previous.authorKey === appeal.authorKey &&
    previous.status === AppealStatus.answered
  );
}
