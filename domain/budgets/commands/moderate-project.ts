import { BudgetEvents } from '../../../events/budgets';
import { Decision, SYSTEM_DECIDER } from '../../moderation/item';
import { type ReasonCode, SYSTEM_REASON } from '../../moderation/reasons';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { projectEvent } from '../events';
import { type Project, ProjectState } from '../project';
import { illegalProjectMove } from './project-moves';

const TARGET: Record<Decision, ProjectState> = {
  approve: ProjectState.proposed,
  reject: ProjectState.rejected,
  hide: ProjectState.hidden,
  restore: ProjectState.proposed,
};

const EVENT: Record<Decision, string> = {
  approve: BudgetEvents.projectPublished,
  restore: BudgetEvents.projectPublished,
  reject: BudgetEvents.projectRejected,
  hide: BudgetEvents.projectHidden,
};

/**
 * The projects' part of a moderation decision (the moderation centre checks
 * who may decide and keeps the record). Approving or restoring makes the
 * project public as `proposed`; rejecting and hiding take it away. Deciding
 * what already is changes only the record.
 *
 * Outcomes: ok (emits `budget.project-published.v1`, `-rejected.v1` or
 * `-hidden.v1` when the state changes); `invalid_state` (e.g. hiding a project
 * already reviewed).
 */
export function moderateProject(
  context: CommandContext,
  project: Project,
  input: { readonly decision: Decision; readonly reasonCode?: ReasonCode },
): Outcome<Project> {
  const { actor, clock, ids } = context;
  const now = clock.now();
  const target = TARGET[input.decision];
  const recorded: Project = {
    ...project,
    moderation: {
      decision: input.decision,
      ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}),
      decidedAt: now.toISOString(),
      decidedBy: actor.subject,
    },
    version: project.version + 1,
  };
  if (project.state === target) return ok(recorded);
  const refusal = illegalProjectMove(project, target);
  if (refusal) return reject(refusal);
  const next: Project = { ...recorded, state: target };
  return ok(next, [
    projectEvent(ids, now, next, EVENT[input.decision], {
      decidedBy: actor.subject,
      ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}),
    }),
  ]);
}

/**
 * Reports reached the community's threshold: a proposed project is hidden
 * until a moderator decides.
 *
 * Outcomes: ok (emits `budget.project-hidden.v1` with reason `reported`);
 * `invalid_state` (the project is not `proposed`).
 */
export function autoHideProject(context: CommandContext, project: Project): Outcome<Project> {
  if (project.state !== ProjectState.proposed) {
    return fail(
      'invalid_state',
      text(
        `Приховати через скарги можна лише запропонований проєкт; цей у стані «${project.state}».`,
        `Only a proposed project can be hidden on reports; this one is "${project.state}".`,
      ),
      { currentState: project.state, requestedState: ProjectState.hidden },
    );
  }
  const system = { ...context, actor: { ...context.actor, subject: SYSTEM_DECIDER } };
  return moderateProject(system, project, { decision: Decision.hide, reasonCode: SYSTEM_REASON });
}
