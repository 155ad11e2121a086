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
import { MAX_ATTEMPTS, signatureTally } from '../../../functions/streams/tally';

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

let sequence = 0;
/** A signature INSERT as Lambda delivers it. */
function insert(petitionId: string): DynamoDBRecord {
  sequence += 1;
  const item = signatureItem({
    communityId: 'demo',
    petitionId,
    signerKey: sequence.toString(16).padStart(64, '0'),
    signedAt: '2026-05-02T08:00:00.000Z',
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

const signatureUpdates = (input: TransactWriteCommandInput | undefined) =>
  (input?.TransactItems ?? []).filter((item) => item.Update?.Key?.SK === 'SIGNATURE').length;

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
        .rejectsOnce(cancelled([code, 'None', 'None', 'None', 'None']))
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
      if (afterOf(input, 'stuck') !== undefined)
        throw cancelled(['TransactionConflict', 'None', 'None', 'None']);
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

  it('drops the signatures counted already and counts the rest, without pausing', async () => {
    // Items: petition, stats, then the signatures in batch order; the second one was counted before.
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'None', 'None', 'ConditionalCheckFailed', 'None']))
      .resolves({});

    const response = await tally()([insert('p1'), insert('p1'), insert('p1')]);

    expect(response.batchItemFailures).toEqual([]);
    expect(transactions().map((input) => [afterOf(input), signatureUpdates(input)])).toEqual([
      [13, 3],
      [12, 2],
    ]);
    expect(pause).not.toHaveBeenCalled();
  });

  it('reads the petition again when its counts moved, and counts on top of the new ones', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: petitionState(10) })
      .resolves({ Item: petitionState(40, 5) });
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['ConditionalCheckFailed', 'None', 'None', 'None']))
      .resolves({});

    const response = await tally()([insert('p1'), insert('p1')]);

    expect(response.batchItemFailures).toEqual([]);
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(2);
    const retry = transactions()[1]?.TransactItems?.[0]?.Update;
    expect(retry?.ExpressionAttributeValues).toMatchObject({
      ':before': 40,
      ':offline': 5,
      ':after': 42,
      ':bySignatures': keys.petitionBySignatures(47, 'p1'),
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
    expect([afterOf(transactions()[0]), signatureUpdates(transactions()[0])]).toEqual([12, 2]);
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
