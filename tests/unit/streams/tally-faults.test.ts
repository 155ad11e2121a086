import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { signatureItem } from '../../../functions/petitions/items';
import { ulidGenerator } from '../../../functions/shared/ids';
import { keys } from '../../../functions/shared/keys';
import {
  MAX_ATTEMPTS,
  MAX_SIGNATURES_PER_TRANSACTION,
  signatureTally,
} from '../../../functions/streams/tally';

const TABLE = 'tally-faults';
const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);

/** A petition's counting fields as the tally reads them. */
const petitionState = (signatureCount: number, offlineSignatureCount = 0) => ({
  signatureCount,
  offlineSignatureCount,
  closesAt: '2026-06-01T00:00:00.000Z',
  thresholds: [{ name: 'response', signatures: 1000 }],
  thresholdsReached: {},
});

const SIGNED_AT = '2026-05-02T08:00:00.000Z';

let sequence = 0;
/** A signature INSERT as Lambda delivers it; signer keys differ in their first 20 characters. */
function insert(petitionId: string, signedAt = SIGNED_AT): DynamoDBRecord {
  sequence += 1;
  const item = signatureItem({
    communityId: 'demo',
    petitionId,
    signerKey: `${sequence.toString(16).padStart(20, '0')}${'f'.repeat(44)}`,
    signedAt,
  });
  return {
    eventName: 'INSERT',
    dynamodb: {
      SequenceNumber: String(sequence),
      Keys: marshall({ PK: item.PK, SK: item.SK }) as Record<string, LambdaAttributeValue>,
      NewImage: marshall(item) as Record<string, LambdaAttributeValue>,
    },
  };
}

/** A transaction cancelled with one reason code per item ('None' for items that were fine). */
const cancelled = (codes: readonly string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const transactions = () =>
  dynamo.commandCalls(TransactWriteCommand).map((call) => call.args[0].input as TransactWriteCommandInput);

/** The `:after` a transaction sets on the petition of `petitionId`, if it updates it. */
const afterOf = (input: TransactWriteCommandInput | undefined, petitionId = 'p1') =>
  input?.TransactItems?.find((item) => item.Update?.Key?.PK === keys.petition('demo', petitionId).PK)?.Update
    ?.ExpressionAttributeValues?.[':after'];

/** What a receipt holds for the signature of `record`: the first 20 characters of its signer key. */
const signerIdOf = (record: DynamoDBRecord | undefined) =>
  record?.dynamodb?.NewImage?.signerKey?.S?.slice(0, 20) ?? '';

/** The receipt updates of a transaction: the second each is for, and the signer ids it adds. */
const receiptsOf = (input: TransactWriteCommandInput | undefined) =>
  (input?.TransactItems ?? [])
    .filter((item) => item.Update?.Key?.SK?.startsWith('RECEIPT#'))
    .map((item) => ({
      second: item.Update?.Key?.SK?.slice('RECEIPT#'.length),
      signerIds: [...((item.Update?.ExpressionAttributeValues?.[':signerIds'] as Set<string>) ?? [])],
    }));

/** How many signer ids a transaction adds to receipts. */
const receiptIds = (input: TransactWriteCommandInput | undefined) =>
  receiptsOf(input).reduce((sum, receipt) => sum + receipt.signerIds.length, 0);

let pause: ReturnType<typeof vi.fn<(attempt: number) => Promise<void>>>;
const tally = () =>
  signatureTally({
    client,
    tableName: TABLE,
    clock: { now: () => new Date('2026-05-10T12:00:00.000Z') },
    ids: ulidGenerator(),
    pause,
  });

const sequenceNumbers = (records: readonly DynamoDBRecord[]) =>
  records.map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber }));

// Exhausted retries and failures are logged as errors on purpose; keep the test output clean.
beforeAll(() => vi.stubEnv('LOG_LEVEL', 'silent'));
afterAll(() => vi.unstubAllEnvs());

beforeEach(() => {
  dynamo.reset();
  pause = vi.fn(async () => undefined);
  dynamo.on(GetCommand).resolves({ Item: petitionState(10) });
});

describe('the tally under transaction faults', () => {
  it.each(['TransactionConflict', 'ThrottlingError'])(
    'retries after a pause when a transaction is cancelled with %s, and counts once',
    async (code) => {
      dynamo
        .on(TransactWriteCommand)
        .rejectsOnce(cancelled([code, 'None', 'None']))
        .resolves({});
      const records = [insert('p1'), insert('p1'), insert('p1')];

      const response = await tally()(records);

      expect(response.batchItemFailures).toEqual([]);
      expect(transactions()).toHaveLength(2);
      expect(transactions().map((input) => afterOf(input))).toEqual([13, 13]);
      expect(pause.mock.calls).toEqual([[1]]);
    },
  );

  it('gives the records back to the stream when the conflicts persist, and still counts other petitions', async () => {
    dynamo.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
      if (afterOf(input, 'stuck') !== undefined) throw cancelled(['TransactionConflict', 'None', 'None']);
      return {};
    });
    const stuck = [insert('stuck'), insert('stuck')];
    const fine = [insert('p1')];

    const response = await tally()([stuck[0], fine[0], stuck[1]] as DynamoDBRecord[]);

    expect(response.batchItemFailures).toEqual(sequenceNumbers(stuck));
    const attempts = transactions().filter((input) => afterOf(input, 'stuck') !== undefined);
    expect(attempts).toHaveLength(MAX_ATTEMPTS);
    expect(pause).toHaveBeenCalledTimes(MAX_ATTEMPTS - 1);
    expect(transactions().filter((input) => afterOf(input, 'p1') === 11)).toHaveLength(1);
  });

  it('drops exactly the signatures a refusing receipt holds, reading it consistently, without pausing', async () => {
    // Three signatures in one second, two in the next; the first second's receipt refuses.
    const first = [insert('p1'), insert('p1'), insert('p1')];
    const next = [insert('p1', '2026-05-02T08:00:01.250Z'), insert('p1', '2026-05-02T08:00:01.999Z')];
    const receipt = keys.tallyReceipt('demo', 'p1', '2026-05-02T08:00:00');
    // An earlier delivery counted the first and the third, and a signature of another batch.
    dynamo.on(GetCommand, { Key: receipt }).resolves({
      Item: { signers: new Set([signerIdOf(first[0]), signerIdOf(first[2]), 'a'.repeat(20)]) },
    });
    // Items: petition, stats, then one receipt per second in the order the seconds came.
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'None', 'ConditionalCheckFailed', 'None']))
      .resolves({});

    const response = await tally()([...first, ...next]);

    expect(response.batchItemFailures).toEqual([]);
    expect(transactions().map((input) => afterOf(input))).toEqual([15, 13]);
    expect(receiptsOf(transactions()[1])).toEqual([
      { second: '2026-05-02T08:00:00', signerIds: [signerIdOf(first[1])] },
      { second: '2026-05-02T08:00:01', signerIds: next.map(signerIdOf) },
    ]);
    const receiptReads = dynamo
      .commandCalls(GetCommand)
      .map((call) => call.args[0].input)
      .filter((input) => input.Key?.SK === receipt.SK);
    expect(receiptReads).toEqual([expect.objectContaining({ Key: receipt, ConsistentRead: true })]);
    expect(pause).not.toHaveBeenCalled();
  });

  it('adds a receipt’s signers under a condition that refuses each one already in it', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const records = [insert('p1'), insert('p1')];

    await tally()(records);

    const update = transactions()[0]?.TransactItems?.[2]?.Update;
    expect(update).toMatchObject({
      Key: keys.tallyReceipt('demo', 'p1', '2026-05-02T08:00:00'),
      UpdateExpression: expect.stringContaining('ADD #signers :signerIds'),
      ConditionExpression:
        'attribute_not_exists(#signers) OR (NOT contains(#signers, :s0) AND NOT contains(#signers, :s1))',
      ExpressionAttributeNames: { '#signers': 'signers' },
    });
    expect(update?.ExpressionAttributeValues).toMatchObject({
      ':signerIds': new Set(records.map(signerIdOf)),
      ':s0': signerIdOf(records[0]),
      ':s1': signerIdOf(records[1]),
    });
  });

  it('keeps a full chunk in one second within DynamoDB’s expression and transaction limits', async () => {
    dynamo
      .on(GetCommand)
      .resolves({ Item: { ...petitionState(0), thresholds: [{ name: 'response', signatures: 50 }] } });
    dynamo.on(TransactWriteCommand).resolves({});
    const records = Array.from({ length: MAX_SIGNATURES_PER_TRANSACTION + 20 }, () => insert('p1'));

    expect((await tally()(records)).batchItemFailures).toEqual([]);

    const [full, rest] = transactions();
    expect(receiptsOf(full).map((receipt) => receipt.signerIds.length)).toEqual([
      MAX_SIGNATURES_PER_TRANSACTION,
    ]);
    expect(receiptsOf(rest).map((receipt) => receipt.signerIds.length)).toEqual([20]);
    const condition =
      full?.TransactItems?.find((item) => item.Update?.Key?.SK?.startsWith('RECEIPT#'))?.Update
        ?.ConditionExpression ?? '';
    const operators = condition.match(/\b(AND|OR|NOT)\b|\w+\(/g) ?? [];
    // One `contains` per signer; DynamoDB's limits: 4 KB per expression string (this one is
    // 2,661 bytes), 300 operators or functions per expression (this one has 241).
    expect(condition.match(/contains\(/g)).toHaveLength(MAX_SIGNATURES_PER_TRANSACTION);
    expect(Buffer.byteLength(condition)).toBeLessThanOrEqual(4096);
    expect(operators.length).toBeLessThanOrEqual(300);
  });

  it('keeps a full chunk in as many seconds, crossing five thresholds, within 100 transaction items', async () => {
    const thresholds = [10, 20, 30, 40, 50].map((signatures) => ({ name: `t${signatures}`, signatures }));
    dynamo.on(GetCommand).resolves({ Item: { ...petitionState(0), thresholds } });
    dynamo.on(TransactWriteCommand).resolves({});
    const records = Array.from({ length: MAX_SIGNATURES_PER_TRANSACTION }, (_, index) =>
      insert('p1', new Date(Date.parse(SIGNED_AT) + index * 1000).toISOString()),
    );

    expect((await tally()(records)).batchItemFailures).toEqual([]);

    const [only] = transactions();
    expect(receiptsOf(only)).toHaveLength(MAX_SIGNATURES_PER_TRANSACTION);
    // The petition, its stats, 80 receipts, and a mark and an event per threshold.
    expect(only?.TransactItems).toHaveLength(2 + MAX_SIGNATURES_PER_TRANSACTION + 10);
    expect(only?.TransactItems?.length).toBeLessThanOrEqual(100);
  });

  it('reads the petition again when its counts moved, and counts on top of the new ones', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: petitionState(10) })
      .resolves({ Item: petitionState(40, 5) });
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['ConditionalCheckFailed', 'None', 'None']))
      .resolves({});

    const response = await tally()([insert('p1'), insert('p1')]);

    expect(response.batchItemFailures).toEqual([]);
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(2);
    const retry = transactions()[1]?.TransactItems?.[0]?.Update;
    expect(retry?.ExpressionAttributeValues).toMatchObject({
      ':before': 40,
      ':offline': 5,
      ':after': 42,
      ':bySignatures': keys.petitionBySignatures(47, 'p1').GSI2SK,
    });
  });

  it('puts a signature that comes twice in one batch into the transaction once', async () => {
    // DynamoDB refuses a transaction with two operations on one item (DynamoDB Local does not check).
    dynamo.on(TransactWriteCommand).resolves({});
    const twice = insert('p1');
    const copy = { ...twice, dynamodb: { ...twice.dynamodb, SequenceNumber: 'again' } };

    const response = await tally()([twice, insert('p1'), copy]);

    expect(response.batchItemFailures).toEqual([]);
    const keysWritten = (transactions()[0]?.TransactItems ?? []).map(
      (item) => `${item.Update?.Key?.PK} ${item.Update?.Key?.SK}`,
    );
    expect(new Set(keysWritten).size).toBe(keysWritten.length);
    expect([afterOf(transactions()[0]), receiptIds(transactions()[0])]).toEqual([12, 2]);
  });

  it('fails only the records of a petition whose write throws something else', async () => {
    dynamo.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
      if (afterOf(input, 'broken') !== undefined) throw new Error('socket hang up');
      return {};
    });
    const broken = [insert('broken'), insert('broken')];

    const response = await tally()([...broken, insert('p1')]);

    expect(response.batchItemFailures).toEqual(sequenceNumbers(broken));
    expect(transactions().filter((input) => afterOf(input, 'broken') !== undefined)).toHaveLength(1);
    expect(transactions().filter((input) => afterOf(input, 'p1') === 11)).toHaveLength(1);
  });
});
