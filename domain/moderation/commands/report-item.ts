import { ModerationEvents } from '../../../events/moderation';
import { type Actor, isResidentOf } from '../../identity/actor';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok } from '../../shared/outcome';
import { moderationEvent } from '../events';
import { ItemStatus, type ModerationItem } from '../item';
import type { ReasonCode } from '../reasons';

export interface ReportItemInput {
  readonly reasonCode: ReasonCode;
  readonly note?: string;
}

export interface ReportedItem {
  readonly item: ModerationItem;
  /** True when this report reached `reportsBeforeHide`: the tool must hide the subject in the same write. */
  readonly hide: boolean;
}

/**
 * A resident reports something they think breaks the rules. Each resident
 * reports an item once (the store's conditional write decides that, as with
 * signatures). A report puts a decided item back in the queue (the council's,
 * when the council decided it on appeal); the report that
 * brings the reports since the last decision to the community's
 * `reportsBeforeHide` hides the subject until a moderator decides.
 *
 * Outcomes: ok (emits `moderation.auto-hidden.v1` when it hides);
 * `not_eligible` (not a resident of the community); `not_reportable` (the
 * subject is not public: waiting for moderation, rejected or hidden).
 */
export function reportItem(
  context: CommandContext,
  item: ModerationItem,
  input: ReportItemInput,
  rules: { readonly reportsBeforeHide: number; readonly subjectPublic: boolean },
): Outcome<ReportedItem> {
  const { actor, clock, ids } = context;
  const refusal = reportRefusal(actor, item, rules.subjectPublic);
  if (refusal) return refusal;
  const now = clock.now();
  const reportsSinceDecision = item.reportsSinceDecision + 1;
  const hide = !item.autoHidden && reportsSinceDecision >= rules.reportsBeforeHide;
  const reported: ModerationItem = {
    ...item,
    reports: { ...item.reports, [input.reasonCode]: (item.reports[input.reasonCode] ?? 0) + 1 },
    reportsSinceDecision,
    autoHidden: item.autoHidden || hide,
    ...(item.status === ItemStatus.decided
      ? { status: reopenedStatus(item), waitingSince: now.toISOString() }
      : {}),
    version: item.version + 1,
  };
  const events = hide
    ? [
        moderationEvent(ids, now, reported, ModerationEvents.autoHidden, {
          reports: reportsSinceDecision,
          hiddenAt: now.toISOString(),
        }),
      ]
    : [];
  return ok({ item: reported, hide }, events);
}

/**
 * Where reports send a settled item back: to the moderators, or to the council
 * when the council has decided it on appeal (only the council may change that).
 */
const reopenedStatus = (item: ModerationItem): ItemStatus =>
  item.appeal?.decidedAt !== undefined ? ItemStatus.appeal : ItemStatus.pending;

function reportRefusal(
  actor: Actor,
  item: ModerationItem,
  subjectPublic: boolean,
): Outcome<ReportedItem> | undefined {
  if (!isResidentOf(actor, item.communityId)) {
    return fail(
      'not_eligible',
      text(
        'Скаржитися можуть лише мешканці цієї громади (за даними вашого посвідчення особи).',
        'Only residents of this community may report (as your identity provider states).',
      ),
      { reason: 'not_resident' },
    );
  }
  if (!subjectPublic) {
    return fail(
      'not_reportable',
      text(
        'Скаржитися можна лише на оприлюднене; це зараз не показується публічно.',
        'Only what is published can be reported; this is not shown to the public now.',
      ),
      { itemStatus: item.status },
    );
  }
  return undefined;
}
