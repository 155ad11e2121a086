import { BudgetEvents } from '../../../events/budgets';
import type { Community } from '../../communities/community';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { type Budget, BudgetPhase, CITY_POT } from '../budget';
import { voterIneligibility } from '../eligibility';
import { projectEvent } from '../events';
import { wrongPhase } from '../permissions';
import { type Project, ProjectState } from '../project';

export interface SubmitProjectInput {
  readonly title: string;
  readonly description: string;
  readonly costEstimate: number;
  /** A district with its own pot; absent for a city-wide project. */
  readonly districtId?: string;
  readonly category?: string;
  readonly location?: { readonly lat: number; readonly lng: number };
}

/**
 * An eligible resident proposes a project while the budget takes submissions.
 * With pre-moderation it waits in the moderation queue; otherwise it is public at once.
 *
 * Outcomes: ok (emits `budget.project-submitted.v1`); `not_eligible`;
 * `wrong_phase` (not `submission`); `unknown_pot` (a district without a pot
 * of its own in this budget); `cost_over_pot` (the estimate is more than the
 * whole pot).
 */
export function submitProject(
  context: CommandContext,
  community: Community,
  budget: Budget,
  input: SubmitProjectInput,
): Outcome<Project> {
  const { actor, clock, ids } = context;
  const now = clock.now();
  const refusal = voterIneligibility(actor, budget, now);
  if (refusal) return reject(refusal);
  if (budget.phase !== BudgetPhase.submission || budget.imported) {
    return reject(wrongPhase(budget, [BudgetPhase.submission]));
  }
  const potId = input.districtId ?? CITY_POT;
  const pot = budget.pots.find((candidate) => candidate.id === potId);
  if (!pot) {
    return fail(
      'unknown_pot',
      text('У цьому бюджеті немає кошика для цього округу.', 'This budget has no pot for that district.'),
      {
        pots: budget.pots.map((candidate) => candidate.id),
        errors: [{ pointer: '/body/districtId', detail: potId }],
      },
    );
  }
  if (input.costEstimate > pot.amount) {
    return fail(
      'cost_over_pot',
      text(
        `Кошторис (${input.costEstimate}) більший за весь кошик (${pot.amount}).`,
        `The estimate (${input.costEstimate}) is more than the whole pot (${pot.amount}).`,
      ),
      { limit: pot.amount, errors: [{ pointer: '/body/costEstimate', detail: `at most ${pot.amount}` }] },
    );
  }
  const project: Project = {
    id: ids.next(),
    budgetId: budget.id,
    communityId: budget.communityId,
    title: input.title,
    description: input.description,
    costEstimate: input.costEstimate,
    potId,
    ...(input.category ? { category: input.category } : {}),
    ...(input.location ? { location: input.location } : {}),
    authorKey: actor.signerKey,
    state:
      community.settings.moderation.budgets === 'post' ? ProjectState.proposed : ProjectState.in_moderation,
    progress: [],
    createdAt: now.toISOString(),
    version: 1,
  };
  return ok(project, [
    projectEvent(ids, now, project, BudgetEvents.projectSubmitted, {
      potId,
      authorKey: project.authorKey,
      state: project.state,
    }),
  ]);
}
