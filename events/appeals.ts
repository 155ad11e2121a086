import { z } from 'zod';

/**
 * Event names of the internet reception, with their versions. Details carry
 * ids, the registration number, kind, category, unit, days and codes: never
 * the author's identity or any text they or an officer wrote.
 */
export const AppealEvents = {
  registered: 'appeal.registered.v1',
  assigned: 'appeal.assigned.v1',
  started: 'appeal.started.v1',
  extended: 'appeal.extended.v1',
  answered: 'appeal.answered.v1',
  refused: 'appeal.refused.v1',
  forwarded: 'appeal.forwarded.v1',
  overdue: 'appeal.overdue.v1',
  issueReportStatusChanged: 'issue-report.status-changed.v1',
  issueReportVisibilityChanged: 'issue-report.visibility-changed.v1',
} as const;

const Kind = z.enum(['appeal', 'information_request', 'issue_report']);
const Day = z.iso.date();

const base = {
  communityId: z.string(),
  appealId: z.string(),
  number: z.string(),
  kind: Kind,
  categoryId: z.string(),
  unitId: z.string(),
};

export const AppealRegisteredV1 = z.strictObject({ ...base, registeredOn: Day, dueOn: Day });

/** `byCategory`: assigned by the reception on registration; otherwise a head or the council chose. */
export const AppealAssignedV1 = z.strictObject({
  ...base,
  byCategory: z.boolean(),
  previousUnitId: z.string().optional(),
});

export const AppealStartedV1 = z.strictObject({ ...base, dueOn: Day, noFurtherStudy: z.boolean() });

export const AppealExtendedV1 = z.strictObject({ ...base, previousDue: Day, dueOn: Day });

export const AppealAnsweredV1 = z.strictObject({
  ...base,
  dueOn: Day,
  answeredOn: Day,
  /** Answered on or before its due day. */
  onTime: z.boolean(),
});

export const AppealRefusedV1 = z.strictObject({ ...base, reasonCode: z.string(), refusedOn: Day });

export const AppealForwardedV1 = z.strictObject({ ...base, forwardedOn: Day });

export const AppealOverdueV1 = z.strictObject({ ...base, dueOn: Day, markedOn: Day });

/** Every status change of an issue report, for those who follow it. */
export const IssueReportStatusChangedV1 = z.strictObject({
  ...base,
  status: z.string(),
  previousStatus: z.string(),
});

const Visibility = z.enum(['pending', 'published', 'rejected', 'hidden']);

/**
 * A moderation decision changed whether the public sees an issue report (its
 * handling status did not change: that is `issue-report.status-changed.v1`).
 * `status` is the handling status at the time, for a public map to show.
 */
export const IssueReportVisibilityChangedV1 = z.strictObject({
  ...base,
  visibility: Visibility,
  previousVisibility: Visibility,
  decision: z.enum(['approve', 'reject', 'hide', 'restore']),
  reasonCode: z.string().optional(),
  status: z.string(),
});
