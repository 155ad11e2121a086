import { CommunityEvents } from '../../../events/communities';
import { envelope } from '../../../events/envelope';
import { AuditAction, newAuditIntent } from '../../audit/intent';
import { changes } from '../../audit/summary';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import type { Community } from '../community';
import { forbidden, mayChangeSettings } from '../permissions';
import {
  type CommunitySettings,
  type CommunitySettingsPatch,
  CommunitySettingsSchema,
  changedSettingKeys,
  mergeSettings,
} from '../settings';

/**
 * Changes a community's settings (council only). A patch that changes nothing
 * returns the community as it was and emits nothing.
 *
 * Outcomes: ok (emits `community.settings-changed.v1`, with the audit intent of
 * the fields it changed); `forbidden` (not council);
 * `validation_failed` (the merged settings break a rule across fields, e.g. two
 * districts with one id; `details.errors` points at each).
 */
export function updateSettings(
  context: CommandContext,
  community: Community,
  patch: CommunitySettingsPatch,
): Outcome<Community> {
  const { actor, clock, ids } = context;
  if (!mayChangeSettings(actor)) return reject(forbidden('council'));

  const parsed = CommunitySettingsSchema.safeParse(mergeSettings(community.settings, patch));
  if (!parsed.success) {
    return fail(
      'validation_failed',
      text('Налаштування суперечать одне одному.', 'The settings contradict each other.'),
      {
        errors: parsed.error.issues.map((issue) => ({
          pointer: `/body/${issue.path.join('/')}`,
          detail: issue.message,
        })),
      },
    );
  }
  const changedKeys = changedSettingKeys(community.settings, parsed.data);
  if (changedKeys.length === 0) return ok(community);

  const now = clock.now();
  const updated: Community = {
    ...community,
    settings: parsed.data,
    updatedAt: now.toISOString(),
    version: community.version + 1,
  };
  const changed = envelope({
    id: ids.next(),
    name: CommunityEvents.settingsChanged,
    communityId: community.id,
    occurredAt: now,
    subject: `community/${community.id}`,
    detail: { communityId: community.id, changedBy: actor.subject, changedKeys },
  });
  const audit = newAuditIntent(context, {
    communityId: community.id,
    action: AuditAction.communitySettingsUpdate,
    target: `community/${community.id}`,
    ...changes(
      community.settings,
      updated.settings,
      Object.keys(updated.settings) as (keyof CommunitySettings)[],
    ),
  });
  return ok(updated, [changed], audit);
}
