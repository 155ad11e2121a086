import { describe, expect, it } from 'vitest';
import { ballotViolations } from '../../../domain/budgets/ballot';
import {
  BUDGET_PHASES,
  type Budget,
  canMovePhase,
  PHASE_TRANSITIONS,
  potsOf,
} from '../../../domain/budgets/budget';
import { castBallot } from '../../../domain/budgets/commands/cast-ballot';
import { changeBudgetPhase, duePhaseChange } from '../../../domain/budgets/commands/change-phase';
import { createBudget } from '../../../domain/budgets/commands/create-budget';
import { importBudget } from '../../../domain/budgets/commands/import-budget';
import { publishResults } from '../../../domain/budgets/commands/publish-results';
import { trackProject } from '../../../domain/budgets/commands/track-project';
import { parsePabulib } from '../../../domain/budgets/pabulib/parse';
import {
  canMoveProject,
  PROJECT_STATES,
  PROJECT_TRANSITIONS,
  type Project,
} from '../../../domain/budgets/project';
import { actor, communityAt, contextAt } from '../../support/actors';
import { pabulibText } from '../../support/pabulib';

const NOW = '2026-11-22T10:00:00.000Z';

const community = communityAt(NOW, {
  districts: [
    { id: 'north', names: { uk: 'Північ', en: 'North' } },
    { id: 'south', names: { uk: 'Південь', en: 'South' } },
  ],
});

const at = contextAt;
const council = at(NOW);
const voter = (districtId: string, birthdate = '1990-01-01') =>
  at(
    NOW,
    actor({
      subject: `v-${districtId}`,
      signerKey: 'ab'.repeat(32),
      residency: { communityId: 'c1', districtId },
      birthdate,
    }),
  );

function budget(overrides: Partial<Budget> = {}): Budget {
  const created = createBudget(council, community, {
    names: { uk: 'Бюджет', en: 'Budget' },
    currency: 'UAH',
    totalAmount: 1_000,
    districts: [{ districtId: 'north', amount: 400 }],
    ballot: { type: 'approval', maxProjects: 2 },
    rule: 'greedy',
  });
  if (!created.ok) throw new Error(created.error.code);
  return { ...created.value, ...overrides };
}

const project = (id: string, cost: number, overrides: Partial<Project> = {}): Project => ({
  id,
  budgetId: 'b1',
  communityId: 'c1',
  title: id,
  description: id,
  costEstimate: cost,
  finalCost: cost,
  potId: 'city',
  authorKey: 'author',
  state: 'feasible',
  progress: [],
  createdAt: NOW,
  version: 1,
  ...overrides,
});

describe('the budget phase table', () => {
  const pairs = BUDGET_PHASES.flatMap((from) => BUDGET_PHASES.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s is legal only as the next phase', (from, to) => {
    expect(canMovePhase(from, to)).toBe(BUDGET_PHASES.indexOf(to) === BUDGET_PHASES.indexOf(from) + 1);
  });

  it('has exactly five moves', () => {
    expect(PHASE_TRANSITIONS).toHaveLength(5);
  });

  it('sends tallying to published only by publishing the results', () => {
    const outcome = changeBudgetPhase(council, budget({ phase: 'tallying' }), 'published');

    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'invalid_phase_change', details: { currentPhase: 'tallying' } },
    });
  });

  it('closes the ballot box when voting ends, by the council or by the schedule', () => {
    const byCouncil = changeBudgetPhase(council, budget({ phase: 'voting' }), 'tallying');
    const bySchedule = duePhaseChange(
      at('2026-12-01T00:00:00.000Z'),
      budget({ phase: 'voting', schedule: { votingEndsAt: '2026-12-01T00:00:00.000Z' } }),
    );
    const notYet = duePhaseChange(
      at('2026-11-30T23:59:59.999Z'),
      budget({ phase: 'voting', schedule: { votingEndsAt: '2026-12-01T00:00:00.000Z' } }),
    );

    expect(byCouncil).toMatchObject({
      ok: true,
      value: { phase: 'tallying', votingClosedAt: '2026-11-22T10:00:02.000Z' },
    });
    expect(bySchedule).toMatchObject({
      ok: true,
      value: { phase: 'tallying', votingClosedAt: '2026-12-01T00:00:00.000Z' },
    });
    expect(notYet).toBeUndefined();
  });
});

describe('the project state table', () => {
  const pairs = PROJECT_STATES.flatMap((from) => PROJECT_STATES.map((to) => [from, to] as const));
  const legal = new Set(PROJECT_TRANSITIONS.map(([from, to]) => `${from}->${to}`));

  it.each(pairs)('%s → %s', (from, to) => {
    expect(canMoveProject(from, to)).toBe(legal.has(`${from}->${to}`));
  });

  it('lets nothing out of done, cancelled, unfeasible or not_selected', () => {
    for (const end of ['done', 'cancelled', 'unfeasible', 'not_selected']) {
      expect(PROJECT_TRANSITIONS.filter(([from]) => from === end)).toEqual([]);
    }
  });
});

describe('createBudget', () => {
  it('carves the district pots out of the total', () => {
    expect(budget().pots).toEqual([
      { id: 'city', amount: 600 },
      { id: 'north', amount: 400 },
    ]);
  });

  it.each([
    [
      'a district the community lacks',
      { districts: [{ districtId: 'west', amount: 1 }] },
      'unknown_district',
    ],
    [
      'district pots over the total',
      { districts: [{ districtId: 'north', amount: 1_001 }] },
      'validation_failed',
    ],
    [
      'minProjects over maxProjects',
      { ballot: { type: 'approval', minProjects: 3, maxProjects: 2 } },
      'validation_failed',
    ],
    ['a cumulative ballot without maxPoints', { ballot: { type: 'cumulative' } }, 'validation_failed'],
    ['an ordinal ballot without maxRanked', { ballot: { type: 'ordinal' } }, 'validation_failed'],
    [
      'equal shares on ranked ballots',
      { ballot: { type: 'ordinal', maxRanked: 3 }, rule: 'equal-shares' },
      'rule_needs_approval_ballots',
    ],
    ['add1 with greedy', { completion: 'add1' }, 'validation_failed'],
    [
      'a district pot twice',
      {
        districts: [
          { districtId: 'north', amount: 1 },
          { districtId: 'north', amount: 1 },
        ],
      },
      'validation_failed',
    ],
    [
      'voting that ends before it starts',
      { schedule: { votingStartsAt: '2026-12-02T00:00:00.000Z', votingEndsAt: '2026-12-01T00:00:00.000Z' } },
      'validation_failed',
    ],
  ] as const)('refuses %s', (_case, overrides, code) => {
    const outcome = createBudget(council, community, {
      names: { uk: 'Б', en: 'B' },
      currency: 'UAH',
      totalAmount: 1_000,
      ballot: { type: 'approval' },
      rule: 'greedy',
      ...overrides,
    });

    expect(outcome).toMatchObject({ ok: false, error: { code } });
  });

  it.each([
    ['approval', { type: 'approval' }],
    ['knapsack', { type: 'knapsack' }],
    ['cumulative', { type: 'cumulative', maxPoints: 10 }],
  ] as const)('lets equal shares with add1 count %s ballots', (_type, ballot) => {
    const outcome = createBudget(council, community, {
      names: { uk: 'Б', en: 'B' },
      currency: 'UAH',
      totalAmount: 1_000,
      ballot,
      rule: 'equal-shares',
    });

    expect(outcome).toMatchObject({ ok: true, value: { rule: 'equal-shares', completion: 'add1', ballot } });
  });

  it('is the council’s', () => {
    expect(
      createBudget(voter('north'), community, {
        names: { uk: 'Б', en: 'B' },
        currency: 'UAH',
        totalAmount: 1,
        ballot: { type: 'approval' },
        rule: 'greedy',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});

describe('ballot limits', () => {
  const candidates = new Map([
    ['a', project('a', 300)],
    ['b', project('b', 400)],
    ['n', project('n', 100, { potId: 'north' })],
    ['x', project('x', 100, { state: 'unfeasible' })],
  ]);
  const city = { id: 'city', amount: 600 };
  const codes = (rules: Parameters<typeof ballotViolations>[0], projectIds: string[], points?: number[]) =>
    ballotViolations(
      rules,
      { potId: 'city', projectIds, ...(points ? { points } : {}) },
      city,
      candidates,
      '/b',
    ).map((each) => each.code);

  it.each([
    [{ type: 'approval' as const }, ['a'], undefined, []],
    [{ type: 'approval' as const }, [], undefined, ['ballot_too_few_projects']],
    [{ type: 'approval' as const, maxProjects: 1 }, ['a', 'b'], undefined, ['ballot_too_many_projects']],
    [{ type: 'approval' as const }, ['n'], undefined, ['ballot_unknown_project']],
    [{ type: 'approval' as const }, ['x'], undefined, ['ballot_unknown_project']],
    [{ type: 'approval' as const }, ['a', 'a'], undefined, ['ballot_duplicate_project']],
    [{ type: 'knapsack' as const }, ['a', 'b'], undefined, ['ballot_over_budget']],
    [{ type: 'knapsack' as const, minSharePercent: 60 }, ['a'], undefined, ['ballot_under_min_share']],
    [{ type: 'knapsack' as const, minSharePercent: 50 }, ['a'], undefined, []],
    [{ type: 'cumulative' as const, maxPoints: 5 }, ['a', 'b'], [3, 2], []],
    [{ type: 'cumulative' as const, maxPoints: 5 }, ['a', 'b'], [3, 3], ['ballot_too_many_points']],
    [
      { type: 'cumulative' as const, maxPoints: 9, maxPerProject: 2 },
      ['a'],
      [3],
      ['ballot_too_many_points_for_project'],
    ],
    [{ type: 'cumulative' as const, maxPoints: 9 }, ['a'], [1.5], ['ballot_invalid_points']],
    [{ type: 'cumulative' as const, maxPoints: 9 }, ['a', 'b'], [1], ['ballot_points_mismatch']],
    [{ type: 'ordinal' as const, maxRanked: 1 }, ['b', 'a'], undefined, ['ballot_too_many_ranked']],
    [{ type: 'ordinal' as const, maxRanked: 2 }, ['a'], [1], ['ballot_points_not_allowed']],
  ])('%j with %j and points %j breaks %j', (rules, projectIds, points, expected) => {
    expect(codes(rules, projectIds, points)).toEqual(expected);
  });

  it('lets a voter vote in the city pot and their own district’s only', () => {
    const open = budget({ phase: 'voting', id: 'b1' });

    const own = castBallot(voter('north'), open, candidates, [{ potId: 'north', projectIds: ['n'] }]);
    const other = castBallot(voter('south'), open, candidates, [{ potId: 'north', projectIds: ['n'] }]);

    expect(own.ok).toBe(true);
    expect(potsOf(open, 'south').map((pot) => pot.id)).toEqual(['city']);
    expect(other).toMatchObject({
      ok: false,
      error: { code: 'not_eligible', details: { reason: 'not_in_district' } },
    });
  });

  it('refuses the under-aged and voting outside the voting phase', () => {
    const open = budget({ phase: 'voting' });

    expect(
      castBallot(voter('north', '2015-01-01'), open, candidates, [{ potId: 'city', projectIds: ['a'] }]),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_eligible', details: { reason: 'under_age' } },
    });
    expect(
      castBallot(voter('north'), budget({ phase: 'tallying' }), candidates, [
        { potId: 'city', projectIds: ['a'] },
      ]),
    ).toMatchObject({
      ok: false,
      error: { code: 'wrong_phase', details: { currentPhase: 'tallying' } },
    });
  });
});

describe('publishing and tracking', () => {
  const result = {
    potId: 'city',
    rule: 'greedy',
    version: 'greedy/1',
    inputSha256: '0'.repeat(64),
    budget: '600',
    spent: '300',
    left: '300',
    ballots: 3,
    selected: ['a'],
    projects: [],
  };

  it('marks the feasible projects selected or not, as the results say', () => {
    const tallied = budget({ phase: 'tallying', results: { jobId: 'j', status: 'done', requestedAt: NOW } });

    const outcome = publishResults(
      council,
      tallied,
      [project('a', 300), project('b', 400), project('u', 1, { state: 'unfeasible' })],
      [result],
    );

    expect(outcome.ok && outcome.value.projects.map((each) => [each.id, each.state])).toEqual([
      ['a', 'selected'],
      ['b', 'not_selected'],
    ]);
    expect(outcome.ok && outcome.events.map((event) => event.name)).toEqual([
      'budget.phase-changed.v1',
      'budget.results-published.v1',
    ]);
  });

  it('refuses to publish results that were not computed', () => {
    expect(publishResults(council, budget({ phase: 'tallying' }), [], [])).toMatchObject({
      ok: false,
      error: { code: 'results_not_computed' },
    });
  });

  it.each([
    [
      'starts a selected project',
      project('a', 1, { state: 'selected' }),
      { state: 'in_progress' as const },
      'in_progress',
    ],
    ['notes progress', project('a', 1, { state: 'in_progress' }), { note: 'Half done.' }, 'in_progress'],
    ['finishes', project('a', 1, { state: 'in_progress' }), { state: 'done' as const }, 'done'],
    [
      'cancels with a reason',
      project('a', 1, { state: 'selected' }),
      { state: 'cancelled' as const, note: 'No contractor.' },
      'cancelled',
    ],
  ])('%s', (_case, tracked, input, state) => {
    const outcome = trackProject(council, budget({ phase: 'implementation' }), tracked, input);

    expect(outcome.ok && outcome.value.state).toBe(state);
  });

  it.each([
    [
      'before the results',
      budget({ phase: 'voting' }),
      project('a', 1, { state: 'selected' }),
      { state: 'in_progress' as const },
      'wrong_phase',
    ],
    [
      'a project that was not selected',
      budget({ phase: 'published' }),
      project('a', 1, { state: 'not_selected' }),
      { state: 'in_progress' as const },
      'invalid_state',
    ],
    [
      'a note on an unselected project',
      budget({ phase: 'published' }),
      project('a', 1, { state: 'not_selected' }),
      { note: 'x' },
      'invalid_state',
    ],
  ])('refuses %s', (_case, current, tracked, input, code) => {
    expect(trackProject(council, current, tracked, input)).toMatchObject({ ok: false, error: { code } });
  });
});

describe('importBudget and the rule', () => {
  it('imports a cumulative file for equal shares, its points kept on each ballot', () => {
    const instance = parsePabulib(pabulibText('Switzerland_Zurich_D5.pb'));

    const outcome = importBudget(council, community, instance, { rule: 'equal-shares' });

    expect(outcome).toMatchObject({
      ok: true,
      value: { budget: { rule: 'equal-shares', completion: 'add1', ballot: { type: 'cumulative' } } },
    });
    expect(outcome.ok && outcome.value.ballots[0]?.points).toEqual(
      instance.ballots[0]?.points?.map((points) => Number(points)),
    );
  });

  it('refuses equal shares for a ranked file, and takes greedy for it', () => {
    const instance = parsePabulib(
      pabulibText('US_Stanford_Dataset_Merced_Peoples_Budget_Ballot_2019_vote_rankings.pb'),
    );

    const refused = importBudget(council, community, instance, { rule: 'equal-shares' });
    const greedy = importBudget(council, community, instance, { rule: 'greedy' });

    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'rule_needs_approval_ballots', details: { voteType: 'ordinal' } },
    });
    expect(!refused.ok && refused.error.message.en).toContain('ranked (ordinal)');
    expect(greedy).toMatchObject({ ok: true, value: { budget: { rule: 'greedy' } } });
  });
});
