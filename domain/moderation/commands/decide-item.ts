import type { EventEnvelope } from '../../../events/envelope';
import { ModerationEvents } from '../../../events/moderation';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { moderationAudit, type SubjectSides } from '../audit';
import { moderationEvent } from '../events';
import {
  ADVERSE,
  claimedByOther,
  type Decision,
  type DecisionRecord,
  ItemStatus,
  lastDecision,
  MAX_KEPT_DECISIONS,
  type ModerationItem,
} from '../item';
import { decisionRefusal } from '../permissions';
import { type ReasonCode, SYSTEM_REASON } from '../reasons';
import { claimedError } from './errors';

export interface DecideItemInput {
  readonly decision: Decision;
  readonly reasonCode?: ReasonCode;
  readonly note?: string;
}

export interface DecidedItem {
  readonly item: ModerationItem;
  /** The decision made; for a repeat, the earlier one it repeats. */
  readonly record: DecisionRecord;
  /**
   * True when the decision repeats the one the item stands by (see
   * {@link repeatsLastDecision}): the item is answered as it is, and nothing is
   * written, so a retried or doubled request leaves one decision in the log.
   */
  readonly repeated: boolean;
}

/**
 * True when `decider` sending `input` would only say again what the item
 * already stands by: it is settled (not waiting for anyone), and its last
 * decision was made by the same person with the same decision, reason code
 * and note. Such a request is a retry or a double click, not a new decision; a
 * different note or reason is a new decision (it corrects the record).
 * @example repeatsLastDecision(item, 'moderator-1', { decision: 'approve' })
 */
export function repeatsLastDecision(item: ModerationItem, decider: string, input: DecideItemInput): boolean {
  const last = lastDecision(item);
  return (
    item.status === ItemStatus.decided &&
    last !== undefined &&
    last.decidedBy === decider &&
    last.decision === input.decision &&
    last.reasonCode === input.reasonCode &&
    last.note === input.note
  );
}

/**
 * A moderator decides an item (or, when the author appealed, the council
 * does). What the decision does to the subject (a petition opens, a comment
 * hides) is the tool's part, carried out in the same transaction; this is the
 * centre's part: the record, the queue, the claim, the event.
 *
 * Decided items can be decided again (a moderator hides what was approved and
 * later reported), except that once the council has decided an appeal only
 * the council can change the outcome.
 *
 * A decision the item already stands by, from the same decider
 * ({@link repeatsLastDecision}), is answered as it is: `repeated`, no new
 * record, no event.
 *
 * Outcomes: ok (emits `moderation.decided.v1`; a repeat emits nothing); `forbidden` (not a moderator;
 * an appeal or its outcome, and not council); `reason_required` (reject or hide
 * without a reason code, or with the system's own `reported`); `item_claimed`
 * (another moderator holds the item: `claimedBy`, `until`).
 */
export function decideItem(
  context: CommandContext,
  item: ModerationItem,
  input: DecideItemInput,
): Outcome<DecidedItem> {
  const { actor, clock, ids } = context;
  const refusal = decisionRefusal(actor, item);
  if (refusal) return reject(refusal);
  if (input.reasonCode === SYSTEM_REASON || (ADVERSE.has(input.decision) && !input.reasonCode)) {
    return fail(
      'reason_required',
      text(
        'Відхилення чи приховування потребує коду причини (reasonCode) зі списку; «reported» ставить лише система.',
        'Rejecting or hiding needs a reason code (reasonCode) from the list; only the system uses "reported".',
      ),
      { errors: [{ pointer: '/body/reasonCode', detail: 'required for reject and hide; not "reported"' }] },
    );
  }
  const last = lastDecision(item);
  if (last && repeatsLastDecision(item, actor.subject, input))
    return ok({ item, record: last, repeated: true });
  const now = clock.now();
  if (claimedByOther(item, actor.subject, now)) return reject(claimedError(item));

  const onAppeal = item.status === ItemStatus.appeal;
  const record: DecisionRecord = {
    decision: input.decision,
    ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}),
    ...(input.note ? { note: input.note } : {}),
    decidedBy: actor.subject,
    decidedAt: now.toISOString(),
    onAppeal,
    waitedSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(item.waitingSince)) / 1000)),
  };
  const { claim: _released, ...rest } = item;
  const decided: ModerationItem = {
    ...rest,
    status: ItemStatus.decided,
    reportsSinceDecision: 0,
    autoHidden: false,
    decisions: [...item.decisions, record].slice(-MAX_KEPT_DECISIONS),
    ...(onAppeal && item.appeal ? { appeal: { ...item.appeal, decidedAt: record.decidedAt } } : {}),
    version: item.version + 1,
  };
  return ok({ item: decided, record, repeated: false }, [
    moderationEvent(ids, now, decided, ModerationEvents.decided, {
      decision: record.decision,
      ...(record.reasonCode ? { reasonCode: record.reasonCode } : {}),
      ...(record.note ? { note: record.note } : {}),
      decidedBy: record.decidedBy,
      decidedAt: record.decidedAt,
      onAppeal,
    }),
  ]);
}

/** What the subject's tool made of a decision: its events, and the subject before and after for the audit trail. */
export interface SubjectOutcome extends SubjectSides {
  readonly events: readonly EventEnvelope[];
}

/**
 * A decision on a subject: made, with the tool's change to write, or a
 * repeat, with nothing to write (and no change: the tool is not asked again
 * what it already did).
 */
export type SubjectDecision<Change> =
  | (DecidedItem & { readonly repeated: false; readonly change: Change })
  | (DecidedItem & { readonly repeated: true; readonly change?: undefined });

/**
 * The whole decision on a subject: the centre's part ({@link decideItem})
 * with the tool's part (its change to the subject, or its refusal), the
 * events of both (the tool's first) and the audit record of both. A repeat
 * of the decision the item stands by is answered before the tool's part is
 * looked at: it changes nothing, so it has no events and no audit record.
 *
 * Outcomes: those of `decideItem` first (a decision the centre refuses is
 * never the tool's to judge); then the tool's refusal.
 */
export function decideWithSubject<Change extends SubjectOutcome>(
  context: CommandContext,
  item: ModerationItem,
  input: DecideItemInput,
  change: Outcome<Change>,
): Outcome<SubjectDecision<Change>> {
  const outcome = decideItem(context, item, input);
  if (!outcome.ok) return outcome;
  if (outcome.value.repeated) return ok({ ...outcome.value, repeated: true });
  if (!change.ok) return change;
  const audit = moderationAudit(context, item, outcome.value, change.value);
  return ok(
    { ...outcome.value, repeated: false, change: change.value },
    [...change.value.events, ...outcome.events],
    audit,
  );
}
