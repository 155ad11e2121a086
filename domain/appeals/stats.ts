import { type Appeal, AppealStatus } from './appeal';
import { daysBetween, localDay } from './calendar';
import { isMarkedOverdue } from './overdue';
import type { AppealKind } from './settings';

/**
 * The reception's public statistics, kept as counters per bucket (community,
 * month of registration, kind, category, unit) and derived from the items
 * alone: what an item adds to its bucket is a pure function of the item
 * ({@link contribution}), and a change of an item moves its bucket's counters
 * by the difference between before and after ({@link statsChanges}). The store
 * writes that difference in the same conditional transaction as the change,
 * so the counters are exactly the sum over the items, whatever the order of
 * changes, and a lost race changes neither. No personal data: counts only.
 */

/** Where an item counts: its community, the month (Kyiv) it was registered, its kind, category and current unit. */
export interface StatsBucket {
  readonly communityId: string;
  /** `YYYY-MM` of `registeredOn`. */
  readonly month: string;
  readonly kind: AppealKind;
  readonly categoryId: string;
  readonly unitId: string;
}

/**
 * The named counters of a bucket. Fixed names, and two families:
 * `answeredIn#<days>` (a histogram of calendar days from registration to
 * answer, so the median is exact) and `refusedFor#<reasonCode>`.
 */
export const StatsCounter = {
  received: 'received',
  answered: 'answered',
  answeredOnTime: 'answeredOnTime',
  /** Answered after the overdue job had marked it (once overdue, always counted so). */
  answeredAfterOverdue: 'answeredAfterOverdue',
  refused: 'refused',
  forwarded: 'forwarded',
  /** Open and marked overdue for the due day in force. */
  overdueNow: 'overdueNow',
} as const;
const ANSWERED_IN = 'answeredIn#';
const REFUSED_FOR = 'refusedFor#';

/** Counters by name; absent is zero. */
export type StatsCounters = Readonly<Record<string, number>>;

/** A bucket and its counters, as stored. */
export interface StoredStats extends StatsBucket {
  readonly counters: StatsCounters;
}

/** The bucket an item counts in. */
export function bucketOf(appeal: Appeal): StatsBucket {
  return {
    communityId: appeal.communityId,
    month: appeal.registeredOn.slice(0, 7),
    kind: appeal.kind,
    categoryId: appeal.categoryId,
    unitId: appeal.unitId,
  };
}

/** The bucket's identity as one string: `month|kind|category|unit`. */
export const bucketKey = (bucket: StatsBucket): string =>
  [bucket.month, bucket.kind, bucket.categoryId, bucket.unitId].join('|');

/** Calendar days from the registration day to the answer's day, both in the community's (Kyiv) days. */
export function daysToAnswer(appeal: Appeal): number | undefined {
  return appeal.answer ? daysBetween(appeal.registeredOn, localDay(new Date(appeal.answer.at))) : undefined;
}

/**
 * What one item adds to its bucket: one `received`; when answered, `answered`,
 * the histogram bin of its days to answer, `answeredOnTime` if its answer's day
 * is on or before the due day in force, `answeredAfterOverdue` if it had been
 * marked overdue; when refused, `refused` and its reason; `forwarded`; and
 * `overdueNow` while it is open and marked overdue.
 */
export function contribution(appeal: Appeal): StoredStats {
  const counters: Record<string, number> = { [StatsCounter.received]: 1 };
  if (appeal.status === AppealStatus.answered && appeal.answer) {
    counters[StatsCounter.answered] = 1;
    counters[`${ANSWERED_IN}${daysToAnswer(appeal)}`] = 1;
    if (localDay(new Date(appeal.answer.at)) <= appeal.dueOn) counters[StatsCounter.answeredOnTime] = 1;
    if (appeal.overdueSince) counters[StatsCounter.answeredAfterOverdue] = 1;
  }
  if (appeal.status === AppealStatus.refused && appeal.refusal) {
    counters[StatsCounter.refused] = 1;
    counters[`${REFUSED_FOR}${appeal.refusal.reasonCode}`] = 1;
  }
  if (appeal.status === AppealStatus.forwarded) counters[StatsCounter.forwarded] = 1;
  if (isMarkedOverdue(appeal)) counters[StatsCounter.overdueNow] = 1;
  return { ...bucketOf(appeal), counters };
}

/** A change of one bucket's counters (non-zero deltas only). */
export interface StatsDelta extends StatsBucket {
  readonly counters: StatsCounters;
}

/**
 * What a change of an item (`previous` absent: its registration) does to the
 * counters: its contribution after, less its contribution before, per bucket.
 * A change that moves nothing counted (a start, a reassignment within the
 * unit) answers none; a move to another unit takes everything the item
 * counted out of the old unit's bucket and into the new one's.
 * @example statsChanges(undefined, registered) // [{ …bucket, counters: { received: 1 } }]
 */
export function statsChanges(previous: Appeal | undefined, next: Appeal): StatsDelta[] {
  const deltas = new Map<string, { bucket: StatsBucket; counters: Record<string, number> }>();
  const apply = (stats: StoredStats, sign: 1 | -1) => {
    const key = bucketKey(stats);
    const entry = deltas.get(key) ?? { bucket: stats, counters: {} };
    for (const [name, count] of Object.entries(stats.counters)) {
      entry.counters[name] = (entry.counters[name] ?? 0) + sign * count;
    }
    deltas.set(key, entry);
  };
  if (previous) apply(contribution(previous), -1);
  apply(contribution(next), 1);
  return [...deltas.values()]
    .map(({ bucket, counters }) => ({
      communityId: bucket.communityId,
      month: bucket.month,
      kind: bucket.kind,
      categoryId: bucket.categoryId,
      unitId: bucket.unitId,
      counters: Object.fromEntries(Object.entries(counters).filter(([, count]) => count !== 0)),
    }))
    .filter((delta) => Object.keys(delta.counters).length > 0);
}

/**
 * The exact median of the values a histogram counts (`value → how many`): the
 * middle value of the sorted list, and for an even count the mean of the two
 * middle ones (so it may end in .5). Undefined for an empty histogram.
 * @example medianOfHistogram(new Map([[3, 1], [10, 1]])) // 6.5
 */
export function medianOfHistogram(histogram: ReadonlyMap<number, number>): number | undefined {
  const bins = [...histogram.entries()].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
  const total = bins.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return undefined;
  /** The value at 0-based position `index` of the sorted list. */
  const at = (index: number): number => {
    let seen = 0;
    for (const [value, count] of bins) {
      seen += count;
      if (index < seen) return value;
    }
    return (bins.at(-1) as [number, number])[0];
  };
  const middle = Math.floor(total / 2);
  return total % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
}

/** One public row: a bucket's counts and the median, without the community's id. */
export interface StatsRow {
  readonly month: string;
  readonly kind: AppealKind;
  readonly categoryId: string;
  readonly unitId: string;
  readonly received: number;
  readonly answered: number;
  readonly answeredOnTime: number;
  readonly answeredAfterOverdue: number;
  /** Calendar days from registration to answer; absent when nothing was answered. */
  readonly medianDaysToAnswer?: number;
  readonly overdueNow: number;
  readonly refused: number;
  /** Refusals by their lawful reason code. */
  readonly refusedByReason: Readonly<Record<string, number>>;
  readonly forwarded: number;
}

/**
 * The public rows from stored buckets: one per bucket that counts an item,
 * by month, kind, category and unit. A bucket every item left (moved to
 * another unit) has no row.
 */
export function statsRows(stored: readonly StoredStats[]): StatsRow[] {
  return stored
    .filter((stats) => (stats.counters[StatsCounter.received] ?? 0) > 0)
    .map((stats) => {
      const count = (name: string) => stats.counters[name] ?? 0;
      const histogram = new Map<number, number>();
      const refusedByReason: Record<string, number> = {};
      for (const [name, value] of Object.entries(stats.counters)) {
        if (name.startsWith(ANSWERED_IN)) histogram.set(Number(name.slice(ANSWERED_IN.length)), value);
        if (name.startsWith(REFUSED_FOR) && value > 0)
          refusedByReason[name.slice(REFUSED_FOR.length)] = value;
      }
      const median = medianOfHistogram(histogram);
      return {
        month: stats.month,
        kind: stats.kind,
        categoryId: stats.categoryId,
        unitId: stats.unitId,
        received: count(StatsCounter.received),
        answered: count(StatsCounter.answered),
        answeredOnTime: count(StatsCounter.answeredOnTime),
        answeredAfterOverdue: count(StatsCounter.answeredAfterOverdue),
        ...(median === undefined ? {} : { medianDaysToAnswer: median }),
        overdueNow: count(StatsCounter.overdueNow),
        refused: count(StatsCounter.refused),
        refusedByReason,
        forwarded: count(StatsCounter.forwarded),
      };
    })
    .sort((a, b) => bucketKey({ ...a, communityId: '' }).localeCompare(bucketKey({ ...b, communityId: '' })));
}

/** The months from `from` to `to` inclusive (`YYYY-MM`), for bounding a range. */
export function monthsBetween(from: string, to: string): number {
  const [fromYear, fromMonth] = from.split('-').map(Number) as [number, number];
  const [toYear, toMonth] = to.split('-').map(Number) as [number, number];
  return (toYear - fromYear) * 12 + (toMonth - fromMonth) + 1;
}
