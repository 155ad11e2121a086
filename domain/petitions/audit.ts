import { type AuditAction, type AuditIntent, newAuditIntent } from '../audit/intent';
import { changes } from '../audit/summary';
import type { CommandContext } from '../shared/command';
import type { Petition } from './petition';

/** The audit record of a staff action on a petition: who, what, and the fields it changed. */
export function petitionAudit(
  context: CommandContext,
  action: AuditAction,
  before: Petition,
  after: Petition,
  fields: readonly (keyof Petition & string)[],
): AuditIntent {
  return newAuditIntent(context, {
    communityId: before.communityId,
    action,
    target: `petition/${before.id}`,
    ...changes(before, after, fields),
  });
}
