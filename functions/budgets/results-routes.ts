import type { Budget, ResultsSummary } from '../../domain/budgets/budget';
import { mayManageBudget } from '../../domain/budgets/permissions';
import type { BudgetStore } from '../../domain/budgets/ports';
import { resultsFailureText } from '../../domain/budgets/results-failure';
import { forbidden } from '../../domain/communities/permissions';
import { type Locale, text } from '../../domain/shared/localized';
import type { DomainError } from '../../domain/shared/outcome';
import { type AnyRoute, answer, defineRoute, pathTo, userScope } from '../shared/routes';
import { EXPORT_PATH, exportBudget } from './export';
import { BUDGET_ERRORS, budgetAt, budgetOf, RESULTS_PATH, storeFor, useCasesFor } from './requests';
import {
  BudgetPathSchema,
  BudgetViewSchema,
  budgetView,
  ExportQuerySchema,
  JobSchema,
  RESULTS_PUBLIC,
  ResultsViewSchema,
} from './schemas';

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

/** Results: the job the council asks for, the results before and after publication, and the export. */
export const resultsRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: RESULTS_PATH,
    auth: 'user',
    operationId: 'computeBudgetResults',
    summary: "Compute the results by the budget's rule (council, in tallying): 202 with a job",
    params: BudgetPathSchema,
    responses: { 202: { description: 'The job; poll GET …/results', schema: JobSchema } },
    errors: [...BUDGET_ERRORS, 'forbidden', 'wrong_phase', 'version_conflict'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const outcome = await useCasesFor(request).askForResults(command, budgetAt(request));
      return answer(outcome, ({ job }) => ({
        status: 202,
        body: { jobId: job.jobId, status: 'running', requestedAt: job.requestedAt },
        headers: { location: pathTo(RESULTS_PATH, { communityId: community.id, budgetId: job.budgetId }) },
      }));
    },
  }),

  defineRoute({
    method: 'GET',
    path: RESULTS_PATH,
    auth: 'public',
    operationId: 'getBudgetResults',
    summary: "Per pot: each project's score, cost and selection, the rule and version, the input's sha256",
    description: 'Public once published; before that the council reads them at `…/results/preview`.',
    params: BudgetPathSchema,
    cache: { maxAgeSeconds: 60 },
    responses: { 200: { description: 'The published results', schema: ResultsViewSchema } },
    errors: [...BUDGET_ERRORS, 'results_not_public'],
    handle: async (request) => {
      const budget = await budgetOf(request);
      if (!budget.ok) return budget;
      if (!RESULTS_PUBLIC.has(budget.value.phase)) return { error: resultsNotPublic(budget.value) };
      return { status: 200, body: await resultsBody(storeFor(request), budget.value, request.locale) };
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${RESULTS_PATH}/preview`,
    auth: 'user',
    operationId: 'previewBudgetResults',
    summary: 'The results job and its results before publication (council)',
    params: BudgetPathSchema,
    responses: { 200: { description: 'The job status and the results so far', schema: ResultsViewSchema } },
    errors: [...BUDGET_ERRORS, 'forbidden'],
    handle: async (request) => {
      const { command } = userScope(request);
      if (!mayManageBudget(command.actor)) return { error: forbidden('council') };
      const budget = await budgetOf(request);
      if (!budget.ok) return budget;
      return {
        status: 200,
        body: await resultsBody(storeFor(request), budget.value, request.locale),
        headers: { 'cache-control': 'no-store' },
      };
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${RESULTS_PATH}/publish`,
    auth: 'user',
    operationId: 'publishBudgetResults',
    summary: 'Publish the computed results (council): the budget becomes published, projects selected or not',
    params: BudgetPathSchema,
    responses: { 200: { description: 'The published budget', schema: BudgetViewSchema } },
    errors: [...BUDGET_ERRORS, 'forbidden', 'wrong_phase', 'results_not_computed', 'version_conflict'],
    handle: async (request) => {
      const { command } = userScope(request);
      const outcome = await useCasesFor(request).publishBudgetResults(command, budgetAt(request));
      return answer(outcome, (published) => ({ status: 200, body: budgetView(published.budget) }));
    },
  }),

  defineRoute({
    method: 'GET',
    path: EXPORT_PATH,
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
      const budget = await budgetOf(request);
      if (!budget.ok) return budget;
      return exportBudget(request, storeFor(request), budget.value);
    },
  }),
];
