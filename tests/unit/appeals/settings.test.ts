import { describe, expect, it } from 'vitest';
import {
  type AppealSettings,
  AppealSettingsPatchSchema,
  AppealSettingsSchema,
  mergeAppealSettings,
  unitOfCategory,
} from '../../../domain/appeals/settings';

/** The reception's settings: defaults from the laws, the checks that keep them consistent, and patching. */

const head = { issuer: 'https://id.example', subject: 'head' };
const unit = (id: string) => ({ id, names: { uk: `Підрозділ ${id}`, en: `Unit ${id}` }, head });
const category = (id: string, unitId: string) => ({
  id,
  names: { uk: `Категорія ${id}`, en: `Category ${id}` },
  unitId,
  kinds: ['appeal'],
});
const base = { units: [unit('roads')], categories: [category('potholes', 'roads')] };

/** The paths of the issues a parse reports, joined with dots; empty when it passes. */
function issuePaths(input: unknown): string[] {
  const parsed = AppealSettingsSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
}

describe('AppealSettingsSchema defaults', () => {
  it('an empty object gets the laws’ deadlines, a Saturday–Sunday weekend and the statutory holidays', () => {
    expect(AppealSettingsSchema.parse({})).toEqual({
      units: [],
      categories: [],
      calendar: { weekend: [6, 7], holidays: {}, workingWeekendDays: [] },
      deadlines: {
        appealDays: 30,
        appealNoStudyDays: 15,
        appealMaxDays: 45,
        informationWorkingDays: 5,
        informationMaxWorkingDays: 20,
        issueReportWorkingDays: 10,
      },
    });
  });

  it('a partial calendar or deadlines object is completed field by field', () => {
    const parsed = AppealSettingsSchema.parse({ calendar: { weekend: [7] }, deadlines: { appealDays: 20 } });
    expect(parsed.calendar).toEqual({ weekend: [7], holidays: {}, workingWeekendDays: [] });
    expect(parsed.deadlines.appealDays).toBe(20);
    expect(parsed.deadlines.appealMaxDays).toBe(45);
  });
});

describe('AppealSettingsSchema checks', () => {
  it.each<[string, unknown, string[]]>([
    ['a consistent set', base, []],
    [
      'a category routed to an unknown unit',
      { ...base, categories: [category('potholes', 'parks')] },
      ['categories.0.unitId'],
    ],
    ['two units with one id', { ...base, units: [unit('roads'), unit('roads')] }, ['units']],
    [
      'two categories with one id',
      { ...base, categories: [category('potholes', 'roads'), category('potholes', 'roads')] },
      ['categories'],
    ],
    [
      'a category listing a kind twice',
      { ...base, categories: [{ ...category('potholes', 'roads'), kinds: ['appeal', 'appeal'] }] },
      ['categories.0.kinds'],
    ],
    [
      'an unknown kind',
      { ...base, categories: [{ ...category('potholes', 'roads'), kinds: ['petition'] }] },
      ['categories.0.kinds.0'],
    ],
    [
      'appealMaxDays below appealDays',
      { deadlines: { appealDays: 30, appealMaxDays: 29 } },
      ['deadlines.appealMaxDays'],
    ],
    ['appealMaxDays equal to appealDays', { deadlines: { appealDays: 30, appealMaxDays: 30 } }, []],
    [
      'informationMaxWorkingDays below informationWorkingDays',
      { deadlines: { informationWorkingDays: 5, informationMaxWorkingDays: 4 } },
      ['deadlines.informationMaxWorkingDays'],
    ],
    [
      'appealNoStudyDays above appealDays',
      { deadlines: { appealDays: 10, appealNoStudyDays: 15, appealMaxDays: 45 } },
      ['deadlines.appealNoStudyDays'],
    ],
    ['a weekend day twice', { calendar: { weekend: [6, 6] } }, ['calendar.weekend']],
    ['a weekend of all seven days', { calendar: { weekend: [1, 2, 3, 4, 5, 6, 7] } }, ['calendar.weekend']],
    ['a weekday 8', { calendar: { weekend: [8] } }, ['calendar.weekend.0']],
    ['an empty holiday list (martial law)', { calendar: { holidays: { '2026': [] } } }, []],
    [
      'a holiday that is not a date',
      { calendar: { holidays: { '2026': ['2026-02-30'] } } },
      ['calendar.holidays.2026.0'],
    ],
    [
      'a holiday filed under another year',
      { calendar: { holidays: { '2026': ['2027-01-01'] } } },
      ['calendar.holidays'],
    ],
    ['a year key that is not a year', { calendar: { holidays: { next: [] } } }, ['calendar.holidays.next']],
    ['bounds the wrong way round', { bounds: { west: 30, south: 50, east: 29, north: 51 } }, ['bounds']],
    ['an unknown field', { ...base, colour: 'blue' }, ['']],
  ])('%s', (_case, input, paths) => {
    expect(issuePaths(input)).toEqual(paths);
  });
});

describe('patch and merge', () => {
  const current: AppealSettings = AppealSettingsSchema.parse({
    ...base,
    calendar: { weekend: [6, 7], holidays: { '2026': [] }, workingWeekendDays: ['2026-01-10'] },
    deadlines: { appealDays: 25, appealMaxDays: 40 },
    bounds: { west: 30, south: 50, east: 31, north: 51 },
  });

  it('no patch keeps the settings as they are', () => {
    expect(mergeAppealSettings(current, undefined)).toEqual(current);
  });

  it('a deadline patched keeps the untouched deadline fields', () => {
    const patch = AppealSettingsPatchSchema.parse({ deadlines: { informationWorkingDays: 3 } });
    const merged = AppealSettingsSchema.parse(mergeAppealSettings(current, patch));
    expect(merged.deadlines).toEqual({ ...current.deadlines, informationWorkingDays: 3 });
    expect(merged.deadlines.appealDays).toBe(25);
    expect(merged.deadlines.appealMaxDays).toBe(40);
    expect(merged.calendar).toEqual(current.calendar);
    expect(merged.units).toEqual(current.units);
    expect(merged.bounds).toEqual(current.bounds);
  });

  it('a calendar field patched keeps the other calendar fields', () => {
    const patch = AppealSettingsPatchSchema.parse({ calendar: { weekend: [7] } });
    const merged = AppealSettingsSchema.parse(mergeAppealSettings(current, patch));
    expect(merged.calendar).toEqual({ ...current.calendar, weekend: [7] });
    expect(merged.deadlines).toEqual(current.deadlines);
  });

  it('lists are replaced whole', () => {
    const patch = AppealSettingsPatchSchema.parse({ units: [unit('roads'), unit('parks')] });
    const merged = AppealSettingsSchema.parse(mergeAppealSettings(current, patch));
    expect(merged.units.map((u) => u.id)).toEqual(['roads', 'parks']);
    expect(merged.categories).toEqual(current.categories);
  });

  it('a patch that makes the whole inconsistent fails when the merge is validated', () => {
    const patch = AppealSettingsPatchSchema.parse({ deadlines: { appealMaxDays: 20 } });
    expect(issuePaths(mergeAppealSettings(current, patch))).toEqual(['deadlines.appealMaxDays']);
    const orphaned = AppealSettingsPatchSchema.parse({ units: [unit('parks')] });
    expect(issuePaths(mergeAppealSettings(current, orphaned))).toEqual(['categories.0.unitId']);
  });

  it.each([
    ['an unknown top-level field', { colour: 'blue' }],
    ['an unknown deadline', { deadlines: { answerDays: 3 } }],
    ['an unknown calendar field', { calendar: { timeZone: 'Europe/Warsaw' } }],
    ['a deadline out of range', { deadlines: { appealDays: 0 } }],
  ])('the patch refuses %s', (_case, patch) => {
    expect(AppealSettingsPatchSchema.safeParse(patch).success).toBe(false);
  });
});

describe('unitOfCategory', () => {
  const settings = AppealSettingsSchema.parse(base);
  it.each([
    ['potholes', 'roads'],
    ['unknown', undefined],
  ])('%s → %s', (categoryId, unitId) => {
    expect(unitOfCategory(settings, categoryId)).toBe(unitId);
  });
});
