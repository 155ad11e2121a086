import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditAction, type AuditIntent } from '../../../domain/audit/intent';
import { itemIdOf, ModerationType } from '../../../domain/moderation/item';
import { closePetition } from '../../../domain/petitions/commands/close-petition';
import { type Petition, PetitionState, ResponseState } from '../../../domain/petitions/petition';
import { RETENTION_ACTOR } from '../../../domain/retention/retention';
import { petitionToItem, signatureItem } from '../../../functions/petitions/items';
import { recountPetition } from '../../../functions/petitions/recount';
import { dynamoPetitionStore } from '../../../functions/petitions/store';
import { eraseExpiredPersonalData } from '../../../functions/retention/job';
import { documentClient } from '../../../functions/shared/dynamo';
import { setEventPublisher } from '../../../functions/shared/event-publisher';
import { ulidGenerator } from '../../../functions/shared/ids';
import { Entity, keys } from '../../../functions/shared/keys';
import { communityToItem } from '../../../functions/shared/tenancy';
import { handler } from '../../../functions/streams/handler';
import { communityAt, fixedClock } from '../../support/actors';
import { stoppingAt } from '../../support/stopping-client';
import { drainWith } from '../../support/stream';
import { createTestTable, type TestTable } from '../../support/table';

const COMMUNITY = 'retention';
const CLOSES_AT = '2026-06-01T00:00:00.000Z';
/** 180 days (the default retention) after CLOSES_AT, and a day later. */
const DUE_AT = '2026-11-28T00:00:00.000Z';
const AFTER = '2026-11-29T00:00:00.000Z';

let table: TestTable;
const client = () => documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
const store = () => dynamoPetitionStore(client(), table.tableName);

function openPetition(id: string, closesAt: string): Petition {
  return {
    id,
    communityId: COMMUNITY,
    title: 'Освітлення на вулиці Садовій',
    text: 'Просимо встановити ліхтарі вздовж вулиці.',
    authorKey: 'b'.repeat(64),
    state: PetitionState.open,
    responseState: ResponseState.none,
    sponsorToken: 'sponsor-token',
    sponsorsNeeded: 1,
    sponsorCount: 1,
    thresholds: [{ name: 'response', signatures: 1000 }],
    durationDays: 30,
    createdAt: '2026-04-30T09:00:00.000Z',
    openedAt: '2026-05-01T00:00:00.000Z',
    closesAt,
    signatureCount: 0,
    offlineSignatureCount: 4,
    thresholdsReached: {},
    textHidden: false,
    version: 2,
  };
}

const put = (Item: object) =>
  client().send(new PutCommand({ TableName: table.tableName, Item: Item as Record<string, unknown> }));

/** An open petition with `count` signatures over every GSI1 bucket, a sponsor and a resident's report, tallied. */
async function signedPetition(id: string, closesAt: string, count: number): Promise<void> {
  await put(petitionToItem(openPetition(id, closesAt)));
  await Promise.all(
    Array.from({ length: count }, (_, index) =>
      put(
        signatureItem({
          communityId: COMMUNITY,
          petitionId: id,
          signerKey: `${index.toString(16).padStart(2, '0')}${randomBytes(31).toString('hex')}`,
          signedAt: `2026-05-0${2 + (index % 3)}T10:00:00.000Z`,
          ...(index % 2 === 0 ? { districtId: 'podil' } : {}),
        }),
      ),
    ),
  );
  await put({ ...keys.petitionSponsor(COMMUNITY, id, 'c'.repeat(64)), entity: Entity.petitionSponsor });
  const itemId = itemIdOf(ModerationType.petition, id);
  await put({ ...keys.moderationReport(COMMUNITY, itemId, 'd'.repeat(64)), entity: Entity.moderationReport });
}

/** Closes a petition as the closing job does, through the store: the retention entry is written with it. */
async function close(id: string, at: string): Promise<void> {
  const petition = await store().get(COMMUNITY, id);
  const done = closePetition(fixedClock(at), ulidGenerator(), petition as Petition);
  if (!done.ok) throw new Error(done.error.code);
  expect(await store().save(petition as Petition, done.value, done.events)).toBe('saved');
}

/** Every item of the table that names the petition's signers, by kind. */
async function personalItems(id: string) {
  const items = await table.scanAll();
  const ofPetition = (item: Record<string, unknown>) => (item.PK as string).includes(`#P#${id}`);
  return {
    signatures: items.filter((item) => item.entity === Entity.signature && item.petitionId === id).length,
    receipts: items.filter((item) => ofPetition(item) && (item.SK as string).startsWith('RECEIPT#')).length,
    sponsors: items.filter((item) => ofPetition(item) && (item.SK as string).startsWith('SPONSOR#')).length,
    reports: items.filter(
      (item) => (item.PK as string).endsWith(`petition.${id}`) && item.entity === Entity.moderationReport,
    ).length,
  };
}

const run = (at: string, through = client()) =>
  eraseExpiredPersonalData(through, table.tableName, fixedClock(at), ulidGenerator());

beforeAll(() => {
  vi.stubEnv('LOG_LEVEL', 'silent');
  // The closing events go through the outbox; nothing here listens to them.
  setEventPublisher({ publish: async () => ({ failedEventIds: [] }) });
});
afterAll(() => {
  setEventPublisher(undefined);
  vi.unstubAllEnvs();
});

beforeEach(async () => {
  table = await createTestTable('retention');
  await put(communityToItem(communityAt('2026-01-01T00:00:00.000Z', {}, COMMUNITY)));
});

describe('the retention job on petitions', () => {
  it('erases every signer item of a petition closed past retention, keeps its counts and stats, and audits it once', async () => {
    await signedPetition('p1', CLOSES_AT, 40);
    await signedPetition('p2', '2026-07-01T00:00:00.000Z', 5);
    await drainWith(table, handler);
    await close('p1', CLOSES_AT);
    await close('p2', '2026-07-01T00:00:00.000Z');
    const before = await recountPetition(client(), table.tableName, COMMUNITY, 'p1');
    const stats = await store().stats(COMMUNITY, 'p1');
    expect(before).toMatchObject({ ledger: 40, stored: 40, drift: 0 });
    expect(await personalItems('p1')).toEqual({ signatures: 40, receipts: 3, sponsors: 1, reports: 1 });

    // A day before the retention ends nothing is due; at its end p1 is, p2 (closed a month later) is not.
    expect(await run('2026-11-27T23:59:59.000Z')).toEqual({
      anonymised: 0,
      notYetDue: 2,
      dropped: 0,
      failed: 0,
    });
    const first = await run(DUE_AT);

    expect(first).toEqual({ anonymised: 1, notYetDue: 1, dropped: 0, failed: 0 });
    expect(await personalItems('p1')).toEqual({ signatures: 0, receipts: 0, sponsors: 0, reports: 0 });
    expect(await personalItems('p2')).toEqual({ signatures: 5, receipts: 3, sponsors: 1, reports: 1 });
    const petition = await store().get(COMMUNITY, 'p1');
    expect(petition).toMatchObject({
      state: PetitionState.closed,
      signatureCount: 40,
      offlineSignatureCount: 4,
      anonymised: { at: DUE_AT, erased: { signatures: 40, receipts: 3, sponsors: 1, reports: 1 } },
    });
    expect(await store().stats(COMMUNITY, 'p1')).toEqual(stats);
    expect((await store().get(COMMUNITY, 'p2'))?.anonymised).toBeUndefined();

    const intents = (await table.scanAll())
      .filter((item) => item.entity === Entity.auditIntent)
      .map((item) => item.intent as AuditIntent);
    expect(intents).toEqual([
      expect.objectContaining({
        communityId: COMMUNITY,
        actor: RETENTION_ACTOR,
        action: AuditAction.petitionAnonymise,
        target: 'petition/p1',
        at: DUE_AT,
        before: { endedAt: CLOSES_AT, retentionDays: 180 },
        after: { erased: { signatures: 40, receipts: 3, sponsors: 1, reports: 1 } },
      }),
    ]);
    // The appender puts it on the community's chain, like any staff action.
    await drainWith(table, handler);
    const entries = (await table.scanAll()).filter((item) => item.entity === Entity.auditEntry);
    expect(entries.map((entry) => (entry.entry as { action: string }).action)).toEqual([
      AuditAction.petitionAnonymise,
    ]);

    // A second run finds nothing to do and writes nothing.
    const after = await table.scanAll();
    expect(await run(AFTER)).toEqual({ anonymised: 0, notYetDue: 1, dropped: 0, failed: 0 });
    expect(await table.scanAll()).toEqual(after);
  });

  it('answers the recount of an anonymised petition from its archive, and says so', async () => {
    await signedPetition('p1', CLOSES_AT, 20);
    await drainWith(table, handler);
    await close('p1', CLOSES_AT);
    const before = await recountPetition(client(), table.tableName, COMMUNITY, 'p1');

    await run(DUE_AT);
    const report = await recountPetition(client(), table.tableName, COMMUNITY, 'p1');

    expect(before.fromArchive).toBeUndefined();
    expect(report).toEqual({
      ...before,
      fromArchive: { anonymisedAt: DUE_AT, signaturesErased: 20 },
    });
  });

  it('follows the community setting: a retention of 30 days erases a month after the close', async () => {
    await put(communityToItem(communityAt('2026-01-01T00:00:00.000Z', { retentionDays: 30 }, COMMUNITY)));
    await signedPetition('p1', CLOSES_AT, 3);
    await drainWith(table, handler);
    await close('p1', CLOSES_AT);

    expect(await run('2026-06-30T23:00:00.000Z')).toMatchObject({ anonymised: 0 });
    expect(await personalItems('p1')).toEqual({ signatures: 3, receipts: 3, sponsors: 1, reports: 1 });
    expect(await run('2026-07-01T00:00:00.000Z')).toMatchObject({ anonymised: 1 });
    expect(await personalItems('p1')).toEqual({ signatures: 0, receipts: 0, sponsors: 0, reports: 0 });
  });

  it('leaves a run that stopped before its last transaction to the next run, which finishes and marks it', async () => {
    await signedPetition('p1', CLOSES_AT, 40);
    await drainWith(table, handler);
    await close('p1', CLOSES_AT);

    // 45 items: the first 20 go in a BatchWrite, the last 25 with the mark, which never commits.
    expect(await run(DUE_AT, stoppingAt(client(), 1))).toEqual({
      anonymised: 0,
      notYetDue: 0,
      dropped: 0,
      failed: 1,
    });
    expect(await personalItems('p1')).toEqual({ signatures: 20, receipts: 3, sponsors: 1, reports: 1 });
    expect((await store().get(COMMUNITY, 'p1'))?.anonymised).toBeUndefined();

    expect(await run(AFTER)).toEqual({ anonymised: 1, notYetDue: 0, dropped: 0, failed: 0 });
    expect(await personalItems('p1')).toEqual({ signatures: 0, receipts: 0, sponsors: 0, reports: 0 });
    // The counts are what the run that finished erased.
    expect((await store().get(COMMUNITY, 'p1'))?.anonymised).toEqual({
      at: AFTER,
      erased: { signatures: 20, receipts: 3, sponsors: 1, reports: 1 },
    });
    expect((await store().get(COMMUNITY, 'p1'))?.signatureCount).toBe(40);
  });
});
