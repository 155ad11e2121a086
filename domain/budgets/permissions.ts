import { type Actor, hasRole, Role } from '../identity/actor';
import { text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';
import { type Budget, type BudgetPhase, maxProjectsOf } from './budget';

/** Budgets, phases, reviews, results and implementation are the council's. */
export const mayManageBudget = (actor: Actor): boolean => hasRole(actor, Role.council);

/** The 409 for a submission to a budget that has taken as many projects as it takes. */
export function projectLimitReached(budget: Pick<Budget, 'maxProjects'>): DomainError {
  const limit = maxProjectsOf(budget);
  return {
    code: 'project_limit_reached',
    message: text(
      `До цього бюджету вже подано ${limit} проєктів — більше він не приймає.`,
      `This budget already has ${limit} projects submitted, as many as it takes.`,
    ),
    details: { limit },
  };
}

/** The 409 for something the budget's current phase does not allow; it names the phase. */
export function wrongPhase(budget: Pick<Budget, 'phase'>, needed: readonly BudgetPhase[]): DomainError {
  return {
    code: 'wrong_phase',
    message: text(
      `Бюджет зараз у фазі «${budget.phase}»; це можна зробити лише у фазі: ${needed.join(', ')}.`,
      `The budget is in its "${budget.phase}" phase; this can be done only in: ${needed.join(', ')}.`,
    ),
    details: { currentPhase: budget.phase, allowedPhases: needed },
  };
}

/** The 404 for a budget that is not there (or not in this community). */
export function budgetNotFound(budgetId: string): DomainError {
  return {
    code: 'budget_not_found',
    message: text('Бюджету не знайдено.', 'There is no such budget.'),
    details: { budgetId },
  };
}

/** The 404 for a project that is not there, or that the caller may not see. */
export function projectNotFound(projectId: string): DomainError {
  return {
    code: 'project_not_found',
    message: text('Проєкту не знайдено.', 'There is no such project.'),
    details: { projectId },
  };
}
