import { AuditAction, newAuditIntent } from '../../domain/audit/intent';
import { changes } from '../../domain/audit/summary';
import {
  BALLOT_BOX_GRACE_MS,
  type Budget,
  BudgetPhase,
  potsOf,
  type ResultsSummary,
} from '../../domain/budgets/budget';
import { castBallot } from '../../domain/budgets/commands/cast-ballot';
import { changeBudgetPhase } from '../../domain/budgets/commands/change-phase';
import { createBudget } from '../../domain/budgets/commands/create-budget';
import { importBudget } from '../../domain/budgets/commands/import-budget';
import { publishResults } from '../../domain/budgets/commands/publish-results';
import { reviewProject } from '../../domain/budgets/commands/review-project';
import { submitProject } from '../../domain/budgets/commands/submit-project';
import { trackProject } from '../../domain/budgets/commands/track-project';
import { budgetEvent } from '../../domain/budgets/events';
import { PabulibError } from '../../domain/budgets/pabulib/errors';
import { parsePabulib } from '../../domain/budgets/pabulib/parse';
import { mayManageBudget, projectLimitReached, wrongPhase } from '../../domain/budgets/permissions';
import type { BudgetStore } from '../../domain/budgets/ports';
import { type Project, ProjectState, PUBLIC_PROJECT_STATES } from '../../domain/budgets/project';
import { resultsFailureText } from '../../domain/budgets/results-failure';
import type { Community } from '../../domain/communities/community';
import { forbidden } from '../../domain/communities/permissions';
import { type Locale, text } from '../../domain/shared/localized';
import type { DomainError, Outcome } from '../../domain/shared/outcome';
import type { ProblemCode } from '../../domain/shared/problem-codes';
import { BudgetEvents } from '../../events/budgets';
import type { EventEnvelope } from '../../events/envelope';
import { documentClient } from '../shared/dynamo';
import {
  type AnyRoute,
  defineRoute,
  type RouteReply,
  type RouteRequest,
  type ToolDefinition,
  userScope,
} from '../shared/routes';
import { ttlCache } from '../shared/ttl-cache';
import { exportBudget } from './export';
import {
  BallotBodySchema,
  BudgetListSchema,
  BudgetPathSchema,
  BudgetsPathSchema,
  BudgetViewSchema,
  ballotView,
  budgetView,
  CreateBudgetBodySchema,
  ExportQuerySchema,
  ImportBodySchema,
  ImportQuerySchema,
  JobSchema,
  ListBudgetsQuerySchema,
  ListProjectsQuerySchema,
  MyBallotsSchema,
  PhaseBodySchema,
  ProgressBodySchema,
  ProjectListSchema,
  ProjectPageQuerySchema,
  ProjectPathSchema,
  ProjectViewSchema,
  projectView,
  RESULTS_PUBLIC,
  ResultsViewSchema,
  ReviewBodySchema,
  SubmitProjectBodySchema,
} from './schemas';
import { dynamoBudgetStore } from './store';

const BASE = '/v1/communities/{communityId}/budgets';
const BUDGET = `${BASE}/{budgetId}`;
const PROJECT = `${BUDGET}/projects/{projectId}`;
const ATTEMPTS = 4;

/**
 * How old the ballot box's view of a budget may be: clearly less than the
 * grace a council's close gives, so that a ballot accepted from the cache is
 * written (and stamped) before the close takes effect.
 */
const BALLOT_BOX_CACHE_MS = BALLOT_BOX_GRACE_MS - 500;

/**
 * Budgets open for voting, with their projects, as the ballot box sees them:
 * up to {@link BALLOT_BOX_CACHE_MS} old, so that a ballot costs one write and
 * no reads. While voting is open the projects on the ballot cannot change
 * (review is over, results are not in). The council may close voting
 * meanwhile: its close takes effect that much later, so a ballot accepted
 * from the cache is still counted. The schedule's close is checked against
 * the clock, exactly. Budgets in other phases are read afresh every time.
 */
const votingBudgets = ttlCache<{ budget: Budget; projects: ReadonlyMap<string, Project> } | undefined>(
  BALLOT_BOX_CACHE_MS,
  1000,
  Date.now,
  (box) => box?.budget.phase === BudgetPhase.voting,
);

const storeFor = (request: RouteRequest): BudgetStore =>
  dynamoBudgetStore(documentClient(request.config), request.config.tableName);

const budgetNotFound = (budgetId: string): DomainError => ({
  code: 'budget_not_found',
  message: text('Бюджету не знайдено.', 'There is no such budget.'),
  details: { budgetId },
});

const projectNotFound = (projectId: string): DomainError => ({
  code: 'project_not_found',
  message: text('Проєкту не знайдено.', 'There is no such project.'),
  details: { projectId },
});

const conflict: DomainError = {
  code: 'version_conflict',
  message: text(
    'Бюджет чи проєкт саме змінили кілька разів поспіль. Спробуйте ще раз.',
    'The budget or project changed several times just now. Please try again.',
  ),
};

async function loadBudget(request: RouteRequest<{ budgetId: string }>): Promise<Budget | DomainError> {
  const community = request.community as Community;
  const budget = await storeFor(request).getBudget(community.id, request.params.budgetId);
  return budget ?? budgetNotFound(request.params.budgetId);
}

const BUDGET_ERRORS: readonly ProblemCode[] = ['community_not_found', 'budget_not_found'];

/**
 * A project as the public may know it: selected or not only once the council
 * has published the results (publication marks projects before it flips the
 * budget, and the job's outcome is the council's to announce).
 */
const asPublishedBy =
  (budget: Budget) =>
  (project: Project): Project =>
    !RESULTS_PUBLIC.has(budget.phase) &&
    (project.state === ProjectState.selected || project.state === ProjectState.not_selected)
      ? { ...project, state: ProjectState.feasible }
      : project;

/**
 * The stored states whose projects the public list shows as `shown` (every
 * public state without one): before publication `feasible` also covers the
 * projects the results job marked, and nothing shows as selected or not.
 */
function storedStatesShownAs(budget: Budget, shown: ProjectState | undefined): ProjectState[] {
  const published = RESULTS_PUBLIC.has(budget.phase);
  const marked: ProjectState[] = [ProjectState.selected, ProjectState.not_selected];
  if (shown === undefined) return [...PUBLIC_PROJECT_STATES];
  if (!PUBLIC_PROJECT_STATES.has(shown) || (!published && marked.includes(shown))) return [];
  return !published && shown === ProjectState.feasible ? [shown, ...marked] : [shown];
}

function resultsNotPublic(budget: Budget): DomainError {
  return {
    code: 'results_not_public',
    message: text('Результати ще не оприлюднено.', 'The results are not published yet.'),
    details: { currentPhase: budget.phase },
  };
}

/** Why the job failed, by code and in the caller's language (a job failed before codes: its English text). */
function failureOf(results: ResultsSummary | undefined, locale: Locale) {
  if (results?.errorCode)
    return {
      errorCode: results.errorCode,
      error: resultsFailureText(results.errorCode, results.errorDetail, locale),
    };
  return results?.error ? { error: results.error } : {};
}

/** The job's status, why it failed if it did and, once it is done, every pot's result. */
async function resultsBody(store: BudgetStore, budget: Budget, locale: Locale) {
  const pots = budget.results?.status === 'done' ? await store.results(budget.communityId, budget.id) : [];
  return {
    status: budget.results?.status ?? 'none',
    phase: budget.phase,
    ...(budget.results?.computedAt ? { computedAt: budget.results.computedAt } : {}),
    ...failureOf(budget.results, locale),
    pots,
  };
}
const PROJECT_ERRORS: readonly ProblemCode[] = [...BUDGET_ERRORS, 'project_not_found'];

/** Runs a command on the current budget and saves it; re-reads and re-runs when another change came first. */
async function changeBudget(
  request: RouteRequest<{ budgetId: string }>,
  run: (budget: Budget) => Outcome<Budget>,
  audit: (previous: Budget, next: Budget) => ReturnType<typeof newAuditIntent> | undefined,
): Promise<RouteReply> {
  const store = storeFor(request);
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const budget = await loadBudget(request);
    if ('code' in budget) return { error: budget };
    const outcome = run(budget);
    if (!outcome.ok) return { error: outcome.error };
    if (
      (await store.saveBudget(budget, outcome.value, outcome.events, audit(budget, outcome.value))) ===
      'saved'
    ) {
      return { status: 200, body: budgetView(outcome.value) };
    }
  }
  return { error: conflict };
}

/** Runs a command on a project of the current budget and saves it, re-running after a lost race. */
async function changeProject(
  request: RouteRequest<{ budgetId: string; projectId: string }>,
  run: (budget: Budget, project: Project) => Outcome<Project>,
  action: AuditAction,
): Promise<RouteReply> {
  const { command, community } = userScope(request);
  const store = storeFor(request);
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const budget = await loadBudget(request);
    if ('code' in budget) return { error: budget };
    const project = await store.getProject(community.id, budget.id, request.params.projectId);
    if (!project) return { error: projectNotFound(request.params.projectId) };
    const outcome = run(budget, project);
    if (!outcome.ok) return { error: outcome.error };
    const audit = newAuditIntent(command, {
      communityId: community.id,
      action,
      target: `budget-project/${project.id}`,
      ...changes(project, outcome.value, ['state', 'finalCost', 'review', 'cancelReason']),
    });
    if ((await store.saveProject(project, outcome.value, outcome.events, audit, budget)) === 'saved') {
      return { status: 200, body: projectView(outcome.value) };
    }
  }
  return { error: conflict };
}

const routes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: BASE,
    auth: 'user',
    operationId: 'createBudget',
    summary: 'Open a participatory budget: pots, ballot type and limits, result rule, schedule (council)',
    description:
      'Amounts are integer minor units (kopiykas). District pots are carved out of `totalAmount`; the rest is ' +
      'the city-wide pot, in which every voter votes (and in their district pot too).',
    params: BudgetsPathSchema,
    body: CreateBudgetBodySchema,
    responses: { 201: { description: 'The new budget, taking submissions', schema: BudgetViewSchema } },
    errors: [
      'community_not_found',
      'forbidden',
      'unknown_district',
      'validation_failed',
      'rule_needs_approval_ballots',
    ],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const outcome = createBudget(command, community, request.body);
      if (!outcome.ok) return outcome;
      const budget = outcome.value;
      await storeFor(request).createBudget(
        budget,
        outcome.events,
        newAuditIntent(command, {
          communityId: community.id,
          action: AuditAction.budgetCreate,
          target: `budget/${budget.id}`,
          after: {
            totalAmount: budget.totalAmount,
            pots: budget.pots.length,
            rule: budget.rule,
            ballot: budget.ballot.type,
          },
        }),
      );
      return {
        status: 201,
        body: budgetView(budget),
        headers: { location: `/v1/communities/${community.id}/budgets/${budget.id}` },
      };
    },
  }),

  defineRoute({
    method: 'GET',
    path: BASE,
    auth: 'public',
    operationId: 'listBudgets',
    summary: "The community's budgets, newest first",
    params: BudgetsPathSchema,
    query: ListBudgetsQuerySchema,
    cache: { maxAgeSeconds: 10 },
    responses: { 200: { description: 'A page of budgets', schema: BudgetListSchema } },
    errors: ['community_not_found', 'invalid_cursor'],
    handle: async (request) => {
      const community = request.community as Community;
      const page = await storeFor(request).listBudgets(
        community.id,
        request.query.limit,
        request.query.cursor,
      );
      return {
        status: 200,
        body: { items: page.items.map(budgetView), ...(page.cursor ? { cursor: page.cursor } : {}) },
      };
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${BASE}/import`,
    auth: 'user',
    operationId: 'importBudget',
    summary: 'Import a finished election from a pabulib .pb file (council): a budget ready for results',
    description:
      "Body: the `.pb` text (`text/plain`). The budget starts in `tallying` with the file's projects (their ids " +
      "kept as `externalId`) and ballots. `?rule=` overrides the file's META `rule`.",
    params: BudgetsPathSchema,
    query: ImportQuerySchema,
    body: ImportBodySchema,
    bodyContentType: 'text/plain',
    responses: { 201: { description: 'The imported budget', schema: BudgetViewSchema } },
    errors: [
      'community_not_found',
      'forbidden',
      'invalid_pabulib',
      'unsupported_vote_type',
      'amount_too_large',
      'rule_needs_approval_ballots',
      'project_limit_reached',
    ],
    handle: async (request) => {
      const { command, community } = userScope(request);
      if (!mayManageBudget(command.actor)) return { error: forbidden('council') };
      let instance: ReturnType<typeof parsePabulib>;
      try {
        instance = parsePabulib(request.body);
      } catch (error) {
        if (!(error instanceof PabulibError)) throw error;
        return {
          error: {
            code: 'invalid_pabulib',
            message: text(`Рядок ${error.line}: ${error.text.uk}`, `Line ${error.line}: ${error.text.en}`),
            details: { line: error.line, problem: error.code },
          },
        };
      }
      const outcome = importBudget(command, community, instance, {
        ...(request.query.rule ? { rule: request.query.rule } : {}),
        ...(request.query.names ? { name: request.query.names } : {}),
      });
      if (!outcome.ok) return outcome;
      const { budget, projects, ballots } = outcome.value;
      await storeFor(request).importBudget(
        budget,
        projects,
        ballots,
        outcome.events,
        newAuditIntent(command, {
          communityId: community.id,
          action: AuditAction.budgetImport,
          target: `budget/${budget.id}`,
          after: {
            projects: projects.length,
            ballots: ballots.length,
            budget: budget.totalAmount,
            rule: budget.rule,
          },
        }),
      );
      return {
        status: 201,
        body: budgetView(budget),
        headers: { location: `/v1/communities/${community.id}/budgets/${budget.id}` },
      };
    },
  }),

  defineRoute({
    method: 'GET',
    path: BUDGET,
    auth: 'public',
    operationId: 'getBudget',
    summary: 'A budget: pots, phase, schedule, ballot limits, rule, results status',
    params: BudgetPathSchema,
    cache: { maxAgeSeconds: 10 },
    responses: { 200: { description: 'The budget', schema: BudgetViewSchema } },
    errors: BUDGET_ERRORS,
    handle: async (request) => {
      const budget = await loadBudget(request);
      return 'code' in budget ? { error: budget } : { status: 200, body: budgetView(budget) };
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${BUDGET}/phase`,
    auth: 'user',
    operationId: 'changeBudgetPhase',
    summary: 'Move the budget to its next phase (council); leaving voting closes the ballot box',
    params: BudgetPathSchema,
    body: PhaseBodySchema,
    responses: { 200: { description: 'The budget', schema: BudgetViewSchema } },
    errors: [...BUDGET_ERRORS, 'forbidden', 'invalid_phase_change', 'version_conflict'],
    handle: async (request) => {
      const { command } = userScope(request);
      return changeBudget(
        request,
        (budget) => changeBudgetPhase(command, budget, request.body.phase),
        (previous, next) =>
          newAuditIntent(command, {
            communityId: previous.communityId,
            action: AuditAction.budgetPhaseChange,
            target: `budget/${previous.id}`,
            ...changes(previous, next, ['phase', 'votingClosedAt']),
          }),
      );
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${BUDGET}/projects`,
    auth: 'user',
    operationId: 'submitBudgetProject',
    summary: 'Propose a project (eligible resident, in the submission phase)',
    description:
      'A budget takes at most its `maxProjects` submissions (500 by default; every state counted, hidden and ' +
      'rejected ones too): beyond that 409 `project_limit_reached`.',
    params: BudgetPathSchema,
    body: SubmitProjectBodySchema,
    responses: {
      201: { description: 'The project (in moderation, or proposed)', schema: ProjectViewSchema },
    },
    errors: [
      ...BUDGET_ERRORS,
      'not_eligible',
      'wrong_phase',
      'unknown_pot',
      'cost_over_pot',
      'project_limit_reached',
      'version_conflict',
    ],
    handle: async (request) => {
      const { command, community } = userScope(request);
      for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
        const budget = await loadBudget(request);
        if ('code' in budget) return { error: budget };
        const outcome = submitProject(command, community, budget, request.body);
        if (!outcome.ok) return outcome;
        // A conflict means the phase moved on meanwhile (read again, and the command says so), or another
        // submission was written at the same instant (try again).
        const saved = await storeFor(request).createProject(outcome.value, outcome.events, budget);
        if (saved === 'full') return { error: projectLimitReached(budget) };
        if (saved === 'saved') return { status: 201, body: projectView(outcome.value) };
      }
      return { error: conflict };
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${BUDGET}/projects`,
    auth: 'public',
    operationId: 'listBudgetProjects',
    summary:
      "A budget's public projects (filter by pot and state), oldest first, a page at a time; authors see their " +
      'own at `…/projects/mine`',
    description:
      'Until the results are published, projects the results job has marked show as `feasible`: the outcome ' +
      'is public when the council publishes it, not before. `?limit=` 1–100, **100** by default (a ballot ' +
      'shows a pot together); `?cursor=` from the previous page. One page reads at most 500 projects: with ' +
      'filters a page may come back short, and its `cursor` goes on.',
    params: BudgetPathSchema,
    query: ListProjectsQuerySchema,
    responses: { 200: { description: 'A page of the projects', schema: ProjectListSchema } },
    errors: [...BUDGET_ERRORS, 'invalid_cursor'],
    handle: async (request) => {
      const budget = await loadBudget(request);
      if ('code' in budget) return { error: budget };
      const { limit, cursor, pot, state } = request.query;
      const states = storedStatesShownAs(budget, state);
      if (states.length === 0) return { status: 200, body: { items: [] } };
      const page = await storeFor(request).projectPage(
        budget.communityId,
        budget.id,
        { states, ...(pot ? { potId: pot } : {}) },
        { limit, ...(cursor ? { cursor } : {}) },
      );
      return {
        status: 200,
        body: {
          items: page.items.map(asPublishedBy(budget)).map(projectView),
          ...(page.cursor ? { cursor: page.cursor } : {}),
        },
        headers: { 'cache-control': 'no-store' },
      };
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${BUDGET}/projects/mine`,
    auth: 'user',
    operationId: 'listMyBudgetProjects',
    summary:
      "The caller's own projects in this budget, in every state, oldest first, a page at a time (moderation " +
      'reasons in uk and en)',
    description: '`?limit=` 1–100, **100** by default; `?cursor=` from the previous page.',
    params: BudgetPathSchema,
    query: ProjectPageQuerySchema,
    responses: { 200: { description: 'A page of the projects', schema: ProjectListSchema } },
    errors: [...BUDGET_ERRORS, 'invalid_cursor'],
    handle: async (request) => {
      const { command } = userScope(request);
      const budget = await loadBudget(request);
      if ('code' in budget) return { error: budget };
      const { limit, cursor } = request.query;
      const page = await storeFor(request).projectsByAuthor(
        budget.communityId,
        budget.id,
        command.actor.signerKey,
        { limit, ...(cursor ? { cursor } : {}) },
      );
      return {
        status: 200,
        body: {
          items: page.items.map(asPublishedBy(budget)).map(projectView),
          ...(page.cursor ? { cursor: page.cursor } : {}),
        },
        headers: { 'cache-control': 'no-store' },
      };
    },
  }),

  defineRoute({
    method: 'GET',
    path: PROJECT,
    auth: 'public',
    operationId: 'getBudgetProject',
    summary: 'A public project with its review, moderation reason (uk/en) and progress notes',
    params: ProjectPathSchema,
    responses: { 200: { description: 'The project', schema: ProjectViewSchema } },
    errors: PROJECT_ERRORS,
    handle: async (request) => {
      const budget = await loadBudget(request);
      if ('code' in budget) return { error: budget };
      const project = await storeFor(request).getProject(
        budget.communityId,
        budget.id,
        request.params.projectId,
      );
      if (!project || !PUBLIC_PROJECT_STATES.has(project.state)) {
        return { error: projectNotFound(request.params.projectId) };
      }
      return {
        status: 200,
        body: projectView(asPublishedBy(budget)(project)),
        headers: { 'cache-control': 'no-store' },
      };
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${PROJECT}/review`,
    auth: 'user',
    operationId: 'reviewBudgetProject',
    summary: 'Feasible with the final cost, or unfeasible with the reason (council, in review)',
    params: ProjectPathSchema,
    body: ReviewBodySchema,
    responses: { 200: { description: 'The reviewed project', schema: ProjectViewSchema } },
    errors: [
      ...PROJECT_ERRORS,
      'forbidden',
      'wrong_phase',
      'invalid_state',
      'cost_over_pot',
      'version_conflict',
    ],
    handle: async (request) => {
      const { command } = userScope(request);
      return changeProject(
        request,
        (budget, project) => reviewProject(command, budget, project, request.body),
        AuditAction.budgetProjectReview,
      );
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${PROJECT}/progress`,
    auth: 'user',
    operationId: 'trackBudgetProject',
    summary: 'Implementation: in_progress, done, or cancelled with a reason; dated notes (council)',
    params: ProjectPathSchema,
    body: ProgressBodySchema,
    responses: { 200: { description: 'The project', schema: ProjectViewSchema } },
    errors: [
      ...PROJECT_ERRORS,
      'forbidden',
      'wrong_phase',
      'invalid_state',
      'reason_required',
      'version_conflict',
    ],
    handle: async (request) => {
      const { command } = userScope(request);
      return changeProject(
        request,
        (budget, project) =>
          trackProject(command, budget, project, request.body as Parameters<typeof trackProject>[3]),
        AuditAction.budgetProjectProgress,
      );
    },
  }),

  defineRoute({
    method: 'PUT',
    path: `${BUDGET}/ballots/me`,
    auth: 'user',
    operationId: 'castBudgetBallot',
    summary: 'Vote, or change your vote, while voting is open: one ballot per pot (eligible resident)',
    description:
      "Each ballot is checked against every limit of the budget's ballot type; the first broken limit names " +
      'the 422 (`ballot_too_many_projects`, `ballot_over_budget`, …) and `errors[]` lists them all. A ballot ' +
      'is one conditional write per pot; only ballots cast before voting closed are counted.',
    params: BudgetPathSchema,
    body: BallotBodySchema,
    // The hot path: no role lookup (voting needs only what the token says), settings up to 5 s old.
    scope: { roles: false, communityCacheMs: 5_000 },
    responses: { 200: { description: 'Your ballots as stored', schema: MyBallotsSchema } },
    errors: [
      ...BUDGET_ERRORS,
      'not_eligible',
      'wrong_phase',
      'ballot_too_few_projects',
      'ballot_too_many_projects',
      'ballot_over_budget',
      'ballot_under_min_share',
      'ballot_too_many_points',
      'ballot_too_many_points_for_project',
      'ballot_invalid_points',
      'ballot_points_mismatch',
      'ballot_points_not_allowed',
      'ballot_too_many_ranked',
      'ballot_unknown_project',
      'ballot_duplicate_project',
    ],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const store = storeFor(request);
      const ballotBox = await votingBudgets.get(
        `${request.config.tableName}|${community.id}|${request.params.budgetId}`,
        async () => {
          const budget = await store.getBudget(community.id, request.params.budgetId);
          if (!budget) return undefined;
          // The projects matter only while voting is open; a refusal needs none of them.
          const projects =
            budget.phase === BudgetPhase.voting ? await store.projects(community.id, budget.id) : [];
          return { budget, projects: new Map(projects.map((project) => [project.id, project])) };
        },
      );
      if (!ballotBox) return { error: budgetNotFound(request.params.budgetId) };
      const { budget, projects } = ballotBox;
      // One reading of the clock: the schedule's close is checked against the ballot's own castAt.
      const now = command.clock.now();
      const endsAt = budget.schedule.votingEndsAt;
      if (endsAt !== undefined && now.toISOString() >= endsAt) {
        return { error: wrongPhase({ phase: BudgetPhase.tallying }, [BudgetPhase.voting]) };
      }
      const outcome = castBallot(
        { ...command, clock: { now: () => now } },
        budget,
        projects,
        request.body.ballots,
      );
      if (!outcome.ok) return outcome;
      await store.castBallots(outcome.value);
      return {
        status: 200,
        body: {
          ballots: outcome.value.map(ballotView),
          pots: potsOf(budget, command.actor.residency?.districtId).map((pot) => pot.id),
        },
      };
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${BUDGET}/ballots/me`,
    auth: 'user',
    operationId: 'getMyBudgetBallots',
    summary: 'Your ballots in this budget, and the pots you may vote in',
    params: BudgetPathSchema,
    responses: { 200: { description: 'Your ballots', schema: MyBallotsSchema } },
    errors: BUDGET_ERRORS,
    handle: async (request) => {
      const { command } = userScope(request);
      const budget = await loadBudget(request);
      if ('code' in budget) return { error: budget };
      const ballots = await storeFor(request).ballotsOf(
        budget.communityId,
        budget.id,
        command.actor.signerKey,
      );
      return {
        status: 200,
        body: {
          ballots: ballots.map(ballotView),
          pots: potsOf(budget, command.actor.residency?.districtId).map((pot) => pot.id),
        },
        headers: { 'cache-control': 'no-store' },
      };
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${BUDGET}/results`,
    auth: 'user',
    operationId: 'computeBudgetResults',
    summary: "Compute the results by the budget's rule (council, in tallying): 202 with a job",
    params: BudgetPathSchema,
    responses: { 202: { description: 'The job; poll GET …/results', schema: JobSchema } },
    errors: [...BUDGET_ERRORS, 'forbidden', 'wrong_phase', 'version_conflict'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      if (!mayManageBudget(command.actor)) return { error: forbidden('council') };
      const store = storeFor(request);
      for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
        const budget = await loadBudget(request);
        if ('code' in budget) return { error: budget };
        if (budget.phase !== BudgetPhase.tallying)
          return { error: wrongPhase(budget, [BudgetPhase.tallying]) };
        const requestedAt = command.clock.now().toISOString();
        const job = {
          communityId: community.id,
          budgetId: budget.id,
          jobId: command.ids.next(),
          requestedAt,
          requestedBy: command.actor.subject,
        };
        const next: Budget = {
          ...budget,
          results: { jobId: job.jobId, status: 'running', requestedAt },
          version: budget.version + 1,
        };
        const audit = newAuditIntent(command, {
          communityId: community.id,
          action: AuditAction.budgetResultsRequest,
          target: `budget/${budget.id}`,
          after: { jobId: job.jobId, rule: budget.rule, completion: budget.completion },
        });
        // The event, not the stream, starts the job: it runs in a function of its own (see results-job.ts).
        const requested = budgetEvent(
          command.ids,
          command.clock.now(),
          budget,
          BudgetEvents.resultsRequested,
          {
            jobId: job.jobId,
            requestedAt,
          },
        );
        if ((await store.requestResults(budget, next, job, [requested], audit)) === 'saved') {
          return {
            status: 202,
            body: { jobId: job.jobId, status: 'running', requestedAt },
            headers: { location: `/v1/communities/${community.id}/budgets/${budget.id}/results` },
          };
        }
      }
      return { error: conflict };
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${BUDGET}/results`,
    auth: 'public',
    operationId: 'getBudgetResults',
    summary: "Per pot: each project's score, cost and selection, the rule and version, the input's sha256",
    description: 'Public once published; before that the council reads them at `…/results/preview`.',
    params: BudgetPathSchema,
    cache: { maxAgeSeconds: 60 },
    responses: { 200: { description: 'The published results', schema: ResultsViewSchema } },
    errors: [...BUDGET_ERRORS, 'results_not_public'],
    handle: async (request) => {
      const budget = await loadBudget(request);
      if ('code' in budget) return { error: budget };
      if (!RESULTS_PUBLIC.has(budget.phase)) return { error: resultsNotPublic(budget) };
      return { status: 200, body: await resultsBody(storeFor(request), budget, request.locale) };
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${BUDGET}/results/preview`,
    auth: 'user',
    operationId: 'previewBudgetResults',
    summary: 'The results job and its results before publication (council)',
    params: BudgetPathSchema,
    responses: { 200: { description: 'The job status and the results so far', schema: ResultsViewSchema } },
    errors: [...BUDGET_ERRORS, 'forbidden'],
    handle: async (request) => {
      const { command } = userScope(request);
      if (!mayManageBudget(command.actor)) return { error: forbidden('council') };
      const budget = await loadBudget(request);
      if ('code' in budget) return { error: budget };
      return {
        status: 200,
        body: await resultsBody(storeFor(request), budget, request.locale),
        headers: { 'cache-control': 'no-store' },
      };
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${BUDGET}/results/publish`,
    auth: 'user',
    operationId: 'publishBudgetResults',
    summary: 'Publish the computed results (council): the budget becomes published, projects selected or not',
    params: BudgetPathSchema,
    responses: { 200: { description: 'The published budget', schema: BudgetViewSchema } },
    errors: [...BUDGET_ERRORS, 'forbidden', 'wrong_phase', 'results_not_computed', 'version_conflict'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const store = storeFor(request);
      for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
        const budget = await loadBudget(request);
        if ('code' in budget) return { error: budget };
        const [projects, results] = await Promise.all([
          store.projects(community.id, budget.id),
          store.results(community.id, budget.id),
        ]);
        const outcome = publishResults(command, budget, projects, results);
        if (!outcome.ok) return outcome;
        const audit = newAuditIntent(command, {
          communityId: community.id,
          action: AuditAction.budgetResultsPublish,
          target: `budget/${budget.id}`,
          after: {
            pots: results.map((result) => ({
              potId: result.potId,
              inputSha256: result.inputSha256,
              selected: result.selected.length,
              spent: result.spent,
            })),
          },
        });
        const saved = await store.publish(
          budget,
          outcome.value.budget,
          projects,
          outcome.value.projects,
          outcome.events as EventEnvelope[],
          audit,
        );
        if (saved === 'saved') return { status: 200, body: budgetView(outcome.value.budget) };
      }
      return { error: conflict };
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${BUDGET}/export`,
    auth: 'public',
    operationId: 'exportBudget',
    summary: 'Export: pabulib (one pot), csv or json; ballots anonymised, projects with `selected`',
    description:
      "Public once the results are published. `pabulib-input` is exactly the text a pot's results were " +
      "computed from (its sha256 is the result's `inputSha256`); `pabulib` adds the `selected` column. " +
      'An export pages: a page reads at most 5,000 ballots and holds at most 5 MiB, and when more remains ' +
      'a `Link` header with `rel="next"` names the next page (the same query and a `cursor`). `pabulib` ' +
      'pages concatenated in order are the whole file (META and PROJECTS only on the first page); each ' +
      "`json` page is the whole document with that page's ballots and `next` (the cursor): join the " +
      "pages by appending each pot's `ballots`; voter numbers go on across pages. `csv` is one page.",
    params: BudgetPathSchema,
    query: ExportQuerySchema,
    responses: { 200: { description: 'The export', contentType: 'text/plain' } },
    errors: [...BUDGET_ERRORS, 'results_not_public', 'unknown_pot', 'results_not_computed', 'invalid_cursor'],
    handle: async (request) => {
      const budget = await loadBudget(request);
      if ('code' in budget) return { error: budget };
      return exportBudget(request, storeFor(request), budget);
    },
  }),
];

/** The participatory-budgets tool: cycle, projects, ballots, results, export and import. */
export const budgetsTool: ToolDefinition = {
  name: 'budgets',
  entry: 'functions/budgets/http.ts',
  routes,
  tableActions: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:TransactWriteItems',
  ],
};
