import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BALLOT_BOX_GRACE_MS } from '../../../domain/budgets/budget';
import { pabulibSha256 } from '../../../domain/budgets/pabulib/hash';
import { parsePabulib } from '../../../domain/budgets/pabulib/parse';
import { ROOMY_LIMITS } from '../../support/limits';
import { pabulibText } from '../../support/pabulib';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

/**
 * A participatory budget over HTTP, the whole cycle: a budget with two
 * district pots, projects through moderation and review, voting with every
 * limit of every ballot type refused with its own 422, results by a job,
 * publication, export, and the exported file giving the same selection offline.
 */

let api: TestRuntime;
let folder: string;
const ROOT = join(import.meta.dirname, '../../..');

/** `npx hromada …` as a child process with the project's Node, as a clerk would run it: its stdout. */
async function hromada(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('node_modules/.bin/node', ['bin/hromada.mjs', ...args], {
    cwd: ROOT,
  });
  return stdout;
}
const tokens: Record<string, string> = {};
const COMMUNITY = 'pb';
const base = `/v1/communities/${COMMUNITY}/budgets`;

const call = (token: string | undefined, method: string, body?: unknown) => ({
  method,
  ...(token ? { token } : {}),
  headers: { 'content-type': 'application/json', 'accept-language': 'en' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const resident = (sub: string, district: string, birthdate = '1990-05-05') =>
  api.token({ sub, community: COMMUNITY, district, birthdate });

async function createBudget(body: Record<string, unknown>) {
  const response = await api.call(
    base,
    call(tokens.council, 'POST', { names: { uk: 'Бюджет', en: 'Budget' }, ...body }),
  );
  expect(response.status).toBe(201);
  return jsonOf(response);
}

async function movePhase(budgetId: string, phase: string) {
  const response = await api.call(`${base}/${budgetId}/phase`, call(tokens.council, 'POST', { phase }));
  expect(response.status).toBe(200);
}

/** A project proposed by `author`, approved in the moderation centre, and found feasible at `cost`. */
async function submitProject(
  budgetId: string,
  author: string,
  title: string,
  cost: number,
  districtId?: string,
) {
  const response = await api.call(
    `${base}/${budgetId}/projects`,
    call(tokens[author], 'POST', {
      title,
      description: `${title}, please.`,
      costEstimate: cost,
      ...(districtId ? { districtId } : {}),
    }),
  );
  expect(response.status).toBe(201);
  const project = await jsonOf(response);
  const approved = await api.call(
    `/v1/communities/${COMMUNITY}/moderation/items/${project.moderationItemId}/decisions`,
    call(tokens.moderator, 'POST', { decision: 'approve' }),
  );
  expect(approved.status).toBe(200);
  return project.id as string;
}

const review = (budgetId: string, projectId: string, body: Record<string, unknown>) =>
  api.call(`${base}/${budgetId}/projects/${projectId}/review`, call(tokens.council, 'POST', body));

const vote = (budgetId: string, token: string | undefined, ballots: unknown[]) =>
  api.call(`${base}/${budgetId}/ballots/me`, call(token, 'PUT', { ballots }));

/** A budget with `costs` city-wide projects, taken to voting. */
async function votingBudget(body: Record<string, unknown>, costs: number[]) {
  const budget = await createBudget({ totalAmount: 1000, rule: 'greedy', ...body });
  const ids: string[] = [];
  for (const [index, cost] of costs.entries())
    ids.push(await submitProject(budget.id, 'r1', `Project number ${index}`, cost));
  await movePhase(budget.id, 'review');
  for (const [index, id] of ids.entries())
    expect((await review(budget.id, id, { outcome: 'feasible', finalCost: costs[index] })).status).toBe(200);
  await movePhase(budget.id, 'voting');
  return { budgetId: budget.id as string, ids };
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'hromada-budgets-'));
  api = await startTestRuntime();
  tokens.admin = await api.token({ sub: 'admin' });
  const created = await api.call(
    '/v1/communities',
    call(tokens.admin, 'POST', {
      id: COMMUNITY,
      settings: {
        names: { uk: 'Бюджетна', en: 'Budgeting' },
        districts: [
          { id: 'north', names: { uk: 'Північ', en: 'North' } },
          { id: 'south', names: { uk: 'Південь', en: 'South' } },
        ],
        // One proposer submits every project of every budget here.
        limits: ROOMY_LIMITS,
      },
      council: [{ subject: 'council' }],
    }),
  );
  expect(created.status).toBe(201);
  tokens.council = await resident('council', 'north');
  tokens.moderator = await resident('moderator', 'north');
  const appointed = await api.call(
    `/v1/communities/${COMMUNITY}/members/moderator`,
    call(tokens.council, 'PUT', { roles: ['moderator'] }),
  );
  expect(appointed.status).toBe(201);
  for (const [name, district] of [
    ['r1', 'north'],
    ['r2', 'north'],
    ['r3', 'south'],
    ['r4', 'south'],
  ] as const) {
    tokens[name] = await resident(name, district);
  }
  tokens.young = await resident('young', 'north', '2015-01-01');
});

afterAll(async () => {
  await api.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('a budget with two district pots, from submission to export', () => {
  it('runs the whole cycle and the exported pabulib gives the same selection offline', async () => {
    const budget = await createBudget({
      totalAmount: 1_000_000,
      districts: [
        { districtId: 'north', amount: 300_000 },
        { districtId: 'south', amount: 200_000 },
      ],
      ballot: { type: 'approval', maxProjects: 2 },
      rule: 'greedy',
    });
    expect(budget).toMatchObject({
      phase: 'submission',
      pots: [
        { id: 'city', amount: 500_000 },
        { id: 'north', amount: 300_000 },
        { id: 'south', amount: 200_000 },
      ],
    });

    const park = await submitProject(budget.id, 'r1', 'A park by the river', 300_000);
    const library = await submitProject(budget.id, 'r2', 'Library open on Sundays', 250_000);
    const bikes = await submitProject(budget.id, 'r3', 'Bike lanes downtown', 200_000);
    const northBench = await submitProject(budget.id, 'r1', 'Benches in the north', 100_000, 'north');
    const northLights = await submitProject(budget.id, 'r2', 'Lights in the north', 250_000, 'north');
    const southPool = await submitProject(budget.id, 'r3', 'Pool in the south', 180_000, 'south');
    const tooLate = await api.call(
      `${base}/${budget.id}/ballots/me`,
      call(tokens.r1, 'PUT', { ballots: [{ potId: 'city', projectIds: [park] }] }),
    );
    expect(tooLate.status).toBe(409);
    expect(await jsonOf(tooLate)).toMatchObject({ code: 'wrong_phase', currentPhase: 'submission' });

    await movePhase(budget.id, 'review');
    for (const [id, cost] of [
      [park, 300_000],
      [library, 250_000],
      [bikes, 200_000],
      [northBench, 100_000],
      [northLights, 250_000],
      [southPool, 180_000],
    ] as const) {
      expect((await review(budget.id, id, { outcome: 'feasible', finalCost: cost })).status).toBe(200);
    }
    const lateProject = await api.call(
      `${base}/${budget.id}/projects`,
      call(tokens.r4, 'POST', { title: 'A late idea', description: 'x', costEstimate: 1000 }),
    );
    expect(lateProject.status).toBe(409);
    expect(await jsonOf(lateProject)).toMatchObject({ code: 'wrong_phase', currentPhase: 'review' });
    await movePhase(budget.id, 'voting');

    const votes: [string, unknown[]][] = [
      [
        'r1',
        [
          { potId: 'city', projectIds: [park, library] },
          { potId: 'north', projectIds: [northBench] },
        ],
      ],
      [
        'r2',
        [
          { potId: 'city', projectIds: [park, bikes] },
          { potId: 'north', projectIds: [northLights, northBench] },
        ],
      ],
      [
        'r3',
        [
          { potId: 'city', projectIds: [library, bikes] },
          { potId: 'south', projectIds: [southPool] },
        ],
      ],
      [
        'r4',
        [
          { potId: 'city', projectIds: [bikes] },
          { potId: 'south', projectIds: [southPool] },
        ],
      ],
    ];
    for (const [who, ballots] of votes)
      expect((await vote(budget.id, tokens[who], ballots)).status).toBe(200);
    const changed = await vote(budget.id, tokens.r4, [{ potId: 'city', projectIds: [bikes, park] }]);
    expect(changed.status).toBe(200);
    const mine = await jsonOf(await api.call(`${base}/${budget.id}/ballots/me`, call(tokens.r4, 'GET')));
    expect(mine).toMatchObject({ pots: ['city', 'south'] });
    expect(mine.ballots.find((ballot: { potId: string }) => ballot.potId === 'city').projectIds).toEqual([
      bikes,
      park,
    ]);

    const otherDistrict = await vote(budget.id, tokens.r1, [{ potId: 'south', projectIds: [southPool] }]);
    const tooMany = await vote(budget.id, tokens.r1, [{ potId: 'city', projectIds: [park, library, bikes] }]);
    const notOnBallot = await vote(budget.id, tokens.r1, [{ potId: 'city', projectIds: [northBench] }]);
    const underAge = await vote(budget.id, tokens.young, [{ potId: 'city', projectIds: [park] }]);
    expect(otherDistrict.status).toBe(403);
    expect(await jsonOf(otherDistrict)).toMatchObject({ code: 'not_eligible', reason: 'not_in_district' });
    expect(tooMany.status).toBe(422);
    expect(await jsonOf(tooMany)).toMatchObject({
      code: 'ballot_too_many_projects',
      limit: 2,
      actual: 3,
      errors: [{ pointer: '/body/ballots/0/projectIds' }],
    });
    expect(notOnBallot.status).toBe(422);
    expect(await jsonOf(notOnBallot)).toMatchObject({ code: 'ballot_unknown_project' });
    expect(underAge.status).toBe(403);
    expect(await jsonOf(underAge)).toMatchObject({ code: 'not_eligible', reason: 'under_age' });

    await movePhase(budget.id, 'tallying');
    // The ballot box may see the budget as it was for BALLOT_BOX_GRACE_MS (and counts what it accepts then).
    await new Promise((wake) => setTimeout(wake, BALLOT_BOX_GRACE_MS + 100));
    const late = await vote(budget.id, tokens.r1, [{ potId: 'city', projectIds: [bikes] }]);
    expect(late.status).toBe(409);
    expect(await jsonOf(late)).toMatchObject({ code: 'wrong_phase', currentPhase: 'tallying' });
    const hidden = await api.call(`${base}/${budget.id}/results`);
    expect(hidden.status).toBe(403);

    const job = await api.call(`${base}/${budget.id}/results`, call(tokens.council, 'POST'));
    expect(job.status).toBe(202);
    await api.runtime.drain();
    const results = await jsonOf(
      await api.call(`${base}/${budget.id}/results/preview`, call(tokens.council, 'GET')),
    );
    expect(results.status).toBe('done');
    const city = results.pots.find((pot: { potId: string }) => pot.potId === 'city');
    // Approvals: park 3 (r1, r2, r4), bikes 3 (r2, r3, r4), library 2. Greedy: ties by the rule's documented order.
    expect(city).toMatchObject({ rule: 'greedy', ballots: 4, budget: '500000' });
    expect([...city.selected].sort()).toEqual([bikes, park].sort());
    expect(city).toMatchObject({ spent: '500000', left: '0' });
    const north = results.pots.find((pot: { potId: string }) => pot.potId === 'north');
    // Bench 2 approvals, lights 1: the bench is funded first, and the lights no longer fit in 300 000.
    expect(north.selected).toEqual([northBench]);

    const published = await api.call(`${base}/${budget.id}/results/publish`, call(tokens.council, 'POST'));
    expect(published.status).toBe(200);
    expect((await jsonOf(published)).phase).toBe('published');
    const projects = await jsonOf(await api.call(`${base}/${budget.id}/projects`));
    const stateOf = (id: string) => projects.items.find((project: { id: string }) => project.id === id).state;
    expect([park, bikes, northBench, southPool].map(stateOf)).toEqual(Array(4).fill('selected'));
    expect([library, northLights].map(stateOf)).toEqual(['not_selected', 'not_selected']);

    const exported = await api.call(`${base}/${budget.id}/export?format=pabulib&pot=city`);
    const file = await exported.text();
    expect(exported.status).toBe(200);
    expect(file).not.toContain(tokens.r1 as string);
    const exportedFile = join(folder, 'city.pb');
    writeFileSync(exportedFile, file);
    const cli = JSON.parse(await hromada(['pb', 'results', exportedFile, '--rule', 'greedy', '--json']));
    expect([...cli.selected].sort()).toEqual([...city.selected].sort());
    expect(cli.totals.spent).toBe(city.spent);
    const input = await (await api.call(`${base}/${budget.id}/export?format=pabulib-input&pot=city`)).text();
    expect(pabulibSha256(input)).toBe(city.inputSha256);

    const csv = await (await api.call(`${base}/${budget.id}/export?format=csv`)).text();
    expect(csv.split('\r\n')[0]).toBe('pot,project_id,title,cost,score,selected,state');
    const json = await jsonOf(await api.call(`${base}/${budget.id}/export?format=json`));
    expect(json.pots.find((pot: { potId: string }) => pot.potId === 'city').ballots).toHaveLength(4);

    const started = await api.call(
      `${base}/${budget.id}/projects/${park}/progress`,
      call(tokens.council, 'POST', { state: 'in_progress', note: 'Contract signed.' }),
    );
    const cancelled = await api.call(
      `${base}/${budget.id}/projects/${bikes}/progress`,
      call(tokens.council, 'POST', { state: 'cancelled' }),
    );
    expect(started.status).toBe(200);
    expect((await jsonOf(started)).progress).toEqual([{ at: expect.any(String), note: 'Contract signed.' }]);
    expect(cancelled.status).toBe(400);
    expect(await jsonOf(cancelled)).toMatchObject({ code: 'reason_required' });
  });

  it('tells the author why a project is unfeasible, through an event', async () => {
    const budget = await createBudget({ totalAmount: 1000, ballot: { type: 'approval' }, rule: 'greedy' });
    const moon = await submitProject(budget.id, 'r4', 'A second moon for the town', 900);
    await movePhase(budget.id, 'review');

    const withoutReason = await review(budget.id, moon, { outcome: 'unfeasible' });
    const refused = await review(budget.id, moon, { outcome: 'unfeasible', reason: 'Beyond our powers.' });

    expect(withoutReason.status).toBe(400);
    expect(refused.status).toBe(200);
    await api.runtime.drain();
    const event = api.runtime.bus.published.find(
      (candidate) => candidate.name === 'budget.project-reviewed.v1' && candidate.detail.projectId === moon,
    );
    expect(event?.detail).toMatchObject({ outcome: 'unfeasible', reason: 'Beyond our powers.' });
  });
});

describe('a budget project through the moderation centre', () => {
  it('enters the queue, is claimed, rejected, appealed and approved by the council; the author reads why', async () => {
    const budget = await createBudget({ totalAmount: 1000, ballot: { type: 'approval' }, rule: 'greedy' });
    const submitted = await jsonOf(
      await api.call(
        `${base}/${budget.id}/projects`,
        call(tokens.r3, 'POST', {
          title: 'A skate park by the school',
          description: 'Please.',
          costEstimate: 500,
        }),
      ),
    );
    const item = `/v1/communities/${COMMUNITY}/moderation/items/${submitted.moderationItemId}`;
    expect(submitted.state).toBe('in_moderation');

    const queue = await jsonOf(
      await api.call(
        `/v1/communities/${COMMUNITY}/moderation/queue?type=budget-project`,
        call(tokens.moderator, 'GET'),
      ),
    );
    const claimed = await api.call(`${item}/claim`, call(tokens.moderator, 'POST'));
    const rejected = await api.call(
      `${item}/decisions`,
      call(tokens.moderator, 'POST', { decision: 'reject', reasonCode: 'duplicate' }),
    );
    const authorView = await jsonOf(await api.call(item, call(tokens.r3, 'GET')));
    const appealed = await api.call(
      `${item}/appeal`,
      call(tokens.r3, 'POST', { text: 'It is not a duplicate: the other is a skate shop.' }),
    );
    const approved = await api.call(
      `${item}/decisions`,
      call(tokens.council, 'POST', { decision: 'approve' }),
    );
    const project = await jsonOf(await api.call(`${base}/${budget.id}/projects/${submitted.id}`));

    expect(queue.items.map((entry: { id: string }) => entry.id)).toContain(submitted.moderationItemId);
    expect(
      queue.items.find((entry: { id: string }) => entry.id === submitted.moderationItemId),
    ).toMatchObject({
      type: 'budget-project',
      parentId: budget.id,
      title: 'A skate park by the school',
    });
    expect(claimed.status).toBe(200);
    expect(rejected.status).toBe(200);
    expect(authorView.decisions[0]).toMatchObject({
      decision: 'reject',
      reason: { uk: 'Таке звернення вже є.', en: 'Something like this already exists.' },
    });
    expect(authorView.mayAppeal).toBe(true);
    expect(appealed.status).toBe(200);
    expect(approved.status).toBe(200);
    expect(project.state).toBe('proposed');
  });
});

describe('every limit of every ballot type has its own 422', () => {
  it.each([
    [
      'approval',
      { type: 'approval', minProjects: 2, maxProjects: 2 },
      [100, 100, 100],
      (ids: string[]) => [{ potId: 'city', projectIds: [ids[0]] }],
      'ballot_too_few_projects',
    ],
    [
      'approval',
      { type: 'approval', maxProjects: 2 },
      [100, 100, 100],
      (ids: string[]) => [{ potId: 'city', projectIds: ids }],
      'ballot_too_many_projects',
    ],
    [
      'approval',
      { type: 'approval' },
      [100, 100],
      (ids: string[]) => [{ potId: 'city', projectIds: [ids[0], ids[0]] }],
      'ballot_duplicate_project',
    ],
    [
      'approval',
      { type: 'approval' },
      [100],
      (ids: string[]) => [{ potId: 'city', projectIds: ids, points: [1] }],
      'ballot_points_not_allowed',
    ],
    [
      'knapsack',
      { type: 'knapsack' },
      [600, 500],
      (ids: string[]) => [{ potId: 'city', projectIds: ids }],
      'ballot_over_budget',
    ],
    [
      'knapsack',
      { type: 'knapsack', minSharePercent: 50 },
      [300, 400],
      (ids: string[]) => [{ potId: 'city', projectIds: [ids[0]] }],
      'ballot_under_min_share',
    ],
    [
      'cumulative',
      { type: 'cumulative', maxPoints: 5 },
      [100, 100],
      (ids: string[]) => [{ potId: 'city', projectIds: ids, points: [3, 3] }],
      'ballot_too_many_points',
    ],
    [
      'cumulative',
      { type: 'cumulative', maxPoints: 10, maxPerProject: 3 },
      [100],
      (ids: string[]) => [{ potId: 'city', projectIds: ids, points: [4] }],
      'ballot_too_many_points_for_project',
    ],
    [
      'cumulative',
      { type: 'cumulative', maxPoints: 10 },
      [100, 100],
      (ids: string[]) => [{ potId: 'city', projectIds: ids, points: [1] }],
      'ballot_points_mismatch',
    ],
    [
      'cumulative',
      { type: 'cumulative', maxPoints: 10 },
      [100],
      (ids: string[]) => [{ potId: 'city', projectIds: ids, points: [0] }],
      'ballot_invalid_points',
    ],
    [
      'ordinal',
      { type: 'ordinal', maxRanked: 2 },
      [100, 100, 100],
      (ids: string[]) => [{ potId: 'city', projectIds: ids }],
      'ballot_too_many_ranked',
    ],
    [
      'ordinal',
      { type: 'ordinal', maxRanked: 2 },
      [100],
      () => [{ potId: 'city', projectIds: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'] }],
      'ballot_unknown_project',
    ],
  ])('%s ballot %j: %s', async (_type, ballot, costs, ballots, code) => {
    const { budgetId, ids } = await votingBudget({ ballot }, costs);

    const response = await vote(budgetId, tokens.r2, ballots(ids));

    expect(response.status).toBe(422);
    expect(await jsonOf(response)).toMatchObject({
      code,
      errors: [expect.objectContaining({ pointer: expect.stringMatching(/^\/body\/ballots\/0/) })],
    });
  });

  it('accepts a valid ballot of each type', async () => {
    const cases = [
      [{ type: 'approval', maxProjects: 2 }, (ids: string[]) => ({ projectIds: ids.slice(0, 2) })],
      [{ type: 'knapsack', minSharePercent: 50 }, (ids: string[]) => ({ projectIds: ids.slice(0, 2) })],
      [
        { type: 'cumulative', maxPoints: 5, maxPerProject: 3 },
        (ids: string[]) => ({ projectIds: ids.slice(0, 2), points: [3, 2] }),
      ],
      [{ type: 'ordinal', maxRanked: 3 }, (ids: string[]) => ({ projectIds: [ids[2], ids[0]] })],
    ] as const;
    for (const [ballot, choice] of cases) {
      const { budgetId, ids } = await votingBudget({ ballot }, [300, 400, 200]);
      expect((await vote(budgetId, tokens.r2, [{ potId: 'city', ...choice(ids) }])).status).toBe(200);
    }
  });
});

describe('results for every ballot type, recomputed offline from the export', () => {
  it.each([
    [
      'approval',
      'equal-shares',
      { type: 'approval', maxProjects: 3 },
      (ids: string[]) => [[ids[0], ids[1]], [ids[1], ids[2]], [ids[0]], [ids[2], ids[3]]],
    ],
    [
      'knapsack',
      'equal-shares',
      { type: 'knapsack' },
      (ids: string[]) => [[ids[0], ids[1]], [ids[1], ids[2]], [ids[3]], [ids[0], ids[2]]],
    ],
    [
      'cumulative',
      'greedy',
      { type: 'cumulative', maxPoints: 5 },
      (ids: string[]) => [[ids[0], ids[1]], [ids[1]], [ids[2], ids[3]], [ids[3]]],
    ],
    [
      'cumulative',
      'equal-shares',
      { type: 'cumulative', maxPoints: 5 },
      (ids: string[]) => [[ids[0], ids[1]], [ids[1]], [ids[2], ids[3]], [ids[3]]],
    ],
    [
      'ordinal',
      'greedy',
      { type: 'ordinal', maxRanked: 3 },
      (ids: string[]) => [[ids[2], ids[0], ids[1]], [ids[1], ids[3]], [ids[3]], [ids[0], ids[2]]],
    ],
  ] as const)('%s ballots with %s', async (type, rule, ballot, choices) => {
    const { budgetId, ids } = await votingBudget({ ballot, rule }, [300, 250, 200, 150]);
    const voters = ['r1', 'r2', 'r3', 'r4'];
    for (const [index, projectIds] of choices(ids).entries()) {
      const points = type === 'cumulative' ? { points: projectIds.map((_, at) => (at === 0 ? 3 : 2)) } : {};
      expect(
        (await vote(budgetId, tokens[voters[index] as string], [{ potId: 'city', projectIds, ...points }]))
          .status,
      ).toBe(200);
    }
    await movePhase(budgetId, 'tallying');
    expect((await api.call(`${base}/${budgetId}/results`, call(tokens.council, 'POST'))).status).toBe(202);
    await api.runtime.drain();
    const preview = await jsonOf(
      await api.call(`${base}/${budgetId}/results/preview`, call(tokens.council, 'GET')),
    );
    expect((await api.call(`${base}/${budgetId}/results/publish`, call(tokens.council, 'POST'))).status).toBe(
      200,
    );

    const city = preview.pots[0];
    const file = join(folder, `${type}.pb`);
    writeFileSync(file, await (await api.call(`${base}/${budgetId}/export?format=pabulib`)).text());
    const cli = JSON.parse(await hromada(['pb', 'results', file, '--rule', rule, '--json']));

    expect(preview.status).toBe('done');
    expect(city).toMatchObject({ rule, ballots: 4 });
    expect(city.selected.length).toBeGreaterThan(0);
    expect(BigInt(city.spent)).toBeLessThanOrEqual(1000n);
    expect(cli.selected).toEqual(city.selected);
    expect(cli.totals.spent).toBe(city.spent);
  });
});

describe('importing a pabulib file', () => {
  it('imports Warszawa Rembertów and greedy selects exactly its official projects', async () => {
    const text = pabulibText('Poland_Warszawa_2023_Rembertow.pb');
    const official = parsePabulib(text)
      .projects.filter((project) => project.fields.selected === '1')
      .map((project) => project.id)
      .sort();

    const imported = await api.call(`${base}/import?rule=greedy`, {
      method: 'POST',
      token: tokens.council,
      headers: { 'content-type': 'text/plain' },
      body: text,
    });
    const budget = await jsonOf(imported);
    await api.call(`${base}/${budget.id}/results`, call(tokens.council, 'POST'));
    await api.runtime.drain();
    const results = await jsonOf(
      await api.call(`${base}/${budget.id}/results/preview`, call(tokens.council, 'GET')),
    );

    expect(imported.status).toBe(201);
    expect(budget).toMatchObject({ phase: 'tallying', imported: true, rule: 'greedy' });
    expect([...results.pots[0].selected].sort()).toEqual(official);
  });

  it('answers a ballot limit in META that is not a number with 400 naming it, and writes nothing', async () => {
    const before = await jsonOf(await api.call(base));
    const response = await api.call(`${base}/import`, {
      method: 'POST',
      token: tokens.council,
      headers: { 'content-type': 'text/plain', 'accept-language': 'en' },
      body: 'META\nkey;value\nbudget;100\nvote_type;approval\nmax_length;many\nPROJECTS\nproject_id;cost\n1;10\nVOTES\nvoter_id;vote\n1;1\n',
    });

    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ code: 'invalid_pabulib', key: 'max_length' });
    expect((await jsonOf(await api.call(base))).items).toHaveLength(before.items.length);
  });

  it('answers a broken file with 400 naming the line', async () => {
    const response = await api.call(`${base}/import`, {
      method: 'POST',
      token: tokens.council,
      headers: { 'content-type': 'text/plain', 'accept-language': 'en' },
      body: 'META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;abc\nVOTES\nvoter_id;vote\n1;1\n',
    });

    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ code: 'invalid_pabulib', line: 7 });
  });
});
