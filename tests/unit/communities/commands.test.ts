import { describe, expect, it } from 'vitest';
import { createCommunity } from '../../../domain/communities/commands/create-community';
import { setMemberRoles } from '../../../domain/communities/commands/set-member-roles';
import { updateSettings } from '../../../domain/communities/commands/update-settings';
import type { Community, Membership } from '../../../domain/communities/community';
import { CommunitySettingsSchema } from '../../../domain/communities/settings';
import { Role } from '../../../domain/identity/actor';
import { EventEnvelopeSchema } from '../../../events/envelope';
import { EVENT_DETAIL_SCHEMAS } from '../../../events/registry';
import { actor, contextFor } from '../../support/actors';

const settings = CommunitySettingsSchema.parse({ names: { uk: 'Громада', en: 'Hromada' } });
const community: Community = {
  id: 'demo',
  settings,
  createdAt: '2026-11-01T00:00:00.000Z',
  createdBy: 'admin',
  updatedAt: '2026-11-01T00:00:00.000Z',
  version: 1,
};
const admin = actor({ subject: 'admin', platformAdmin: true });
const council = actor({ subject: 'council-1', roles: new Set([Role.council]) });
const moderator = actor({ subject: 'moderator-1', roles: new Set([Role.moderator]) });
const resident = actor({ subject: 'resident-1', residency: { communityId: 'demo' } });

const membership = (subject: string, roles: Role[]): Membership => ({
  communityId: 'demo',
  issuer: 'https://issuer.test',
  subject,
  roles,
  grantedBy: 'admin',
  grantedAt: '2026-11-01T00:00:00.000Z',
});

/** Every event a command emits must be a valid, registered event. */
function expectValidEvents(events: readonly unknown[]) {
  for (const event of events) {
    const parsed = EventEnvelopeSchema.parse(event);
    expect(EVENT_DETAIL_SCHEMAS[parsed.name]?.safeParse(parsed.detail).success).toBe(true);
  }
}

describe('createCommunity', () => {
  it('creates the community and its first council, and says so in an event', () => {
    const outcome = createCommunity(contextFor(admin), {
      id: 'lviv',
      settings,
      council: [{ issuer: 'https://issuer.test', subject: 'c1' }],
    });

    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value.community).toMatchObject({ id: 'lviv', version: 1, createdBy: 'admin' });
    expect(outcome.value.members).toEqual([expect.objectContaining({ subject: 'c1', roles: ['council'] })]);
    expect(outcome.events.map((event) => event.name)).toEqual(['community.created.v1']);
    expectValidEvents(outcome.events);
  });

  it.each([
    ['a council member', council],
    ['a resident', resident],
  ])('refuses %s', (_who, who) => {
    const outcome = createCommunity(contextFor(who), { id: 'x1', settings, council: [] });

    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'forbidden', details: { required: 'platform admin' } },
    });
  });
});

describe('updateSettings', () => {
  it('lets the council change settings, bumping the version', () => {
    const outcome = updateSettings(contextFor(council), community, { reportsBeforeHide: 5 });

    expect(outcome.ok && outcome.value.settings.reportsBeforeHide).toBe(5);
    expect(outcome.ok && outcome.value.version).toBe(2);
    expect(outcome.ok && outcome.events[0]?.detail).toEqual({
      communityId: 'demo',
      changedBy: 'council-1',
      changedKeys: ['reportsBeforeHide'],
    });
    if (outcome.ok) expectValidEvents(outcome.events);
  });

  it('emits nothing when nothing changes', () => {
    const outcome = updateSettings(contextFor(council), community, { reportsBeforeHide: 3 });

    expect(outcome).toEqual({ ok: true, value: community, events: [] });
  });

  it.each([
    ['a moderator', moderator],
    ['a resident', resident],
    ['a platform admin', admin],
  ])('refuses %s', (_who, who) => {
    expect(updateSettings(contextFor(who), community, { reportsBeforeHide: 5 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('reports a rule broken across fields with a pointer', () => {
    const names = { uk: 'Округ', en: 'District' };
    const outcome = updateSettings(contextFor(council), community, {
      districts: [
        { id: 'd1', names },
        { id: 'd1', names },
      ],
    });

    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', details: { errors: [{ pointer: '/body/districts' }] } },
    });
  });
});

describe('setMemberRoles', () => {
  const councilList = [membership('council-1', [Role.council])];

  it('grants a role to someone new', () => {
    const outcome = setMemberRoles(contextFor(council), community, undefined, councilList, {
      issuer: 'https://issuer.test',
      subject: 'm2',
      roles: [Role.moderator, Role.moderator],
    });

    expect(outcome.ok && outcome.value).toMatchObject({
      subject: 'm2',
      roles: ['moderator'],
      grantedBy: 'council-1',
    });
    if (outcome.ok) expectValidEvents(outcome.events);
  });

  it('lets a platform admin bootstrap a council', () => {
    const outcome = setMemberRoles(contextFor(admin), community, undefined, [], {
      issuer: 'https://issuer.test',
      subject: 'c2',
      roles: [Role.council],
    });

    expect(outcome.ok).toBe(true);
  });

  it.each([
    ['a moderator', moderator],
    ['a resident', resident],
  ])('refuses %s', (_who, who) => {
    const outcome = setMemberRoles(contextFor(who), community, undefined, councilList, {
      issuer: 'https://issuer.test',
      subject: who.subject,
      roles: [Role.council],
    });

    expect(outcome).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('never removes the last council member', () => {
    const outcome = setMemberRoles(contextFor(council), community, councilList[0], councilList, {
      issuer: 'https://issuer.test',
      subject: 'council-1',
      roles: [Role.moderator],
    });

    expect(outcome).toMatchObject({ ok: false, error: { code: 'last_council_member' } });
  });

  it('removes a council member when another remains', () => {
    const two = [...councilList, membership('council-2', [Role.council])];
    const outcome = setMemberRoles(contextFor(council), community, two[1], two, {
      issuer: 'https://issuer.test',
      subject: 'council-2',
      roles: [],
    });

    expect(outcome).toMatchObject({ ok: true, value: undefined });
  });

  it('says so when removing someone who holds no role', () => {
    const outcome = setMemberRoles(contextFor(council), community, undefined, councilList, {
      issuer: 'https://issuer.test',
      subject: 'nobody',
      roles: [],
    });

    expect(outcome).toMatchObject({ ok: false, error: { code: 'member_not_found' } });
  });
});
