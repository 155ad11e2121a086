import type { WorkingCalendar } from './settings';

/**
 * Days as the reception counts them: ISO dates (`YYYY-MM-DD`) in the
 * community's time zone, added and compared as whole days, never as instants,
 * so a deadline does not move with daylight saving or the server's zone.
 */

/** Every community of this platform is in Ukraine; its deadlines run on Kyiv's days. */
export const COMMUNITY_TIME_ZONE = 'Europe/Kyiv';

const DAY_MS = 86_400_000;

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: COMMUNITY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The community's day an instant falls on (`2026-12-31T22:30:00Z` is `2027-01-01` in Kyiv).
 * Built from the parts, not from `format()`: the shape of a locale's formatted
 * date has changed between ICU versions, the parts have not.
 */
export function localDay(instant: Date): string {
  const parts = dayFormat.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function toUtc(day: string): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, date);
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `day` plus `days` calendar days (negative goes back). */
export function addDays(day: string, days: number): string {
  return fromUtc(toUtc(day) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** ISO weekday: 1 is Monday, 7 is Sunday. */
export function isoWeekday(day: string): number {
  const weekday = new Date(toUtc(day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/**
 * Orthodox Easter Sunday (the Julian computus, as Ukraine's churches keep it)
 * as a Gregorian date; valid 1900–2099, where the calendars are 13 days apart.
 */
export function orthodoxEaster(year: number): string {
  const a = year % 4;
  const b = year % 7;
  const c = year % 19;
  const d = (19 * c + 15) % 30;
  const e = (2 * a + 4 * b - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const day = ((d + e + 114) % 31) + 1;
  const julian = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return addDays(julian, 13);
}

/**
 * The days off of Ukraine's Labour Code (art. 73, as amended in 2023: Christmas on
 * 25 December, Statehood Day on 15 July, Remembrance and Victory Day on 8 May),
 * with Easter and Trinity, and art. 67: a holiday on a Saturday or Sunday moves
 * the day off to the next working day. Martial law suspends both articles; a
 * council that follows it sets the year's list to empty in its settings.
 */
export function ukrainianHolidays(year: number): string[] {
  return [...statutoryHolidays(year)];
}

/** Each year's statutory list is computed once: a deadline search asks for it on every day it steps over. */
const statutoryByYear = new Map<number, readonly string[]>();

function statutoryHolidays(year: number): readonly string[] {
  const known = statutoryByYear.get(year);
  if (known) return known;
  const computed = computeUkrainianHolidays(year);
  statutoryByYear.set(year, computed);
  return computed;
}

function computeUkrainianHolidays(year: number): readonly string[] {
  const fixed = ['01-01', '03-08', '05-01', '05-08', '06-28', '07-15', '08-24', '10-01', '12-25'].map(
    (monthDay) => `${year}-${monthDay}`,
  );
  const easter = orthodoxEaster(year);
  const holidays = [...fixed, easter, addDays(easter, 49)].sort();
  const daysOff = new Set(holidays);
  for (const holiday of holidays) {
    if (isoWeekday(holiday) < 6) continue;
    let moved = addDays(holiday, 1);
    while (isoWeekday(moved) >= 6 || daysOff.has(moved)) moved = addDays(moved, 1);
    daysOff.add(moved);
  }
  return [...daysOff].sort();
}

/** The year's holidays as the community keeps them: its own list, or Ukraine's. */
export function holidaysOf(calendar: WorkingCalendar, year: number): readonly string[] {
  return calendar.holidays[String(year)] ?? statutoryHolidays(year);
}

/** A day on which the council's offices work: not a weekend day (unless moved to work) and not a holiday. */
export function isWorkingDay(calendar: WorkingCalendar, day: string): boolean {
  const year = Number(day.slice(0, 4));
  if (holidaysOf(calendar, year).includes(day)) return false;
  if (calendar.workingWeekendDays.includes(day)) return true;
  return !calendar.weekend.includes(isoWeekday(day));
}

/** A calendar with no working day would never reach a deadline; such a search stops here. */
const MAX_SEARCH_DAYS = 3_660;

/** `day` itself when it is a working day, otherwise the next working day. */
export function onOrAfterWorkingDay(calendar: WorkingCalendar, day: string): string {
  let current = day;
  for (let step = 0; step < MAX_SEARCH_DAYS; step += 1) {
    if (isWorkingDay(calendar, current)) return current;
    current = addDays(current, 1);
  }
  throw new Error(`No working day within ${MAX_SEARCH_DAYS} days of ${day}`);
}

/**
 * The `count`-th working day after `day` (the day itself not counted).
 * Throws when a stretch of MAX_SEARCH_DAYS days has no working day, which only a
 * misconfigured calendar has; the bound is on the gap, not on the total, so a
 * long deadline in a sparse but valid calendar is still found.
 */
export function addWorkingDays(calendar: WorkingCalendar, day: string, count: number): string {
  let current = day;
  let left = count;
  let sinceWorking = 0;
  while (left > 0) {
    current = addDays(current, 1);
    if (isWorkingDay(calendar, current)) {
      left -= 1;
      sinceWorking = 0;
    } else {
      sinceWorking += 1;
      if (sinceWorking >= MAX_SEARCH_DAYS) {
        throw new Error(`No working day within ${MAX_SEARCH_DAYS} days after ${day}`);
      }
    }
  }
  return current;
}

/** Working days after `from` up to and including `to` (0 when `to` is not later). */
export function workingDaysBetween(calendar: WorkingCalendar, from: string, to: string): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
    if (isWorkingDay(calendar, day)) count += 1;
  }
  return count;
}
