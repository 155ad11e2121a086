import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../../../functions/tools';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

// The probe's identity cases: a token whose `sub` is 5,000 characters, an
// issuer of 3,000 characters in a body or a query, ids of 3,000 characters in
// paths. Each made a DynamoDB key over its 1,024 bytes: a 500. Each is now a
// 401 or a 400 that names the field. And roles go only to trusted issuers.

let api: TestRuntime;
let council: string;
const LONG_ISSUER = `https://${'a'.repeat(3_000)}.example`;
const members = '/v1/communities/demo/members';

const json = (method: string, token: string, body: unknown) => ({
  method,
  token,
  headers: { 'content-type': 'application/json', 'accept-language': 'en' },
  body: JSON.stringify(body),
});

beforeAll(async () => {
  api = await startTestRuntime();
  council = await api.token({ sub: 'council-1', community: 'demo', district: 'd1' });
});

afterAll(async () => {
  await api.stop();
});

describe('a token with an over-long subject', () => {
  it('is refused with 401 on every kind of user route, never 500', async () => {
    const token = await api.token({ sub: 's'.repeat(5_000), community: 'demo', birthdate: '1990-01-01' });

    const read = await api.call(members, { token });
    const created = await api.call(
      '/v1/communities/demo/petitions',
      json('POST', token, { title: 'A subject of five thousand', text: 'Long.' }),
    );

    expect(read.status).toBe(401);
    expect(await jsonOf(read)).toMatchObject({ code: 'unauthorized' });
    expect(created.status).toBe(401);
  });

  it('is taken up to the bound of 255 characters', async () => {
    const token = await api.token({ sub: 's'.repeat(255), community: 'demo', birthdate: '1990-01-01' });

    const read = await api.call(members, { token });

    expect(read.status).toBe(403);
  });
});

describe('an issuer named in a body or a query', () => {
  it.each([
    [
      'a role grant',
      `${members}/someone`,
      'PUT',
      { roles: ['moderator'], issuer: LONG_ISSUER },
      '/body/issuer',
    ],
    [
      "a new community's council",
      '/v1/communities',
      'POST',
      {
        id: 'long-issuer',
        settings: { names: { uk: 'Довга', en: 'Long' } },
        council: [{ subject: 'c', issuer: LONG_ISSUER }],
      },
      '/body/council/0/issuer',
    ],
  ])(
    'over 512 characters in %s is refused with 400 and its pointer',
    async (_case, path, method, body, pointer) => {
      const admin = await api.token({ sub: 'admin' });
      const response = await api.call(path, json(method, path === '/v1/communities' ? admin : council, body));

      expect(response.status).toBe(400);
      expect(await jsonOf(response)).toMatchObject({
        code: 'validation_failed',
        errors: [expect.objectContaining({ pointer })],
      });
    },
  );

  it('over 512 characters in the query of a role removal is refused with 400 and its pointer', async () => {
    const response = await api.call(`${members}/someone?issuer=${encodeURIComponent(LONG_ISSUER)}`, {
      method: 'DELETE',
      token: council,
    });

    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ pointer: '/query/issuer' })],
    });
  });

  it('within 512 characters but over the key bytes (slashes, Cyrillic) is refused with 400, never 500', async () => {
    const slashes = `https:${'/'.repeat(506)}`;
    const cyrillic = 'я'.repeat(255);

    const grant = await api.call(
      `${members}/someone`,
      json('PUT', council, { roles: ['moderator'], issuer: slashes }),
    );
    const removal = await api.call(`${members}/someone?issuer=${encodeURIComponent(slashes)}`, {
      method: 'DELETE',
      token: council,
    });
    const cyrillicMember = await api.call(
      `${members}/${encodeURIComponent(cyrillic)}`,
      json('PUT', council, { roles: ['moderator'] }),
    );
    const cyrillicToken = await api.token({ sub: cyrillic, community: 'demo', birthdate: '1990-01-01' });
    const cyrillicRead = await api.call(members, { token: cyrillicToken });

    expect([grant.status, removal.status, cyrillicMember.status, cyrillicRead.status]).toEqual([
      400, 400, 400, 401,
    ]);
    expect(await jsonOf(grant)).toMatchObject({
      errors: [expect.objectContaining({ pointer: '/body/issuer' })],
    });
    expect(await jsonOf(removal)).toMatchObject({
      errors: [expect.objectContaining({ pointer: '/query/issuer' })],
    });
    expect(await jsonOf(cyrillicMember)).toMatchObject({
      errors: [expect.objectContaining({ pointer: '/path/subject' })],
    });
  });

  it('that this deployment does not trust gets no role', async () => {
    const granted = await api.call(
      `${members}/someone`,
      json('PUT', council, { roles: ['moderator'], issuer: 'https://elsewhere.example' }),
    );
    const listed = await jsonOf(await api.call(members, { token: council }));

    expect(granted.status).toBe(400);
    expect(await jsonOf(granted)).toMatchObject({
      code: 'unknown_issuer',
      detail: 'Roles can be given only to people of an identity provider this platform trusts.',
    });
    expect(listed.items.map((member: { subject: string }) => member.subject)).not.toContain('someone');
  });
});

/**
 * Every route with path parameters besides the community (the preflights take
 * any path), but the docs': they read no table, and any file name is a 404 there.
 */
const routesWithIds = TOOLS.filter((tool) => tool.name !== 'docs')
  .flatMap((tool) => tool.routes)
  .filter((route) => route.method !== 'OPTIONS')
  .flatMap((route) =>
    [...route.path.matchAll(/\{(\w+)\}/g)]
      .map((match) => match[1] as string)
      .filter((param) => param !== 'communityId')
      .map((param) => ({ route, param })),
  );

describe('an id of 3,000 characters in a path', () => {
  it('is in the routes checked: ids of every tool', () => {
    expect(routesWithIds.length).toBeGreaterThan(30);
  });

  it('names no file of the docs: 404', async () => {
    expect((await api.call(`/docs/${'x'.repeat(3_000)}`)).status).toBe(404);
  });

  it.each(routesWithIds.map(({ route, param }) => [`${route.method} ${route.path}`, param, route] as const))(
    '%s: {%s} is refused with 400 and its pointer',
    async (_key, param, route) => {
      const path = route.path
        .replace(`{${param}}`, 'x'.repeat(3_000))
        .replace('{communityId}', 'demo')
        .replace(/\{(\w+)\}/g, '01ARZ3NDEKTSV4RRFFQ69G5FAV');

      const response = await api.call(path, {
        method: route.method,
        ...(route.auth === 'user' ? { token: council } : {}),
      });

      expect(response.status).toBe(400);
      expect((await jsonOf(response)).errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ pointer: `/path/${param}` })]),
      );
    },
  );
});
