import type { Budget } from '../../domain/budgets/budget';
import { projectNotFound } from '../../domain/budgets/permissions';
import { type Project, ProjectState, PUBLIC_PROJECT_STATES } from '../../domain/budgets/project';
import { LimitedAction } from '../../domain/communities/limits';
import type { Page } from '../../domain/communities/ports';
import { pageBody, pageRequest } from '../shared/pagination';
import { limitedBy } from '../shared/rate-limits';
import { type AnyRoute, answer, created, defineRoute, userScope } from '../shared/routes';
import {
  BUDGET_ERRORS,
  BUDGET_PATH,
  budgetAt,
  budgetOf,
  PROJECT_ERRORS,
  PROJECT_PATH,
  storeFor,
  useCasesFor,
} from './requests';
import {
  BudgetPathSchema,
  ListProjectsQuerySchema,
  ProgressBodySchema,
  ProjectListSchema,
  ProjectPageQuerySchema,
  ProjectPathSchema,
  ProjectViewSchema,
  projectView,
  RESULTS_PUBLIC,
  ReviewBodySchema,
  SubmitProjectBodySchema,
} from './schemas';
import type { BudgetUseCases } from './use-cases';

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

/** A page of projects as the public may know them; never cached (a project's state moves on). */
const projectPage = (budget: Budget, page: Page<Project>) => ({
  status: 200,
  body: pageBody(page, (project) => projectView(asPublishedBy(budget)(project))),
  headers: { 'cache-control': 'no-store' },
});

const projectAnswer = (project: Project) => ({ status: 200, body: projectView(project) });

/** Projects: proposed by residents, listed, reviewed and then tracked by the council. */
export const projectRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: `${BUDGET_PATH}/projects`,
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
      'rate_limited',
    ],
    handle: limitedBy(LimitedAction.projectSubmit, async (request) => {
      const { command, community } = userScope(request);
      const outcome = await useCasesFor(request).proposeProject(
        command,
        budgetAt(request),
        community,
        request.body,
      );
      return answer(outcome, (project) =>
        created(
          PROJECT_PATH,
          { communityId: community.id, budgetId: project.budgetId, projectId: project.id },
          projectView(project),
        ),
      );
    }),
  }),

  defineRoute({
    method: 'GET',
    path: `${BUDGET_PATH}/projects`,
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
      const budget = await budgetOf(request);
      if (!budget.ok) return budget;
      const { pot, state } = request.query;
      const states = storedStatesShownAs(budget.value, state);
      if (states.length === 0) return { status: 200, body: { items: [] } };
      const page = await storeFor(request).projectPage(
        budget.value.communityId,
        budget.value.id,
        { states, ...(pot ? { potId: pot } : {}) },
        pageRequest(request.query),
      );
      return projectPage(budget.value, page);
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${BUDGET_PATH}/projects/mine`,
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
      const budget = await budgetOf(request);
      if (!budget.ok) return budget;
      const page = await storeFor(request).projectsByAuthor(
        budget.value.communityId,
        budget.value.id,
        command.actor.signerKey,
        pageRequest(request.query),
      );
      return projectPage(budget.value, page);
    },
  }),

  defineRoute({
    method: 'GET',
    path: PROJECT_PATH,
    auth: 'public',
    operationId: 'getBudgetProject',
    summary: 'A public project with its review, moderation reason (uk/en) and progress notes',
    params: ProjectPathSchema,
    responses: { 200: { description: 'The project', schema: ProjectViewSchema } },
    errors: PROJECT_ERRORS,
    handle: async (request) => {
      const loaded = await useCasesFor(request).loadProject(budgetAt(request), request.params.projectId);
      // A project the public may not see is not there, for the public.
      if (loaded.ok && !PUBLIC_PROJECT_STATES.has(loaded.value.project.state)) {
        return { error: projectNotFound(request.params.projectId) };
      }
      return answer(loaded, ({ budget, project }) => ({
        status: 200,
        body: projectView(asPublishedBy(budget)(project)),
        headers: { 'cache-control': 'no-store' },
      }));
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${PROJECT_PATH}/review`,
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
      const outcome = await useCasesFor(request).reviewBudgetProject(
        command,
        budgetAt(request),
        request.params.projectId,
        request.body,
      );
      return answer(outcome, projectAnswer);
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${PROJECT_PATH}/progress`,
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
      const outcome = await useCasesFor(request).trackBudgetProject(
        command,
        budgetAt(request),
        request.params.projectId,
        request.body as Parameters<BudgetUseCases['trackBudgetProject']>[3],
      );
      return answer(outcome, projectAnswer);
    },
  }),
];
