import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

let api: TestRuntime;
let adminToken: string;
let councilToken: string;
let moderatorToken: string;
let residentToken: string;

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

beforeAll(async () => {
  api = await startTestRuntime();
  adminToken = await api.token({ sub: 'admin' });
  councilToken = await api.token({ sub: 'council-1', community: 'demo', district: 'd1' });
  moderatorToken = await api.token({ sub: 'moderator-1', community: 'demo' });
  residentToken = await api.token({
    sub: 'resident-1',
    community: 'demo',
    district: 'd1',
    birthdate: '1990-01-01',
  });
});

afterAll(async () => {
  await api.stop();
});

describe('reading a community', () => {
  it('is public, cacheable and answers If-None-Match with 304', async () => {
    const first = await api.call('/v1/communities/demo');
    const body = await jsonOf(first);

    expect(first.status).toBe(200);
    expect(body).toMatchObject({ id: 'demo', settings: { names: { en: 'Demo hromada' } } });
    expect(body.settings.districts.map((d: { id: string }) => d.id)).toEqual(['d1', 'd2']);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);

    const again = await api.call('/v1/communities/demo', { headers: { 'if-none-match': etag as string } });
    expect(again.status).toBe(304);
  });

  it('reads with a printed token too', async () => {
    const response = await api.call('/v1/communities/demo/members', { token: councilToken });
    const body = await jsonOf(response);

    expect(response.status).toBe(200);
    expect(
      body.items.map((m: { subject: string; roles: string[] }) => `${m.subject}:${m.roles}`).sort(),
    ).toEqual(['council-1:council', 'moderator-1:moderator']);
  });

  it('answers 404 with a problem for a community that does not exist', async () => {
    const response = await api.call('/v1/communities/nowhere', { headers: { 'accept-language': 'en' } });

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await jsonOf(response)).toMatchObject({
      code: 'community_not_found',
      title: 'Community not found',
    });
  });
});

describe('authentication', () => {
  it.each([
    ['no token', undefined],
    ['a malformed token', 'not-a-jwt'],
  ])('answers 401 to %s on a protected route', async (_case, token) => {
    const response = await api.call('/v1/communities/demo/members', token ? { token } : {});

    expect(response.status).toBe(401);
    expect(await jsonOf(response)).toMatchObject({
      status: 401,
      type: expect.stringContaining('unauthorized'),
    });
  });

  it('answers 401 to an expired token', async () => {
    const expired = await api.token({ sub: 'council-1', expiresInSeconds: -120 });

    const response = await api.call('/v1/communities/demo/members', { token: expired });

    expect(response.status).toBe(401);
  });

  it('answers 401 to a token signed by someone else', async () => {
    const [header, payload] = councilToken.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;

    const response = await api.call('/v1/communities/demo/members', { token: forged });

    expect(response.status).toBe(401);
  });
});

describe('who may change what', () => {
  it('refuses a resident changing settings, with a 403 problem naming the role', async () => {
    const before = await api.settledItems();

    const response = await api.call('/v1/communities/demo/settings', {
      ...json({ reportsBeforeHide: 9 }),
      method: 'PATCH',
      token: residentToken,
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    });

    expect(response.status).toBe(403);
    expect(await jsonOf(response)).toMatchObject({
      code: 'forbidden',
      required: 'council',
      title: 'Forbidden',
    });
    expect(await api.settledItems()).toEqual(before);
  });

  it.each([
    ['a resident', () => residentToken],
    ['a moderator', () => moderatorToken],
  ])('refuses %s granting roles', async (_who, token) => {
    const response = await api.call('/v1/communities/demo/members/resident-2', {
      ...json({ roles: ['council'] }),
      method: 'PUT',
      token: token(),
    });

    expect(response.status).toBe(403);
  });

  it('refuses a council member of another community (403 on an existing one, 404 on a missing one)', async () => {
    const created = await api.call('/v1/communities', {
      ...json({
        id: 'other',
        settings: { names: { uk: 'Інша', en: 'Other' } },
        council: [{ subject: 'council-b' }],
      }),
      token: adminToken,
    });
    expect(created.status).toBe(201);

    const patch = await api.call('/v1/communities/other/settings', {
      ...json({ reportsBeforeHide: 9 }),
      method: 'PATCH',
      token: councilToken,
    });
    const members = await api.call('/v1/communities/other/members', { token: councilToken });
    const missing = await api.call('/v1/communities/ghost/settings', {
      ...json({ reportsBeforeHide: 9 }),
      method: 'PATCH',
      token: councilToken,
    });

    expect(patch.status).toBe(403);
    expect(members.status).toBe(403);
    expect(missing.status).toBe(404);
  });

  it('lets the council change settings, and the change is visible to everyone', async () => {
    const response = await api.call('/v1/communities/demo/settings', {
      ...json({ petitions: { minimumAge: 18 }, moderation: { consultations: 'pre' } }),
      method: 'PATCH',
      token: councilToken,
    });
    const body = await jsonOf(response);

    expect(response.status).toBe(200);
    expect(body.settings.petitions).toMatchObject({ minimumAge: 18, durationDays: 60, sponsorsNeeded: 3 });
    expect(body.settings.moderation.consultations).toBe('pre');
    expect((await jsonOf(await api.call('/v1/communities/demo'))).settings.petitions.minimumAge).toBe(18);
  });

  it('lets the council appoint a moderator, and keeps its last council member', async () => {
    const appoint = await api.call('/v1/communities/demo/members/resident-2', {
      ...json({ roles: ['moderator'] }),
      method: 'PUT',
      token: councilToken,
    });
    const reappoint = await api.call('/v1/communities/demo/members/resident-2', {
      ...json({ roles: ['moderator', 'council'] }),
      method: 'PUT',
      token: councilToken,
    });
    const dismiss = await api.call('/v1/communities/demo/members/resident-2', {
      method: 'DELETE',
      token: councilToken,
    });
    const dismissAgain = await api.call('/v1/communities/demo/members/resident-2', {
      method: 'DELETE',
      token: councilToken,
    });
    const lastOne = await api.call('/v1/communities/demo/members/council-1', {
      method: 'DELETE',
      token: councilToken,
    });

    expect(appoint.status).toBe(201);
    expect(reappoint.status).toBe(200);
    expect((await jsonOf(reappoint)).roles).toEqual(['council', 'moderator']);
    expect(dismiss.status).toBe(204);
    expect(dismissAgain.status).toBe(404);
    expect(lastOne.status).toBe(409);
    expect((await jsonOf(lastOne)).code).toBe('last_council_member');
  });

  it('lets only a platform admin create a community, once', async () => {
    const body = {
      id: 'kyiv',
      settings: { names: { uk: 'Київ', en: 'Kyiv' } },
      council: [{ subject: 'k1' }],
    };

    const byCouncil = await api.call('/v1/communities', { ...json(body), token: councilToken });
    const byAdmin = await api.call('/v1/communities', { ...json(body), token: adminToken });
    const twice = await api.call('/v1/communities', { ...json(body), token: adminToken });

    expect(byCouncil.status).toBe(403);
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.headers.get('location')).toBe('/v1/communities/kyiv');
    expect((await jsonOf(byAdmin)).settings.reportsBeforeHide).toBe(3);
    expect(twice.status).toBe(409);
  });
});

describe('bad input', () => {
  it('answers a malformed body with 400 and a pointer to each bad field, writing nothing', async () => {
    const before = await api.settledItems();

    const response = await api.call('/v1/communities', {
      ...json({
        id: 'Bad Id',
        settings: { names: { uk: '' }, reportsBeforeHide: 0, corsOrigins: ['ftp://x'] },
        council: [],
        extra: true,
      }),
      token: adminToken,
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    });
    const problem = await jsonOf(response);

    expect(response.status).toBe(400);
    expect(problem.code).toBe('validation_failed');
    const pointers = problem.errors.map((error: { pointer: string }) => error.pointer);
    expect(pointers).toEqual(
      expect.arrayContaining([
        '/body/id',
        '/body/settings/names/uk',
        '/body/settings/names/en',
        '/body/settings/reportsBeforeHide',
        '/body/settings/corsOrigins/0',
        '/body/council',
        '/body',
      ]),
    );
    expect(await api.settledItems()).toEqual(before);
  });

  it('explains field errors in Ukrainian by default', async () => {
    const response = await api.call('/v1/communities/demo/settings', {
      ...json({ reportsBeforeHide: 'three' }),
      method: 'PATCH',
      token: councilToken,
    });
    const problem = await jsonOf(response);

    expect(response.headers.get('content-language')).toBe('uk');
    expect(problem.title).toBe('Некоректний запит');
    expect(problem.errors[0]).toMatchObject({ pointer: '/body/reportsBeforeHide' });
    expect(problem.errors[0].detail).toMatch(/[а-яіїє]/i);
  });

  it('answers JSON that does not parse with 400', async () => {
    const response = await api.call('/v1/communities/demo/settings', {
      method: 'PATCH',
      token: councilToken,
      headers: { 'content-type': 'application/json' },
      body: '{"reportsBeforeHide": ',
    });

    expect(response.status).toBe(400);
    expect((await jsonOf(response)).code).toBe('malformed_json');
  });

  it('answers a body of the wrong type with 415', async () => {
    const response = await api.call('/v1/communities/demo/settings', {
      method: 'PATCH',
      token: councilToken,
      headers: { 'content-type': 'text/plain' },
      body: 'reportsBeforeHide=4',
    });

    expect(response.status).toBe(415);
  });

  it('answers a 300 KB body with 413, writing nothing', async () => {
    const before = await api.settledItems();

    const response = await api.call('/v1/communities', {
      ...json({
        id: 'big',
        settings: { names: { uk: 'x'.repeat(300 * 1024), en: 'x' } },
        council: [{ subject: 'a' }],
      }),
      token: adminToken,
    });

    expect(response.status).toBe(413);
    expect((await jsonOf(response)).limitBytes).toBe(256 * 1024);
    expect(await api.settledItems()).toEqual(before);
  });

  it('refuses a cursor that this list did not hand out', async () => {
    const response = await api.call('/v1/communities/demo/members?cursor=eyJQSyI6IkMjb3RoZXIifQ', {
      token: councilToken,
    });

    expect(response.status).toBe(400);
    expect((await jsonOf(response)).code).toBe('invalid_cursor');
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await api.call('/v1/nothing-here');

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('HTTP conventions', () => {
  it('echoes a plain request id and makes one otherwise', async () => {
    const echoed = await api.call('/v1/communities/demo', { headers: { 'x-request-id': 'clerk-2300' } });
    const made = await api.call('/v1/communities/demo', {
      headers: { 'x-request-id': 'bad id with spaces' },
    });

    expect(echoed.headers.get('x-request-id')).toBe('clerk-2300');
    expect(made.headers.get('x-request-id')).toBeTruthy();
    expect(made.headers.get('x-request-id')).not.toBe('bad id with spaces');
  });

  it("allows CORS for the community's origins only, including on errors and preflight", async () => {
    const allowed = await api.call('/v1/communities/demo', { headers: { origin: 'http://localhost:5173' } });
    const other = await api.call('/v1/communities/demo', { headers: { origin: 'https://evil.example' } });
    // A 401 comes from the authorizer (API Gateway's, or the runtime's), before the handler; a 403 is ours.
    const forbidden = await api.call('/v1/communities/demo/members', {
      token: residentToken,
      headers: { origin: 'http://localhost:5173' },
    });
    const preflight = await api.call('/v1/communities/demo/settings', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PATCH' },
    });

    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('pages through members with limit and cursor', async () => {
    for (const subject of ['p1', 'p2', 'p3']) {
      const put = await api.call(`/v1/communities/demo/members/${subject}`, {
        ...json({ roles: ['moderator'] }),
        method: 'PUT',
        token: councilToken,
      });
      expect(put.status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await jsonOf(
        await api.call(`/v1/communities/demo/members${query}`, { token: moderatorToken }),
      );
      seen.push(...page.items.map((m: { subject: string }) => m.subject));
      cursor = page.cursor;
      pages += 1;
    } while (cursor && pages < 10);

    expect(seen.sort()).toEqual(['council-1', 'moderator-1', 'p1', 'p2', 'p3']);
    expect(pages).toBeGreaterThanOrEqual(3);
  });
});

describe('events', () => {
  it('publishes community.created.v1 exactly once, after the community committed', async () => {
    const created = await api.call('/v1/communities', {
      ...json({
        id: 'odesa',
        settings: { names: { uk: 'Одеса', en: 'Odesa' } },
        council: [{ subject: 'o1' }],
      }),
      token: adminToken,
    });
    expect(created.status).toBe(201);

    await api.runtime.drain();
    await api.runtime.drain();

    const published = api.runtime.bus.published.filter(
      (event) => event.name === 'community.created.v1' && event.communityId === 'odesa',
    );
    expect(published).toHaveLength(1);
    expect(published[0]?.detail).toMatchObject({
      communityId: 'odesa',
      names: { en: 'Odesa' },
      createdBy: 'admin',
    });
    const outbox = (await api.settledItems()).filter((item) => item.PK === 'C#odesa#OUTBOX');
    expect(outbox).toEqual([expect.objectContaining({ status: 'sent' })]);
  });
});
