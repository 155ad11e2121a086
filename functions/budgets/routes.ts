import { type AnyRoute, TABLE_READ_WRITE, type ToolDefinition } from '../shared/routes';
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
  // BatchWriteItem: the import writes projects and ballots in batches before its one transaction.
  tableActions: [...TABLE_READ_WRITE, 'dynamodb:BatchWriteItem'],
  indexes: ['GSI1', 'GSI2', 'GSI3'],
};
