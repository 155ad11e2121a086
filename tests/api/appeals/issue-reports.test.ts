import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOMY_LIMITS } from '../../support/limits';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

// Public issue reports ("Open City") over HTTP: moderated in the centre, then public with every status
// change, and in the GeoJSON feed; hidden ones leave it, rejected ones never enter it.

let api: TestRuntime;
const tokens: Record<string, string> = {};
let issuer = '';
const COMMUNITY = 'city';
const OPEN_CITY = 'open-city';
const base = (community = COMMUNITY) => `/v1/communities/${community}/appeals`;
const feed = (community = COMMUNITY, query = '') =>
  `/v1/communities/${community}/appeals/issue-reports/geojson${query}`;
const moderationItem = (appealId: string) =>
  `/v1/communities/${COMMUNITY}/moderation/items/issue_report.${appealId}`;

const send = (method: string, token: string | undefined, body?: unknown, language = 'en') => ({
  method,
  ...(token ? { token } : {}),
  headers: { 'content-type': 'application/json', 'accept-language': language },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});
const read = (token?: string, language = 'en') => ({
  ...(token ? { token } : {}),
  headers: { 'accept-language': language },
});

const issuerOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).iss as string;

const aReport = {
  kind: 'issue_report',
  categoryId: 'lights',
  title: 'Broken street light',
  text: 'The light at the bus stop is out.',
  location: { lat: 50.45, lon: 30.52 },
  photoUrl: 'https://example.org/light.jpg',
};

async function submit(body: Record<string, unknown> = {}, community = COMMUNITY, who = 'author') {
  const response = await api.call(base(community), send('POST', tokens[who], { ...aReport, ...body }));
  expect(response.status).toBe(201);
  return jsonOf(response);
}

const decide = (appealId: string, body: Record<string, unknown>, who = 'moderator') =>
  api.call(`${moderationItem(appealId)}/decisions`, send('POST', tokens[who], body));

const act = (appealId: string, verb: string, body: unknown = {}) =>
  api.call(`${base()}/${appealId}/${verb}`, send('POST', tokens['officer-roads'], body));

/** The ids of the features in the feed (first page). */
async function featureIds(query = '', community = COMMUNITY): Promise<string[]> {
  const response = await api.call(feed(community, query));
  expect(response.status).toBe(200);
  return (await jsonOf(response)).features.map((feature: { id: string }) => feature.id);
}

const publicIds = async (): Promise<string[]> =>
  (await jsonOf(await api.call(`${base()}/public?kind=issue_report&limit=100`))).items.map(
    (item: { id: string }) => item.id,
  );

async function createCommunity(id: string, settings: Record<string, unknown>) {
  const created = await api.call(
    '/v1/communities',
    send('POST', tokens.admin, {
      id,
      settings: {
        names: { uk: 'Місто', en: 'City' },
        limits: ROOMY_LIMITS,
        appeals: {
          units: [
            { id: 'roads', names: { uk: 'Дороги', en: 'Roads' }, head: { issuer, subject: 'head-roads' } },
          ],
          categories: [
            {
              id: 'lights',
              names: { uk: 'Освітлення', en: 'Street lights' },
              unitId: 'roads',
              kinds: ['issue_report'],
            },
          ],
          bounds: { west: 30.2, south: 50.2, east: 30.8, north: 50.6 },
        },
        ...settings,
      },
      council: [{ subject: `council-${id}` }],
    }),
  );
  expect(created.status).toBe(201);
}

beforeAll(async () => {
  api = await startTestRuntime();
  tokens.admin = await api.token({ sub: 'admin' });
  issuer = issuerOf(tokens.admin);
  await createCommunity(COMMUNITY, { reportsBeforeHide: 2 });
  await createCommunity(OPEN_CITY, { moderation: { issueReports: 'post' } });
  for (const name of ['author', 'moderator', 'officer-roads', 'r1', 'r2', `council-${COMMUNITY}`]) {
    tokens[name] = await api.token({ sub: name, community: COMMUNITY, birthdate: '1990-05-05' });
  }
  tokens['open-author'] = await api.token({ sub: 'author', community: OPEN_CITY, birthdate: '1990-05-05' });
  const council = tokens[`council-${COMMUNITY}`];
  const appoint = async (subject: string, body: unknown) => {
    const response = await api.call(
      `/v1/communities/${COMMUNITY}/members/${subject}`,
      send('PUT', council, body),
    );
    expect(response.status).toBe(201);
  };
  await appoint('moderator', { roles: ['moderator'] });
  await appoint('officer-roads', { roles: ['officer'], units: ['roads'] });
});

afterAll(async () => {
  await api?.stop();
});

describe('an issue report, from submission to an answer anyone can follow', () => {
  it('is moderated, published, followed in uk and en, and mapped; its status changes are in the outbox', async () => {
    // Outside the community's bounds: refused, nothing registered.
    const outside = await api.call(
      base(),
      send('POST', tokens.author, { ...aReport, location: { lat: 48.9, lon: 24.7 } }),
    );
    expect(outside.status).toBe(422);
    expect((await jsonOf(outside)).code).toBe('location_out_of_bounds');

    const submitted = await submit();
    const { id } = submitted;
    expect(submitted.publication).toEqual({
      visibility: 'pending',
      label: { uk: 'Очікує на модерацію', en: 'Waiting for moderation' },
    });
    // Not public before a moderator approves it.
    expect((await api.call(`${base()}/public/${id}`)).status).toBe(404);
    expect(await publicIds()).not.toContain(id);
    expect(await featureIds()).not.toContain(id);

    // It waits in the moderation centre's queue, entered with the registration.
    const queue = await jsonOf(
      await api.call(
        `/v1/communities/${COMMUNITY}/moderation/queue?type=issue_report`,
        read(tokens.moderator),
      ),
    );
    expect(queue.items.find((item: { subjectId: string }) => item.subjectId === id)).toMatchObject({
      id: `issue_report.${id}`,
      type: 'issue_report',
      status: 'pending',
      title: aReport.title,
    });
    // The moderator reads what they judge (place and photo), without the author.
    const judged = await jsonOf(await api.call(`${base()}/${id}`, read(tokens.moderator)));
    expect(judged).toMatchObject({ location: aReport.location, photoUrl: aReport.photoUrl });
    expect(judged.author).toBeUndefined();

    const approved = await decide(id, { decision: 'approve' });
    expect(approved.status).toBe(200);

    const publicPath = `${base()}/public/${id}`;
    const shown = await jsonOf(await api.call(publicPath));
    expect(shown).toMatchObject({
      id,
      kind: 'issue_report',
      categoryId: 'lights',
      category: { uk: 'Освітлення', en: 'Street lights' },
      location: aReport.location,
      status: 'assigned',
      statusLabel: { uk: 'Передано на розгляд', en: 'Assigned' },
    });
    expect(await publicIds()).toContain(id);

    const mapped = await api.call(feed());
    expect(mapped.headers.get('content-type')).toBe('application/geo+json');
    const collection = await jsonOf(mapped);
    expect(Object.keys(collection).sort()).toEqual(['features', 'type']);
    expect(collection.type).toBe('FeatureCollection');
    const feature = collection.features.find((candidate: { id: string }) => candidate.id === id);
    expect(feature).toEqual({
      type: 'Feature',
      id,
      geometry: { type: 'Point', coordinates: [30.52, 50.45] },
      properties: {
        id,
        number: submitted.number,
        title: aReport.title,
        categoryId: 'lights',
        category: { uk: 'Освітлення', en: 'Street lights' },
        status: 'assigned',
        statusLabel: { uk: 'Передано на розгляд', en: 'Assigned' },
        registeredAt: shown.timeline[1].at,
        updatedAt: shown.timeline[2].at,
        photoUrl: aReport.photoUrl,
        url: publicPath,
      },
    });

    // The unit handles it; the public status follows each step.
    expect((await act(id, 'start')).status).toBe(200);
    expect((await jsonOf(await api.call(publicPath))).status).toBe('in_progress');
    expect((await act(id, 'answer', { text: 'The lamp was replaced.' })).status).toBe(200);
    const answered = await jsonOf(await api.call(publicPath, read(undefined, 'uk')));
    expect(answered).toMatchObject({
      status: 'answered',
      statusLabel: { uk: 'Надано відповідь', en: 'Answered' },
      answer: { text: 'The lamp was replaced.' },
    });
    expect(answered.timeline.map((entry: { status: string }) => entry.status)).toEqual([
      'submitted',
      'registered',
      'assigned',
      'in_progress',
      'answered',
    ]);
    expect(answered.timeline.at(-1).label).toEqual({ uk: 'Надано відповідь', en: 'Answered' });
    const mappedNow = (await jsonOf(await api.call(feed()))).features.find(
      (candidate: { id: string }) => candidate.id === id,
    );
    expect(mappedNow.properties).toMatchObject({
      status: 'answered',
      statusLabel: { uk: 'Надано відповідь', en: 'Answered' },
      updatedAt: answered.timeline.at(-1).at,
    });
    for (const body of [JSON.stringify(answered), JSON.stringify(mappedNow)]) {
      expect(body).not.toContain('"author"');
      expect(body).not.toContain('authorKey');
      expect(body).not.toContain('"assignee"');
    }

    const items = await api.settledItems();
    const events = items
      .filter((item) => item.entity === 'outbox')
      .map((item) => item.event as { name: string; subject: string; detail: Record<string, unknown> })
      .filter((event) => event.subject === `appeal/${id}`);
    const statusChanges = events.filter((event) => event.name === 'issue-report.status-changed.v1');
    expect(statusChanges.map((event) => [event.detail.previousStatus, event.detail.status])).toEqual([
      ['submitted', 'assigned'],
      ['assigned', 'in_progress'],
      ['in_progress', 'answered'],
    ]);
    const published = events.filter((event) => event.name === 'issue-report.visibility-changed.v1');
    expect(published.map((event) => event.detail)).toEqual([
      expect.objectContaining({
        visibility: 'published',
        previousVisibility: 'pending',
        decision: 'approve',
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('bus stop');
  });
});

describe('what the public does not see', () => {
  it('a report hidden by residents’ reports leaves the feed; a moderator restores it', async () => {
    const { id } = await submit({ title: 'Graffiti on the school wall' });
    expect((await decide(id, { decision: 'approve' })).status).toBe(200);
    expect(await featureIds()).toContain(id);
    const report = (who: string) =>
      api.call(`${moderationItem(id)}/reports`, send('POST', tokens[who], { reasonCode: 'offensive' }));
    expect((await report('r1')).status).toBe(201);
    expect(await featureIds()).toContain(id);
    // The second report reaches the community's reportsBeforeHide (2): hidden until a moderator decides.
    expect((await report('r2')).status).toBe(201);
    expect(await featureIds()).not.toContain(id);
    expect(await publicIds()).not.toContain(id);
    expect((await api.call(`${base()}/public/${id}`)).status).toBe(404);
    // Still the unit's to handle, and the author still follows it.
    expect((await act(id, 'start')).status).toBe(200);
    const mine = await jsonOf(await api.call(`${base()}/${id}`, read(tokens.author)));
    expect(mine).toMatchObject({
      status: 'in_progress',
      publication: { visibility: 'hidden', reasonCode: 'reported' },
    });

    expect((await decide(id, { decision: 'restore' })).status).toBe(200);
    expect(await featureIds()).toContain(id);
    expect((await jsonOf(await api.call(`${base()}/public/${id}`))).status).toBe('in_progress');
  });

  it('a report a moderator hides leaves the feed at once', async () => {
    const { id } = await submit({ title: 'Overflowing bins' });
    expect((await decide(id, { decision: 'approve' })).status).toBe(200);
    expect(await featureIds()).toContain(id);
    expect((await decide(id, { decision: 'hide', reasonCode: 'personal_data' })).status).toBe(200);
    expect(await featureIds()).not.toContain(id);
    expect((await api.call(`${base()}/public/${id}`)).status).toBe(404);
  });

  it('a rejected report never appears, yet its unit answers it', async () => {
    const { id } = await submit({ title: 'Buy me a car' });
    const rejected = await decide(id, { decision: 'reject', reasonCode: 'off_topic' });
    expect(rejected.status).toBe(200);
    expect((await act(id, 'answer', { text: 'Not a matter for the council.' })).status).toBe(200);
    expect(await featureIds()).not.toContain(id);
    expect(await publicIds()).not.toContain(id);
    expect((await api.call(`${base()}/public/${id}`)).status).toBe(404);
    // A resident cannot report what the public does not see.
    const reported = await api.call(
      `${moderationItem(id)}/reports`,
      send('POST', tokens.r1, { reasonCode: 'spam' }),
    );
    expect(reported.status).toBe(409);
    const mine = await jsonOf(await api.call(`${base()}/${id}`, read(tokens.author)));
    expect(mine).toMatchObject({
      status: 'answered',
      publication: { visibility: 'rejected', reasonCode: 'off_topic' },
    });
    // Hiding what was never published is not a decision the report takes.
    const hidden = await decide(id, { decision: 'hide', reasonCode: 'spam' });
    expect(hidden.status).toBe(409);
    expect((await jsonOf(hidden)).code).toBe('invalid_state');
  });
});

describe('the feed’s query', () => {
  it('filters by status and by a box, edges included', async () => {
    const west = await submit({ title: 'West pothole', location: { lat: 50.3, lon: 30.3 } });
    const east = await submit({ title: 'East pothole', location: { lat: 50.3, lon: 30.7 } });
    for (const { id } of [west, east]) expect((await decide(id, { decision: 'approve' })).status).toBe(200);
    expect((await act(east.id, 'start')).status).toBe(200);

    const westOnly = await featureIds('?bbox=30.2,50.2,30.5,50.6&limit=1000');
    expect(westOnly).toContain(west.id);
    expect(westOnly).not.toContain(east.id);
    const onEdge = await featureIds('?bbox=30.7,50.3,30.8,50.3');
    expect(onEdge).toEqual([east.id]);
    const started = await featureIds('?status=in_progress&limit=1000');
    expect(started).toContain(east.id);
    expect(started).not.toContain(west.id);
  });

  it('lists the newest publication first, a page at a time, with a cursor to the next', async () => {
    const first = await featureIds('?limit=1000');
    const page = await jsonOf(await api.call(feed(COMMUNITY, '?limit=2')));
    expect(page.features.map((feature: { id: string }) => feature.id)).toEqual(first.slice(0, 2));
    expect(page.cursor).toEqual(expect.any(String));
    const next = await jsonOf(await api.call(feed(COMMUNITY, `?limit=2&cursor=${page.cursor}`)));
    expect(next.features.map((feature: { id: string }) => feature.id)).toEqual(first.slice(2, 4));
  });

  it.each([
    ['en', 'four numbers'],
    ['uk', 'чотири числа'],
  ])('answers a malformed bbox with 400 and a message in %s', async (language, message) => {
    const response = await api.call(feed(COMMUNITY, '?bbox=30.2,50.2,30.5'), read(undefined, language));
    expect(response.status).toBe(400);
    const problem = await jsonOf(response);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors).toEqual([{ pointer: '/query/bbox', detail: expect.stringContaining(message) }]);
  });

  it('answers an inverted box and an unknown status with 400', async () => {
    expect((await api.call(feed(COMMUNITY, '?bbox=30.8,50.2,30.2,50.6'))).status).toBe(400);
    expect((await api.call(feed(COMMUNITY, '?status=lost'))).status).toBe(400);
    expect((await api.call(feed('nowhere'))).status).toBe(404);
  });
});

describe('post-moderation', () => {
  it('publishes a report at once: it is in the feed before any moderator looks', async () => {
    const { id, publication } = await submit({}, OPEN_CITY, 'open-author');
    expect(publication.visibility).toBe('published');
    expect(await featureIds('', OPEN_CITY)).toEqual([id]);
    expect(await featureIds('', COMMUNITY)).not.toContain(id);
  });
});
