import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePabulib } from '../../../domain/budgets/pabulib/parse';
import { ROOMY_LIMITS } from '../../support/limits';
import { pabulibText } from '../../support/pabulib';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

/**
 * A budget's project lists page: the public list in the order projects were
 * created, a page at a time, with its filters; `/projects/mine` from the
 * author's own index, never the whole budget; cursors of other lists refused.
 */

let api: TestRuntime;
const COMMUNITY = 'pb-lists';
const base = `/v1/communities/${COMMUNITY}/budgets`;
const tokens: Record<string, string> = {};

const call = (token: string | undefined, method: string, body?: unknown) => ({
  method,
  ...(token ? { token } : {}),
  headers: { 'content-type': 'application/json', 'accept-language': 'en' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const resident = (sub: string, district = 'north') =>
  api.token({ sub, community: COMMUNITY, district, birthdate: '1990-05-05' });

async function createBudget(): Promise<string> {
  const response = await api.call(
    base,
    call(tokens.council, 'POST', {
      names: { uk: 'Бюджет', en: 'Budget' },
      currency: 'UAH',
      totalAmount: 100_000,
      districts: [{ districtId: 'north', amount: 40_000 }],
      ballot: { type: 'approval', maxProjects: 5 },
      rule: 'greedy',
    }),
  );
  expect(response.status).toBe(201);
  return (await jsonOf(response)).id;
}

async function submit(budgetId: string, author: string, title: string, districtId?: string): Promise<string> {
  const response = await api.call(
    `${base}/${budgetId}/projects`,
    call(tokens[author], 'POST', {
      title,
      description: `${title}, please.`,
      costEstimate: 1_000,
      ...(districtId ? { districtId } : {}),
    }),
  );
  expect(response.status).toBe(201);
  return (await jsonOf(response)).id;
}

/** Every page of a list, following its cursors: the pages' ids and the last page's cursor (none). */
async function allPages(path: string, token?: string): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const response = await api.call(
      `${path}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`,
      token ? { token } : {},
    );
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    pages.push(body.items.map((project: { id: string }) => project.id));
    cursor = body.cursor;
  } while (cursor);
  return pages;
}

let budgetId: string;
let otherBudgetId: string;
/** In the order they were submitted: r1, r2, r1 (north), r2, r1. */
const submitted: string[] = [];

beforeAll(async () => {
  api = await startTestRuntime();
  tokens.admin = await api.token({ sub: 'admin' });
  const created = await api.call(
    '/v1/communities',
    call(tokens.admin, 'POST', {
      id: COMMUNITY,
      settings: {
        names: { uk: 'Списки', en: 'Lists' },
        districts: [{ id: 'north', names: { uk: 'Північ', en: 'North' } }],
        moderation: { budgets: 'post' },
        // A few proposers submit pages of projects here.
        limits: ROOMY_LIMITS,
      },
      council: [{ subject: 'council' }],
    }),
  );
  expect(created.status).toBe(201);
  tokens.council = await resident('council');
  tokens.moderator = await resident('moderator');
  const appointed = await api.call(
    `/v1/communities/${COMMUNITY}/members/moderator`,
    call(tokens.council, 'PUT', { roles: ['moderator'] }),
  );
  expect(appointed.status).toBe(201);
  tokens.r1 = await resident('r1');
  tokens.r2 = await resident('r2');
  budgetId = await createBudget();
  otherBudgetId = await createBudget();
  submitted.push(await submit(budgetId, 'r1', 'Benches in the park'));
  submitted.push(await submit(budgetId, 'r2', 'A bike lane'));
  submitted.push(await submit(budgetId, 'r1', 'Trees on the north square', 'north'));
  submitted.push(await submit(budgetId, 'r2', 'A playground'));
  submitted.push(await submit(budgetId, 'r1', 'Library hours'));
  await submit(otherBudgetId, 'r1', 'In another budget');
  await submit(otherBudgetId, 'r1', 'Also in another budget');
});

afterAll(async () => {
  await api.stop();
});

describe("a budget's public projects", () => {
  it('come in one page of up to 100 by default, in the order they were submitted, without a cursor', async () => {
    const response = await api.call(`${base}/${budgetId}/projects`);
    const body = await jsonOf(response);

    expect(response.status).toBe(200);
    expect(body.items.map((project: { id: string }) => project.id)).toEqual(submitted);
    expect(body.cursor).toBeUndefined();
  });

  it('page with ?limit= and the cursor of the previous page, each project once', async () => {
    const pages = await allPages(`${base}/${budgetId}/projects?limit=2`);

    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(submitted);
  });

  it('filter by pot, still in pages', async () => {
    const city = await allPages(`${base}/${budgetId}/projects?pot=city&limit=3`);
    const north = await allPages(`${base}/${budgetId}/projects?pot=north&limit=1`);

    expect(city.flat()).toEqual(submitted.filter((_, index) => index !== 2));
    expect(city[0]).toHaveLength(3);
    expect(north.flat()).toEqual([submitted[2]]);
  });

  it('show only public states: a hidden project is left out of the pages, and state= filters', async () => {
    const hidden = await api.call(
      `/v1/communities/${COMMUNITY}/moderation/items/budget-project.${otherBudgetId}_${await submit(otherBudgetId, 'r2', 'Spam, really')}/decisions`,
      call(tokens.moderator, 'POST', { decision: 'hide', reasonCode: 'spam' }),
    );
    expect(hidden.status).toBe(200);

    const pages = await allPages(`${base}/${otherBudgetId}/projects?limit=1`);
    const proposed = await jsonOf(await api.call(`${base}/${otherBudgetId}/projects?state=proposed`));
    const asHidden = await jsonOf(await api.call(`${base}/${otherBudgetId}/projects?state=hidden`));

    expect(pages.map((page) => page.length)).toEqual([1, 1]);
    expect(proposed.items).toHaveLength(2);
    expect(asHidden.items).toEqual([]);
  });

  it.each([
    ['0', '/query/limit'],
    ['101', '/query/limit'],
  ])('refuse ?limit=%s with 400 naming the field', async (limit, pointer) => {
    const response = await api.call(`${base}/${budgetId}/projects?limit=${limit}`);

    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ code: 'validation_failed', errors: [{ pointer }] });
  });

  it("refuse a cursor of another budget's list, of the author's list and of the budgets list", async () => {
    const otherBudget = await jsonOf(await api.call(`${base}/${otherBudgetId}/projects?limit=1`));
    const mine = await jsonOf(
      await api.call(`${base}/${budgetId}/projects/mine?limit=1`, { token: tokens.r1 as string }),
    );
    const budgets = await jsonOf(await api.call(`${base}?limit=1`));
    expect([otherBudget.cursor, mine.cursor, budgets.cursor].every(Boolean)).toBe(true);

    for (const cursor of [otherBudget.cursor, mine.cursor, budgets.cursor, 'not-a-cursor']) {
      const response = await api.call(`${base}/${budgetId}/projects?cursor=${encodeURIComponent(cursor)}`);
      expect(response.status).toBe(400);
      expect(await jsonOf(response)).toMatchObject({ code: 'invalid_cursor' });
    }
  });
});

describe('state= before and after the results are published', () => {
  it('shows nothing as selected before publication, and pages the selected ones after it', async () => {
    const text = pabulibText('Poland_Warszawa_2023_Rembertow.pb');
    const instance = parsePabulib(text);
    const official = instance.projects
      .filter((project) => project.fields.selected === '1')
      .map((project) => project.id)
      .sort();
    const importing = await api.call(`${base}/import?rule=greedy`, {
      method: 'POST',
      token: tokens.council as string,
      headers: { 'content-type': 'text/plain' },
      body: text,
    });
    const imported = await jsonOf(importing);
    expect(importing.status, JSON.stringify(imported)).toBe(201);
    const projects = `${base}/${imported.id}/projects`;
    const requested = await api.call(`${base}/${imported.id}/results`, call(tokens.council, 'POST'));
    expect(requested.status, JSON.stringify(await jsonOf(requested))).toBe(202);
    await api.runtime.drain();
    const externalIds = async (path: string) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const body = await jsonOf(
          await api.call(`${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
        );
        ids.push(...body.items.map((project: { externalId: string }) => project.externalId));
        cursor = body.cursor;
      } while (cursor);
      return ids.sort();
    };

    const selectedBefore = await externalIds(`${projects}?state=selected`);
    const feasibleBefore = await externalIds(`${projects}?state=feasible&limit=3`);
    const published = await api.call(`${base}/${imported.id}/results/publish`, call(tokens.council, 'POST'));
    const selectedAfter = await externalIds(`${projects}?state=selected&limit=2`);
    const notSelectedAfter = await externalIds(`${projects}?state=not_selected&limit=2`);
    const feasibleAfter = await externalIds(`${projects}?state=feasible`);

    expect(selectedBefore).toEqual([]);
    expect(feasibleBefore).toEqual(instance.projects.map((project) => project.id).sort());
    expect(published.status).toBe(200);
    expect(selectedAfter).toEqual(official);
    expect(notSelectedAfter).toHaveLength(instance.projects.length - official.length);
    expect(feasibleAfter).toEqual([]);
  });
});

describe("an author's own projects", () => {
  it('come from their own index, theirs only, in the order they were submitted, a page at a time', async () => {
    const r1 = await allPages(`${base}/${budgetId}/projects/mine?limit=2`, tokens.r1);
    const r2 = await allPages(`${base}/${budgetId}/projects/mine`, tokens.r2);

    expect(r1.map((page) => page.length)).toEqual([2, 1]);
    expect(r1.flat()).toEqual([submitted[0], submitted[2], submitted[4]]);
    expect(r2).toEqual([[submitted[1], submitted[3]]]);
  });

  it("include the author's hidden project, which the public list leaves out", async () => {
    const mine = await allPages(`${base}/${otherBudgetId}/projects/mine`, tokens.r2);

    expect(mine.flat()).toHaveLength(1);
  });

  it("refuse another author's cursor and a public list's cursor", async () => {
    const theirs = await jsonOf(
      await api.call(`${base}/${budgetId}/projects/mine?limit=1`, { token: tokens.r1 as string }),
    );
    const publicList = await jsonOf(await api.call(`${base}/${budgetId}/projects?limit=1`));

    for (const cursor of [theirs.cursor, publicList.cursor]) {
      const response = await api.call(
        `${base}/${budgetId}/projects/mine?cursor=${encodeURIComponent(cursor)}`,
        { token: tokens.r2 as string },
      );
      expect(response.status).toBe(400);
      expect(await jsonOf(response)).toMatchObject({ code: 'invalid_cursor' });
    }
  });
});

describe("a budget's cap on submissions", () => {
  it('is 500 unless the budget sets it, and shows on the budget', async () => {
    const budget = await jsonOf(await api.call(`${base}/${budgetId}`));

    expect(budget.maxProjects).toBe(500);
  });

  it('refuses a submission beyond maxProjects with 409 project_limit_reached, in uk and en', async () => {
    const created = await api.call(
      base,
      call(tokens.council, 'POST', {
        names: { uk: 'Малий', en: 'Small' },
        totalAmount: 10_000,
        ballot: { type: 'approval' },
        rule: 'greedy',
        maxProjects: 2,
      }),
    );
    expect(created.status).toBe(201);
    const small = (await jsonOf(created)).id as string;
    await submit(small, 'r1', 'First');
    await submit(small, 'r2', 'Second');
    const body = { title: 'Third', description: 'One too many.', costEstimate: 100 };

    const english = await api.call(`${base}/${small}/projects`, call(tokens.r1, 'POST', body));
    const ukrainian = await api.call(`${base}/${small}/projects`, {
      ...call(tokens.r1, 'POST', body),
      headers: { 'content-type': 'application/json', 'accept-language': 'uk' },
    });
    const listed = await jsonOf(await api.call(`${base}/${small}/projects`));

    expect(english.status).toBe(409);
    expect(await jsonOf(english)).toMatchObject({
      code: 'project_limit_reached',
      limit: 2,
      detail: expect.stringContaining('2 projects'),
    });
    expect(ukrainian.status).toBe(409);
    expect((await jsonOf(ukrainian)).detail).toContain('2 проєктів');
    expect(listed.items).toHaveLength(2);
  });

  it('holds when residents submit at once: exactly maxProjects are taken, the rest get 409', async () => {
    const created = await api.call(
      base,
      call(tokens.council, 'POST', {
        names: { uk: 'Наввипередки', en: 'Race' },
        totalAmount: 10_000,
        ballot: { type: 'approval' },
        rule: 'greedy',
        maxProjects: 3,
      }),
    );
    const race = (await jsonOf(created)).id as string;
    for (let index = 0; index < 8; index += 1) tokens[`racer${index}`] = await resident(`racer${index}`);

    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        api.call(
          `${base}/${race}/projects`,
          call(tokens[`racer${index}`], 'POST', {
            title: `Racing project ${index}`,
            description: 'Quick!',
            costEstimate: 100,
          }),
        ),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    const listed = await jsonOf(await api.call(`${base}/${race}/projects`));

    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(statuses.filter((status) => status === 409)).toHaveLength(5);
    expect(listed.items).toHaveLength(3);
  });

  it('refuses maxProjects outside 1–2000 when a budget is created', async () => {
    const response = await api.call(
      base,
      call(tokens.council, 'POST', {
        names: { uk: 'Завеликий', en: 'Too big' },
        totalAmount: 10_000,
        ballot: { type: 'approval' },
        rule: 'greedy',
        maxProjects: 2001,
      }),
    );

    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({
      code: 'validation_failed',
      errors: [{ pointer: '/body/maxProjects' }],
    });
  });
});
