import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Appeal } from '../../../domain/appeals/appeal';
import {
  bucketKey,
  contribution,
  medianOfHistogram,
  type StoredStats,
  statsChanges,
  statsRows,
} from '../../../domain/appeals/stats';
import { monthRange } from '../../../functions/appeals/stats-routes';

// The statistics as pure functions: what an item counts, what a change moves, and the rows.

/** An item registered on 2026-03-10 (Kyiv), due 2026-04-09, assigned to `roads`. */
const registered: Appeal = {
  id: '01JAPPEAL00000000000000001',
  communityId: 'c1',
  kind: 'information_request',
  number: '2026-000001',
  categoryId: 'roads-info',
  unitId: 'roads',
  author: { issuer: 'i', subject: 'author' },
  authorKey: 'k'.repeat(64),
  title: 'Budget',
  text: 'Send it',
  status: 'assigned',
  timeline: [],
  submittedAt: '2026-03-10T08:00:00.000Z',
  registeredAt: '2026-03-10T08:00:00.000Z',
  registeredOn: '2026-03-10',
  dueOn: '2026-04-09',
  version: 1,
};
const bucket = {
  communityId: 'c1',
  month: '2026-03',
  kind: 'information_request' as const,
  categoryId: 'roads-info',
};
/** 10:00 UTC is 12:00 or 13:00 in Kyiv: the same day. */
const answeredOn = (day: string, overdueSince?: string): Appeal => ({
  ...registered,
  status: 'answered',
  answer: { text: 'Here', at: `${day}T10:00:00.000Z` },
  ...(overdueSince ? { overdueSince } : {}),
});

describe('what one item counts in its bucket', () => {
  it.each<[string, Appeal, Record<string, number>]>([
    ['registered, open', registered, { received: 1 }],
    [
      'answered on its due day: on time, 30 days',
      answeredOn('2026-04-09'),
      { received: 1, answered: 1, answeredOnTime: 1, 'answeredIn#30': 1 },
    ],
    [
      'answered after being marked overdue: late, and counted as such',
      answeredOn('2026-04-20', '2026-04-10'),
      { received: 1, answered: 1, answeredAfterOverdue: 1, 'answeredIn#41': 1 },
    ],
    [
      'answered just after Kyiv midnight, on the day after the due day: late',
      { ...answeredOn('2026-04-09'), answer: { text: 'Here', at: '2026-04-09T21:30:00.000Z' } },
      { received: 1, answered: 1, 'answeredIn#31': 1 },
    ],
    [
      'refused as not held',
      {
        ...registered,
        status: 'refused',
        refusal: { reasonCode: 'not_holder', text: 'No', at: '2026-03-11T10:00:00.000Z' },
      },
      { received: 1, refused: 1, 'refusedFor#not_holder': 1 },
    ],
    ['forwarded', { ...registered, status: 'forwarded' }, { received: 1, forwarded: 1 }],
    [
      'open and marked overdue',
      { ...registered, overdueSince: '2026-04-10' },
      { received: 1, overdueNow: 1 },
    ],
    [
      'extended after the mark: not overdue now',
      { ...registered, status: 'extended', dueOn: '2026-04-20', overdueSince: '2026-04-10' },
      { received: 1 },
    ],
  ])('%s', (_case, appeal, counters) => {
    expect(contribution(appeal)).toEqual({ ...bucket, unitId: 'roads', counters });
  });
});

describe('what a change moves', () => {
  it.each<[string, Appeal | undefined, Appeal, StoredStats[]]>([
    ['a registration', undefined, registered, [{ ...bucket, unitId: 'roads', counters: { received: 1 } }]],
    ['a start: nothing counted changes', registered, { ...registered, status: 'in_progress' }, []],
    [
      'the overdue mark',
      registered,
      { ...registered, overdueSince: '2026-04-10' },
      [{ ...bucket, unitId: 'roads', counters: { overdueNow: 1 } }],
    ],
    [
      'an answer after the mark: no longer overdue now, answered late after overdue',
      { ...registered, overdueSince: '2026-04-10' },
      answeredOn('2026-04-12', '2026-04-10'),
      [
        {
          ...bucket,
          unitId: 'roads',
          counters: { overdueNow: -1, answered: 1, answeredAfterOverdue: 1, 'answeredIn#33': 1 },
        },
      ],
    ],
    [
      'a move to another unit: everything it counted moves with it',
      { ...registered, overdueSince: '2026-04-10' },
      { ...registered, unitId: 'parks', overdueSince: '2026-04-10' },
      [
        { ...bucket, unitId: 'roads', counters: { received: -1, overdueNow: -1 } },
        { ...bucket, unitId: 'parks', counters: { received: 1, overdueNow: 1 } },
      ],
    ],
  ])('%s', (_case, previous, next, changes) => {
    expect(statsChanges(previous, next)).toEqual(changes);
  });
});

describe('the median of days to answer', () => {
  it.each<[string, [number, number][], number | undefined]>([
    ['none answered', [], undefined],
    ['one', [[4, 1]], 4],
    [
      'an odd count: the middle one',
      [
        [1, 1],
        [5, 1],
        [9, 1],
      ],
      5,
    ],
    [
      'an even count: the mean of the two middle ones',
      [
        [3, 1],
        [10, 1],
      ],
      6.5,
    ],
    [
      'repeated values',
      [
        [2, 3],
        [40, 1],
      ],
      2,
    ],
    [
      'empty bins are no values',
      [
        [2, 0],
        [7, 2],
      ],
      7,
    ],
  ])('%s', (_case, bins, median) => {
    expect(medianOfHistogram(new Map(bins))).toBe(median);
  });

  it('equals the median of the sorted list the histogram counts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 200 }), (days) => {
        const sorted = [...days].sort((a, b) => a - b);
        const middle = Math.floor(sorted.length / 2);
        const expected =
          sorted.length % 2 === 1
            ? (sorted[middle] as number)
            : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
        const histogram = new Map<number, number>();
        for (const day of days) histogram.set(day, (histogram.get(day) ?? 0) + 1);
        expect(medianOfHistogram(histogram)).toBe(expected);
      }),
    );
  });
});

describe('counters stay the sum over the items, whatever the order of changes', () => {
  /** Every state an item may pass through, in an order the commands allow. */
  const states: Appeal[] = [
    registered,
    { ...registered, status: 'in_progress' },
    { ...registered, status: 'in_progress', overdueSince: '2026-04-10' },
    { ...registered, unitId: 'parks', overdueSince: '2026-04-10' },
    { ...registered, unitId: 'parks', status: 'extended', dueOn: '2026-04-30', overdueSince: '2026-04-10' },
    { ...registered, unitId: 'parks', status: 'extended', dueOn: '2026-04-30', overdueSince: '2026-05-01' },
    { ...answeredOn('2026-05-03', '2026-05-01'), unitId: 'parks', dueOn: '2026-04-30' },
  ];

  it('applying each change to the counters ends at the final states’ contributions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: states.length }), { minLength: 1, maxLength: 8 }),
        (lengths) => {
          // Several items, each taken through the first `length` states.
          const counters = new Map<string, Record<string, number>>();
          const add = (stats: StoredStats, sign: number) => {
            const key = bucketKey(stats);
            const entry = counters.get(key) ?? {};
            for (const [name, count] of Object.entries(stats.counters))
              entry[name] = (entry[name] ?? 0) + sign * count;
            counters.set(key, entry);
          };
          const finals: Appeal[] = [];
          for (const length of lengths) {
            let previous: Appeal | undefined;
            for (const state of states.slice(0, length)) {
              for (const change of statsChanges(previous, state)) add(change, 1);
              previous = state;
            }
            finals.push(previous as Appeal);
          }
          for (const final of finals) add(contribution(final), -1);
          for (const entry of counters.values()) {
            expect(Object.values(entry).every((count) => count === 0)).toBe(true);
          }
        },
      ),
    );
  });
});

describe('the rows', () => {
  it('turns buckets into rows: counts, the exact median, refusals by reason; a bucket every item left has none', () => {
    const stored: StoredStats[] = [
      {
        ...bucket,
        month: '2026-04',
        unitId: 'roads',
        counters: { received: 3, refused: 2, 'refusedFor#not_holder': 1, 'refusedFor#restricted': 1 },
      },
      {
        ...bucket,
        unitId: 'roads',
        counters: {
          received: 4,
          answered: 2,
          answeredOnTime: 1,
          'answeredIn#3': 1,
          'answeredIn#40': 1,
          overdueNow: 1,
        },
      },
      { ...bucket, unitId: 'parks', counters: { received: 0, overdueNow: 0 } },
    ];
    expect(statsRows(stored)).toEqual([
      {
        month: '2026-03',
        kind: 'information_request',
        categoryId: 'roads-info',
        unitId: 'roads',
        received: 4,
        answered: 2,
        answeredOnTime: 1,
        answeredAfterOverdue: 0,
        medianDaysToAnswer: 21.5,
        overdueNow: 1,
        refused: 0,
        refusedByReason: {},
        forwarded: 0,
      },
      {
        month: '2026-04',
        kind: 'information_request',
        categoryId: 'roads-info',
        unitId: 'roads',
        received: 3,
        answered: 0,
        answeredOnTime: 0,
        answeredAfterOverdue: 0,
        overdueNow: 0,
        refused: 2,
        refusedByReason: { not_holder: 1, restricted: 1 },
        forwarded: 0,
      },
    ]);
  });
});

describe('the months a request reads', () => {
  it.each<[string, { from?: string; to?: string }, { from: string; to: string }]>([
    ['none: the 12 months up to this one', {}, { from: '2026-01', to: '2026-12' }],
    ['to alone: the 12 months up to it', { to: '2026-03' }, { from: '2025-04', to: '2026-03' }],
    ['from alone: up to this month', { from: '2026-06' }, { from: '2026-06', to: '2026-12' }],
    ['from alone, long ago: 24 months from it', { from: '2020-01' }, { from: '2020-01', to: '2021-12' }],
    ['from alone, in the future: that month', { from: '2027-05' }, { from: '2027-05', to: '2027-05' }],
    ['both', { from: '2025-11', to: '2026-02' }, { from: '2025-11', to: '2026-02' }],
  ])('%s', (_case, query, range) => {
    expect(monthRange(query, '2026-12')).toEqual(range);
  });
});
