import { type AuditAction, type AuditIntent, type AuditSummary, newAuditIntent } from '../audit/intent';
import { changes } from '../audit/summary';
import type { CommandContext } from '../shared/command';
import type { Budget } from './budget';
import type { Project } from './project';

/** The audit record of a council action on a budget: who, what, and the summary the action gives. */
export function budgetAudit(
  context: CommandContext,
  action: AuditAction,
  budget: Pick<Budget, 'communityId' | 'id'>,
  summary: { readonly before?: AuditSummary; readonly after?: AuditSummary },
): AuditIntent {
  return newAuditIntent(context, {
    communityId: budget.communityId,
    action,
    target: `budget/${budget.id}`,
    ...summary,
  });
}

/** The fields of a project a council action changes, as its audit record names them. */
const AUDITED_PROJECT_FIELDS = ['state', 'finalCost', 'review', 'cancelReason'] as const;

/** The audit record of a council action on a project: who, what, and the fields it changed. */
export function projectAudit(
  context: CommandContext,
  action: AuditAction,
  before: Project,
  after: Project,
): AuditIntent {
  return newAuditIntent(context, {
    communityId: before.communityId,
    action,
    target: `budget-project/${before.id}`,
    ...changes(before, after, [...AUDITED_PROJECT_FIELDS]),
  });
}
