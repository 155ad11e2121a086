import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pabulibSha256 } from '../../../domain/budgets/pabulib/hash';
import { documentClient } from '../../../functions/shared/dynamo';
import { keys } from '../../../functions/shared/keys';
import { pabulibText } from '../../support/pabulib';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

/**
 * A budget's export a page at a time: with a page size smaller than the
 * ballots (`EXPORT_PAGE_ROWS`, read on each request), following `Link`
 * `rel="next"` to the end gives exactly the export of one big page, in every
 * format; `pabulib-input`'s pages hash to the results' `inputSha256`; a cursor
 * of another export or of a list is refused.
 */

let api: TestRuntime;
let council: string;
let budgetId: string;
const COMMUNITY = 'pbpages';
const base = `/v1/communities/${COMMUNITY}/budgets`;
/** 12 voters: pages of 5 ballots make three pages. */
const FILE = 'Synthetic_MES_seed11_12voters.pb';

const call = (token: string | undefined, method: string, language = 'en') => ({
  method,
  ...(token ? { token } : {}),
  headers: { 'content-type': 'application/json', 'accept-language': language },
});

/** The `Link rel="next"` target of a response, if any. */
function nextOf(response: Response): string | undefined {
  const link = response.headers.get('link');
  return link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
}

/** Every page of an export from `path`, following `Link rel="next"` until it ends. */
async function pagesOf(path: string): Promise<Response[]> {
  const pages: Response[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const response = await api.call(next);
    expect(response.status, next).toBe(200);
    pages.push(response);
    next = nextOf(response);
    expect(pages.length).toBeLessThan(50);
  }
  return pages;
}

const withPageRows = async <T>(rows: string | undefined, run: () => Promise<T>): Promise<T> => {
  if (rows === undefined) delete process.env.EXPORT_PAGE_ROWS;
  else process.env.EXPORT_PAGE_ROWS = rows;
  try {
    return await run();
  } finally {
    delete process.env.EXPORT_PAGE_ROWS;
  }
};

beforeAll(async () => {
  api = await startTestRuntime();
  const admin = await api.token({ sub: 'admin' });
  const created = await api.call('/v1/communities', {
    ...call(admin, 'POST'),
    body: JSON.stringify({
      id: COMMUNITY,
      settings: { names: { uk: 'Сторінки', en: 'Pages' } },
      council: [{ subject: 'council' }],
    }),
  });
  expect(created.status).toBe(201);
  council = await api.token({ sub: 'council', community: COMMUNITY });
  const imported = await api.call(`${base}/import?rule=greedy`, {
    method: 'POST',
    token: council,
    headers: { 'content-type': 'text/plain' },
    body: pabulibText(FILE),
  });
  expect(imported.status).toBe(201);
  budgetId = (await jsonOf(imported)).id;
  expect((await api.call(`${base}/${budgetId}/results`, call(council, 'POST'))).status).toBe(202);
  await api.runtime.drain();
  expect((await api.call(`${base}/${budgetId}/results/publish`, call(council, 'POST'))).status).toBe(200);
});

afterEach(() => {
  delete process.env.EXPORT_PAGE_ROWS;
});

afterAll(async () => {
  await api.stop();
});

describe('a budget export, page by page', () => {
  it.each(['pabulib', 'pabulib-input'])('%s: the pages concatenated are the whole file', async (format) => {
    const path = `${base}/${budgetId}/export?format=${format}&pot=city`;
    const [whole] = await withPageRows(undefined, () => pagesOf(path));
    const pages = await withPageRows('5', () => pagesOf(path));
    const wholeText = await (whole as Response).text();
    const texts = await Promise.all(pages.map((page) => page.text()));

    expect(nextOf(whole as Response)).toBeUndefined();
    expect(pages).toHaveLength(3);
    expect(texts[0]).toMatch(/^META\n/);
    expect(texts[1]).toMatch(/^6;/);
    expect(texts[2]).toMatch(/^11;[^\n]*\n12;[^\n]*\n$/);
    expect(texts.join('')).toBe(wholeText);
    expect(wholeText).toContain('num_votes;12\n');
  });

  it("pabulib-input's pages hash to the results' inputSha256", async () => {
    const pages = await withPageRows('4', () =>
      pagesOf(`${base}/${budgetId}/export?format=pabulib-input&pot=city`),
    );
    const results = await jsonOf(await api.call(`${base}/${budgetId}/results`));
    const texts = await Promise.all(pages.map((page) => page.text()));

    expect(pages).toHaveLength(3);
    expect(pabulibSha256(texts.join(''))).toBe(results.pots[0].inputSha256);
  });

  it('json: each page is the document with its ballots and next; joined, they are the whole export', async () => {
    const path = `${base}/${budgetId}/export?format=json`;
    const [whole] = await withPageRows(undefined, () => pagesOf(path));
    const pages = await withPageRows('5', () => pagesOf(path));
    const documents = await Promise.all(pages.map((page) => jsonOf(page)));
    const wholeDocument = await jsonOf(whole as Response);

    const joined = structuredClone(documents[0]);
    delete joined.next;
    for (const later of documents.slice(1)) {
      later.pots.forEach((pot: { ballots: unknown[] }, index: number) => {
        joined.pots[index].ballots.push(...pot.ballots);
      });
    }
    expect(documents.map((document) => document.pots[0].ballots.length)).toEqual([5, 5, 2]);
    expect(documents.map((document) => typeof document.next)).toEqual(['string', 'string', 'undefined']);
    expect(documents.slice(0, 2).map((document) => document.next)).toEqual(
      pages.slice(0, 2).map((page) => new URL(nextOf(page) as string, api.url).searchParams.get('cursor')),
    );
    expect(wholeDocument.next).toBeUndefined();
    expect(joined).toEqual(wholeDocument);
    expect(joined.pots[0].ballots.map((ballot: { voter: number }) => ballot.voter)).toEqual(
      Array.from({ length: 12 }, (_, at) => at + 1),
    );
  });

  it('csv lists projects, reads no ballot and is one page', async () => {
    const pages = await withPageRows('1', () => pagesOf(`${base}/${budgetId}/export?format=csv`));

    expect(pages).toHaveLength(1);
    expect((await (pages[0] as Response).text()).split('\r\n')[0]).toBe(
      'pot,project_id,title,cost,score,selected,state',
    );
  });

  it.each(['uk', 'en'])('refuses a cursor of another export or of a list with 400 (%s)', async (language) => {
    const first = await withPageRows('5', () =>
      api.call(`${base}/${budgetId}/export?format=pabulib&pot=city`),
    );
    const cursor = new URL(nextOf(first) as string, api.url).searchParams.get('cursor') as string;
    // A second budget, so that a list of one budget a page hands out a cursor.
    const second = await api.call(`${base}/import?rule=greedy`, {
      method: 'POST',
      token: council,
      headers: { 'content-type': 'text/plain' },
      body: pabulibText(FILE),
    });
    expect(second.status).toBe(201);
    const listed = await jsonOf(await api.call(`${base}?limit=1`));
    expect(listed.cursor).toEqual(expect.any(String));

    const foreign = [
      `${base}/${budgetId}/export?format=pabulib-input&pot=city&cursor=${cursor}`,
      `${base}/${budgetId}/export?format=json&cursor=${cursor}`,
      `${base}/${budgetId}/export?format=csv&cursor=${cursor}`,
      `${base}/${budgetId}/export?format=pabulib&pot=city&cursor=${listed.cursor}`,
      `${base}/${budgetId}/export?format=pabulib&pot=city&cursor=bm90LWEtY3Vyc29y`,
    ];
    for (const path of foreign) {
      const refused = await api.call(path, call(undefined, 'GET', language));
      const problem = await jsonOf(refused);
      expect(refused.status, path).toBe(400);
      expect(problem, path).toMatchObject({ code: 'invalid_cursor' });
      expect(problem.detail, path).toBe(
        language === 'uk'
          ? 'Курсор не належить цьому списку. Почніть з першої сторінки без cursor.'
          : 'The cursor does not belong to this list. Start again from the first page without a cursor.',
      );
    }
  });

  // Last: it takes the tally away from the budget's stored result.
  it('refuses a ballot export of results stored without a tally (409), and never reads every ballot instead', async () => {
    await documentClient({ dynamoEndpoint: api.table.endpoint, region: api.table.region }).send(
      new UpdateCommand({
        TableName: api.table.tableName,
        Key: keys.budgetResult(COMMUNITY, budgetId, 'city'),
        UpdateExpression: 'REMOVE tally',
      }),
    );

    const pabulib = await api.call(`${base}/${budgetId}/export?format=pabulib`, call(undefined, 'GET', 'uk'));
    const json = await api.call(`${base}/${budgetId}/export?format=json`, call(undefined, 'GET', 'en'));
    const csv = await api.call(`${base}/${budgetId}/export?format=csv`);

    expect(pabulib.status).toBe(409);
    expect(await jsonOf(pabulib)).toMatchObject({ code: 'results_not_computed', pots: ['city'] });
    expect((await jsonOf(pabulib)).detail).toMatch(/^Результати цього бюджету обчислено до посторінкового/);
    expect(json.status).toBe(409);
    expect((await jsonOf(json)).detail).toMatch(
      /^The results of this budget were computed before exports paged/,
    );
    expect(csv.status).toBe(200);
  });
});
