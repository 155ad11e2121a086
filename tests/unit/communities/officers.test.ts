import { describe, expect, it } from 'vitest';
import { setMemberRoles } from '../../../domain/communities/commands/set-member-roles';
import { updateSettings } from '../../../domain/communities/commands/update-settings';
import type { Membership } from '../../../domain/communities/community';
import type { CommunitySettingsPatch } from '../../../domain/communities/settings';
import { Role } from '../../../domain/identity/actor';
import { EVENT_DETAIL_SCHEMAS } from '../../../events/registry';
import { actorFromClaims } from '../../../functions/shared/auth/actor';
import { officerUnits, storedSettings } from '../../../functions/shared/tenancy';
import { actor, communityAt, contextFor } from '../../support/actors';

const names = (en: string) => ({ uk: en, en });
const head = { issuer: 'https://issuer.test', subject: 'head-1' };
const reception = {
  appeals: {
    units: [
      { id: 'roads', names: names('Roads'), head },
      { id: 'social', names: names('Social'), head },
    ],
    categories: [{ id: 'potholes', names: names('Potholes'), unitId: 'roads', kinds: ['issue_report'] }],
  },
};
const community = communityAt('2026-11-01T00:00:00.000Z', reception, 'demo');
const council = actor({ subject: 'council-1', roles: new Set([Role.council]) });
const councilList: Membership[] = [
  {
    communityId: 'demo',
    issuer: 'https://issuer.test',
    subject: 'council-1',
    roles: [Role.council],
    grantedBy: 'admin',
    grantedAt: '2026-11-01T00:00:00.000Z',
  },
];
const grant = (roles: Role[], units?: string[]) =>
  setMemberRoles(contextFor(council), community, undefined, councilList, {
    issuer: 'https://issuer.test',
    subject: 'officer-1',
    roles,
    ...(units ? { units } : {}),
  });

describe('an officer is scoped to units', () => {
  it('grants the officer role with its units, sorted and once each, in the event and the audit', () => {
    // Act
    const outcome = grant([Role.officer], ['social', 'roads', 'social']);

    // Assess
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value).toMatchObject({ roles: ['officer'], units: ['roads', 'social'] });
    const detail = outcome.events[0]?.detail;
    expect(detail).toMatchObject({ roles: ['officer'], units: ['roads', 'social'] });
    expect(EVENT_DETAIL_SCHEMAS['community.member-changed.v1']?.safeParse(detail).success).toBe(true);
    expect(outcome.audit).toMatchObject({
      before: { roles: [] },
      after: { roles: ['officer'], units: ['roads', 'social'] },
    });
  });

  it('stores no units for other roles', () => {
    const outcome = grant([Role.moderator]);

    expect(outcome.ok && outcome.value).not.toHaveProperty('units');
    expect(outcome.ok && outcome.events[0]?.detail).toMatchObject({ units: [] });
  });

  it.each([
    ['an officer without units', [Role.officer], undefined, 'from 1 to 20 units'],
    ['an officer with an empty list', [Role.officer], [], 'from 1 to 20 units'],
    ['units without the officer role', [Role.moderator], ['roads'], 'only with the officer role'],
    ['an unknown unit', [Role.officer], ['roads', 'parks'], 'Unknown units: parks'],
    ['too many units', [Role.officer], Array.from({ length: 21 }, (_, i) => `u${i}`), 'from 1 to 20 units'],
  ])('refuses %s with a validation problem pointing at units', (_case, roles, units, english) => {
    const outcome = grant(roles, units);

    expect(outcome).toMatchObject({
      ok: false,
      error: {
        code: 'validation_failed',
        message: { en: expect.stringContaining(english), uk: expect.any(String) },
        details: { errors: [{ pointer: '/body/units' }] },
      },
    });
  });

  it('names the unknown unit in Ukrainian too, and in the details', () => {
    const outcome = grant([Role.officer], ['parks']);

    expect(outcome).toMatchObject({
      ok: false,
      error: { message: { uk: expect.stringContaining('parks') }, details: { units: ['parks'] } },
    });
  });

  it('keeps the units of a moderator who becomes an officer too, and drops them when the officer role goes', () => {
    const officer = grant([Role.officer], ['roads']);
    if (!officer.ok || !officer.value) throw new Error('the grant failed');

    const demoted = setMemberRoles(contextFor(council), community, officer.value, councilList, {
      issuer: 'https://issuer.test',
      subject: 'officer-1',
      roles: [Role.moderator],
    });

    expect(demoted.ok && demoted.value).toEqual(expect.not.objectContaining({ units: expect.anything() }));
    expect(demoted.ok && demoted.audit).toMatchObject({ before: { roles: ['officer'], units: ['roads'] } });
    expect(demoted.ok && demoted.audit?.after).toEqual({ roles: ['moderator'] });
  });
});

describe('the units an officer acts for', () => {
  const member = (roles: Role[], units?: string[]): Membership => ({
    ...(councilList[0] as Membership),
    subject: 'officer-1',
    roles,
    ...(units ? { units } : {}),
  });

  it('are those of the membership that the settings still have', () => {
    // A unit removed from the settings after the grant grants nothing (see officerUnits).
    expect(officerUnits(member([Role.officer], ['roads', 'gone']), community)).toEqual(['roads']);
  });

  it('are none for someone who is not an officer, whatever the item says', () => {
    expect(officerUnits(member([Role.moderator], ['roads']), community)).toEqual([]);
    expect(officerUnits(undefined, community)).toEqual([]);
  });

  it('reach the actor as a set, and stay absent for everyone else', () => {
    const issuer = {
      issuer: 'https://issuer.test',
      jwksUri: 'https://issuer.test/jwks',
      audience: 'hromada-api',
      claims: { community: 'hromada', district: 'okrug', birthdate: 'birth_date' },
    };
    const claims = { iss: 'https://issuer.test', sub: 'officer-1' };

    const officer = actorFromClaims(claims, [issuer], 's', {
      roles: [Role.officer],
      units: ['roads'],
      platformAdmin: false,
    });
    const moderator = actorFromClaims(claims, [issuer], 's', {
      roles: [Role.moderator],
      platformAdmin: false,
    });

    expect([...(officer?.units ?? [])]).toEqual(['roads']);
    expect(moderator).not.toHaveProperty('units');
  });
});

describe("the reception's settings", () => {
  const patch = (appeals: CommunitySettingsPatch['appeals']) =>
    updateSettings(contextFor(council), community, { appeals });
  const problems = (outcome: ReturnType<typeof patch>) =>
    outcome.ok ? [] : (outcome.error.details?.errors as { pointer: string; detail: string }[]);

  it('takes units, categories, a year of holidays, deadlines and bounds, and keeps the deadlines not named', () => {
    const outcome = patch({
      calendar: { holidays: { '2027': ['2027-01-01'] } },
      deadlines: { appealDays: 20 },
      bounds: { west: 24.0, south: 49.8, east: 24.1, north: 49.9 },
    });

    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const appeals = outcome.value.settings.appeals;
    expect(appeals.units.map((u) => u.id)).toEqual(['roads', 'social']);
    expect(appeals.calendar).toMatchObject({ weekend: [6, 7], holidays: { '2027': ['2027-01-01'] } });
    expect(appeals.deadlines).toEqual({
      appealDays: 20,
      appealNoStudyDays: 15,
      appealMaxDays: 45,
      informationWorkingDays: 5,
      informationMaxWorkingDays: 20,
      issueReportWorkingDays: 10,
    });
    expect(outcome.events[0]?.detail).toMatchObject({ changedKeys: ['appeals'] });
  });

  it.each([
    [
      'a category routed to an unknown unit',
      {
        categories: [
          { id: 'lights', names: names('Lights'), unitId: 'parks', kinds: ['issue_report' as const] },
        ],
      },
      '/body/appeals/categories/0/unitId',
      'an unknown unit \\"parks\\"',
    ],
    [
      'two units with one id',
      { units: [...reception.appeals.units, { id: 'roads', names: names('Roads 2'), head }] },
      '/body/appeals/units',
      'unit ids must be unique',
    ],
    [
      'two categories with one id',
      {
        categories: [
          ...(reception.appeals.categories as []),
          { id: 'potholes', names: names('P2'), unitId: 'social', kinds: ['appeal' as const] },
        ],
      },
      '/body/appeals/categories',
      'category ids must be unique',
    ],
    [
      'a maximum shorter than the base deadline',
      { deadlines: { appealMaxDays: 20 } },
      '/body/appeals/deadlines/appealMaxDays',
      'appealMaxDays must be at least appealDays',
    ],
    [
      'an information maximum shorter than its base',
      { deadlines: { informationWorkingDays: 10, informationMaxWorkingDays: 8 } },
      '/body/appeals/deadlines/informationMaxWorkingDays',
      'informationMaxWorkingDays must be at least',
    ],
    [
      'bounds with west east of east',
      { bounds: { west: 24.2, south: 49.8, east: 24.1, north: 49.9 } },
      '/body/appeals/bounds',
      'bounds need west < east',
    ],
  ])('refuses %s, naming the field', (_case, appeals, pointer, english) => {
    const outcome = patch(appeals as CommunitySettingsPatch['appeals']);

    expect(outcome).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(problems(outcome)).toContainEqual({ pointer, detail: expect.stringContaining(english) });
  });

  it('refuses a unit removed while a category still routes to it', () => {
    const outcome = patch({ units: [reception.appeals.units[1] as (typeof reception.appeals.units)[1]] });

    expect(problems(outcome)).toContainEqual({
      pointer: '/body/appeals/categories/0/unitId',
      detail: expect.stringContaining('an unknown unit \\"roads\\"'),
    });
  });

  it('lets a unit without categories go even while officers are scoped to it (their grant of it lapses)', () => {
    const outcome = patch({ units: [reception.appeals.units[0] as (typeof reception.appeals.units)[0]] });

    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const officer = { ...(councilList[0] as Membership), roles: [Role.officer], units: ['roads', 'social'] };
    expect(officerUnits(officer, outcome.value)).toEqual(['roads']);
  });

  it('reads the settings of a community stored before the reception with its defaults', () => {
    const { appeals: _absent, ...older } = community.settings;

    const settings = storedSettings(older);

    expect(settings.appeals).toEqual({
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
});
