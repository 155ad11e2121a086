import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, startTestRuntime, type TestRuntime } from '../support/runtime';

// The probe forged cursors (valid base64 of a key the list does not use, or
// with a wrong attribute) and got 500s in 12 of 22 tries. Every list must
// answer 400 `invalid_cursor` unless the cursor is exactly its own key, of its
// own community. One route per key shape: the table with a sort-key prefix
// (members; the audit trail, read BETWEEN two entries), the table without one
// (petitions by closing time), and each index (GSI1, GSI2, GSI3).

let api: TestRuntime;
const COMMUNITY = 'cursors';
const tokens: Record<string, string> = {};

const send = (method: string, token: string, body?: unknown) => ({
  method,
  token,
  headers: { 'content-type': 'application/json', 'accept-language': 'en' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (cursor: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));

/** A list route: its path with a query that pages one item at a time, and who may read it. */
interface ListRoute {
  readonly name: string;
  readonly path: string;
  readonly reader: string;
}

const lists: ListRoute[] = [
  {
    name: 'members (table, prefix)',
    path: `/v1/communities/${COMMUNITY}/members?limit=1`,
    reader: 'council',
  },
  {
    name: 'audit trail (table, entries)',
    path: `/v1/communities/${COMMUNITY}/audit?limit=1`,
    reader: 'council',
  },
  {
    name: 'petitions by closing (table, no prefix)',
    path: `/v1/communities/${COMMUNITY}/petitions?sort=closing&limit=1`,
    reader: 'author',
  },
  {
    name: 'petitions newest (GSI1)',
    path: `/v1/communities/${COMMUNITY}/petitions?limit=1`,
    reader: 'author',
  },
  {
    name: 'petitions by signatures (GSI2)',
    path: `/v1/communities/${COMMUNITY}/petitions?sort=signatures&limit=1`,
    reader: 'author',
  },
  {
    name: 'my petitions (GSI3)',
    path: `/v1/communities/${COMMUNITY}/petitions/mine?limit=1`,
    reader: 'author',
  },
  {
    name: 'decided moderation items (GSI1)',
    path: `/v1/communities/${COMMUNITY}/moderation/queue?status=decided&limit=1`,
    reader: 'moderator',
  },
  {
    name: 'my moderation items (GSI2)',
    path: `/v1/communities/${COMMUNITY}/moderation/mine?limit=1`,
    reader: 'author',
  },
];

/** Each list's first-page cursor, as the list handed it out. */
const realCursors = new Map<string, string>();

const page = (list: ListRoute, cursor?: string) =>
  api.call(`${list.path}${cursor === undefined ? '' : `&cursor=${cursor}`}`, {
    token: tokens[list.reader] as string,
    headers: { 'accept-language': 'en' },
  });

beforeAll(async () => {
  api = await startTestRuntime();
  tokens.admin = await api.token({ sub: 'admin' });
  const created = await api.call(
    '/v1/communities',
    send('POST', tokens.admin, {
      id: COMMUNITY,
      settings: { names: { uk: 'Курсори', en: 'Cursors' }, petitions: { durationDays: 30 } },
      council: [{ subject: 'council' }],
    }),
  );
  expect(created.status).toBe(201);
  const resident = (sub: string) => api.token({ sub, community: COMMUNITY, birthdate: '1990-05-05' });
  tokens.council = await resident('council');
  tokens.moderator = await resident('moderator');
  tokens.author = await resident('author');
  const appointed = await api.call(
    `/v1/communities/${COMMUNITY}/members/moderator`,
    send('PUT', tokens.council, { roles: ['moderator'] }),
  );
  expect(appointed.status).toBe(201);
  for (const title of ['New benches for the central park', 'Longer opening hours of the library']) {
    const petition = await jsonOf(
      await api.call(
        `/v1/communities/${COMMUNITY}/petitions`,
        send('POST', tokens.author, { title, text: 'Please.' }),
      ),
    );
    await api.call(
      `/v1/communities/${COMMUNITY}/petitions/${petition.id}/submit`,
      send('POST', tokens.author),
    );
    const approved = await api.call(
      `/v1/communities/${COMMUNITY}/moderation/items/petition.${petition.id}/decisions`,
      send('POST', tokens.moderator, { decision: 'approve' }),
    );
    expect(approved.status).toBe(200);
  }
  await api.runtime.drain();
  for (const list of lists) {
    const first = await page(list);
    const body = await jsonOf(first);
    expect(first.status, list.name).toBe(200);
    expect(body.cursor, list.name).toEqual(expect.any(String));
    realCursors.set(list.name, body.cursor);
  }
});

afterAll(async () => {
  await api.stop();
});

/** The list's partition attribute: the index's when the key carries one, else the table's. */
const partitionOf = (key: Record<string, unknown>): string =>
  Object.keys(key).find((attribute) => /^GSI\dPK$/.test(attribute)) ?? 'PK';

/** The forgeries of a cursor, named; each is made from the list's own cursor when its test runs. */
const FORGERIES = [
  "another list's key",
  'an extra attribute',
  'a missing attribute',
  'a number where a string is expected',
  'a number as the partition',
  "another community's partition",
  'an empty key',
  'text that is not JSON',
  'a JSON array',
] as const;

/** Forgeries of a list's own cursor, and a key of another list. */
function forged(list: ListRoute, forgery: (typeof FORGERIES)[number]): string {
  const real = decode(realCursors.get(list.name) as string);
  const partition = partitionOf(real);
  const { SK: _sortKey, ...withoutSortKey } = real;
  const otherList = lists[(lists.indexOf(list) + 1) % lists.length] as ListRoute;
  const otherCommunity = Object.fromEntries(
    Object.entries(real).map(([attribute, value]) => [
      attribute,
      String(value).replace(`C#${COMMUNITY}`, 'C#demo'),
    ]),
  );
  const cursors: Record<(typeof FORGERIES)[number], string> = {
    "another list's key": realCursors.get(otherList.name) as string,
    'an extra attribute': encode({ ...real, extra: 'x' }),
    'a missing attribute': encode(withoutSortKey),
    'a number where a string is expected': encode({ ...real, SK: 12 }),
    'a number as the partition': encode({ ...real, [partition]: 7 }),
    "another community's partition": encode(otherCommunity),
    'an empty key': encode({}),
    'text that is not JSON': Buffer.from('{"PK": "C#').toString('base64url'),
    'a JSON array': encode(Object.values(real)),
  };
  return cursors[forgery];
}

describe.each(lists)('a cursor of $name', (list) => {
  it.each(FORGERIES)('with %s is refused with 400 invalid_cursor', async (forgery) => {
    const response = await page(list, forged(list, forgery));

    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({
      code: 'invalid_cursor',
      errors: [{ pointer: '/query/cursor' }],
    });
  });

  it('that the list handed out reads the next page', async () => {
    const first = await jsonOf(await page(list));
    const second = await page(list, realCursors.get(list.name));
    const body = await jsonOf(second);

    expect(second.status).toBe(200);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).not.toEqual(first.items[0]);
  });
});

// Positions that are not whole keys (a comment list's, an export's) carry a
// sort key the next query starts after: one over DynamoDB's 1,024 bytes made
// the query fail, a 500.
describe("a position's sort key over 1,024 bytes", () => {
  const long = 'x'.repeat(1_400);

  it.each(['newest', 'top'])(
    "in the %s comment list's cursor is refused with 400 invalid_cursor",
    async (sort) => {
      const consultations = await jsonOf(await api.call('/v1/communities/demo/consultations?phase=open'));
      const id = consultations.items[0].id as string;

      const response = await api.call(
        `/v1/communities/demo/consultations/${id}/comments?sort=${sort}&cursor=${encode({ list: `${id}|*|${sort}`, after: long })}`,
      );

      expect(response.status).toBe(400);
      expect(await jsonOf(response)).toMatchObject({ code: 'invalid_cursor' });
    },
  );

  it("in a consultation export's cursor is refused with 400 invalid_cursor", async () => {
    const council = await api.token({ sub: 'council-1', community: 'demo', district: 'd1' });
    const consultations = await jsonOf(await api.call('/v1/communities/demo/consultations?phase=open'));
    const id = consultations.items[0].id as string;
    const cursor = encode({ export: `consultation/${id}/json`, phase: 'comments', after: long });

    const response = await api.call(
      `/v1/communities/demo/consultations/${id}/export?format=json&cursor=${cursor}`,
      {
        token: council,
      },
    );

    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ code: 'invalid_cursor' });
  });
});
