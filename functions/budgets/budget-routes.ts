import type { Community } from '../../domain/communities/community';
import { pageBody } from '../shared/pagination';
import { type AnyRoute, answer, created, defineRoute, userScope } from '../shared/routes';
import { BASE, BUDGET_ERRORS, BUDGET_PATH, budgetAt, budgetOf, storeFor, useCasesFor } from './requests';
import {
  BudgetListSchema,
  BudgetPathSchema,
  BudgetsPathSchema,
  BudgetViewSchema,
  budgetView,
  CreateBudgetBodySchema,
  ImportBodySchema,
  ImportQuerySchema,
  ListBudgetsQuerySchema,
  PhaseBodySchema,
} from './schemas';

/**
 * The largest `.pb` file the import takes: a city district's election (Warszawa
 * 2023 Praga-Południe in grosze is 0.6 MiB, Łódź 2023 3 MiB) is far above the
 * 256 KiB other bodies get. Lambda takes a request event of at most 6 MB, and
 * the body is in it JSON-escaped (a line break becomes two bytes): 5 MiB leaves room.
 */
export const IMPORT_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

/** Budgets themselves: open one or import one, list, read, move to the next phase. */
export const budgetRoutes: AnyRoute[] = [
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
      const outcome = await useCasesFor(request).openBudget(command, community, request.body);
      return answer(outcome, (budget) =>
        created(BUDGET_PATH, { communityId: community.id, budgetId: budget.id }, budgetView(budget)),
      );
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
        body: pageBody(page, budgetView),
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
      "kept as `externalId`) and ballots. `?rule=` overrides the file's META `rule`. At most 5 MiB.",
    params: BudgetsPathSchema,
    query: ImportQuerySchema,
    body: ImportBodySchema,
    bodyContentType: 'text/plain',
    bodyLimitBytes: IMPORT_BODY_LIMIT_BYTES,
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
      const outcome = await useCasesFor(request).importBudgetFile(command, community, request.body, {
        ...(request.query.rule ? { rule: request.query.rule } : {}),
        ...(request.query.names ? { name: request.query.names } : {}),
      });
      return answer(outcome, (budget) =>
        created(BUDGET_PATH, { communityId: community.id, budgetId: budget.id }, budgetView(budget)),
      );
    },
  }),

  defineRoute({
    method: 'GET',
    path: BUDGET_PATH,
    auth: 'public',
    operationId: 'getBudget',
    summary: 'A budget: pots, phase, schedule, ballot limits, rule, results status',
    params: BudgetPathSchema,
    cache: { maxAgeSeconds: 10 },
    responses: { 200: { description: 'The budget', schema: BudgetViewSchema } },
    errors: BUDGET_ERRORS,
    handle: async (request) =>
      answer(await budgetOf(request), (budget) => ({ status: 200, body: budgetView(budget) })),
  }),

  defineRoute({
    method: 'POST',
    path: `${BUDGET_PATH}/phase`,
    auth: 'user',
    operationId: 'changeBudgetPhase',
    summary: 'Move the budget to its next phase (council); leaving voting closes the ballot box',
    params: BudgetPathSchema,
    body: PhaseBodySchema,
    responses: { 200: { description: 'The budget', schema: BudgetViewSchema } },
    errors: [...BUDGET_ERRORS, 'forbidden', 'invalid_phase_change', 'version_conflict'],
    handle: async (request) => {
      const { command } = userScope(request);
      const outcome = await useCasesFor(request).moveBudgetPhase(
        command,
        budgetAt(request),
        request.body.phase,
      );
      return answer(outcome, (budget) => ({ status: 200, body: budgetView(budget) }));
    },
  }),
];
