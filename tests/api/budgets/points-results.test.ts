import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePabulib } from '../../../domain/budgets/pabulib/parse';
import { computeResults } from '../../../domain/budgets/rules/results';
import { pabulibText } from '../../support/pabulib';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

/**
 * Equal shares for point ballots over HTTP: a cumulative budget may choose it
 * (created or imported), its results job counts the points, and each pot's
 * result names add1's step and the increment it settled on. Ranked ballots
 * still need greedy. The import takes a city district's file (up to 5 MiB),
 * above the 256 KiB other bodies get.
 */

let api: TestRuntime;
let council: string;
const COMMUNITY = 'points';
const base = `/v1/communities/${COMMUNITY}/budgets`;
const ZURICH = 'Switzerland_Zurich_D5.pb';
const MERCED = 'US_Stanford_Dataset_Merced_Peoples_Budget_Ballot_2019_vote_rankings.pb';

const call = (method: string, body?: unknown) => ({
  method,
  token: council,
  headers: { 'content-type': 'application/json', 'accept-language': 'en' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const importFile = (text: string, rule: string) =>
  api.call(`${base}/import?rule=${rule}`, {
    method: 'POST',
    token: council,
    headers: { 'content-type': 'text/plain', 'accept-language': 'en' },
    body: text,
  });

/** Asks for an imported budget's results and reads the council's preview once the job is done. */
async function resultsOf(budgetId: string) {
  expect((await api.call(`${base}/${budgetId}/results`, call('POST'))).status).toBe(202);
  await api.runtime.drain();
  return jsonOf(await api.call(`${base}/${budgetId}/results/preview`, call('GET')));
}

beforeAll(async () => {
  api = await startTestRuntime();
  const admin = await api.token({ sub: 'admin' });
  const created = await api.call('/v1/communities', {
    method: 'POST',
    token: admin,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: COMMUNITY,
      settings: { names: { uk: 'Бали', en: 'Points' } },
      council: [{ subject: 'council' }],
    }),
  });
  expect(created.status).toBe(201);
  council = await api.token({ sub: 'council', community: COMMUNITY });
});

afterAll(async () => {
  await api.stop();
});

describe('equal shares on cumulative ballots, through the API', () => {
  it('imports Zürich D5 with equal shares; the job counts its points and names add1 as computeResults does', async () => {
    const text = pabulibText(ZURICH);
    const offline = computeResults(parsePabulib(text), { rule: 'equal-shares' });
    if (!offline.ok) throw new Error(offline.error.code);

    const imported = await importFile(text, 'equal-shares');
    const budget = await jsonOf(imported);
    const preview = await resultsOf(budget.id);
    const city = preview.pots[0];

    expect(imported.status).toBe(201);
    expect(budget).toMatchObject({
      rule: 'equal-shares',
      completion: 'add1',
      ballot: { type: 'cumulative' },
    });
    expect(preview.status).toBe('done');
    expect(city).toMatchObject({ rule: 'equal-shares', ballots: 180, spent: offline.value.spent.toString() });
    expect(city.add1).toEqual({ step: '1', increment: offline.value.add1?.increment.toString() });
    // The job's file lists projects and voters in its own order; equal shares does not depend on it.
    expect([...city.selected].sort()).toEqual([...offline.value.selected].sort());
    expect(city.selected.length).toBeGreaterThan(0);
  });

  it('names no add1 in a greedy result', async () => {
    const budget = await jsonOf(await importFile(pabulibText(ZURICH), 'greedy'));

    const preview = await resultsOf(budget.id);

    expect(preview.pots[0]).toMatchObject({ rule: 'greedy' });
    expect(preview.pots[0]).not.toHaveProperty('add1');
  });

  it('opens a cumulative budget with equal shares and add1', async () => {
    const response = await api.call(
      base,
      call('POST', {
        names: { uk: 'Бюджет', en: 'Budget' },
        totalAmount: 1_000,
        ballot: { type: 'cumulative', maxPoints: 5 },
        rule: 'equal-shares',
      }),
    );

    expect(response.status).toBe(201);
    expect(await jsonOf(response)).toMatchObject({ rule: 'equal-shares', completion: 'add1' });
  });

  it('refuses equal shares for ranked ballots, created or imported, with rule_needs_approval_ballots', async () => {
    const before = await jsonOf(await api.call(base));

    const created = await api.call(
      base,
      call('POST', {
        names: { uk: 'Бюджет', en: 'Budget' },
        totalAmount: 1_000,
        ballot: { type: 'ordinal', maxRanked: 3 },
        rule: 'equal-shares',
      }),
    );
    const imported = await importFile(pabulibText(MERCED), 'equal-shares');

    expect(created.status).toBe(400);
    expect(await jsonOf(created)).toMatchObject({ code: 'rule_needs_approval_ballots' });
    expect(imported.status).toBe(400);
    expect(await jsonOf(imported)).toMatchObject({
      code: 'rule_needs_approval_ballots',
      voteType: 'ordinal',
    });
    expect((await jsonOf(await api.call(base))).items).toHaveLength(before.items.length);
  });
});

describe('the size of an imported file', () => {
  /**
   * An approval file above 256 KiB by its projects' descriptions, not its ballots: 60
   * projects described in about 4,600 characters each (a page of text, as cities publish),
   * and 100 ballots of five projects. What is tested is the size of the body the route
   * takes; ballots are what an import writes one item each, so they stay few.
   */
  function bigFile(): string {
    const ids = Array.from({ length: 60 }, (_, index) => `project-${index + 1}`);
    const description = (index: number) =>
      `Project ${index + 1}: ${'A new pavement, benches and trees along the street. '.repeat(88)}`;
    const ballots = Array.from(
      { length: 100 },
      (_, voter) =>
        `${voter + 1};${[0, 1, 2, 3, 4].map((offset) => ids[(voter + offset * 7) % 60]).join(',')}`,
    );
    return [
      'META',
      'key;value',
      'budget;100000',
      'vote_type;approval',
      'PROJECTS',
      'project_id;cost;name;description',
      ...ids.map((id, index) => `${id};${10_000 + index * 100};Street ${index + 1};${description(index)}`),
      'VOTES',
      'voter_id;vote',
      ...ballots,
      '',
    ].join('\n');
  }

  it('takes a file above the 256 KiB other bodies are held to', async () => {
    const text = bigFile();

    const imported = await importFile(text, 'equal-shares');

    expect(Buffer.byteLength(text)).toBeGreaterThan(256 * 1024);
    expect(imported.status).toBe(201);
  });

  it('answers a file above 5 MiB with 413 naming the limit, and writes nothing', async () => {
    const before = await jsonOf(await api.call(base));

    const refused = await importFile('x'.repeat(5 * 1024 * 1024 + 1), 'greedy');

    expect(refused.status).toBe(413);
    expect(await jsonOf(refused)).toMatchObject({ code: 'payload_too_large', limitBytes: 5 * 1024 * 1024 });
    expect((await jsonOf(await api.call(base))).items).toHaveLength(before.items.length);
  });
});
