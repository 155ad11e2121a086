import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../../functions/shared/dynamo';
import { loadRequestScope } from '../../../functions/shared/tenancy';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

/**
 * The reception's settings and the officer role over HTTP, on a community of
 * their own (`reception`), so that the demo community's data stays as other
 * files expect it.
 */

let api: TestRuntime;
let councilToken: string;
let issuer: string;

const COMMUNITY = '/v1/communities/reception';
const names = (en: string) => ({ uk: en, en });
const send = (method: string, body: unknown, token = councilToken) => ({
  method,
  token,
  headers: { 'content-type': 'application/json', 'accept-language': 'en' },
  body: JSON.stringify(body),
});
// A fixed head: the table of it.each below is built before the runtime (and its issuer) exists.
const unit = (id: string) => ({
  id,
  names: names(id),
  head: { issuer: 'https://issuer.test', subject: 'head-1' },
});

beforeAll(async () => {
  api = await startTestRuntime();
  const adminToken = await api.token({ sub: 'admin' });
  councilToken = await api.token({ sub: 'rc-1' });
  issuer = JSON.parse(Buffer.from(councilToken.split('.')[1] as string, 'base64url').toString()).iss;
  const created = await api.call(
    '/v1/communities',
    send(
      'POST',
      { id: 'reception', settings: { names: names('Reception') }, council: [{ subject: 'rc-1' }] },
      adminToken,
    ),
  );
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await api.stop();
});

describe("the council sets the reception's settings", () => {
  it('takes units, categories, a year of holidays, deadlines and bounds; a later deadline patch keeps the others', async () => {
    // Act
    const first = await api.call(
      `${COMMUNITY}/settings`,
      send('PATCH', {
        appeals: {
          units: [unit('roads'), unit('social')],
          categories: [
            { id: 'potholes', names: names('Potholes'), unitId: 'roads', kinds: ['issue_report'] },
          ],
          calendar: { holidays: { '2027': ['2027-01-01', '2027-03-08'] } },
          deadlines: { appealDays: 25, informationWorkingDays: 4 },
          bounds: { west: 24.0, south: 49.8, east: 24.1, north: 49.9 },
        },
      }),
    );
    const second = await api.call(
      `${COMMUNITY}/settings`,
      send('PATCH', { appeals: { deadlines: { appealMaxDays: 40 } } }),
    );
    const read = await jsonOf(await api.call(COMMUNITY));

    // Assess
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(read.settings.appeals).toMatchObject({
      units: [{ id: 'roads' }, { id: 'social' }],
      categories: [{ id: 'potholes', unitId: 'roads' }],
      calendar: { weekend: [6, 7], holidays: { '2027': ['2027-01-01', '2027-03-08'] } },
      deadlines: {
        appealDays: 25,
        appealNoStudyDays: 15,
        appealMaxDays: 40,
        informationWorkingDays: 4,
        informationMaxWorkingDays: 20,
        issueReportWorkingDays: 10,
      },
      bounds: { west: 24.0, east: 24.1 },
    });
  });

  it.each([
    [
      'a category routed to an unknown unit',
      { categories: [{ id: 'lights', names: names('Lights'), unitId: 'parks', kinds: ['appeal'] }] },
      '/body/appeals/categories/0/unitId',
      'unknown unit "parks"',
    ],
    [
      'duplicate unit ids',
      { units: [unit('roads'), unit('roads')] },
      '/body/appeals/units',
      'unit ids must be unique',
    ],
    [
      'a maximum shorter than the base deadline',
      { deadlines: { appealMaxDays: 10 } },
      '/body/appeals/deadlines/appealMaxDays',
      'appealMaxDays must be at least appealDays',
    ],
    [
      'bounds with west east of east',
      { bounds: { west: 24.2, south: 49.8, east: 24.1, north: 49.9 } },
      '/body/appeals/bounds',
      'west < east',
    ],
  ])(
    'answers %s with 400 naming the field, in English and Ukrainian',
    async (_case, appeals, pointer, english) => {
      const before = await jsonOf(await api.call(COMMUNITY));

      const inEnglish = await api.call(`${COMMUNITY}/settings`, send('PATCH', { appeals }));
      const inUkrainian = await api.call(`${COMMUNITY}/settings`, {
        ...send('PATCH', { appeals }),
        headers: { 'content-type': 'application/json', 'accept-language': 'uk' },
      });

      expect(inEnglish.status).toBe(400);
      const problem = await jsonOf(inEnglish);
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors).toContainEqual({ pointer, detail: expect.stringContaining(english) });
      const ukrainian = (await jsonOf(inUkrainian)).errors.find(
        (e: { pointer: string }) => e.pointer === pointer,
      );
      expect(ukrainian.detail).toMatch(/[а-яіїє]/i);
      expect((await jsonOf(await api.call(COMMUNITY))).version).toBe(before.version);
    },
  );
});

describe('the council appoints officers of units', () => {
  it('grants the officer role with units, and the member list shows them', async () => {
    const put = await api.call(
      `${COMMUNITY}/members/officer-1`,
      send('PUT', { roles: ['officer'], units: ['roads'] }),
    );
    const list = await jsonOf(await api.call(`${COMMUNITY}/members`, { token: councilToken }));

    expect(put.status).toBe(201);
    expect(await jsonOf(put)).toMatchObject({ subject: 'officer-1', roles: ['officer'], units: ['roads'] });
    expect(list.items).toContainEqual(expect.objectContaining({ subject: 'officer-1', units: ['roads'] }));
    expect(list.items.find((m: { subject: string }) => m.subject === 'rc-1')).not.toHaveProperty('units');
  });

  it.each([
    ['an unknown unit, named', { roles: ['officer'], units: ['parks'] }, 'Unknown units: parks'],
    ['an officer without units', { roles: ['officer'] }, 'from 1 to 20 units'],
    [
      'units without the officer role',
      { roles: ['moderator'], units: ['roads'] },
      'only with the officer role',
    ],
  ])('answers %s with 400 pointing at units', async (_case, body, english) => {
    const response = await api.call(`${COMMUNITY}/members/officer-2`, send('PUT', body));

    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({
      code: 'validation_failed',
      errors: [{ pointer: '/body/units', detail: expect.stringContaining(english) }],
    });
  });

  it('answers more than 20 units with 400 before anything is read', async () => {
    const units = Array.from({ length: 21 }, (_, i) => `u${i}`);

    const response = await api.call(
      `${COMMUNITY}/members/officer-2`,
      send('PUT', { roles: ['officer'], units }),
    );

    expect(response.status).toBe(400);
    expect((await jsonOf(response)).errors[0].pointer).toBe('/body/units');
  });

  it("gives an officer's requests their units, and a unit the council removes later grants nothing", async () => {
    // Prepare
    const client = documentClient({ dynamoEndpoint: api.table.endpoint, region: api.table.region });
    const scopeOf = (subject: string) =>
      loadRequestScope(client, api.table.tableName, {
        communityId: 'reception',
        identity: { issuer, subject },
      });
    await api.call(
      `${COMMUNITY}/members/officer-3`,
      send('PUT', { roles: ['officer'], units: ['roads', 'social'] }),
    );
    const before = await scopeOf('officer-3');

    // Act: 'social' has no category routed to it, so the settings change goes through.
    const removal = await api.call(
      `${COMMUNITY}/settings`,
      send('PATCH', { appeals: { units: [unit('roads')] } }),
    );
    const after = await scopeOf('officer-3');
    const council = await scopeOf('rc-1');

    // Assess
    expect(before.units).toEqual(['roads', 'social']);
    expect(removal.status).toBe(200);
    expect(after.units).toEqual(['roads']);
    expect(council.roles).toEqual(['council']);
    expect(council).not.toHaveProperty('units');
  });
});
