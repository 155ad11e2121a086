import { beforeAll, describe, expect, it } from 'vitest';
import { createCommunity } from '../../../domain/communities/commands/create-community';
import { setMemberRoles } from '../../../domain/communities/commands/set-member-roles';
import { updateSettings } from '../../../domain/communities/commands/update-settings';
import type { CommunityStore } from '../../../domain/communities/ports';
import { CommunitySettingsSchema } from '../../../domain/communities/settings';
import { Role } from '../../../domain/identity/actor';
import { dynamoCommunityStore } from '../../../functions/communities/store';
import { documentClient } from '../../../functions/shared/dynamo';
import { actor, contextFor } from '../../support/actors';
import { createTestTable, type TestTable } from '../../support/table';

const ISSUER = 'https://issuer.test';
const admin = actor({ subject: 'admin', platformAdmin: true });
const councilActor = actor({ subject: 'c1', roles: new Set([Role.council]) });
const settings = CommunitySettingsSchema.parse({ names: { uk: 'Громада', en: 'Hromada' } });

let table: TestTable;
let store: CommunityStore;

async function seeded(id: string) {
  const outcome = createCommunity(contextFor(admin), {
    id,
    settings,
    council: [{ issuer: ISSUER, subject: 'c1' }],
  });
  if (!outcome.ok) throw new Error('fixture rejected');
  expect(await store.create(outcome.value.community, outcome.value.members, outcome.events)).toBe('created');
  return outcome;
}

beforeAll(async () => {
  table = await createTestTable('communities');
  store = dynamoCommunityStore(
    documentClient({ dynamoEndpoint: table.endpoint, region: table.region }),
    table.tableName,
  );
});

describe('the DynamoDB community store', () => {
  it('writes the community, its council and the event in one transaction', async () => {
    const outcome = await seeded('alpha');

    expect(await store.get('alpha')).toEqual(outcome.value.community);
    expect(await store.getMember('alpha', ISSUER, 'c1')).toMatchObject({ roles: ['council'] });
    const outbox = (await table.scanAll()).filter((item) => item.PK === 'C#alpha#OUTBOX');
    expect(outbox).toEqual([
      expect.objectContaining({ entity: 'outbox', status: 'pending', event: outcome.events[0] }),
    ]);
  });

  it('refuses a second community with the same id and writes nothing for it', async () => {
    const first = await seeded('beta');
    const again = createCommunity(contextFor(admin), {
      id: 'beta',
      settings,
      council: [{ issuer: ISSUER, subject: 'x' }],
    });
    if (!again.ok) throw new Error('fixture rejected');
    const before = (await table.scanAll()).length;

    expect(await store.create(again.value.community, again.value.members, again.events)).toBe('exists');

    expect((await table.scanAll()).length).toBe(before);
    expect(await store.get('beta')).toEqual(first.value.community);
  });

  it('detects a lost update by version', async () => {
    const { value } = await seeded('gamma');
    const first = updateSettings(contextFor(councilActor), value.community, { reportsBeforeHide: 4 });
    const second = updateSettings(contextFor(councilActor), value.community, { reportsBeforeHide: 7 });
    if (!first.ok || !second.ok) throw new Error('fixture rejected');

    expect(await store.saveSettings(first.value, 1, first.events)).toBe('saved');
    expect(await store.saveSettings(second.value, 1, second.events)).toBe('conflict');

    expect((await store.get('gamma'))?.settings.reportsBeforeHide).toBe(4);
  });

  it('pages through members with a cursor and keeps other communities out', async () => {
    const { value } = await seeded('delta');
    await seeded('epsilon');
    for (const subject of ['m1', 'm2', 'm3', 'm4']) {
      const outcome = setMemberRoles(contextFor(councilActor), value.community, undefined, [], {
        issuer: ISSUER,
        subject,
        roles: [Role.moderator],
      });
      if (!outcome.ok || !outcome.value) throw new Error('fixture rejected');
      await store.putMember(outcome.value, outcome.events);
    }

    const first = await store.listMembers('delta', { limit: 3 });
    const second = await store.listMembers('delta', {
      limit: 3,
      ...(first.cursor ? { cursor: first.cursor } : {}),
    });

    expect(first.items).toHaveLength(3);
    expect(first.cursor).toBeDefined();
    const subjects = [...first.items, ...second.items].map((member) => member.subject).sort();
    expect(subjects).toEqual(['c1', 'm1', 'm2', 'm3', 'm4']);
    await expect(store.listMembers('epsilon', { limit: 3, cursor: first.cursor as string })).rejects.toThrow(
      /invalid_cursor/,
    );
    expect((await store.councilMembers('delta')).map((member) => member.subject)).toEqual(['c1']);
  });

  it('removes a member together with its event', async () => {
    const { value } = await seeded('zeta');
    const grant = setMemberRoles(contextFor(councilActor), value.community, undefined, [], {
      issuer: ISSUER,
      subject: 'm9',
      roles: [Role.moderator],
    });
    if (!grant.ok || !grant.value) throw new Error('fixture rejected');
    await store.putMember(grant.value, grant.events);
    const removal = setMemberRoles(contextFor(councilActor), value.community, grant.value, [], {
      issuer: ISSUER,
      subject: 'm9',
      roles: [],
    });
    if (!removal.ok) throw new Error('fixture rejected');

    await store.removeMember(grant.value, removal.events);

    expect(await store.getMember('zeta', ISSUER, 'm9')).toBeUndefined();
    const events = (await table.scanAll()).filter((item) => item.PK === 'C#zeta#OUTBOX');
    expect(events).toHaveLength(3);
  });
});
