import { text } from '../shared/localized';
import { fail, type Outcome, ok } from '../shared/outcome';
import { type Decision, type DecisionRecord, type ModerationType, overturns } from './item';

/** One decision as the decision log keeps it: what the transparency report is computed from. */
export interface LoggedDecision
  extends Pick<DecisionRecord, 'decision' | 'reasonCode' | 'decidedAt' | 'waitedSeconds' | 'onAppeal'> {
  readonly type: ModerationType;
}

export interface TransparencyReport {
  readonly from: string;
  readonly to: string;
  readonly decisions: number;
  /** Per tool, per decision. */
  readonly byTool: Readonly<Record<string, Readonly<Partial<Record<Decision, number>>>>>;
  /** Decisions that gave a reason, per reason code. */
  readonly byReasonCode: Readonly<Record<string, number>>;
  /** Per calendar month (UTC), `YYYY-MM`. */
  readonly byMonth: Readonly<Record<string, number>>;
  /** From waiting to decided; the middle value (the mean of the two middle ones for an even count); null without decisions. */
  readonly medianSecondsToDecision: number | null;
  readonly appeals: { readonly decided: number; readonly overturned: number };
}

const increment = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** The median of whole seconds: exact, a half at most. */
function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * What a community's moderation did between `from` (inclusive) and `to`
 * (exclusive): public, counts only, no names. Decisions outside the period are
 * ignored, so a caller may pass a superset.
 * @example transparencyReport(log, '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')
 */
export function transparencyReport(
  log: readonly LoggedDecision[],
  from: string,
  to: string,
): TransparencyReport {
  const inPeriod = log.filter((entry) => entry.decidedAt >= from && entry.decidedAt < to);
  const byTool: Record<string, Record<string, number>> = {};
  const byReasonCode: Record<string, number> = {};
  const byMonth: Record<string, number> = {};
  let appealsDecided = 0;
  let overturned = 0;
  for (const entry of inPeriod) {
    byTool[entry.type] ??= {};
    increment(byTool[entry.type] as Record<string, number>, entry.decision);
    if (entry.reasonCode) increment(byReasonCode, entry.reasonCode);
    increment(byMonth, entry.decidedAt.slice(0, 7));
    if (entry.onAppeal) {
      appealsDecided += 1;
      if (overturns(entry)) overturned += 1;
    }
  }
  return {
    from,
    to,
    decisions: inPeriod.length,
    byTool,
    byReasonCode,
    byMonth,
    medianSecondsToDecision: median(inPeriod.map((entry) => entry.waitedSeconds)),
    appeals: { decided: appealsDecided, overturned },
  };
}

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;
/** The longest period one report covers: a leap year, with the default 365 days inside it. */
export const REPORT_MAX_DAYS = 366;

/** A `from`/`to` query value as an instant: a calendar date means its first moment (UTC). */
const instant = (value: string): string =>
  new Date(value.length === 10 ? `${value}T00:00:00.000Z` : value).toISOString();

/**
 * The period a transparency report covers: `to` defaults to `now`, `from` to
 * 365 days before `to`. Which defaults apply depends on the clock, so the
 * check lives here and not in the query schema.
 *
 * Outcomes: ok (`from` inclusive, `to` exclusive, as instants);
 * `validation_failed` (the period ends before it starts, or is longer than
 * {@link REPORT_MAX_DAYS} days; the pointer names `from`).
 */
export function reportPeriod(
  query: { readonly from?: string; readonly to?: string },
  now: Date,
): Outcome<{ from: string; to: string }> {
  const to = query.to ? instant(query.to) : now.toISOString();
  const from = query.from ? instant(query.from) : new Date(Date.parse(to) - YEAR_MS).toISOString();
  if (from >= to) {
    return fail(
      'validation_failed',
      text(
        'Початок періоду (from) має бути раніше за кінець (to).',
        'The start of the period (from) must be before its end (to).',
      ),
      { errors: [{ pointer: '/query/from', detail: 'must be before to' }] },
    );
  }
  if (Date.parse(to) - Date.parse(from) > REPORT_MAX_DAYS * DAY_MS) {
    return fail(
      'validation_failed',
      text(
        `Звіт охоплює щонайбільше ${REPORT_MAX_DAYS} днів: звузьте період між from і to.`,
        `A report covers at most ${REPORT_MAX_DAYS} days: narrow the period between from and to.`,
      ),
      { errors: [{ pointer: '/query/from', detail: `at most ${REPORT_MAX_DAYS} days before to` }] },
    );
  }
  return ok({ from, to });
}
