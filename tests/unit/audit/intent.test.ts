import { describe, expect, it } from 'vitest';
import { CanonicalJsonError } from '../../../domain/audit/canonical';
import {
  AuditAction,
  type AuditIntent,
  MAX_SUMMARY_CHARS,
  newAuditIntent,
} from '../../../domain/audit/intent';
import { Role } from '../../../domain/identity/actor';
import { auditIntentPut } from '../../../functions/audit/intents';
import { keys } from '../../../functions/shared/keys';
import { actor, contextFor } from '../../support/actors';

const council = actor({ subject: 'council-1', roles: new Set([Role.moderator, Role.council]) });

function intent(overrides: Partial<AuditIntent> = {}): AuditIntent {
  return {
    ...newAuditIntent(contextFor(council), {
      communityId: 'demo',
      action: AuditAction.communitySettingsUpdate,
      target: 'community/demo',
      before: { reportsBeforeHide: 3 },
      after: { reportsBeforeHide: 5 },
    }),
    ...overrides,
  };
}

describe('newAuditIntent', () => {
  it('stamps an action with a ULID, the clock, and the actor as subject and sorted roles', () => {
    const made = intent();

    expect(made).toEqual({
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      communityId: 'demo',
      actor: { subject: 'council-1', roles: ['council', 'moderator'] },
      action: 'community.settings.update',
      target: 'community/demo',
      at: '2026-11-22T10:00:00.000Z',
      before: { reportsBeforeHide: 3 },
      after: { reportsBeforeHide: 5 },
    });
  });

  it('names a platform admin as such, and nothing of an actor beyond subject and roles', () => {
    const admin = actor({ subject: 'admin', platformAdmin: true, birthdate: '1970-01-01' });

    const made = newAuditIntent(contextFor(admin), {
      communityId: 'demo',
      action: AuditAction.communityMemberSet,
      target: 'member/council-2',
    });

    expect(made.actor).toEqual({ subject: 'admin', roles: ['platform-admin'] });
    expect(Object.keys(made)).not.toContain('before');
    expect(JSON.stringify(made)).not.toContain('1970');
  });
});

describe('auditIntentPut', () => {
  it('puts the intent as a new item under its community, for the action’s own transaction', () => {
    const made = intent();

    expect(auditIntentPut('table', made)).toEqual({
      Put: {
        TableName: 'table',
        Item: { ...keys.auditIntent('demo', made.id), entity: 'audit-intent', intent: made },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
  });

  it('stores plain JSON: undefined members are dropped', () => {
    const made = intent({ after: { reportsBeforeHide: 5, note: undefined } });

    expect(auditIntentPut('table', made).Put?.Item?.intent.after).toEqual({ reportsBeforeHide: 5 });
  });

  it.each([
    ['a malformed id', { id: 'not-a-ulid' }],
    ['an action of the wrong form', { action: 'Settings Update' as AuditIntent['action'] }],
    ['a time that is not ISO', { at: 'yesterday' }],
    ['an empty target', { target: '' }],
    ['a summary too large', { after: { text: 'x'.repeat(MAX_SUMMARY_CHARS) } }],
    ['a number DynamoDB cannot give back', { after: { votes: [1, 2 ** 53] } }],
  ])('refuses an intent with %s (a bug, caught before the action commits)', (_case, overrides) => {
    expect(() => auditIntentPut('table', intent(overrides))).toThrow();
  });

  it('refuses a value JSON cannot hold, naming where it is', () => {
    const withDate = intent({ after: { closesAt: new Date() as unknown as string } });

    expect(() => auditIntentPut('table', withDate)).toThrow(CanonicalJsonError);
    expect(() => auditIntentPut('table', withDate)).toThrow('$.after.closesAt');
  });
});
