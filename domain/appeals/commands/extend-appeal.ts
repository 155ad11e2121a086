import { AuditAction } from '../../audit/intent';
import type { CommandContext } from '../../shared/command';
import { type Localized, text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { type Appeal, AppealStatus, moved } from '../appeal';
import { appealAudit } from '../audit';
import { localDay } from '../calendar';
import { type ExtensionRefusal, extendedDueDay } from '../due-dates';
import { staffRefusal } from '../errors';
import { extendedEvent, statusChangeEvents } from '../events';
import type { AppealSettings } from '../settings';

export interface ExtendAppealInput {
  /** Why, shown to the author. */
  readonly reason: string;
  /** The new due day; absent asks for the law's limit. */
  readonly dueOn?: string;
}

/** What the officer reads when the law does not allow the extension. */
function refusalMessage(refusal: ExtensionRefusal): Localized {
  switch (refusal.reason) {
    case 'already_extended':
      return text('Строк розгляду можна продовжити лише один раз.', 'A deadline may be extended only once.');
    case 'not_later':
      return text(
        `Новий строк має бути пізніше за поточний (${refusal.currentDue}).`,
        `The new deadline must be later than the current one (${refusal.currentDue}).`,
      );
    case 'beyond_limit':
      return text(
        `Закон дозволяє продовжити строк щонайпізніше до ${refusal.limit}.`,
        `The law allows an extension until ${refusal.limit} at the latest.`,
      );
    case 'too_late':
      return text(
        `Про продовження строку треба повідомити до ${refusal.firstDue}; цей строк минув.`,
        `An extension must be given by ${refusal.firstDue}; that day has passed.`,
      );
    case 'before_today':
      return text(
        `Новий строк не може бути раніше за сьогодні (${refusal.today}).`,
        `The new deadline cannot be earlier than today (${refusal.today}).`,
      );
  }
}

/**
 * An officer of the unit extends the deadline once, within the law's limit
 * (`due-dates.ts`), with a reason the author reads.
 *
 * Outcomes: ok (emits `appeal.extended.v1`, audited); `not_unit_officer`;
 * `appeal_closed`; `extension_refused` (details: `reason` — already_extended,
 * not_later, beyond_limit, too_late, before_today — and the day that bounds it).
 */
export function extendAppeal(
  context: CommandContext,
  settings: AppealSettings,
  appeal: Appeal,
  input: ExtendAppealInput,
): Outcome<Appeal> {
  const { actor, clock, ids } = context;
  const refusal = staffRefusal(actor, settings, appeal);
  if (refusal) return reject(refusal);
  const now = clock.now();
  const result = extendedDueDay(settings, {
    kind: appeal.kind,
    registeredOn: appeal.registeredOn,
    categoryId: appeal.categoryId,
    ...(appeal.noFurtherStudy ? { noFurtherStudy: true } : {}),
    currentDue: appeal.dueOn,
    extendedBefore: appeal.extension !== undefined,
    today: localDay(now),
    ...(input.dueOn ? { requested: input.dueOn } : {}),
  });
  if (!result.ok) return fail('extension_refused', refusalMessage(result.refusal), { ...result.refusal });
  const at = now.toISOString();
  const next = moved(
    {
      ...appeal,
      dueOn: result.dueOn,
      extension: { reason: input.reason, previousDue: appeal.dueOn, dueOn: result.dueOn, at },
    },
    AppealStatus.extended,
    at,
    text(
      `Строк розгляду продовжено до ${result.dueOn}. Причина: ${input.reason}`,
      `The deadline is extended to ${result.dueOn}. Reason: ${input.reason}`,
    ),
  );
  return ok(
    next,
    [extendedEvent(ids, now, next, appeal.dueOn), ...statusChangeEvents(ids, now, appeal, next)],
    appealAudit(context, AuditAction.appealExtend, appeal, next, ['status', 'dueOn']),
  );
}
