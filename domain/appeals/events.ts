import type { z } from 'zod';
import {
  type AppealAnsweredV1,
  type AppealAssignedV1,
  AppealEvents,
  type AppealExtendedV1,
  type AppealForwardedV1,
  type AppealOverdueV1,
  type AppealRefusedV1,
  type AppealRegisteredV1,
  type AppealStartedV1,
  type IssueReportStatusChangedV1,
  type IssueReportVisibilityChangedV1,
} from '../../events/appeals';
import type { EventEnvelope } from '../../events/envelope';
import type { Decision } from '../moderation/item';
import type { ReasonCode } from '../moderation/reasons';
import type { IdGenerator } from '../shared/clock';
import { communityEvent } from '../shared/events';
import type { Appeal } from './appeal';
import { localDay } from './calendar';
import { AppealKind } from './settings';

/**
 * One builder per event of the reception. Each detail is typed by its schema
 * and built from the item's ids and days only, so no builder can leak the
 * author or a text.
 */

const base = (appeal: Appeal) => ({
  communityId: appeal.communityId,
  appealId: appeal.id,
  number: appeal.number,
  kind: appeal.kind,
  categoryId: appeal.categoryId,
  unitId: appeal.unitId,
});

const emit = (ids: IdGenerator, now: Date, appeal: Appeal, name: string, detail: object): EventEnvelope =>
  communityEvent(ids, now, appeal.communityId, `appeal/${appeal.id}`, name, { ...detail });

export const registeredEvent = (ids: IdGenerator, now: Date, appeal: Appeal): EventEnvelope =>
  emit(ids, now, appeal, AppealEvents.registered, {
    ...base(appeal),
    registeredOn: appeal.registeredOn,
    dueOn: appeal.dueOn,
  } satisfies z.infer<typeof AppealRegisteredV1>);

export const assignedEvent = (
  ids: IdGenerator,
  now: Date,
  appeal: Appeal,
  byCategory: boolean,
  previousUnitId?: string,
): EventEnvelope =>
  emit(ids, now, appeal, AppealEvents.assigned, {
    ...base(appeal),
    byCategory,
    ...(previousUnitId && previousUnitId !== appeal.unitId ? { previousUnitId } : {}),
  } satisfies z.infer<typeof AppealAssignedV1>);

export const startedEvent = (ids: IdGenerator, now: Date, appeal: Appeal): EventEnvelope =>
  emit(ids, now, appeal, AppealEvents.started, {
    ...base(appeal),
    dueOn: appeal.dueOn,
    noFurtherStudy: appeal.noFurtherStudy ?? false,
  } satisfies z.infer<typeof AppealStartedV1>);

export const extendedEvent = (
  ids: IdGenerator,
  now: Date,
  appeal: Appeal,
  previousDue: string,
): EventEnvelope =>
  emit(ids, now, appeal, AppealEvents.extended, {
    ...base(appeal),
    previousDue,
    dueOn: appeal.dueOn,
  } satisfies z.infer<typeof AppealExtendedV1>);

export const answeredEvent = (ids: IdGenerator, now: Date, appeal: Appeal): EventEnvelope => {
  const answeredOn = localDay(now);
  return emit(ids, now, appeal, AppealEvents.answered, {
    ...base(appeal),
    dueOn: appeal.dueOn,
    answeredOn,
    onTime: answeredOn <= appeal.dueOn,
  } satisfies z.infer<typeof AppealAnsweredV1>);
};

export const refusedEvent = (
  ids: IdGenerator,
  now: Date,
  appeal: Appeal,
  reasonCode: string,
): EventEnvelope =>
  emit(ids, now, appeal, AppealEvents.refused, {
    ...base(appeal),
    reasonCode,
    refusedOn: localDay(now),
  } satisfies z.infer<typeof AppealRefusedV1>);

export const forwardedEvent = (ids: IdGenerator, now: Date, appeal: Appeal): EventEnvelope =>
  emit(ids, now, appeal, AppealEvents.forwarded, {
    ...base(appeal),
    forwardedOn: localDay(now),
  } satisfies z.infer<typeof AppealForwardedV1>);

/** The overdue job marked the item: its due day passed on `markedOn`'s eve, unanswered. */
export const overdueEvent = (ids: IdGenerator, now: Date, appeal: Appeal): EventEnvelope =>
  emit(ids, now, appeal, AppealEvents.overdue, {
    ...base(appeal),
    dueOn: appeal.dueOn,
    markedOn: localDay(now),
  } satisfies z.infer<typeof AppealOverdueV1>);

/**
 * `issue-report.status-changed.v1` for an issue report whose status moved from
 * `previous` (none for other kinds): followers of a report hear every step.
 */
export function statusChangeEvents(
  ids: IdGenerator,
  now: Date,
  previous: Appeal | undefined,
  next: Appeal,
  previousStatus = previous?.status ?? 'submitted',
): EventEnvelope[] {
  if (next.kind !== AppealKind.issue_report || previousStatus === next.status) return [];
  return [
    emit(ids, now, next, AppealEvents.issueReportStatusChanged, {
      ...base(next),
      status: next.status,
      previousStatus,
    } satisfies z.infer<typeof IssueReportStatusChangedV1>),
  ];
}

/** `issue-report.visibility-changed.v1`: a moderation decision published a report or took it from the public. */
export const visibilityChangedEvent = (
  ids: IdGenerator,
  now: Date,
  previous: Appeal,
  next: Appeal,
  decision: Decision,
  reasonCode?: ReasonCode,
): EventEnvelope =>
  emit(ids, now, next, AppealEvents.issueReportVisibilityChanged, {
    ...base(next),
    visibility: next.publication?.visibility ?? 'pending',
    previousVisibility: previous.publication?.visibility ?? 'pending',
    decision,
    ...(reasonCode ? { reasonCode } : {}),
    status: next.status,
  } satisfies z.infer<typeof IssueReportVisibilityChangedV1>);
