import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Petition, PetitionState, ResponseState } from '../../../domain/petitions/petition';
import { EventEnvelopeSchema } from '../../../events/envelope';
import { PetitionEvents, PetitionThresholdReachedV1 } from '../../../events/petitions';
import { petitionToItem, type SignatureItem, signatureItem } from '../../../functions/petitions/items';
import { documentClient } from '../../../functions/shared/dynamo';
import { type EventPublisher, setEventPublisher } from '../../../functions/shared/event-publisher';
import { ulidGenerator } from '../../../functions/shared/ids';
import { Entity, keys } from '../../../functions/shared/keys';
import { OutboxStatus } from '../../../functions/shared/outbox';
import { handler } from '../../../functions/streams/handler';
import { signatureTally } from '../../../functions/streams/tally';
import { drainWith } from '../../support/stream';
import { createTestTable, type TestTable } from '../../support/table';

const COMMUNITY = 'tally';
const NOW = new Date('2026-05-10T12:00:00.000Z');
const CLOSES_AT = '2026-06-01T00:00:00.000Z';
const clock = { now: () => NOW };

let table: TestTable;
const client = () => documentClient({ dynamoEndpoint: table.endpoint, region: table.region });

/** The tally under test, with no pauses between retries. */
const tally = (overrides: { client?: ReturnType<typeof client> } = {}) =>
  signatureTally({
    client: overrides.client ?? client(),
    tableName: table.tableName,
    clock,
    ids: ulidGenerator(),
    pause: async () => undefined,
  });

function openPetition(id: string, overrides: Partial<Petition> = {}): Petition {
  return {
    id,
    communityId: COMMUNITY,
    title: 'Більше лавок у парку',
    text: 'Просимо встановити лавки вздовж головної алеї.',
    authorKey: 'a'.repeat(64),
    state: PetitionState.open,
    responseState: ResponseState.none,
    sponsorToken: 'sponsor-token',
    sponsorsNeeded: 0,
    sponsorCount: 0,
    thresholds: [
      { name: 'response', signatures: 5 },
      { name: 'hearing', signatures: 100 },
    ],
    durationDays: 30,
    createdAt: '2026-04-30T09:00:00.000Z',
    openedAt: '2026-05-01T00:00:00.000Z',
    closesAt: CLOSES_AT,
    signatureCount: 0,
    offlineSignatureCount: 0,
    thresholdsReached: {},
    textHidden: false,
    version: 3,
    ...overrides,
  };
}

async function putPetition(petition: Petition): Promise<void> {
  await client().send(new PutCommand({ TableName: table.tableName, Item: petitionToItem(petition) }));
}

async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Signs a petition as the request path does: one conditional put per signature. */
async function sign(
  petitionId: string,
  signatures: readonly { signedAt?: string; districtId?: string }[],
): Promise<SignatureItem[]> {
  const items = signatures.map((signature) =>
    signatureItem({
      communityId: COMMUNITY,
      petitionId,
      signerKey: randomBytes(32).toString('hex'),
      signedAt: signature.signedAt ?? '2026-05-02T08:00:00.000Z',
      ...(signature.districtId ? { districtId: signature.districtId } : {}),
    }),
  );
  await inParallel(items, 32, async (item) => {
    await client().send(
      new PutCommand({
        TableName: table.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  });
  return items;
}

const many = (count: number, signature: { signedAt?: string; districtId?: string } = {}) =>
  Array.from({ length: count }, () => signature);

/** Every record of the table's stream so far, as Lambda delivers them, in stream order. */
async function streamRecords(): Promise<DynamoDBRecord[]> {
  const records: DynamoDBRecord[] = [];
  await drainWith(
    table,
    async (event) => {
      records.push(...event.Records);
      return { batchItemFailures: [] };
    },
    { batchSize: 1000 },
  );
  return records;
}

/** The signature INSERT records of the table's stream so far, in stream order. */
const signatureInserts = async (): Promise<DynamoDBRecord[]> =>
  (await streamRecords()).filter(
    (record) => record.eventName === 'INSERT' && record.dynamodb?.NewImage?.entity?.S === Entity.signature,
  );

const recordsOf = (records: readonly DynamoDBRecord[], items: readonly SignatureItem[]) => {
  const wanted = new Set(items.map((item) => item.PK));
  return records.filter((record) => wanted.has(record.dynamodb?.Keys?.PK?.S ?? ''));
};

async function getItem({ PK, SK }: { PK: string; SK: string }): Promise<Record<string, unknown> | undefined> {
  const { Item } = await client().send(
    new GetCommand({ TableName: table.tableName, Key: { PK, SK }, ConsistentRead: true }),
  );
  return Item;
}

const petitionItem = (id: string) => getItem(keys.petition(COMMUNITY, id));
const statsItem = (id: string) => getItem(keys.petitionStats(COMMUNITY, id));

/** What a receipt holds for a signature: the first 20 hex characters of its signer key. */
const signerIdOf = (signature: SignatureItem) => signature.signerKey.slice(0, 20);

/** The signer ids of every receipt of a petition, by second (`signedAt` to the second). */
async function receipts(petitionId: string): Promise<Record<string, Set<string>>> {
  const items = (await table.scanAll()).filter(
    (item) => item.entity === Entity.tallyReceipt && item.petitionId === petitionId,
  );
  return Object.fromEntries(
    items.map((item) => {
      expect(item).toMatchObject({ communityId: COMMUNITY, PK: keys.petition(COMMUNITY, petitionId).PK });
      return [String(item.SK).replace('RECEIPT#', ''), item.signers as Set<string>];
    }),
  );
}

/** What the receipts of `signatures` should be: their short signer ids by second. */
function receiptsFor(signatures: readonly SignatureItem[]): Record<string, Set<string>> {
  const expected: Record<string, Set<string>> = {};
  for (const signature of signatures) {
    const second = signature.signedAt.slice(0, 19);
    expected[second] = (expected[second] ?? new Set()).add(signerIdOf(signature));
  }
  return expected;
}

/** Every item, in key order, to show that a delivery changed nothing at all. */
const snapshot = async () =>
  (await table.scanAll()).sort((a, b) => `${a.PK}|${a.SK}`.localeCompare(`${b.PK}|${b.SK}`));

const thresholdEvents = async () =>
  (await table.scanAll()).filter(
    (item) =>
      item.entity === Entity.outbox &&
      (item.event as { name?: string } | undefined)?.name === PetitionEvents.thresholdReached,
  );

// Skipped petitions are logged as warnings on purpose; keep the test output clean.
beforeAll(() => vi.stubEnv('LOG_LEVEL', 'silent'));
afterAll(() => vi.unstubAllEnvs());

beforeEach(async () => {
  table = await createTestTable('tally');
});

describe('the signature tally on DynamoDB Local', () => {
  it('counts a batch exactly, by district and by day, and puts each signer in the receipt of its second', async () => {
    await putPetition(openPetition('p1', { offlineSignatureCount: 7 }));
    const signed = await sign('p1', [
      ...many(5, { districtId: 'podil', signedAt: '2026-05-02T08:00:00.000Z' }),
      ...many(4, { districtId: 'obolon', signedAt: '2026-05-03T23:59:59.999Z' }),
      ...many(3, { signedAt: '2026-05-03T00:00:00.000Z' }),
    ]);

    const response = await tally()(await signatureInserts());

    expect(response.batchItemFailures).toEqual([]);
    const petition = await petitionItem('p1');
    expect(petition?.signatureCount).toBe(12);
    expect(petition?.offlineSignatureCount).toBe(7);
    expect(petition?.GSI2SK).toBe(keys.petitionBySignatures(19, 'p1').GSI2SK);
    expect(petition?.version).toBe(3);
    expect(await statsItem('p1')).toMatchObject({
      'district#podil': 5,
      'district#obolon': 4,
      'district#unknown': 3,
      'day#2026-05-02': 5,
      'day#2026-05-03': 7,
    });
    expect(await receipts('p1')).toEqual({
      '2026-05-02T08:00:00': new Set(signed.slice(0, 5).map(signerIdOf)),
      '2026-05-03T23:59:59': new Set(signed.slice(5, 9).map(signerIdOf)),
      '2026-05-03T00:00:00': new Set(signed.slice(9).map(signerIdOf)),
    });
    // The ledger is written once by the request path and never touched by the tally.
    for (const signature of signed) expect(await getItem(signature)).toEqual(signature);
  });

  it('never modifies a signature item: the stream carries its INSERT and no MODIFY', async () => {
    await putPetition(openPetition('p1'));
    const signed = await sign('p1', [...many(6), ...many(2, { signedAt: CLOSES_AT })]);
    const batch = await signatureInserts();
    await tally()(batch);
    await tally()(batch.slice(3));

    const records = (await streamRecords()).filter((record) => record.dynamodb?.Keys?.SK?.S === 'SIGNATURE');

    expect(records.map((record) => record.eventName)).toEqual(signed.map(() => 'INSERT'));
    expect((await petitionItem('p1'))?.signatureCount).toBe(6);
  });

  it('drops exactly the signatures a refusing receipt holds, and counts the others of its second', async () => {
    await putPetition(openPetition('p1'));
    // One second, so that one receipt holds counted and uncounted signatures alike.
    const signed = await sign('p1', many(6, { signedAt: '2026-05-02T08:00:00.500Z' }));
    const records = await signatureInserts();
    const counted = [records[0], records[2], records[5]] as DynamoDBRecord[];
    await tally()(counted);
    const real = client();
    const sent: string[] = [];
    // Only `send` is used by the tally; the cast stands in for the rest of the client.
    const watched = {
      send: (command: { constructor: { name: string }; input: { Key?: { SK?: string } } }) => {
        sent.push(`${command.constructor.name} ${command.input.Key?.SK ?? ''}`.trim());
        return (real.send as (command: unknown) => Promise<unknown>)(command);
      },
    } as unknown as ReturnType<typeof client>;

    const response = await tally({ client: watched })(records);

    expect(response.batchItemFailures).toEqual([]);
    expect(sent).toEqual([
      'GetCommand PETITION',
      'TransactWriteCommand',
      'GetCommand RECEIPT#2026-05-02T08:00:00',
      'GetCommand PETITION',
      'TransactWriteCommand',
    ]);
    expect((await petitionItem('p1'))?.signatureCount).toBe(6);
    expect(await statsItem('p1')).toMatchObject({ 'day#2026-05-02': 6, 'district#unknown': 6 });
    expect(await receipts('p1')).toEqual({ '2026-05-02T08:00:00': new Set(signed.map(signerIdOf)) });
  });

  it('changes nothing when the same batch is delivered again', async () => {
    await putPetition(openPetition('p1'));
    await sign('p1', many(12, { districtId: 'podil' }));
    const batch = await signatureInserts();
    await tally()(batch);
    const before = await snapshot();

    const response = await tally()(batch);

    expect(response.batchItemFailures).toEqual([]);
    expect(await snapshot()).toEqual(before);
    expect((await petitionItem('p1'))?.signatureCount).toBe(12);
  });

  it('changes nothing when only the tail of a batch is delivered again', async () => {
    await putPetition(openPetition('p1'));
    await sign('p1', many(9));
    const batch = await signatureInserts();
    await tally()(batch);
    const before = await snapshot();

    const response = await tally()(batch.slice(4));

    expect(response.batchItemFailures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('counts only the new signatures of a redelivery cut at other boundaries', async () => {
    await putPetition(openPetition('p1'));
    const first = await sign('p1', many(6, { districtId: 'podil' }));
    const firstBatch = recordsOf(await signatureInserts(), first);
    await tally()(firstBatch);
    const second = await sign('p1', many(4, { districtId: 'obolon' }));
    const secondBatch = recordsOf(await signatureInserts(), second);

    // The tail of the first batch, glued to the second one and to itself again.
    const response = await tally()([...firstBatch.slice(2), ...secondBatch, ...firstBatch.slice(5)]);

    expect(response.batchItemFailures).toEqual([]);
    expect((await petitionItem('p1'))?.signatureCount).toBe(10);
    expect(await statsItem('p1')).toMatchObject({ 'district#podil': 6, 'district#obolon': 4 });
    // Both batches were signed in the same second: one receipt, holding all ten.
    expect(await receipts('p1')).toEqual(receiptsFor([...first, ...second]));
  });

  it('records a crossed threshold once, with one event, across batches and redeliveries', async () => {
    await putPetition(openPetition('p1'));
    const first = await sign('p1', many(3));
    const second = await sign('p1', many(3));
    const records = await signatureInserts();
    const [firstBatch, secondBatch] = [recordsOf(records, first), recordsOf(records, second)];

    for (const batch of [firstBatch, secondBatch, secondBatch, [...firstBatch, ...secondBatch]]) {
      expect((await tally()(batch)).batchItemFailures).toEqual([]);
    }

    const petition = await petitionItem('p1');
    expect(petition?.signatureCount).toBe(6);
    expect(petition?.thresholdsReached).toEqual({
      response: { signatures: 5, reachedAt: NOW.toISOString() },
    });
    const events = await thresholdEvents();
    expect(events).toHaveLength(1);
    const event = EventEnvelopeSchema.parse(events[0]?.event);
    expect(events[0]?.status).toBe(OutboxStatus.pending);
    expect(event).toMatchObject({
      communityId: COMMUNITY,
      subject: 'petition/p1',
      occurredAt: NOW.toISOString(),
    });
    expect(PetitionThresholdReachedV1.parse(event.detail)).toEqual({
      communityId: COMMUNITY,
      petitionId: 'p1',
      threshold: 'response',
      signatures: 5,
      total: 6,
      reachedAt: NOW.toISOString(),
    });
    expect(await getItem(keys.petitionThreshold(COMMUNITY, 'p1', 'response'))).toMatchObject({
      entity: Entity.petitionThreshold,
      total: 6,
      reachedAt: NOW.toISOString(),
      eventId: event.id,
    });
    expect(await getItem(keys.petitionThreshold(COMMUNITY, 'p1', 'hearing'))).toBeUndefined();
  });

  it.each([
    { case: 'the counter was lowered below it', forget: false },
    { case: 'the petition item also lost its reached map', forget: true },
  ])('does not fire a threshold again when $case and is crossed anew', async ({ forget }) => {
    await putPetition(openPetition('p1'));
    await sign('p1', many(6));
    await tally()(await signatureInserts());
    // An incident: the counter (and perhaps the map) set back by hand, as a bad repair might.
    await client().send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.petition(COMMUNITY, 'p1'),
        UpdateExpression: forget
          ? 'SET signatureCount = :low, thresholdsReached = :none'
          : 'SET signatureCount = :low',
        ExpressionAttributeValues: { ':low': 2, ...(forget ? { ':none': {} } : {}) },
      }),
    );
    await sign('p1', many(4));

    const response = await tally()(await signatureInserts());

    expect(response.batchItemFailures).toEqual([]);
    expect((await petitionItem('p1'))?.signatureCount).toBe(6);
    expect(await thresholdEvents()).toHaveLength(1);
  });

  it('keeps a signature made at or after closesAt but does not count it', async () => {
    const before = openPetition('p1');
    await putPetition(before);
    await sign('p1', [{ signedAt: CLOSES_AT }, { signedAt: '2026-06-01T00:00:00.001Z' }]);
    const untouched = await snapshot();

    // A batch of late signatures alone, twice: no petition, stats or receipt write at all.
    expect((await tally()(await signatureInserts())).batchItemFailures).toEqual([]);
    expect((await tally()(await signatureInserts())).batchItemFailures).toEqual([]);
    expect(await snapshot()).toEqual(untouched);

    const onTime = await sign('p1', many(2, { signedAt: '2026-05-31T23:59:59.999Z' }));
    await tally()(await signatureInserts());

    expect((await petitionItem('p1'))?.signatureCount).toBe(2);
    expect(await statsItem('p1')).toMatchObject({ 'day#2026-05-31': 2, 'district#unknown': 2 });
    expect(await receipts('p1')).toEqual(receiptsFor(onTime));
  });

  it('skips the signatures of a petition that does not exist, without failing the batch', async () => {
    await putPetition(openPetition('p1'));
    const ghost = await sign('ghost', many(3));
    await sign('p1', many(2));

    const response = await tally()(await signatureInserts());

    expect(response.batchItemFailures).toEqual([]);
    expect((await petitionItem('p1'))?.signatureCount).toBe(2);
    expect(await petitionItem('ghost')).toBeUndefined();
    expect(await statsItem('ghost')).toBeUndefined();
    expect(await receipts('ghost')).toEqual({});
    for (const signature of ghost) expect(await getItem(signature)).toEqual(signature);
  });

  it('retries when the council adds paper signatures between the read and the write, and ends consistent', async () => {
    await putPetition(openPetition('p1'));
    await sign('p1', many(4));
    const real = client();
    const sent: string[] = [];
    let interfered = false;
    // Only `send` is used by the tally; the cast stands in for the rest of the client.
    const racing = {
      send: async (command: { constructor: { name: string } }) => {
        sent.push(command.constructor.name);
        if (command instanceof TransactWriteCommand && !interfered) {
          interfered = true;
          await real.send(
            new UpdateCommand({
              TableName: table.tableName,
              Key: keys.petition(COMMUNITY, 'p1'),
              UpdateExpression: 'ADD offlineSignatureCount :paper',
              ExpressionAttributeValues: { ':paper': 2 },
            }),
          );
        }
        return (real.send as (command: unknown) => Promise<unknown>)(command);
      },
    } as unknown as ReturnType<typeof client>;

    const response = await tally({ client: racing })(await signatureInserts());

    expect(response.batchItemFailures).toEqual([]);
    expect(sent).toEqual(['GetCommand', 'TransactWriteCommand', 'GetCommand', 'TransactWriteCommand']);
    const petition = await petitionItem('p1');
    expect(petition).toMatchObject({ signatureCount: 4, offlineSignatureCount: 2 });
    expect(petition?.GSI2SK).toBe(keys.petitionBySignatures(6, 'p1').GSI2SK);
    // 4 online alone would not reach 5; with the paper signatures read again, the total 6 does.
    const events = await thresholdEvents();
    expect(events.map((item) => (item.event as { detail: { total: number } }).detail.total)).toEqual([6]);
  });

  it('counts 1,000 signatures delivered in batches of 100 exactly, and redelivered batches add nothing', async () => {
    await putPetition(openPetition('p1', { thresholds: [{ name: 'response', signatures: 500 }] }));
    // All in one second: every chunk meets the same receipt, with a condition of 80 `contains`.
    const signed = await sign('p1', many(1000, { districtId: 'podil' }));
    const records = await signatureInserts();
    expect(records).toHaveLength(1000);
    const batches = Array.from({ length: 10 }, (_, index) => records.slice(index * 100, index * 100 + 100));

    // Exactness only: how fast counting goes is `npm run bench -- signatures`.
    for (const batch of batches) expect((await tally()(batch)).batchItemFailures).toEqual([]);
    for (const batch of [batches[0], batches[9], batches[4]]) {
      expect((await tally()(batch ?? [])).batchItemFailures).toEqual([]);
    }

    expect((await petitionItem('p1'))?.signatureCount).toBe(1000);
    expect(await statsItem('p1')).toMatchObject({ 'district#podil': 1000 });
    expect(await thresholdEvents()).toHaveLength(1);
    expect(await receipts('p1')).toEqual(receiptsFor(signed));
  });
});

describe('the tally behind the table’s stream handler', () => {
  let published: string[];

  beforeEach(() => {
    published = [];
    const publisher: EventPublisher = {
      async publish(events) {
        published.push(...events.map((event) => event.name));
        return { failedEventIds: [] };
      },
    };
    setEventPublisher(publisher);
  });

  afterEach(() => setEventPublisher(undefined));

  it('counts what the stream delivers and publishes the threshold event once', async () => {
    await putPetition(openPetition('p1', { thresholds: [{ name: 'response', signatures: 100 }] }));
    await sign('p1', many(150));
    await drainWith(table, handler, { batchSize: 100 });

    expect((await petitionItem('p1'))?.signatureCount).toBe(150);
    expect(published).toEqual([PetitionEvents.thresholdReached]);
    expect((await thresholdEvents()).map((item) => item.status)).toEqual([OutboxStatus.sent]);
  });
});
