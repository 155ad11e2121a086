import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

// The internet reception over HTTP: a flow per kind, and isolation on every route.

let api: TestRuntime;
const tokens: Record<string, string> = {};
let issuer = '';
const COMMUNITY = 'rec';
const base = `/v1/communities/${COMMUNITY}/appeals`;

const post = (token: string | undefined, body?: unknown) => ({
  method: 'POST',
  ...(token ? { token } : {}),
  headers: { 'content-type': 'application/json', 'accept-language': 'en' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});
const get = (token?: string) => ({ ...(token ? { token } : {}), headers: { 'accept-language': 'uk' } });

/** The issuer a token names: units' heads are named by it in the settings. */
const issuerOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).iss as string;

const anAppeal = {
  kind: 'appeal',
  categoryId: 'potholes',
  title: 'A pothole on Shevchenka street',
  text: 'A deep pothole by house 12.',
  appealType: 'complaint',
};
const anInformationRequest = {
  kind: 'information_request',
  categoryId: 'roads-info',
  title: 'Road repair budget 2026',
  text: 'Please send the contracts for road repairs in 2026.',
};

async function submit(body: unknown = anAppeal, who = 'author') {
  const response = await api.call(base, post(tokens[who], body));
  expect(response.status).toBe(201);
  return jsonOf(response);
}

const act = (appealId: string, verb: string, who: string | undefined, body: unknown = {}) =>
  api.call(`${base}/${appealId}/${verb}`, post(who ? tokens[who] : undefined, body));

/** Every staff action with a body it accepts. */
const STAFF_ACTIONS: readonly (readonly [string, unknown])[] = [
  ['assign', { unitId: 'roads' }],
  ['start', {}],
  ['extend', { reason: 'A site visit is needed' }],
  ['answer', { text: 'Repaired.' }],
  ['refuse', { reasonCode: 'no_content', text: 'Nothing is asked.' }],
  ['forward', { body: 'Oblast road service' }],
];

beforeAll(async () => {
  api = await startTestRuntime();
  tokens.admin = await api.token({ sub: 'admin' });
  issuer = issuerOf(tokens.admin);
  const resident = (sub: string, community = COMMUNITY) =>
    api.token({ sub, community, birthdate: '1990-05-05' });
  const created = await api.call('/v1/communities', {
    ...post(tokens.admin, {
      id: COMMUNITY,
      settings: {
        names: { uk: 'Приймальня', en: 'Reception' },
        appeals: {
          units: [
            { id: 'roads', names: { uk: 'Дороги', en: 'Roads' }, head: { issuer, subject: 'head-roads' } },
            { id: 'parks', names: { uk: 'Парки', en: 'Parks' }, head: { issuer, subject: 'head-parks' } },
          ],
          categories: [
            {
              id: 'potholes',
              names: { uk: 'Ями', en: 'Potholes' },
              unitId: 'roads',
              kinds: ['appeal', 'issue_report'],
            },
            {
              id: 'roads-info',
              names: { uk: 'Дороги: інформація', en: 'Roads: information' },
              unitId: 'roads',
              kinds: ['information_request'],
            },
            { id: 'trees', names: { uk: 'Дерева', en: 'Trees' }, unitId: 'parks', kinds: ['appeal'] },
          ],
          bounds: { west: 30.2, south: 50.2, east: 30.8, north: 50.6 },
        },
      },
      council: [{ subject: 'council' }],
    }),
  });
  expect(created.status).toBe(201);
  const other = await api.call('/v1/communities', {
    ...post(tokens.admin, {
      id: 'other',
      settings: { names: { uk: 'Інша', en: 'Other' } },
      council: [{ subject: 'council-2' }],
    }),
  });
  expect(other.status).toBe(201);
  for (const name of [
    'author',
    'stranger',
    'council',
    'head-roads',
    'head-parks',
    'officer-roads',
    'officer-parks',
  ]) {
    tokens[name] = await resident(name);
  }
  tokens['council-2'] = await resident('council-2', 'other');
  for (const officer of ['officer-roads', 'officer-parks']) {
    const appointed = await api.call(`/v1/communities/${COMMUNITY}/members/${officer}`, {
      ...post(tokens.council, { roles: ['officer'], units: [officer.replace('officer-', '')] }),
      method: 'PUT',
    });
    expect(appointed.status).toBe(201);
  }
});

afterAll(async () => {
  await api.stop();
});

describe('an appeal: registered, routed by category, assigned, started, answered', () => {
  it('walks the whole flow and the author reads the answer with uk and en labels', async () => {
    const submitted = await submit();
    expect(submitted).toMatchObject({ status: 'assigned', unitId: 'roads', kind: 'appeal' });
    expect(submitted.number).toMatch(/^\d{4}-\d{6}$/);
    expect(submitted.timeline.map((entry: { status: string }) => entry.status)).toEqual([
      'submitted',
      'registered',
      'assigned',
    ]);
    const assigned = await act(submitted.id, 'assign', 'head-roads', {
      officer: { issuer, subject: 'officer-roads' },
    });
    expect(assigned.status).toBe(200);
    expect((await jsonOf(assigned)).assignee).toEqual({ issuer, subject: 'officer-roads' });
    const started = await act(submitted.id, 'start', 'officer-roads');
    expect((await jsonOf(started)).status).toBe('in_progress');
    const answered = await act(submitted.id, 'answer', 'officer-roads', { text: 'Repaired on Monday.' });
    expect(answered.status).toBe(200);

    const read = await jsonOf(await api.call(`${base}/${submitted.id}`, get(tokens.author)));
    expect(read).toMatchObject({
      status: 'answered',
      statusLabel: { uk: 'Надано відповідь', en: 'Answered' },
      answer: { text: 'Repaired on Monday.' },
    });
    expect(read.author).toBeUndefined();
    expect(read.timeline.at(-1).label).toEqual({ uk: 'Надано відповідь', en: 'Answered' });
    const mine = await jsonOf(await api.call(`${base}/mine`, get(tokens.author)));
    expect(mine.items.map((item: { id: string }) => item.id)).toContain(submitted.id);
    // Closed: nothing changes it any more.
    const again = await act(submitted.id, 'answer', 'officer-roads', { text: 'Again.' });
    expect(again.status).toBe(409);
    expect((await jsonOf(again)).code).toBe('appeal_closed');
  });

  it('is extended once, refused the second time, then refused with a lawful reason the author reads', async () => {
    const { id } = await submit();
    const extended = await act(id, 'extend', 'head-roads', { reason: 'A site visit is needed' });
    expect(extended.status).toBe(200);
    expect(await jsonOf(extended)).toMatchObject({
      status: 'extended',
      extension: { reason: 'A site visit is needed' },
    });
    const twice = await act(id, 'extend', 'head-roads', { reason: 'Still more' });
    expect(twice.status).toBe(409);
    expect(await jsonOf(twice)).toMatchObject({ code: 'extension_refused', reason: 'already_extended' });
    const refused = await act(id, 'refuse', 'head-roads', {
      reasonCode: 'no_content',
      text: 'Nothing is asked.',
    });
    expect(refused.status).toBe(200);
    const read = await jsonOf(await api.call(`${base}/${id}`, get(tokens.author)));
    expect(read.status).toBe('refused');
    expect(read.refusal.reason.en).toContain('states no request');
    expect(read.refusal.reason.uk).toContain('не викладено');
    expect(read.timeline.map((entry: { status: string }) => entry.status)).toContain('extended');
  });
});

describe('a request for public information', () => {
  it('answered: public without the requester', async () => {
    const { id } = await submit(anInformationRequest);
    expect((await api.call(`${base}/public/${id}`)).status).toBe(404);
    expect((await act(id, 'answer', 'head-roads', { text: 'The contracts are attached.' })).status).toBe(200);
    const single = await api.call(`${base}/public/${id}`);
    expect(single.status).toBe(200);
    const body = await jsonOf(single);
    expect(body).toMatchObject({ status: 'answered', answer: { text: 'The contracts are attached.' } });
    const list = await jsonOf(await api.call(`${base}/public`));
    expect(list.items.map((item: { id: string }) => item.id)).toContain(id);
    for (const shown of [JSON.stringify(body), JSON.stringify(list)]) {
      expect(shown).not.toContain('"author"');
      expect(shown).not.toContain('authorKey');
      expect(shown).not.toContain('assignee');
    }
  });

  it('refused with a reason: stays private', async () => {
    const { id } = await submit(anInformationRequest);
    const refused = await act(id, 'refuse', 'head-roads', {
      reasonCode: 'restricted',
      text: 'Official information.',
    });
    expect(refused.status).toBe(200);
    expect((await api.call(`${base}/public/${id}`)).status).toBe(404);
    const list = await jsonOf(await api.call(`${base}/public`));
    expect(list.items.map((item: { id: string }) => item.id)).not.toContain(id);
    const wrongKind = await act((await submit(anInformationRequest)).id, 'refuse', 'head-roads', {
      reasonCode: 'no_content',
      text: 'x',
    });
    expect(wrongKind.status).toBe(422);
  });
});

describe('an issue report', () => {
  const report = {
    kind: 'issue_report',
    categoryId: 'potholes',
    title: 'Broken street light',
    text: 'The light at the bus stop is out.',
    location: { lat: 50.45, lon: 30.52 },
    photoUrl: 'https://example.org/light.jpg',
  };

  it('takes a location inside the bounds only, and is handled like the others (private for now)', async () => {
    const outside = await api.call(
      base,
      post(tokens.author, { ...report, location: { lat: 48.9, lon: 24.7 } }),
    );
    expect(outside.status).toBe(422);
    const problem = await jsonOf(outside);
    expect(problem.code).toBe('location_out_of_bounds');
    const missing = await api.call(base, post(tokens.author, { ...report, location: undefined }));
    expect(missing.status).toBe(400);
    const { id, location } = await submit(report);
    expect(location).toEqual(report.location);
    expect((await act(id, 'start', 'head-roads')).status).toBe(200);
    expect((await act(id, 'answer', 'head-roads', { text: 'Replaced.' })).status).toBe(200);
    expect((await api.call(`${base}/public/${id}`)).status).toBe(404);
    expect((await api.call(`${base}/${id}`, get(tokens.stranger))).status).toBe(404);
  });
});

describe('isolation on every route of the tool', () => {
  let roadsItem = '';
  let parksItem = '';

  beforeAll(async () => {
    roadsItem = (await submit()).id;
    parksItem = (await submit({ ...anAppeal, categoryId: 'trees' }, 'stranger')).id;
    // The parks officer is given the parks item: they handle that item, and nothing of roads.
    const given = await act(parksItem, 'assign', 'head-parks', {
      officer: { issuer, subject: 'officer-parks' },
    });
    expect(given.status).toBe(200);
  });

  it.each(['stranger', 'head-parks', 'officer-parks', 'council-2'])(
    '%s never sees or acts on a roads item: 404 on every item route',
    async (who) => {
      expect((await api.call(`${base}/${roadsItem}`, get(tokens[who]))).status).toBe(404);
      for (const [verb, body] of STAFF_ACTIONS) {
        const response = await act(roadsItem, verb, who, body);
        expect([verb, response.status]).toEqual([verb, 404]);
        expect((await jsonOf(response)).code).toBe('appeal_not_found');
      }
      expect((await api.call(`${base}?unit=roads`, get(tokens[who]))).status).toBe(404);
      const mine = await jsonOf(await api.call(`${base}/mine`, get(tokens[who])));
      expect(mine.items.map((item: { id: string }) => item.id)).not.toContain(roadsItem);
      expect((await api.call(`${base}/public/${roadsItem}`)).status).toBe(404);
    },
  );

  it('the unit’s list holds its own items only; a head of another unit sees only theirs', async () => {
    const roads = await jsonOf(await api.call(base, get(tokens['head-roads'])));
    const roadsIds = roads.items.map((item: { id: string }) => item.id);
    expect(roadsIds).toContain(roadsItem);
    expect(roadsIds).not.toContain(parksItem);
    expect(roads.items.every((item: { unitId: string }) => item.unitId === 'roads')).toBe(true);
    const dues = roads.items.map((item: { dueOn: string }) => item.dueOn);
    expect(dues).toEqual([...dues].sort());
    const parks = await jsonOf(await api.call(base, get(tokens['head-parks'])));
    expect(parks.items.map((item: { id: string }) => item.id)).toEqual([parksItem]);
    const council = await jsonOf(await api.call(base, get(tokens.council)));
    expect(council.items.map((item: { id: string }) => item.id)).toEqual(
      expect.arrayContaining([roadsItem, parksItem]),
    );
  });

  it('the author reads their item but may not act on it (403); another resident’s item is 404 to them', async () => {
    expect((await api.call(`${base}/${roadsItem}`, get(tokens.author))).status).toBe(200);
    for (const [verb, body] of STAFF_ACTIONS) {
      const response = await act(roadsItem, verb, 'author', body);
      expect([verb, response.status]).toEqual([verb, 403]);
    }
    expect((await api.call(`${base}/${parksItem}`, get(tokens.author))).status).toBe(404);
    expect((await api.call(base, get(tokens.author))).status).toBe(404);
  });

  it('an anonymous caller gets 401 on every private route', async () => {
    const statuses = [
      (await api.call(base, post(undefined, anAppeal))).status,
      (await api.call(base)).status,
      (await api.call(`${base}/mine`)).status,
      (await api.call(`${base}/${roadsItem}`)).status,
      ...(await Promise.all(STAFF_ACTIONS.map(([verb, body]) => act(roadsItem, verb, undefined, body)))).map(
        (response) => response.status,
      ),
    ];
    expect(statuses).toEqual(statuses.map(() => 401));
  });

  it('a non-resident cannot submit (403 not_eligible)', async () => {
    const response = await api.call(base, post(tokens['council-2'], anAppeal));
    expect(response.status).toBe(403);
    expect((await jsonOf(response)).code).toBe('not_eligible');
  });
});
