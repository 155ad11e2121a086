import type { Budget } from '../../domain/budgets/budget';
import type { BudgetStore } from '../../domain/budgets/ports';
import type { Community } from '../../domain/communities/community';
import type { Outcome } from '../../domain/shared/outcome';
import type { ProblemCode } from '../../domain/shared/problem-codes';
import { documentClient } from '../shared/dynamo';
import type { RouteRequest } from '../shared/routes';
import { dynamoBudgetStore } from './store';
import { type BudgetAddress, budgetUseCases } from './use-cases';

/** The path templates of the tool: each `Location` is built from one of them (`created`, `pathTo`). */
export const BASE = '/v1/communities/{communityId}/budgets';
export const BUDGET_PATH = `${BASE}/{budgetId}`;
export const PROJECT_PATH = `${BUDGET_PATH}/projects/{projectId}`;
export const RESULTS_PATH = `${BUDGET_PATH}/results`;

export const BUDGET_ERRORS: readonly ProblemCode[] = ['community_not_found', 'budget_not_found'];
export const PROJECT_ERRORS: readonly ProblemCode[] = [...BUDGET_ERRORS, 'project_not_found'];

/** The DynamoDB store of the request's table. */
export const storeFor = (request: RouteRequest): BudgetStore =>
  dynamoBudgetStore(documentClient(request.config), request.config.tableName);

/** The use cases on the request's table. */
export const useCasesFor = (request: RouteRequest) => budgetUseCases(storeFor(request));

/** The budget the path names, as the use cases address it (the stack has loaded the community). */
export function budgetAt(request: RouteRequest<{ budgetId: string }>): BudgetAddress {
  const community = request.community as Community;
  return { communityId: community.id, budgetId: request.params.budgetId };
}

/** The budget the path names, or `budget_not_found`. */
export function budgetOf(request: RouteRequest<{ budgetId: string }>): Promise<Outcome<Budget>> {
  return useCasesFor(request).loadBudget(budgetAt(request));
}
