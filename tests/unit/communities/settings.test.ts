import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../../../domain/communities/limits';
import {
  CommunitySettingsPatchSchema,
  CommunitySettingsSchema,
  changedSettingKeys,
  mergeSettings,
} from '../../../domain/communities/settings';
import { localizeMessage } from '../../../domain/shared/localized';

const names = { uk: 'Громада', en: 'Hromada' };

describe('community settings', () => {
  it('fills every default from the names alone', () => {
    const settings = CommunitySettingsSchema.parse({ names });

    expect(settings).toEqual({
      names,
      districts: [],
      corsOrigins: [],
      petitions: {
        thresholds: [{ name: 'response', signatures: 250 }],
        durationDays: 90,
        sponsorsNeeded: 0,
        minimumAge: 16,
      },
      moderation: { petitions: 'pre', consultations: 'post', budgets: 'pre', issueReports: 'pre' },
      reportsBeforeHide: 3,
      moderationSlaDays: 5,
      limits: DEFAULT_RATE_LIMITS,
      retentionDays: 180,
      appeals: {
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
      },
      locales: ['uk', 'en'],
    });
  });

  it.each([
    ['no names', {}, 'names'],
    ['an empty Ukrainian name', { names: { uk: ' ', en: 'x' } }, 'names.uk'],
    [
      'a duplicate district id',
      {
        names,
        districts: [
          { id: 'd1', names },
          { id: 'd1', names },
        ],
      },
      'districts',
    ],
    ['a district id with capitals', { names, districts: [{ id: 'D1', names }] }, 'districts.0.id'],
    ['an origin with a path', { names, corsOrigins: ['https://a.ua/path'] }, 'corsOrigins.0'],
    [
      'no response threshold',
      { names, petitions: { thresholds: [{ name: 'hearing', signatures: 5 }] } },
      'petitions.thresholds',
    ],
    [
      'a zero threshold',
      { names, petitions: { thresholds: [{ name: 'response', signatures: 0 }] } },
      'petitions.thresholds.0.signatures',
    ],
    ['a duration of 0 days', { names, petitions: { durationDays: 0 } }, 'petitions.durationDays'],
    ['a fractional age', { names, petitions: { minimumAge: 16.5 } }, 'petitions.minimumAge'],
    ['an unknown moderation mode', { names, moderation: { petitions: 'later' } }, 'moderation.petitions'],
    ['reports before hide of 0', { names, reportsBeforeHide: 0 }, 'reportsBeforeHide'],
    ['an unknown locale', { names, locales: ['de'] }, 'locales.0'],
    ['no locales', { names, locales: [] }, 'locales'],
  ])('rejects %s, pointing at the field', (_case, input, path) => {
    const result = CommunitySettingsSchema.safeParse(input);

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('explains cross-field rules in both languages', () => {
    const result = CommunitySettingsSchema.safeParse({
      names,
      districts: [
        { id: 'd1', names },
        { id: 'd1', names },
      ],
    });
    const message = result.error?.issues[0]?.message ?? '';

    expect(localizeMessage(message, 'uk')).toBe('ідентифікатори округів мають бути унікальними');
    expect(localizeMessage(message, 'en')).toBe('district ids must be unique');
  });

  it('merges a patch: nested groups field by field, lists whole', () => {
    const current = CommunitySettingsSchema.parse({ names, districts: [{ id: 'd1', names }] });
    const patch = CommunitySettingsPatchSchema.parse({ petitions: { minimumAge: 18 }, districts: [] });

    const merged = CommunitySettingsSchema.parse(mergeSettings(current, patch));

    expect(merged.petitions).toEqual({ ...current.petitions, minimumAge: 18 });
    expect(merged.districts).toEqual([]);
    expect(changedSettingKeys(current, merged)).toEqual(['districts', 'petitions']);
  });

  it('refuses unknown keys in a patch', () => {
    expect(CommunitySettingsPatchSchema.safeParse({ colour: 'blue' }).success).toBe(false);
  });
});

describe('a settings patch', () => {
  it('leaves unmentioned nested fields alone instead of resetting them to defaults', () => {
    const current = CommunitySettingsSchema.parse({
      names,
      petitions: { durationDays: 30, sponsorsNeeded: 5 },
    });

    const merged = mergeSettings(
      current,
      CommunitySettingsPatchSchema.parse({ petitions: { minimumAge: 18 } }),
    );

    expect(merged.petitions).toEqual({ ...current.petitions, minimumAge: 18 });
  });
});
