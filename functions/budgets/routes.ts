import type { AnyRoute, ToolDefinition } from '../shared/routes';
import { ballotRoutes } from './ballot-routes';
import { budgetRoutes } from './budget-routes';
import { projectRoutes } from './project-routes';
import { resultsRoutes } from './results-routes';

/**
 * Every route of the tool, by family, in the order the OpenAPI document lists
 * them. Each route is a declaration (method, path, auth, schemas, errors, the
 * use case of `use-cases.ts` it calls, its view); see the family files.
 */
const routes: AnyRoute[] = [...budgetRoutes, ...projectRoutes, ...ballotRoutes, ...resultsRoutes];

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
