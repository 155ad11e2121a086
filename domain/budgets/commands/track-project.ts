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

export type TrackProjectInput =
  | { readonly state: 'in_progress' | 'done'; readonly note?: string }
  | { readonly state: 'cancelled'; readonly note: string }
  | { readonly note: string; readonly state?: undefined };

/** Where a progress note alone belongs. */
const BEING_CARRIED_OUT = new Set<ProjectState>([ProjectState.selected, ProjectState.in_progress]);

const TRACKING_PHASES = [BudgetPhase.published, BudgetPhase.implementation] as const;

/**
 * After the results, the council tracks what happens to a selected project:
 * `selected → in_progress → done`, or `cancelled` with the reason, and dated
 * progress notes on the way (a note alone changes no state).
 *
 * Outcomes: ok (emits `budget.project-progressed.v1`, audited); `forbidden`;
 * `wrong_phase` (before the results are published); `invalid_state`;
 * `reason_required` (cancelling without a note).
 */
export function trackProject(
  context: CommandContext,
  budget: Budget,
  project: Project,
  input: TrackProjectInput,
): Outcome<Project> {
  const { actor, clock, ids } = context;
  if (!mayManageBudget(actor)) return reject(forbidden('council'));
  if (!(TRACKING_PHASES as readonly string[]).includes(budget.phase))
    return reject(wrongPhase(budget, TRACKING_PHASES));
  if (input.state === ProjectState.cancelled && !input.note) {
    return fail(
      'reason_required',
      text('Скасування потребує причини (note).', 'Cancelling needs a reason (note).'),
      {
        errors: [{ pointer: '/body/note', detail: 'required to cancel' }],
      },
    );
  }
  if (input.state) {
    const refusal = illegalProjectMove(project, input.state);
    if (refusal) return reject(refusal);
  } else if (!BEING_CARRIED_OUT.has(project.state)) {
    return fail(
      'invalid_state',
      text(
        `Нотатки ведуть лише для відібраних проєктів і проєктів у роботі; цей у стані «${project.state}».`,
        `Notes are kept for selected projects and projects in progress; this one is "${project.state}".`,
      ),
      { currentState: project.state },
    );
  }
  const now = clock.now();
  const next: Project = {
    ...project,
    ...(input.state ? { state: input.state } : {}),
    ...(input.state === ProjectState.cancelled ? { cancelReason: input.note } : {}),
    progress: input.note
      ? [...project.progress, { at: now.toISOString(), note: input.note, by: actor.subject }]
      : project.progress,
    version: project.version + 1,
  };
  const events = [
    projectEvent(ids, now, next, BudgetEvents.projectProgressed, {
      state: next.state,
      ...(input.note ? { note: input.note } : {}),
      at: now.toISOString(),
    }),
  ];
  return ok(next, events, projectAudit(context, AuditAction.budgetProjectProgress, project, next));
}
