import { addDays, addWorkingDays, onOrAfterWorkingDay, workingDaysBetween } from './calendar';
import { type AppealKind, type AppealSettings, AppealKind as Kind } from './settings';

/**
 * When an answer is due, as pure functions of the registration day and the
 * community's settings. Days are the community's (see `./calendar.ts`).
 *
 * - Appeals (Law "On Citizens' Appeals", art. 20): `appealDays` calendar days
 *   from registration (`appealNoStudyDays` when the officer marks the appeal as
 *   needing no further study); a deadline that lands on a day off moves to the
 *   next working day (Civil Code art. 254). Extendable once, to at most
 *   `appealMaxDays` days from registration in total.
 * - Information requests (Law "On Access to Public Information", art. 20):
 *   `informationWorkingDays` working days after registration; extendable once,
 *   to at most `informationMaxWorkingDays` working days in total, and only while
 *   the first deadline has not passed (the requester must be told within it).
 * - Issue reports: the category's `targetWorkingDays`, or `issueReportWorkingDays`.
 */

export interface DueInput {
  readonly kind: AppealKind;
  /** The community's day of registration (`localDay(registeredAt)`). */
  readonly registeredOn: string;
  readonly categoryId: string;
  /** Appeals only: the officer found that it needs no further study. */
  readonly noFurtherStudy?: boolean;
}

/** The first due day of an item. */
export function initialDueDay(settings: AppealSettings, input: DueInput): string {
  const { calendar, deadlines } = settings;
  switch (input.kind) {
    case Kind.appeal: {
      const days = input.noFurtherStudy ? deadlines.appealNoStudyDays : deadlines.appealDays;
      return onOrAfterWorkingDay(calendar, addDays(input.registeredOn, days));
    }
    case Kind.information_request:
      return addWorkingDays(calendar, input.registeredOn, deadlines.informationWorkingDays);
    case Kind.issue_report: {
      const target =
        settings.categories.find((c) => c.id === input.categoryId)?.targetWorkingDays ??
        deadlines.issueReportWorkingDays;
      return addWorkingDays(calendar, input.registeredOn, target);
    }
  }
}

/** Why an extension cannot be granted; `limit` is the latest day the law allows. */
export type ExtensionRefusal =
  | { readonly reason: 'already_extended' }
  | { readonly reason: 'not_later'; readonly currentDue: string }
  | { readonly reason: 'before_today'; readonly today: string }
  | { readonly reason: 'beyond_limit'; readonly limit: string }
  | { readonly reason: 'too_late'; readonly firstDue: string };

export type ExtensionResult =
  | { readonly ok: true; readonly dueOn: string }
  | { readonly ok: false; readonly refusal: ExtensionRefusal };

export interface ExtensionInput extends DueInput {
  /** The due day now. */
  readonly currentDue: string;
  /** Whether the item was extended before (the law allows once). */
  readonly extendedBefore: boolean;
  /** The community's day the officer extends on. */
  readonly today: string;
  /** The new due day asked for; absent asks for the law's limit. */
  readonly requested?: string;
}

/** The latest due day an extension may set. */
export function extensionLimit(settings: AppealSettings, input: DueInput): string {
  const { calendar, deadlines } = settings;
  switch (input.kind) {
    case Kind.appeal:
      return onOrAfterWorkingDay(calendar, addDays(input.registeredOn, deadlines.appealMaxDays));
    case Kind.information_request:
      return addWorkingDays(calendar, input.registeredOn, deadlines.informationMaxWorkingDays);
    case Kind.issue_report:
      // No law limits an issue report's target; twice the first target is the platform's bound.
      return addWorkingDays(
        calendar,
        input.registeredOn,
        2 * workingDaysBetween(calendar, input.registeredOn, initialDueDay(settings, input)),
      );
  }
}

/**
 * Decides an extension: once, later than the current due day and not before
 * today (an overdue appeal's new day cannot lie in the past), within the law's
 * limit, and for information requests only within the first term (art. 20(4):
 * the requester is told within the first five working days).
 */
export function extendedDueDay(settings: AppealSettings, input: ExtensionInput): ExtensionResult {
  if (input.extendedBefore) return { ok: false, refusal: { reason: 'already_extended' } };
  if (input.kind === Kind.information_request) {
    const firstDue = initialDueDay(settings, input);
    if (input.today > firstDue) return { ok: false, refusal: { reason: 'too_late', firstDue } };
  }
  const limit = extensionLimit(settings, input);
  const dueOn = input.requested ? onOrAfterWorkingDay(settings.calendar, input.requested) : limit;
  if (dueOn > limit) return { ok: false, refusal: { reason: 'beyond_limit', limit } };
  if (dueOn <= input.currentDue) {
    return { ok: false, refusal: { reason: 'not_later', currentDue: input.currentDue } };
  }
  if (dueOn < input.today) return { ok: false, refusal: { reason: 'before_today', today: input.today } };
  return { ok: true, dueOn };
}

/** An item is overdue from the day after its due day, until it is answered. */
export function isOverdue(dueOn: string, today: string): boolean {
  return today > dueOn;
}
