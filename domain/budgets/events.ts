import type { EventEnvelope } from '../../events/envelope';
import type { IdGenerator } from '../shared/clock';
import { communityEvent } from '../shared/events';
import type { Budget } from './budget';
import type { Project } from './project';

/** Builds a budget event; the id and time come from the command's context. */
export const budgetEvent = (
  ids: IdGenerator,
  now: Date,
  budget: Pick<Budget, 'id' | 'communityId'>,
  name: string,
  detail: Record<string, unknown>,
): EventEnvelope =>
  communityEvent(ids, now, budget.communityId, `budget/${budget.id}`, name, {
    budgetId: budget.id,
    ...detail,
  });

/** Builds a project event, about the project rather than its budget. */
export const projectEvent = (
  ids: IdGenerator,
  now: Date,
  project: Project,
  name: string,
  detail: Record<string, unknown>,
): EventEnvelope =>
  communityEvent(ids, now, project.communityId, `budget-project/${project.id}`, name, {
    budgetId: project.budgetId,
    projectId: project.id,
    ...detail,
  });
