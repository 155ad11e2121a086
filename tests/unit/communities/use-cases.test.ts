import { describe, expect, it } from 'vitest';
import type { Community, Membership } from '../../../domain/communities/community';
import { CommunitySettingsSchema } from '../../../domain/communities/settings';
import { Role } from '../../../domain/identity/actor';
import { communityUseCases } from '../../../functions/communities/use-cases';
import { CHANGE_ATTEMPTS } from '../../../functions/shared/use-case';
import { actor, contextFor } from '../../support/actors';
import { fakeCommunityStore } from '../../support/fakes/community-store';

// The communities tool's use cases through the runner, on the in-memory fake of its store.

const ISSUER = 'https://issuer.test';
const community: Community = {
  id: 'demo',
  settings: CommunitySettingsSchema.parse({ names: { uk: 'Громада', en: 'Hromada' } }),
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'admin',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};
const membership = (subject: string, roles: Role[]): Membership => ({
  communityId: 'demo',
  issuer: ISSUER,
  subject,
  roles,
  grantedBy: 'admin',
  grantedAt: '2026-01-01T00:00:00.000Z',
});
const admin = contextFor(actor({ subject: 'admin', platformAdmin: true }));
const council = contextFor(actor({ subject: 'council-1', roles: new Set([Role.council]) }));
const resident = contextFor(actor({ subject: 'resident-1', residency: { communityId: 'demo' } }));

/** Runs without sleeping between tries: the fake's conflicts are injected, not raced. */
const noPause = { attempts: CHANGE_ATTEMPTS, pause: async () => {} };

/** A fake holding the community and its one council member, and the use cases on it. */
function prepare() {
  const fake = fakeCommunityStore({
    communities: [community],
    members: [membership('council-1', [Role.council])],
  });
  return { fake, useCases: communityUseCases(fake.store, [ISSUER], noPause) };
}

describe('settings on the runner', () => {
  it('saves a change over the version read, with its event and audit intent', async () => {
    const { fake, useCases } = prepare();

    const outcome = await useCases.changeSettings(council, 'demo', { reportsBeforeHide: 5 });

    expect(outcome.ok && outcome.value.version).toBe(2);
    expect((await fake.store.get('demo'))?.settings.reportsBeforeHide).toBe(5);
    expect(fake.record.events.map((event) => event.name)).toEqual(['community.settings-changed.v1']);
    expect(fake.record.audits).toEqual([
      expect.objectContaining({
        action: 'community.settings.update',
        before: { reportsBeforeHide: 3 },
        after: { reportsBeforeHide: 5 },
      }),
    ]);
  });

  it('writes nothing for a patch that changes nothing', async () => {
    const { fake, useCases } = prepare();

    const outcome = await useCases.changeSettings(council, 'demo', { reportsBeforeHide: 3 });

    expect(outcome.ok && outcome.value).toEqual(community);
    expect(fake.saves).toBe(0);
    expect(fake.record.audits).toEqual([]);
  });

  it('answers version_conflict after one lost race, telling the council to read again, and saves nothing', async () => {
    const { fake, useCases } = prepare();
    fake.conflictNext(1);

    const outcome = await useCases.changeSettings(council, 'demo', { moderationSlaDays: 7 });

    expect(!outcome.ok && outcome.error).toEqual({
      code: 'version_conflict',
      message: {
        uk: 'Налаштування щойно змінив хтось інший. Перечитайте їх і повторіть зміну.',
        en: 'Someone else changed the settings just now. Read them again and repeat your change.',
      },
    });
    expect(fake.saves).toBe(1);
    expect((await fake.store.get('demo'))?.settings.moderationSlaDays).toBe(5);
    expect(fake.record.events).toEqual([]);
    expect(fake.record.audits).toEqual([]);
  });

  it('refuses a resident, and answers community_not_found for a community that is not there', async () => {
    const { fake, useCases } = prepare();

    const refused = await useCases.changeSettings(resident, 'demo', { reportsBeforeHide: 5 });
    const missing = await useCases.changeSettings(council, 'elsewhere', { reportsBeforeHide: 5 });

    expect(!refused.ok && refused.error.code).toBe('forbidden');
    expect(!missing.ok && missing.error.code).toBe('community_not_found');
    expect(fake.saves).toBe(0);
  });
});

describe('members on the runner', () => {
  it('grants roles to someone new, with the event and the audit intent', async () => {
    const { fake, useCases } = prepare();

    const outcome = await useCases.setRoles(council, community, { subject: 'mod-1' }, [Role.moderator]);

    expect(outcome.ok && outcome.value.previous).toBeUndefined();
    expect(outcome.ok && outcome.value.membership?.roles).toEqual([Role.moderator]);
    expect((await fake.store.getMember('demo', ISSUER, 'mod-1'))?.roles).toEqual([Role.moderator]);
    expect(fake.record.audits).toEqual([
      expect.objectContaining({
        action: 'community.member.set',
        before: { roles: [] },
        after: { roles: ['moderator'] },
      }),
    ]);
  });

  it('removes a membership with no roles, and keeps the last council member', async () => {
    const { fake, useCases } = prepare();
    await useCases.setRoles(council, community, { subject: 'mod-1' }, [Role.moderator]);

    const removed = await useCases.setRoles(council, community, { subject: 'mod-1' }, []);
    const last = await useCases.setRoles(council, community, { subject: 'council-1' }, []);

    expect(removed.ok && removed.value.membership).toBeUndefined();
    expect(await fake.store.getMember('demo', ISSUER, 'mod-1')).toBeUndefined();
    expect(!last.ok && last.error.code).toBe('last_council_member');
    expect(await fake.store.getMember('demo', ISSUER, 'council-1')).toBeDefined();
  });

  it('gives roles only to people of a trusted issuer; a resident still hears only forbidden', async () => {
    const { fake, useCases } = prepare();
    const stranger = { subject: 'mod-1', issuer: 'https://elsewhere.example' };

    const refused = await useCases.setRoles(council, community, stranger, [Role.moderator]);
    const byResident = await useCases.setRoles(resident, community, stranger, [Role.moderator]);
    const removal = await useCases.setRoles(council, community, stranger, []);

    expect(!refused.ok && refused.error).toMatchObject({
      code: 'unknown_issuer',
      details: { issuer: 'https://elsewhere.example', issuers: [ISSUER] },
    });
    expect(!byResident.ok && byResident.error.code).toBe('forbidden');
    expect(!removal.ok && removal.error.code).toBe('member_not_found');
    expect(await fake.store.getMember('demo', 'https://elsewhere.example', 'mod-1')).toBeUndefined();
    expect(fake.record.events).toEqual([]);
  });

  it('lists members for staff only', async () => {
    const { useCases } = prepare();

    const listed = await useCases.listMembers(council, 'demo', { limit: 10 });
    const refused = await useCases.listMembers(resident, 'demo', { limit: 10 });

    expect(listed.ok && listed.value.items.map((member) => member.subject)).toEqual(['council-1']);
    expect(!refused.ok && refused.error.code).toBe('forbidden');
  });
});

describe('creating a community', () => {
  it('creates it once; the second time answers community_exists', async () => {
    const fake = fakeCommunityStore();
    const useCases = communityUseCases(fake.store, [ISSUER], noPause);
    const input = {
      id: 'new-one',
      settings: community.settings,
      council: [{ issuer: ISSUER, subject: 'c1' }],
    };

    const first = await useCases.create(admin, input);
    const second = await useCases.create(admin, input);

    expect(first.ok && first.value.id).toBe('new-one');
    expect(!second.ok && second.error.code).toBe('community_exists');
    expect(fake.record.events.map((event) => event.name)).toEqual(['community.created.v1']);
  });

  it('refuses a first council member of an issuer the deployment does not trust', async () => {
    const fake = fakeCommunityStore();
    const useCases = communityUseCases(fake.store, [ISSUER], noPause);

    const outcome = await useCases.create(admin, {
      id: 'new-one',
      settings: community.settings,
      council: [
        { issuer: ISSUER, subject: 'c1' },
        { issuer: 'https://elsewhere.example', subject: 'c2' },
      ],
    });

    expect(!outcome.ok && outcome.error.code).toBe('unknown_issuer');
    expect(await fake.store.get('new-one')).toBeUndefined();
    expect(fake.record.events).toEqual([]);
  });
});
