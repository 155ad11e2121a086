import { describe, expect, it } from 'vitest';
import { AuditAction, AuditIntentSchema } from '../../../domain/audit/intent';
import {
  CommunitySettingsPatchSchema,
  CommunitySettingsSchema,
  DEFAULT_RETENTION_DAYS,
  MAX_RETENTION_DAYS,
  MIN_RETENTION_DAYS,
  mergeSettings,
} from '../../../domain/communities/settings';
import {
  anonymisationAudit,
  isDueForErasure,
  RETENTION_ACTOR,
  RetentionKind,
  retentionDueAt,
  retentionHorizon,
} from '../../../domain/retention/retention';
import { sequentialIds } from '../../support/actors';

const ENDED = '2026-06-01T12:00:00.000Z';

describe('when personal data is due for erasure', () => {
  it.each([
    ['a second before the retention ends', 180, '2026-11-28T11:59:59.999Z', false],
    ['the instant it ends', 180, '2026-11-28T12:00:00.000Z', true],
    ['long after', 180, '2027-06-01T00:00:00.000Z', true],
    ['the day it ended', 180, ENDED, false],
    ['the shortest retention, a day short', MIN_RETENTION_DAYS, '2026-06-30T12:00:00.000Z', false],
    ['the shortest retention, at its end', MIN_RETENTION_DAYS, '2026-07-01T12:00:00.000Z', true],
    ['the longest retention, a year on', MAX_RETENTION_DAYS, '2027-06-01T12:00:00.000Z', false],
    ['the longest retention, ten years on', MAX_RETENTION_DAYS, '2036-05-29T12:00:00.000Z', true],
  ])('%s (%i days, now %s): %s', (_case, days, now, due) => {
    expect(isDueForErasure(ENDED, days, new Date(now))).toBe(due);
  });

  it('counts whole days of 24 hours from the end, whatever the setting', () => {
    expect(retentionDueAt(ENDED, 1).toISOString()).toBe('2026-06-02T12:00:00.000Z');
    expect(retentionDueAt(ENDED, DEFAULT_RETENTION_DAYS).toISOString()).toBe('2026-11-28T12:00:00.000Z');
  });

  it('reads the schedule back as far as the shortest retention allows, and no subject due is beyond it', () => {
    const now = new Date('2026-12-01T00:00:00.000Z');
    const horizon = retentionHorizon(now);

    expect(horizon).toBe('2026-11-01T00:00:00.000Z');
    // A subject that ended after the horizon is not due under any setting a community may have.
    for (const days of [
      MIN_RETENTION_DAYS,
      MIN_RETENTION_DAYS + 1,
      DEFAULT_RETENTION_DAYS,
      MAX_RETENTION_DAYS,
    ]) {
      expect(isDueForErasure('2026-11-01T00:00:00.001Z', days, now)).toBe(false);
    }
    expect(isDueForErasure(horizon, MIN_RETENTION_DAYS, now)).toBe(true);
  });
});

describe('the retention setting', () => {
  it('defaults to 180 days, and a patch changes it alone', () => {
    const settings = CommunitySettingsSchema.parse({ names: { uk: 'Громада', en: 'Hromada' } });
    const patch = CommunitySettingsPatchSchema.parse({ retentionDays: 365 });

    expect(settings.retentionDays).toBe(DEFAULT_RETENTION_DAYS);
    expect(CommunitySettingsSchema.parse(mergeSettings(settings, patch))).toEqual({
      ...settings,
      retentionDays: 365,
    });
  });

  it.each([MIN_RETENTION_DAYS - 1, MAX_RETENTION_DAYS + 1, 90.5])('refuses %s days', (days) => {
    expect(CommunitySettingsPatchSchema.safeParse({ retentionDays: days }).success).toBe(false);
  });
});

describe('the audit intent of an erasure', () => {
  it('names the job as the actor and records counts only, as a valid intent', () => {
    const intent = anonymisationAudit(
      sequentialIds(),
      { kind: RetentionKind.petition, communityId: 'demo', subjectId: 'p1', endedAt: ENDED },
      180,
      { at: '2026-11-28T12:00:00.000Z', erased: { signatures: 40, receipts: 3 } },
    );

    expect(AuditIntentSchema.parse(intent)).toEqual(intent);
    expect(intent).toMatchObject({
      communityId: 'demo',
      actor: RETENTION_ACTOR,
      action: AuditAction.petitionAnonymise,
      target: 'petition/p1',
      at: '2026-11-28T12:00:00.000Z',
      before: { endedAt: ENDED, retentionDays: 180 },
      after: { erased: { signatures: 40, receipts: 3 } },
    });
  });

  it.each([
    [RetentionKind.budget, AuditAction.budgetAnonymise],
    [RetentionKind.consultation, AuditAction.consultationAnonymise],
  ])('names a %s erasure %s', (kind, action) => {
    const intent = anonymisationAudit(
      sequentialIds(),
      { kind, communityId: 'demo', subjectId: 'x', endedAt: ENDED },
      30,
      { at: ENDED, erased: {} },
    );
    expect(intent).toMatchObject({ action, target: `${kind}/x` });
  });
});
