import { type AuditAction, type AuditIntent, newAuditIntent } from '../audit/intent';
import { changes } from '../audit/summary';
import type { CommandContext } from '../shared/command';
import type { Appeal } from './appeal';

/** The audit record of a staff action on an item of the reception: who, what, and the fields it changed. */
export function appealAudit(
  context: CommandContext,
  action: AuditAction,
  before: Appeal,
  after: Appeal,
  fields: readonly (keyof Appeal & string)[],
): AuditIntent {
  return newAuditIntent(context, {
    communityId: before.communityId,
    action,
    target: `appeal/${before.id}`,
    ...changes(before, after, fields),
  });
}
