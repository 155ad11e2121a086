import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, isWorkingDay } from '../../../domain/appeals/calendar';
import {
  type DueInput,
  type ExtensionInput,
  extendedDueDay,
  extensionLimit,
  initialDueDay,
  isOverdue,
} from '../../../domain/appeals/due-dates';
import { APPEAL_KINDS, type AppealSettings, AppealSettingsSchema } from '../../../domain/appeals/settings';

/**
 * Due days per kind of item, as tables of named cases: appeals in calendar
 * days (Law "On Citizens' Appeals" art. 20, a last day off moving to the next
 * working day), information requests in working days (Law "On Access to Public
 * Information" art. 20), issue reports by their category's target.
 */

const head = { issuer: 'https://id.example', subject: 'head' };
const settings: AppealSettings = AppealSettingsSchema.parse({
  units: [{ id: 'roads', names: { uk: 'Дороги', en: 'Roads' }, head }],
  categories: [
    {
      id: 'potholes',
      names: { uk: 'Ями', en: 'Potholes' },
      unitId: 'roads',
      kinds: ['issue_report'],
      targetWorkingDays: 3,
    },
    { id: 'other', names: { uk: 'Інше', en: 'Other' }, unitId: 'roads', kinds: [...APPEAL_KINDS] },
  ],
});
const martialLaw: AppealSettings = AppealSettingsSchema.parse({
  ...settings,
  calendar: { holidays: { '2026': [], '2027': [] } },
});

describe('initialDueDay', () => {
  it.each<[string, AppealSettings, DueInput, string]>([
    [
      'appeal: 30 days, on a Wednesday',
      settings,
      { kind: 'appeal', registeredOn: '2026-03-02', categoryId: 'other' },
      '2026-04-01',
    ],
    [
      'appeal: day 30 is a Saturday → Monday',
      settings,
      { kind: 'appeal', registeredOn: '2026-01-08', categoryId: 'other' },
      '2026-02-09',
    ],
    [
      'appeal: day 30 is Easter Monday → Tuesday',
      settings,
      { kind: 'appeal', registeredOn: '2026-03-14', categoryId: 'other' },
      '2026-04-14',
    ],
    [
      'appeal: day 30 is 1 January → the first working day of the year',
      settings,
      { kind: 'appeal', registeredOn: '2026-12-02', categoryId: 'other' },
      '2027-01-04',
    ],
    [
      'appeal under martial law: 1 January is a working day',
      martialLaw,
      { kind: 'appeal', registeredOn: '2026-12-02', categoryId: 'other' },
      '2027-01-01',
    ],
    [
      'appeal needing no further study: 15 days',
      settings,
      { kind: 'appeal', registeredOn: '2026-01-08', categoryId: 'other', noFurtherStudy: true },
      '2026-01-23',
    ],
    [
      'appeal needing no further study: day 15 a Sunday → Monday',
      settings,
      { kind: 'appeal', registeredOn: '2026-01-10', categoryId: 'other', noFurtherStudy: true },
      '2026-01-26',
    ],
    [
      'information request: 5 working days across New Year',
      settings,
      { kind: 'information_request', registeredOn: '2026-12-31', categoryId: 'other' },
      '2027-01-08',
    ],
    [
      'information request: Monday → next Monday',
      settings,
      { kind: 'information_request', registeredOn: '2026-01-05', categoryId: 'other' },
      '2026-01-12',
    ],
    [
      'information request: registered on a Saturday',
      settings,
      { kind: 'information_request', registeredOn: '2026-01-10', categoryId: 'other' },
      '2026-01-16',
    ],
    [
      'information request: over the 2027 May days',
      settings,
      { kind: 'information_request', registeredOn: '2027-04-30', categoryId: 'other' },
      '2027-05-12',
    ],
    [
      'information request under martial law',
      martialLaw,
      { kind: 'information_request', registeredOn: '2026-12-31', categoryId: 'other' },
      '2027-01-07',
    ],
    [
      "issue report: the category's own target (3)",
      settings,
      { kind: 'issue_report', registeredOn: '2026-01-09', categoryId: 'potholes' },
      '2026-01-14',
    ],
    [
      'issue report: the default (10) when the category names none',
      settings,
      { kind: 'issue_report', registeredOn: '2026-01-05', categoryId: 'other' },
      '2026-01-19',
    ],
    [
      'issue report: the default for a category no longer in the settings',
      settings,
      { kind: 'issue_report', registeredOn: '2026-01-05', categoryId: 'gone' },
      '2026-01-19',
    ],
  ])('%s', (_case, s, input, due) => {
    expect(initialDueDay(s, input)).toBe(due);
  });

  it('follows the deadlines a council set', () => {
    const own = AppealSettingsSchema.parse({
      ...settings,
      deadlines: { appealDays: 20, informationWorkingDays: 3, issueReportWorkingDays: 1 },
    });
    expect(initialDueDay(own, { kind: 'appeal', registeredOn: '2026-03-02', categoryId: 'other' })).toBe(
      '2026-03-23',
    );
    expect(
      initialDueDay(own, { kind: 'information_request', registeredOn: '2026-01-09', categoryId: 'other' }),
    ).toBe('2026-01-14');
    expect(
      initialDueDay(own, { kind: 'issue_report', registeredOn: '2026-01-09', categoryId: 'other' }),
    ).toBe('2026-01-12');
  });
});

const appeal = {
  kind: 'appeal',
  registeredOn: '2026-03-02',
  categoryId: 'other',
  currentDue: '2026-04-01',
} as const;
const request = {
  kind: 'information_request',
  registeredOn: '2026-12-31',
  categoryId: 'other',
  currentDue: '2027-01-08',
} as const;
const report = {
  kind: 'issue_report',
  registeredOn: '2026-01-09',
  categoryId: 'potholes',
  currentDue: '2026-01-14',
} as const;

describe('extensionLimit', () => {
  it.each<[string, DueInput, string]>([
    ['appeal: 45 days in total', appeal, '2026-04-16'],
    [
      'appeal: day 45 is Christmas (Friday) → Monday',
      { kind: 'appeal', registeredOn: '2026-11-10', categoryId: 'other' },
      '2026-12-28',
    ],
    ['information request: 20 working days across New Year', request, '2027-01-29'],
    ['issue report: twice its target', report, '2026-01-19'],
  ])('%s', (_case, input, limit) => {
    expect(extensionLimit(settings, input)).toBe(limit);
  });
});

describe('extendedDueDay', () => {
  it.each<[string, ExtensionInput, ReturnType<typeof extendedDueDay>]>([
    [
      'appeal: no day asked → the law’s limit',
      { ...appeal, extendedBefore: false, today: '2026-03-20' },
      { ok: true, dueOn: '2026-04-16' },
    ],
    [
      'appeal: a day asked within the limit',
      { ...appeal, extendedBefore: false, today: '2026-03-20', requested: '2026-04-10' },
      { ok: true, dueOn: '2026-04-10' },
    ],
    [
      'appeal: a Saturday asked → the next working day (over Easter Monday)',
      { ...appeal, extendedBefore: false, today: '2026-03-20', requested: '2026-04-11' },
      { ok: true, dueOn: '2026-04-14' },
    ],
    [
      'appeal: beyond 45 days',
      { ...appeal, extendedBefore: false, today: '2026-03-20', requested: '2026-04-17' },
      { ok: false, refusal: { reason: 'beyond_limit', limit: '2026-04-16' } },
    ],
    [
      'appeal: never twice',
      { ...appeal, currentDue: '2026-04-10', extendedBefore: true, today: '2026-03-20' },
      { ok: false, refusal: { reason: 'already_extended' } },
    ],
    [
      'appeal: not earlier than the current due day',
      { ...appeal, extendedBefore: false, today: '2026-03-20', requested: '2026-03-30' },
      { ok: false, refusal: { reason: 'not_later', currentDue: '2026-04-01' } },
    ],
    [
      'appeal: the current due day itself is no extension',
      { ...appeal, extendedBefore: false, today: '2026-03-20', requested: '2026-04-01' },
      { ok: false, refusal: { reason: 'not_later', currentDue: '2026-04-01' } },
    ],
    [
      'appeal already overdue: a new day before today is refused',
      { ...appeal, extendedBefore: false, today: '2026-04-08', requested: '2026-04-03' },
      { ok: false, refusal: { reason: 'before_today', today: '2026-04-08' } },
    ],
    [
      'appeal already overdue: today itself may be the new day',
      { ...appeal, extendedBefore: false, today: '2026-04-08', requested: '2026-04-08' },
      { ok: true, dueOn: '2026-04-08' },
    ],
    [
      'appeal needing no further study: still up to 45 days in total',
      {
        ...appeal,
        noFurtherStudy: true,
        currentDue: '2026-03-17',
        extendedBefore: false,
        today: '2026-03-10',
      },
      { ok: true, dueOn: '2026-04-16' },
    ],
    [
      'information request: within the first 5 working days → 20 working days',
      { ...request, extendedBefore: false, today: '2027-01-05' },
      { ok: true, dueOn: '2027-01-29' },
    ],
    [
      'information request: on the fifth working day itself',
      { ...request, extendedBefore: false, today: '2027-01-08' },
      { ok: true, dueOn: '2027-01-29' },
    ],
    [
      'information request: after the first 5 working days',
      { ...request, extendedBefore: false, today: '2027-01-11' },
      { ok: false, refusal: { reason: 'too_late', firstDue: '2027-01-08' } },
    ],
    [
      'information request: never twice',
      { ...request, currentDue: '2027-01-29', extendedBefore: true, today: '2027-01-05' },
      { ok: false, refusal: { reason: 'already_extended' } },
    ],
    [
      'information request: beyond 20 working days',
      { ...request, extendedBefore: false, today: '2027-01-05', requested: '2027-02-01' },
      { ok: false, refusal: { reason: 'beyond_limit', limit: '2027-01-29' } },
    ],
    [
      'information request: a shorter extension within the limit',
      { ...request, extendedBefore: false, today: '2027-01-05', requested: '2027-01-15' },
      { ok: true, dueOn: '2027-01-15' },
    ],
    [
      'issue report: up to twice its target',
      { ...report, extendedBefore: false, today: '2026-01-12' },
      { ok: true, dueOn: '2026-01-19' },
    ],
    [
      'issue report: beyond twice its target',
      { ...report, extendedBefore: false, today: '2026-01-12', requested: '2026-01-20' },
      { ok: false, refusal: { reason: 'beyond_limit', limit: '2026-01-19' } },
    ],
  ])('%s', (_case, input, expected) => {
    expect(extendedDueDay(settings, input)).toEqual(expected);
  });
});

describe('isOverdue', () => {
  it.each([
    ['the day before the due day', '2026-03-31', false],
    ['the due day itself', '2026-04-01', false],
    ['the day after the due day', '2026-04-02', true],
    ['a year later', '2027-04-01', true],
  ])('%s', (_case, today, overdue) => {
    expect(isOverdue('2026-04-01', today)).toBe(overdue);
  });
});

/** A registration day between 2020 and 2035. */
const dayArb = fc.integer({ min: 0, max: 16 * 365 }).map((offset) => addDays('2020-01-01', offset));
const inputArb = fc.record({
  kind: fc.constantFrom(...APPEAL_KINDS),
  registeredOn: dayArb,
  categoryId: fc.constantFrom('potholes', 'other'),
  noFurtherStudy: fc.boolean(),
});

describe('due days, properties', () => {
  it('the first due day is a working day after registration, and no later than the extension limit', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const due = initialDueDay(settings, input);
        expect(due > input.registeredOn).toBe(true);
        expect(isWorkingDay(settings.calendar, due)).toBe(true);
        expect(due <= extensionLimit(settings, input)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a granted extension is a working day after the current due day, not before today, within the limit', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.integer({ min: 0, max: 60 }),
        fc.option(fc.integer({ min: -10, max: 70 }), { nil: undefined }),
        (input, todayOffset, requestedOffset) => {
          const currentDue = initialDueDay(settings, input);
          const today = addDays(input.registeredOn, todayOffset);
          const requested =
            requestedOffset === undefined ? undefined : addDays(input.registeredOn, requestedOffset);
          const result = extendedDueDay(settings, {
            ...input,
            currentDue,
            extendedBefore: false,
            today,
            requested,
          });
          if (!result.ok) return;
          expect(result.dueOn > currentDue).toBe(true);
          expect(result.dueOn >= today).toBe(true);
          expect(result.dueOn <= extensionLimit(settings, input)).toBe(true);
          expect(isWorkingDay(settings.calendar, result.dueOn)).toBe(true);
          if (input.kind === 'information_request') expect(today <= currentDue).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('once extended, never again', () => {
    fc.assert(
      fc.property(inputArb, dayArb, (input, today) => {
        const currentDue = initialDueDay(settings, input);
        expect(extendedDueDay(settings, { ...input, currentDue, extendedBefore: true, today })).toEqual({
          ok: false,
          refusal: { reason: 'already_extended' },
        });
      }),
      { numRuns: 100 },
    );
  });
});
