import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Petition, PetitionState, ResponseState } from '../../../domain/petitions/petition';
import { petitionToItem, signatureItem } from '../../../functions/petitions/items';
import {
  applyRecount,
  RecountError,
  RecountErrorCode,
  recountPetition,
} from '../../../functions/petitions/recount';
import { documentClient } from '../../../functions/shared/dynamo';
import { ulidGenerator } from '../../../functions/shared/ids';
import { keys } from '../../../functions/shared/keys';
import { handler } from '../../../functions/streams/handler';
import { signatureTally } from '../../../functions/streams/tally';
import { drainWith } from '../../support/stream';
import { createTestTable, type TestTable } from '../../support/table';

const COMMUNITY = 'recount';
const CLOSES_AT = '2026-06-01T00:00:00.000Z';
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let table: TestTable;
const client = () => documentClient({ dynamoEndpoint: table.endpoint, region: table.region });

function openPetition(id: string, overrides: Partial<Petition> = {}): Petition {
  return {
    id,
    communityId: COMMUNITY,
    title: 'Освітлення на вулиці Садовій',
    text: 'Просимо встановити ліхтарі вздовж вулиці.',
    authorKey: 'b'.repeat(64),
    state: PetitionState.open,
    responseState: ResponseState.none,
    sponsorToken: 'sponsor-token',
    sponsorsNeeded: 0,
    sponsorCount: 0,
    // Out of reach here: these tests are about counts, not events.
    thresholds: [{ name: 'response', signatures: 1000 }],
    durationDays: 30,
    createdAt: '2026-04-30T09:00:00.000Z',
    openedAt: '2026-05-01T00:00:00.000Z',
    closesAt: CLOSES_AT,
    signatureCount: 0,
    offlineSignatureCount: 4,
    thresholdsReached: {},
    textHidden: false,
    version: 2,
    ...overrides,
  };
}

/**
 * Signs `petitionId` once per entry. Signer keys start with 00, 01, 02, …, so
 * the signatures fill every one of the GSI1 buckets the recount has to read.
 */
async function sign(
  petitionId: string,
  signatures: readonly { signedAt: string; districtId?: string }[],
  offset = 0,
): Promise<void> {
  await Promise.all(
    signatures.map((signature, index) =>
      client().send(
        new PutCommand({
          TableName: table.tableName,
          Item: signatureItem({
            communityId: COMMUNITY,
            petitionId,
            signerKey: `${(offset + index).toString(16).padStart(2, '0')}${randomBytes(31).toString('hex')}`,
            ...signature,
          }),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    ),
  );
}

const repeat = <T>(count: number, value: T): T[] => Array.from({ length: count }, () => value);

/** 40 signatures over all buckets: 30 on time (two districts, two days), 10 after closing. */
async function signMixed(petitionId: string): Promise<void> {
  await sign(petitionId, [
    ...repeat(12, { signedAt: '2026-05-02T10:00:00.000Z', districtId: 'podil' }),
    ...repeat(10, { signedAt: '2026-05-03T10:00:00.000Z', districtId: 'obolon' }),
    ...repeat(8, { signedAt: '2026-05-03T11:00:00.000Z' }),
    ...repeat(10, { signedAt: CLOSES_AT }),
  ]);
}

/** Runs the table's real stream handler until the stream is read to its end. */
async function drainStream(): Promise<void> {
  await drainWith(table, handler);
}

/** The signature INSERTs of the stream so far, per petition, without tallying them. */
async function signatureInserts(): Promise<Map<string, DynamoDBRecord[]>> {
  const byPetition = new Map<string, DynamoDBRecord[]>();
  await drainWith(table, async (event) => {
    for (const record of event.Records) {
      const petitionId = record.dynamodb?.NewImage?.petitionId?.S;
      if (record.eventName !== 'INSERT' || !petitionId) continue;
      byPetition.set(petitionId, [...(byPetition.get(petitionId) ?? []), record]);
    }
    return { batchItemFailures: [] };
  });
  return byPetition;
}

/** The real tally, handed `records` directly as the stream would. */
async function tally(records: readonly DynamoDBRecord[]): Promise<void> {
  const { batchItemFailures } = await signatureTally({
    client: client(),
    tableName: table.tableName,
    clock: { now: () => new Date('2026-05-10T12:00:00.000Z') },
    ids: ulidGenerator(),
  })(records);
  expect(batchItemFailures).toEqual([]);
}

async function setCounter(petitionId: string, signatureCount: number): Promise<void> {
  await client().send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keys.petition(COMMUNITY, petitionId),
      UpdateExpression: 'SET signatureCount = :count',
      ExpressionAttributeValues: { ':count': signatureCount },
    }),
  );
}

async function petitionItem(petitionId: string) {
  const { Item } = await client().send(
    new GetCommand({
      TableName: table.tableName,
      Key: keys.petition(COMMUNITY, petitionId),
      ConsistentRead: true,
    }),
  );
  return Item;
}

const recount = (petitionId: string) => recountPetition(client(), table.tableName, COMMUNITY, petitionId);

/** Runs `npm run recount` as a child process against the test table. */
async function runCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      'node_modules/.bin/node',
      ['node_modules/tsx/dist/cli.mjs', 'infra/cli/recount.ts', ...args],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          TABLE_NAME: table.tableName,
          DYNAMODB_ENDPOINT: table.endpoint,
          AWS_REGION: table.region,
        },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const lastLine = (text: string) => text.trim().split('\n').at(-1);

// The tally logs what it counts; keep the test output clean.
beforeAll(() => vi.stubEnv('LOG_LEVEL', 'silent'));
afterAll(() => vi.unstubAllEnvs());

beforeEach(async () => {
  table = await createTestTable('recount');
});

describe('the recount', () => {
  it('finds no drift once the stream has been tallied, and rebuilds the breakdown', async () => {
    await client().send(
      new PutCommand({ TableName: table.tableName, Item: petitionToItem(openPetition('p1')) }),
    );
    await signMixed('p1');
    await drainStream();

    const report = await recount('p1');

    expect(report).toEqual({
      communityId: COMMUNITY,
      petitionId: 'p1',
      ledger: 30,
      counted: 30,
      stored: 30,
      offline: 4,
      drift: 0,
      pending: 0,
      byDistrict: { podil: 12, obolon: 10, unknown: 8 },
      byDay: { '2026-05-02': 12, '2026-05-03': 18 },
    });
  });

  it('reports a tampered counter as drift, and applyRecount repairs it', async () => {
    await client().send(
      new PutCommand({ TableName: table.tableName, Item: petitionToItem(openPetition('p1')) }),
    );
    await signMixed('p1');
    await drainStream();
    await setCounter('p1', 33);

    const tampered = await recount('p1');
    const stored = await applyRecount(client(), table.tableName, tampered);

    expect(tampered).toMatchObject({ ledger: 30, counted: 30, stored: 33, drift: 3, pending: 0 });
    expect(stored).toBe(30);
    expect(await petitionItem('p1')).toMatchObject({
      signatureCount: 30,
      offlineSignatureCount: 4,
      GSI2SK: keys.petitionBySignatures(34, 'p1').GSI2SK,
    });
    expect((await recount('p1')).drift).toBe(0);
  });

  it('shows signatures the stream has not tallied yet as pending, and will not repair over them', async () => {
    await client().send(
      new PutCommand({ TableName: table.tableName, Item: petitionToItem(openPetition('p1')) }),
    );
    await sign('p1', repeat(5, { signedAt: '2026-05-02T10:00:00.000Z' }));

    const report = await recount('p1');

    expect(report).toMatchObject({ ledger: 5, counted: 0, stored: 0, drift: -5, pending: 5 });
    await expect(applyRecount(client(), table.tableName, report)).rejects.toMatchObject({
      name: 'RecountError',
      code: RecountErrorCode.pending_signatures,
    });
    expect((await petitionItem('p1'))?.signatureCount).toBe(0);
  });

  it('counts as tallied what the petition’s receipts hold, and no other petition’s', async () => {
    for (const id of ['p1', 'p2']) {
      await client().send(
        new PutCommand({ TableName: table.tableName, Item: petitionToItem(openPetition(id)) }),
      );
    }
    await sign('p1', [
      ...repeat(3, { signedAt: '2026-05-02T10:00:00.000Z' }),
      ...repeat(4, { signedAt: '2026-05-02T10:00:01.000Z' }),
    ]);
    await sign('p2', repeat(6, { signedAt: '2026-05-02T10:00:00.000Z' }));
    const records = await signatureInserts();
    // Part of p1 (across both of its seconds), all of p2, and part of p1 again.
    await tally([...(records.get('p1') ?? []).slice(1, 5), ...(records.get('p2') ?? [])]);
    await tally((records.get('p1') ?? []).slice(3, 5));

    expect(await recount('p1')).toMatchObject({ ledger: 7, counted: 4, stored: 4, drift: -3, pending: 3 });
    expect(await recount('p2')).toMatchObject({ ledger: 6, counted: 6, stored: 6, drift: 0, pending: 0 });
  });

  it('refuses a repair when the counter moved after the recount read it', async () => {
    await client().send(
      new PutCommand({ TableName: table.tableName, Item: petitionToItem(openPetition('p1')) }),
    );
    await sign('p1', repeat(3, { signedAt: '2026-05-02T10:00:00.000Z' }));
    await drainStream();
    await setCounter('p1', 9);
    const report = await recount('p1');
    // The live tally (or anyone) moves the counter between the read and the write.
    await setCounter('p1', 10);

    await expect(applyRecount(client(), table.tableName, report)).rejects.toMatchObject({
      code: RecountErrorCode.counter_moved,
    });
    expect((await petitionItem('p1'))?.signatureCount).toBe(10);
  });

  it('says which petition it could not find', async () => {
    await expect(recount('missing')).rejects.toThrow(RecountError);
    await expect(recount('missing')).rejects.toMatchObject({ code: RecountErrorCode.petition_not_found });
  });
});

describe('npm run recount', () => {
  it('exits 0 with drift=0 when tallied, 1 on drift, 0 again after --apply, and 2 on usage errors', async () => {
    for (const id of ['p1', 'p2']) {
      await client().send(
        new PutCommand({ TableName: table.tableName, Item: petitionToItem(openPetition(id)) }),
      );
      await signMixed(id);
    }
    await drainStream();
    await setCounter('p2', 28);

    // One child process each, side by side: starting tsx is what takes the time.
    const [clean, drifted, missing, unknown] = await Promise.all([
      runCli(['--community', COMMUNITY, '--petition', 'p1']),
      runCli(['--community', COMMUNITY, '--petition', 'p2']),
      runCli(['--community', COMMUNITY]),
      runCli(['--community', COMMUNITY, '--petition', 'nope']),
    ]);
    const repaired = await runCli(['--community', COMMUNITY, '--petition', 'p2', '--apply']);

    expect(clean).toMatchObject({ code: 0, stderr: '' });
    expect(clean.stdout).toMatch(/by district +obolon=10 podil=12 unknown=8\n/);
    expect(clean.stdout).toMatch(/counted by the tally \(receipts\) +30\n/);
    expect(lastLine(clean.stdout)).toBe('drift=0');
    expect(drifted.code).toBe(1);
    expect(lastLine(drifted.stdout)).toBe('drift=-2');
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain('repaired: signatureCount 28 -> 30');
    expect(lastLine(repaired.stdout)).toBe('drift=0');
    expect((await petitionItem('p2'))?.signatureCount).toBe(30);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Usage: npm run recount -- --community <id> --petition <id>');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No petition nope in community recount');
  });
});
