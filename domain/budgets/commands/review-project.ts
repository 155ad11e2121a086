import { BudgetEvents } from '../../../events/budgets';
import { AuditAction } from '../../audit/intent';
import { forbidden } from '../../communities/permissions';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { projectAudit } from '../audit';
import { type Budget, BudgetPhase } from '../budget';
import { projectEvent } from '../events';
import { mayManageBudget, wrongPhase } from '../permissions';
import { type Project, ProjectState } from '../project';
import { illegalProjectMove } from './project-moves';

export type ReviewProjectInput =
  | { readonly outcome: 'feasible'; readonly finalCost: number; readonly reason?: string }
  | { readonly outcome: 'unfeasible'; readonly reason: string };

/**
 * In `review` the council checks each proposed project: feasible with the cost
 * it will really have (what voters see and the rules count), or unfeasible with
 * the reason, which the author is told through the event.
 *
 * Outcomes: ok (emits `budget.project-reviewed.v1`, audited); `forbidden` (not council);
 * `wrong_phase`; `invalid_state` (not proposed); `cost_over_pot`.
 */
export function reviewProject(
  context: CommandContext,
  budget: Budget,
  project: Project,
  input: ReviewProjectInput,
): Outcome<Project> {
  const { actor, clock, ids } = context;
  if (!mayManageBudget(actor)) return reject(forbidden('council'));
  if (budget.phase !== BudgetPhase.review) return reject(wrongPhase(budget, [BudgetPhase.review]));
  const to = input.outcome === 'feasible' ? ProjectState.feasible : ProjectState.unfeasible;
  const refusal = illegalProjectMove(project, to);
  if (refusal) return reject(refusal);
  const pot = budget.pots.find((candidate) => candidate.id === project.potId);
  if (input.outcome === 'feasible' && pot && input.finalCost > pot.amount) {
    return fail(
      'cost_over_pot',
      text(
        `Остаточна вартість (${input.finalCost}) більша за весь кошик (${pot.amount}).`,
        `The final cost (${input.finalCost}) is more than the whole pot (${pot.amount}).`,
      ),
      { limit: pot.amount, errors: [{ pointer: '/body/finalCost', detail: `at most ${pot.amount}` }] },
    );
  }
  const now = clock.now();
  const next: Project = {
    ...project,
    state: to,
    ...(input.outcome === 'feasible' ? { finalCost: input.finalCost } : {}),
    review: {
      ...(input.reason ? { reason: input.reason } : {}),
      reviewedAt: now.toISOString(),
      reviewedBy: actor.subject,
    },
    version: project.version + 1,
  };
  const events = [
    projectEvent(ids, now, next, BudgetEvents.projectReviewed, {
      authorKey: next.authorKey,
      outcome: input.outcome,
      ...(input.outcome === 'feasible' ? { finalCost: input.finalCost } : {}),
      ...(input.reason ? { reason: input.reason } : {}),
    }),
  ];
  return ok(next, events, projectAudit(context, AuditAction.budgetProjectReview, project, next));
}
