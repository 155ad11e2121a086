import { describe, expect, it } from 'vitest';
import { AuditAction } from '../../../domain/audit/intent';
import { type Budget, BudgetPhase } from '../../../domain/budgets/budget';
import { createBudget } from '../../../domain/budgets/commands/create-budget';
import type { PotResult } from '../../../domain/budgets/commands/publish-results';
import { finishResults, startResults } from '../../../domain/budgets/commands/results-job';
import { type Project, ProjectState } from '../../../domain/budgets/project';
import { ResultsFailureCode } from '../../../domain/budgets/results-failure';
import { BudgetEvents } from '../../../events/budgets';
import { BUDGET, budgetUseCases } from '../../../functions/budgets/use-cases';
import { CHANGE_ATTEMPTS } from '../../../functions/shared/use-case';
import { actor, communityAt, contextAt, fixedClock } from '../../support/actors';
import { type FakeBudgetStore, fakeBudgetStore } from '../../support/fakes/budget-store';

/**
 * The budgets tool's use cases, each run through the use-case runner on the
 * in-memory store (no DynamoDB, no HTTP): Prepare the store, Act through the
 * use case, Assess its outcome and what the store committed.
 */

const NOW = '2026-11-22T10:00:00.000Z';
const LATER = '2026-11-22T10:05:00.000Z';

const community = communityAt(NOW, {
  districts: [{ id: 'north', names: { uk: 'Північ', en: 'North' } }],
});

const at = contextAt;
const council = at(NOW);
const resident = at(
  NOW,
  actor({
    subject: 'resident',
    signerKey: 'ab'.repeat(32),
    residency: { communityId: 'c1', districtId: 'north' },
    birthdate: '1990-01-01',
  }),
);

/** A budget in `phase`, stored as the council opened it. */
async function storedBudget(
  store: FakeBudgetStore,
  phase: BudgetPhase = BudgetPhase.submission,
  overrides: Partial<Budget> = {},
): Promise<Budget> {
  const created = createBudget(council, community, {
    names: { uk: 'Бюджет', en: 'Budget' },
    currency: 'UAH',
    totalAmount: 1_000,
    ballot: { type: 'approval', maxProjects: 2 },
    rule: 'greedy',
  });
  if (!created.ok) throw new Error(created.error.code);
  const budget = { ...created.value, phase, ...overrides };
  await store.createBudget(budget, []);
  return budget;
}

/** A project of `budget` in `state`, stored as if it got there. */
async function storedProject(store: FakeBudgetStore, budget: Budget, state: ProjectState): Promise<Project> {
  const project: Project = {
    id: `p-${state}`,
    budgetId: budget.id,
    communityId: budget.communityId,
    title: 'Лавки',
    description: 'Лавки в парку',
    costEstimate: 300,
    potId: 'city',
    authorKey: 'ab'.repeat(32),
    state,
    progress: [],
    createdAt: NOW,
    version: 1,
  };
  await store.createProject(project, [], budget);
  return project;
}

/** Runs without sleeping between tries: the fake's conflicts are injected, not raced. */
const noPause = { attempts: CHANGE_ATTEMPTS, pause: async () => {} };

/** The use cases on `store`, with {@link noPause}. */
const useCasesOn = (store: FakeBudgetStore) => budgetUseCases(store, noPause);

const addressOf = (budget: Budget) => ({ communityId: budget.communityId, budgetId: budget.id });

const namesOf = (store: FakeBudgetStore) => store.events.map((event) => event.name);

describe('budgets and their phases, through the runner', () => {
  it('opens a budget: stored with its event and the audit intent the command returned', async () => {
    // Prepare
    const store = fakeBudgetStore();

    // Act
    const outcome = await useCasesOn(store).openBudget(council, community, {
      names: { uk: 'Бюджет', en: 'Budget' },
      currency: 'UAH',
      totalAmount: 1_000,
      ballot: { type: 'approval' },
      rule: 'greedy',
    });

    // Assess
    if (!outcome.ok) throw new Error(outcome.error.code);
    expect(await store.getBudget('c1', outcome.value.id)).toEqual(outcome.value);
    expect(namesOf(store)).toEqual([BudgetEvents.created]);
    expect(store.audits).toEqual([outcome.audit]);
    expect(outcome.audit).toMatchObject({
      action: AuditAction.budgetCreate,
      target: `budget/${outcome.value.id}`,
      after: { totalAmount: 1_000, pots: 1, rule: 'greedy', ballot: 'approval' },
    });
  });

  it('moves the phase, audited, and reads again after one lost race', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const budget = await storedBudget(store);
    store.conflictNext(1);

    // Act
    const outcome = await useCasesOn(store).moveBudgetPhase(council, addressOf(budget), BudgetPhase.review);

    // Assess
    expect(outcome.ok).toBe(true);
    expect(store.attempts()).toBe(2);
    expect(await store.getBudget('c1', budget.id)).toMatchObject({
      phase: BudgetPhase.review,
      version: budget.version + 1,
    });
    expect(namesOf(store)).toEqual([BudgetEvents.phaseChanged]);
    expect(store.audits).toEqual([
      expect.objectContaining({
        action: AuditAction.budgetPhaseChange,
        before: { phase: BudgetPhase.submission },
        after: { phase: BudgetPhase.review },
      }),
    ]);
  });

  it('answers version_conflict, naming the budget, after four lost races, and writes nothing', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const budget = await storedBudget(store);
    store.conflictNext(4);

    // Act
    const outcome = await useCasesOn(store).moveBudgetPhase(council, addressOf(budget), BudgetPhase.review);

    // Assess
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'version_conflict', message: { en: expect.stringContaining(BUDGET.en) } },
    });
    expect(store.attempts()).toBe(4);
    expect(await store.getBudget('c1', budget.id)).toEqual(budget);
    expect(store.events).toEqual([]);
    expect(store.audits).toEqual([]);
  });

  it('refuses a missing budget and a caller who is not the council, without writing', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const budget = await storedBudget(store);

    // Act
    const missing = await useCasesOn(store).moveBudgetPhase(
      council,
      { ...addressOf(budget), budgetId: 'nope' },
      'review',
    );
    const refused = await useCasesOn(store).moveBudgetPhase(resident, addressOf(budget), BudgetPhase.review);

    // Assess
    expect(missing).toMatchObject({ ok: false, error: { code: 'budget_not_found' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(store.attempts()).toBe(0);
  });

  it('moves a budget on schedule once its date has come, and leaves one that is not due', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const due = await storedBudget(store, BudgetPhase.submission, { schedule: { reviewStartsAt: NOW } });
    const notDue = await storedBudget(store, BudgetPhase.submission, { schedule: { reviewStartsAt: LATER } });

    // Act
    const moved = await useCasesOn(store).moveBudgetOnSchedule(at(NOW), addressOf(due));
    const left = await useCasesOn(store).moveBudgetOnSchedule(at(NOW), addressOf(notDue));

    // Assess
    expect(moved).toMatchObject({ ok: true, value: { phase: BudgetPhase.review } });
    expect(left).toMatchObject({ ok: true, value: undefined });
    expect((await store.getBudget('c1', notDue.id))?.phase).toBe(BudgetPhase.submission);
    expect(store.audits).toEqual([]);
  });
});

describe('projects, through the runner', () => {
  it('takes a submission after a lost race, and refuses one beyond the cap', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const budget = await storedBudget(store, BudgetPhase.submission, { maxProjects: 1 });
    const input = { title: 'Лавки', description: 'Лавки в парку', costEstimate: 300 };
    store.conflictNext(1);

    // Act
    const first = await useCasesOn(store).proposeProject(resident, addressOf(budget), community, input);
    const second = await useCasesOn(store).proposeProject(resident, addressOf(budget), community, input);

    // Assess
    expect(first).toMatchObject({ ok: true, value: { budgetId: budget.id, costEstimate: 300 } });
    expect(second).toMatchObject({
      ok: false,
      error: { code: 'project_limit_reached', details: { limit: 1 } },
    });
    expect(await store.projects('c1', budget.id)).toHaveLength(1);
    expect(namesOf(store)).toEqual([BudgetEvents.projectSubmitted]);
  });

  it('reviews a project, audited with the fields it changed; a missing one is project_not_found', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const budget = await storedBudget(store, BudgetPhase.review);
    const project = await storedProject(store, budget, ProjectState.proposed);

    // Act
    const reviewed = await useCasesOn(store).reviewBudgetProject(council, addressOf(budget), project.id, {
      outcome: 'feasible',
      finalCost: 250,
    });
    const missing = await useCasesOn(store).reviewBudgetProject(council, addressOf(budget), 'nope', {
      outcome: 'unfeasible',
      reason: 'no',
    });

    // Assess
    expect(reviewed).toMatchObject({ ok: true, value: { state: ProjectState.feasible, finalCost: 250 } });
    expect(await store.getProject('c1', budget.id, project.id)).toMatchObject({ version: 2, finalCost: 250 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'project_not_found' } });
    expect(store.audits).toEqual([
      expect.objectContaining({
        action: AuditAction.budgetProjectReview,
        target: `budget-project/${project.id}`,
        before: expect.objectContaining({ state: ProjectState.proposed }),
        after: expect.objectContaining({ state: ProjectState.feasible, finalCost: 250 }),
      }),
    ]);
  });

  it('tracks a selected project after a lost race, and gives up with version_conflict after four', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const budget = await storedBudget(store, BudgetPhase.published);
    const project = await storedProject(store, budget, ProjectState.selected);
    store.conflictNext(1);

    // Act
    const started = await useCasesOn(store).trackBudgetProject(council, addressOf(budget), project.id, {
      state: 'in_progress',
    });
    store.conflictNext(4);
    const stuck = await useCasesOn(store).trackBudgetProject(council, addressOf(budget), project.id, {
      note: 'Замовили лавки',
    });

    // Assess
    expect(started).toMatchObject({ ok: true, value: { state: ProjectState.in_progress, version: 2 } });
    expect(stuck).toMatchObject({ ok: false, error: { code: 'version_conflict' } });
    expect(await store.getProject('c1', budget.id, project.id)).toMatchObject({ version: 2, progress: [] });
    expect(store.audits.map((audit) => audit.action)).toEqual([AuditAction.budgetProjectProgress]);
  });
});

describe('ballots', () => {
  it('stores a voter’s ballot while voting is open, and names the pots they may vote in', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const budget = await storedBudget(store, BudgetPhase.voting);
    const project = await storedProject(store, budget, ProjectState.feasible);
    const box = await useCasesOn(store).ballotBoxOf(addressOf(budget));

    // Act
    const outcome = await useCasesOn(store).vote(resident, box, budget.id, [
      { potId: 'city', projectIds: [project.id] },
    ]);

    // Assess
    expect(outcome).toMatchObject({ ok: true, value: { pots: [{ id: 'city' }] } });
    expect(await store.ballotsOf('c1', budget.id, resident.actor.signerKey)).toEqual([
      expect.objectContaining({ potId: 'city', projectIds: [project.id], castAt: NOW }),
    ]);
  });

  it('refuses a ballot after the scheduled close, and one for a budget that is not there', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const budget = await storedBudget(store, BudgetPhase.voting, { schedule: { votingEndsAt: NOW } });
    const project = await storedProject(store, budget, ProjectState.feasible);
    const box = await useCasesOn(store).ballotBoxOf(addressOf(budget));
    const choice = [{ potId: 'city', projectIds: [project.id] }];

    // Act
    const late = await useCasesOn(store).vote(resident, box, budget.id, choice);
    const nowhere = await useCasesOn(store).vote(
      resident,
      await useCasesOn(store).ballotBoxOf({ communityId: 'c1', budgetId: 'nope' }),
      'nope',
      choice,
    );

    // Assess
    expect(late).toMatchObject({
      ok: false,
      error: { code: 'wrong_phase', details: { currentPhase: 'tallying' } },
    });
    expect(nowhere).toMatchObject({ ok: false, error: { code: 'budget_not_found' } });
    expect(await store.allBallots('c1', budget.id)).toEqual([]);
  });
});

describe('results: the request and the job’s lifecycle, through the runner', () => {
  const result: PotResult = {
    potId: 'city',
    rule: 'greedy',
    version: '1',
    inputSha256: 'a'.repeat(64),
    budget: '1000',
    spent: '300',
    left: '700',
    ballots: 1,
    selected: ['p-feasible'],
    projects: [{ id: 'p-feasible', cost: '300', score: '1', selected: true }],
  };

  it('asks for results after a lost race: the budget waits for the job, with its event and audit', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const budget = await storedBudget(store, BudgetPhase.tallying);
    store.conflictNext(1);

    // Act
    const outcome = await useCasesOn(store).askForResults(council, addressOf(budget));

    // Assess
    if (!outcome.ok) throw new Error(outcome.error.code);
    const { job } = outcome.value;
    expect(job).toMatchObject({
      communityId: 'c1',
      budgetId: budget.id,
      requestedAt: NOW,
      requestedBy: 'council',
    });
    expect(store.jobs).toEqual([job]);
    expect((await store.getBudget('c1', budget.id))?.results).toEqual({
      jobId: job.jobId,
      status: 'running',
      requestedAt: NOW,
    });
    expect(store.events).toEqual([
      expect.objectContaining({
        name: BudgetEvents.resultsRequested,
        detail: expect.objectContaining({ jobId: job.jobId }),
      }),
    ]);
    expect(store.audits).toEqual([
      expect.objectContaining({
        action: AuditAction.budgetResultsRequest,
        after: expect.objectContaining({ jobId: job.jobId }),
      }),
    ]);
  });

  it('refuses results to anyone but the council, and outside tallying', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const voting = await storedBudget(store, BudgetPhase.voting);

    // Act
    const byResident = await useCasesOn(store).askForResults(resident, {
      ...addressOf(voting),
      budgetId: 'nope',
    });
    const tooEarly = await useCasesOn(store).askForResults(council, addressOf(voting));

    // Assess
    expect(byResident).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(tooEarly).toMatchObject({ ok: false, error: { code: 'wrong_phase' } });
    expect(store.jobs).toEqual([]);
  });

  it('starts, finishes and publishes: done stamped by the job’s clock, then projects selected', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const budget = await storedBudget(store, BudgetPhase.tallying);
    await storedProject(store, budget, ProjectState.feasible);
    const asked = await useCasesOn(store).askForResults(council, addressOf(budget));
    if (!asked.ok) throw new Error(asked.error.code);
    const { jobId } = asked.value.job;
    const jobClock = fixedClock(LATER);

    // Act
    const waiting = await useCasesOn(store).loadBudget(addressOf(budget));
    const run = waiting.ok ? startResults(jobClock, waiting.value, jobId, 60_000) : waiting;
    const finished = await useCasesOn(store).finishResultsJob(jobClock, { ...addressOf(budget), jobId }, [
      result,
    ]);
    const published = await useCasesOn(store).publishBudgetResults(council, addressOf(budget));

    // Assess
    expect(run).toMatchObject({
      ok: true,
      value: { jobId, startedAt: LATER, deadline: '2026-11-22T10:06:00.000Z' },
    });
    expect(finished).toMatchObject({
      ok: true,
      value: { results: { jobId, status: 'done', computedAt: LATER } },
    });
    expect(published).toMatchObject({ ok: true, value: { budget: { phase: BudgetPhase.published } } });
    expect(await store.projects('c1', budget.id)).toEqual([
      expect.objectContaining({ id: 'p-feasible', state: ProjectState.selected }),
    ]);
    expect(store.audits.map((audit) => audit.action)).toEqual([
      AuditAction.budgetResultsRequest,
      AuditAction.budgetResultsPublish,
    ]);
  });

  it('fails a job with its reason; a superseded job neither fails nor finishes the budget', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const budget = await storedBudget(store, BudgetPhase.tallying);
    const first = await useCasesOn(store).askForResults(council, addressOf(budget));
    const second = await useCasesOn(store).askForResults(council, addressOf(budget));
    if (!first.ok || !second.ok) throw new Error('results not requested');
    const failure = { code: ResultsFailureCode.job_failed, detail: 'the ledger caught fire' };
    const failJob = (jobId: string) =>
      useCasesOn(store).failResultsJob({ ...addressOf(budget), jobId }, failure);

    // Act
    const stale = await failJob(first.value.job.jobId);
    const staleFinish = finishResults(fixedClock(LATER), second.value.budget, first.value.job.jobId);
    store.conflictNext(1);
    const failed = await failJob(second.value.job.jobId);

    // Assess
    expect(stale).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    expect(staleFinish).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    expect(failed.ok).toBe(true);
    expect((await store.getBudget('c1', budget.id))?.results).toEqual({
      jobId: second.value.job.jobId,
      status: 'failed',
      requestedAt: NOW,
      errorCode: 'results_job_failed',
      errorDetail: 'the ledger caught fire',
      error: 'The results job failed unexpectedly: the ledger caught fire',
    });
  });

  it('refuses to publish before the results are in', async () => {
    // Prepare
    const store = fakeBudgetStore();
    const budget = await storedBudget(store, BudgetPhase.tallying);

    // Act
    const outcome = await useCasesOn(store).publishBudgetResults(council, addressOf(budget));

    // Assess
    expect(outcome).toMatchObject({ ok: false, error: { code: 'results_not_computed' } });
    expect((await store.getBudget('c1', budget.id))?.phase).toBe(BudgetPhase.tallying);
  });
});
