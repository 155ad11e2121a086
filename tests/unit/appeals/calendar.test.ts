import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addWorkingDays,
  holidaysOf,
  isoWeekday,
  isWorkingDay,
  localDay,
  onOrAfterWorkingDay,
  orthodoxEaster,
  ukrainianHolidays,
  workingDaysBetween,
} from '../../../domain/appeals/calendar';
import { type WorkingCalendar, WorkingCalendarSchema } from '../../../domain/appeals/settings';

/**
 * The reception's working calendar: Kyiv days, Ukraine's statutory days off
 * (Labour Code art. 73 as amended in 2023, art. 67's transfer of a day off that
 * falls on a weekend) and working-day arithmetic, as tables of known days.
 */

const statutory: WorkingCalendar = WorkingCalendarSchema.parse({});
const calendarWith = (input: Partial<WorkingCalendar>): WorkingCalendar => WorkingCalendarSchema.parse(input);

describe('orthodoxEaster', () => {
  // The dates Ukraine's churches kept and keep (published church calendars).
  it.each([
    [2020, '2020-04-19'],
    [2021, '2021-05-02'],
    [2022, '2022-04-24'],
    [2023, '2023-04-16'],
    [2024, '2024-05-05'],
    [2025, '2025-04-20'],
    [2026, '2026-04-12'],
    [2027, '2027-05-02'],
    [2028, '2028-04-16'],
    [2029, '2029-04-08'],
    [2030, '2030-04-28'],
  ])('%i: %s, a Sunday', (year, easter) => {
    expect(orthodoxEaster(year)).toBe(easter);
    expect(isoWeekday(easter)).toBe(7);
  });
});

describe('ukrainianHolidays', () => {
  it('2026: the days of art. 73, and Easter, Trinity and 8 March (Sundays) moved to the Mondays after', () => {
    expect(ukrainianHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-03-08',
      '2026-03-09', // 8 March is a Sunday
      '2026-04-12',
      '2026-04-13', // Easter
      '2026-05-01',
      '2026-05-08',
      '2026-05-31',
      '2026-06-01', // Trinity
      '2026-06-28',
      '2026-06-29', // Constitution Day is a Sunday
      '2026-07-15',
      '2026-08-24',
      '2026-10-01',
      '2026-12-25',
    ]);
  });

  it('2027: 1 May (Saturday) and Easter (2 May) take Monday and Tuesday; 8 May and 25 December move too', () => {
    expect(ukrainianHolidays(2027)).toEqual([
      '2027-01-01',
      '2027-03-08',
      '2027-05-01',
      '2027-05-02',
      '2027-05-03', // 1 May, a Saturday
      '2027-05-04', // Easter: Monday is already taken
      '2027-05-08',
      '2027-05-10', // 8 May, a Saturday
      '2027-06-20',
      '2027-06-21', // Trinity
      '2027-06-28',
      '2027-07-15',
      '2027-08-24',
      '2027-10-01',
      '2027-12-25',
      '2027-12-27', // Christmas, a Saturday
    ]);
  });

  it.each([
    ['2026-01-07', 'Orthodox Christmas, no longer a day off since 2023'],
    ['2026-05-09', 'the old Victory Day'],
    ['2026-10-14', 'the old Defenders Day, moved to 1 October'],
    ['2026-06-28', 'Constitution Day itself (a Sunday)'],
  ])('%s is %s: not a working day only where the law says', (day, _why) => {
    const listed = ukrainianHolidays(2026).includes(day);
    expect(listed).toBe(day === '2026-06-28');
  });

  it('hands out a copy: changing it does not change the next answer', () => {
    ukrainianHolidays(2026).push('2026-02-02');
    expect(ukrainianHolidays(2026)).not.toContain('2026-02-02');
  });
});

describe('localDay (Europe/Kyiv)', () => {
  it.each([
    ['2026-01-15T21:59:59Z', '2026-01-15', 'winter, UTC+2: a second before midnight'],
    ['2026-01-15T22:00:00Z', '2026-01-16', 'winter: midnight'],
    ['2026-03-28T21:59:59Z', '2026-03-28', 'the night before the spring change'],
    ['2026-03-28T22:00:00Z', '2026-03-29', 'last Sunday of March begins at 22:00 UTC'],
    ['2026-03-29T20:59:59Z', '2026-03-29', 'after the change, UTC+3: a second before midnight'],
    ['2026-03-29T21:00:00Z', '2026-03-30', 'after the change: midnight is 21:00 UTC'],
    ['2026-10-24T20:59:59Z', '2026-10-24', 'summer time, before the autumn change'],
    ['2026-10-24T21:00:00Z', '2026-10-25', 'last Sunday of October begins at 21:00 UTC'],
    ['2026-10-25T21:59:59Z', '2026-10-25', 'after the change, UTC+2 again'],
    ['2026-10-25T22:00:00Z', '2026-10-26', 'after the change: midnight is 22:00 UTC'],
    ['2026-12-31T21:59:59Z', '2026-12-31', 'the last second of the year in Kyiv'],
    ['2026-12-31T22:30:00Z', '2027-01-01', 'already the new year in Kyiv, not yet in UTC'],
    ['2028-02-29T12:00:00Z', '2028-02-29', 'a leap day'],
  ])('%s is %s (%s)', (instant, day, _why) => {
    expect(localDay(new Date(instant))).toBe(day);
  });
});

describe('isWorkingDay and onOrAfterWorkingDay', () => {
  it.each([
    [statutory, '2026-04-10', true, 'Friday before Easter'],
    [statutory, '2026-04-13', false, 'Monday after Easter'],
    [statutory, '2026-04-11', false, 'Saturday'],
    [statutory, '2026-01-07', true, 'Orthodox Christmas since 2023'],
    [calendarWith({ holidays: { '2026': [] } }), '2026-04-13', true, 'martial law: no days off'],
    [calendarWith({ holidays: { '2026': [] } }), '2026-04-11', false, 'martial law keeps weekends'],
    [calendarWith({ workingWeekendDays: ['2026-04-11'] }), '2026-04-11', true, 'a Saturday made working'],
    [
      calendarWith({ holidays: { '2026': ['2026-04-11'] }, workingWeekendDays: ['2026-04-11'] }),
      '2026-04-11',
      false,
      'a holiday wins over a working Saturday',
    ],
    [
      calendarWith({ weekend: [5, 6] }),
      '2026-04-12',
      false,
      'Easter Sunday is a holiday whatever the weekend',
    ],
    [calendarWith({ weekend: [5, 6] }), '2026-04-10', false, 'Friday in a Friday–Saturday weekend'],
  ])('%#: %s → %s (%s)', (calendar, day, working, _why) => {
    expect(isWorkingDay(calendar, day)).toBe(working);
  });

  it.each([
    ['2026-04-10', '2026-04-10', 'a working day is itself'],
    ['2026-04-11', '2026-04-14', 'Saturday → Tuesday over the Easter Monday'],
    ['2026-12-25', '2026-12-28', 'Christmas (Friday) → Monday'],
    ['2027-05-01', '2027-05-05', 'the 2027 May days → Wednesday'],
    ['2027-12-25', '2027-12-28', 'Christmas on Saturday, moved to Monday → Tuesday'],
  ])('statutory: %s → %s (%s)', (day, expected, _why) => {
    expect(onOrAfterWorkingDay(statutory, day)).toBe(expected);
  });

  it('a council list replaces the statutory list of that year only', () => {
    const calendar = calendarWith({ holidays: { '2026': ['2026-02-02'] } });
    expect(holidaysOf(calendar, 2026)).toEqual(['2026-02-02']);
    expect(holidaysOf(calendar, 2027)).toEqual(ukrainianHolidays(2027));
  });
});

describe('addWorkingDays', () => {
  const martialLaw = calendarWith({ holidays: { '2026': [], '2027': [] } });
  const council = calendarWith({ holidays: { '2026': ['2026-05-04'] } });
  const saturdayWorked = calendarWith({ workingWeekendDays: ['2026-01-10'] });
  it.each([
    [statutory, '2026-01-09', 1, '2026-01-12', 'Friday + 1 → Monday'],
    [statutory, '2026-01-05', 5, '2026-01-12', 'Monday + 5 → next Monday'],
    [statutory, '2026-01-10', 5, '2026-01-16', 'from a Saturday: the count starts on Monday'],
    [statutory, '2026-04-10', 1, '2026-04-14', 'over the Easter Monday'],
    [statutory, '2026-12-31', 5, '2027-01-08', 'over New Year (1 January a Friday)'],
    [statutory, '2026-12-24', 1, '2026-12-28', 'over Christmas (Friday)'],
    [statutory, '2027-04-30', 5, '2027-05-12', 'over the 2027 May days (3, 4 and 10 May off)'],
    [statutory, '2026-12-31', 20, '2027-01-29', 'twenty days over New Year'],
    [statutory, '2026-01-05', 0, '2026-01-05', 'zero days: the day itself'],
    [martialLaw, '2026-12-31', 5, '2027-01-07', 'martial law: 1 January is a working day'],
    [martialLaw, '2026-04-10', 1, '2026-04-13', 'martial law: Easter Monday is a working day'],
    [council, '2026-04-30', 1, '2026-05-01', 'council list: 1 May is worked'],
    [council, '2026-04-30', 2, '2026-05-05', 'council list: its own 4 May is off'],
    [council, '2026-12-31', 1, '2027-01-04', 'a year the council did not list is statutory'],
    [saturdayWorked, '2026-01-09', 1, '2026-01-10', 'a working Saturday counts'],
    [saturdayWorked, '2026-01-09', 2, '2026-01-12', 'and Sunday still does not'],
  ])('%#: %s + %i → %s (%s)', (calendar, day, count, expected, _why) => {
    expect(addWorkingDays(calendar, day, count)).toBe(expected);
  });

  it('a calendar with no working day fails loudly instead of looping forever', () => {
    // Valid by the schema: six weekend days and every Sunday a holiday, for more years than a search looks ahead.
    const holidays: Record<string, string[]> = {};
    for (let year = 2026; year <= 2040; year += 1) {
      const sundays: string[] = [];
      for (let day = `${year}-01-01`; day.startsWith(String(year)); day = addDays(day, 1)) {
        if (isoWeekday(day) === 7) sundays.push(day);
      }
      holidays[String(year)] = sundays;
    }
    const none = calendarWith({ weekend: [1, 2, 3, 4, 5, 6], holidays });
    expect(() => addWorkingDays(none, '2026-01-05', 1)).toThrow(/No working day/);
    expect(() => onOrAfterWorkingDay(none, '2026-01-05')).toThrow(/No working day/);
  });

  it('a sparse but valid calendar still reaches a long deadline (one working day a week, 365 of them)', () => {
    const sundaysOnly = calendarWith({ weekend: [1, 2, 3, 4, 5, 6] });
    const due = addWorkingDays(sundaysOnly, '2026-01-05', 365);
    expect(workingDaysBetween(sundaysOnly, '2026-01-05', due)).toBe(365);
  });
});

/** A day between 2020 and 2035, when the Easter formula and the statutory list hold. */
const dayArb = fc.integer({ min: 0, max: 16 * 365 }).map((offset) => addDays('2020-01-01', offset));
const calendarArb: fc.Arbitrary<WorkingCalendar> = fc.oneof(
  fc.constant(statutory),
  fc
    .record({
      weekend: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { maxLength: 5 }),
      holidays: fc.dictionary(
        fc.integer({ min: 2020, max: 2036 }).map(String),
        fc.uniqueArray(fc.integer({ min: 0, max: 364 }), { maxLength: 30 }),
      ),
      workingWeekendDays: fc.uniqueArray(dayArb, { maxLength: 10 }),
    })
    .map(({ weekend, holidays, workingWeekendDays }) =>
      calendarWith({
        weekend,
        holidays: Object.fromEntries(
          Object.entries(holidays).map(([year, offsets]) => [
            year,
            offsets.map((o) => addDays(`${year}-01-01`, o)).filter((d) => d.startsWith(year)),
          ]),
        ),
        workingWeekendDays,
      }),
    ),
);

describe('addWorkingDays, properties', () => {
  it('lands on a working day after the start, with exactly n working days in (start, result]', () => {
    fc.assert(
      fc.property(calendarArb, dayArb, fc.integer({ min: 1, max: 30 }), (calendar, day, count) => {
        const due = addWorkingDays(calendar, day, count);
        expect(due > day).toBe(true);
        expect(isWorkingDay(calendar, due)).toBe(true);
        expect(workingDaysBetween(calendar, day, due)).toBe(count);
        expect(workingDaysBetween(calendar, day, addDays(due, -1))).toBe(count - 1);
      }),
      { numRuns: 200 },
    );
  });

  it('onOrAfterWorkingDay is the first working day from the day on', () => {
    fc.assert(
      fc.property(calendarArb, dayArb, (calendar, day) => {
        const found = onOrAfterWorkingDay(calendar, day);
        expect(found >= day).toBe(true);
        expect(isWorkingDay(calendar, found)).toBe(true);
        expect(workingDaysBetween(calendar, addDays(day, -1), addDays(found, -1))).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
