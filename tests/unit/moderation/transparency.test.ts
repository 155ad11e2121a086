import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LoggedDecision, transparencyReport } from '../../../domain/moderation/transparency';

const FROM = '2026-01-01T00:00:00.000Z';
const TO = '2027-01-01T00:00:00.000Z';

const decision = (overrides: Partial<LoggedDecision>): LoggedDecision => ({
  type: 'petition',
  decision: 'approve',
  decidedAt: '2026-03-10T12:00:00.000Z',
  waitedSeconds: 60,
  onAppeal: false,
  ...overrides,
});

describe('transparencyReport', () => {
  it('counts by tool, reason code and month, and the appeals that were overturned', () => {
    const log = [
      decision({}),
      decision({ decision: 'reject', reasonCode: 'duplicate', decidedAt: '2026-03-31T23:59:59.999Z' }),
      decision({
        type: 'comment',
        decision: 'hide',
        reasonCode: 'offensive',
        decidedAt: '2026-04-01T00:00:00.000Z',
      }),
      decision({ decision: 'approve', onAppeal: true, decidedAt: '2026-04-02T00:00:00.000Z' }),
      decision({
        decision: 'reject',
        reasonCode: 'duplicate',
        onAppeal: true,
        decidedAt: '2026-04-03T00:00:00.000Z',
      }),
    ];

    const report = transparencyReport(log, FROM, TO);

    expect(report).toEqual({
      from: FROM,
      to: TO,
      decisions: 5,
      byTool: { petition: { approve: 2, reject: 2 }, comment: { hide: 1 } },
      byReasonCode: { duplicate: 2, offensive: 1 },
      byMonth: { '2026-03': 2, '2026-04': 3 },
      medianSecondsToDecision: 60,
      appeals: { decided: 2, overturned: 1 },
    });
  });

  it.each([
    [[], null],
    [[10], 10],
    [[10, 20], 15],
    [[30, 10, 20], 20],
    [[1, 2, 3, 100], 2.5],
  ])('takes the median of %j as %s', (waited, median) => {
    const log = waited.map((waitedSeconds) => decision({ waitedSeconds }));

    expect(transparencyReport(log, FROM, TO).medianSecondsToDecision).toBe(median);
  });

  it('counts `from` in and leaves `to` out', () => {
    const log = [decision({ decidedAt: FROM }), decision({ decidedAt: TO })];

    expect(transparencyReport(log, FROM, TO).decisions).toBe(1);
  });

  it('has months, tools and decisions that each add up to the total', () => {
    const entry = fc.record({
      type: fc.constantFrom('petition' as const, 'comment' as const, 'budget-project' as const),
      decision: fc.constantFrom('approve' as const, 'reject' as const, 'hide' as const, 'restore' as const),
      decidedAt: fc
        .date({
          min: new Date('2025-06-01T00:00:00Z'),
          max: new Date('2027-06-01T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((date) => date.toISOString()),
      waitedSeconds: fc.nat({ max: 10_000_000 }),
      onAppeal: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), (log) => {
        const report = transparencyReport(log, FROM, TO);
        const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

        expect(sum(report.byMonth)).toBe(report.decisions);
        expect(Object.values(report.byTool).reduce((total, counts) => total + sum(counts), 0)).toBe(
          report.decisions,
        );
        expect(report.appeals.overturned).toBeLessThanOrEqual(report.appeals.decided);
      }),
    );
  });
});
