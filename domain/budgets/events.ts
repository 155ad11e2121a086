import { type EventEnvelope, envelope } from '../../events/envelope';
import type { IdGenerator } from '../shared/clock';
import type { Budget } from './budget';
import type { Project } from './project';

/** Builds a budget event; the id and time come from the command's context. */
export function budgetEvent(
  ids: IdGenerator,
  now: Date,
  budget: Pick<Budget, 'id' | 'communityId'>,
  name: string,
  detail: Record<string, unknown>,
): EventEnvelope {
  return envelope({
    id: ids.next(),
    name,
    communityId: budget.communityId,
    occurredAt: now,
    subject: `budget/${budget.id}`,
    detail: { communityId: budget.communityId, budgetId: budget.id, ...detail },
  });
}

/** Builds a project event, about the project rather than its budget. */
export function projectEvent(
  ids: IdGenerator,
  now: Date,
  project: Project,
  name: string,
  detail: Record<string, unknown>,
): EventEnvelope {
  return envelope({
    id: ids.next(),
    name,
    communityId: project.communityId,
    occurredAt: now,
    subject: `budget-project/${project.id}`,
    detail: {
      communityId: project.communityId,
      budgetId: project.budgetId,
      projectId: project.id,
      ...detail,
    },
  });
}
