import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TransactItem } from '../../../functions/shared/outbox';
import {
  countingAll,
  type ReceiptChange,
  type ReceiptTallyKind,
  receiptTally,
  type TallyWrite,
} from '../../../functions/streams/receipt-tally';

/**
 * The engine on its own, with a made-up kind: a record `counter/name` adds one
 * to `counter`, named `name` in the counter's receipt. The table is a mocked
 * client: what the engine sends and how it reads each refusal is what is checked.
 */

const TABLE = 'receipt-engine';
const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);

type Count = ReceiptChange & { readonly counter: string };

let sequence = 0;
/** A record as the made-up kind reads it: its counter and change name in `Keys`. */
function record(counter: string, name: string): DynamoDBRecord {
  sequence += 1;
  return {
    eventName: 'INSERT',
    dynamodb: { SequenceNumber: String(sequence), Keys: { PK: { S: counter }, SK: { S: name } } },
  };
}

const changesOf = (item: DynamoDBRecord): Count[] => {
  const counter = item.dynamodb?.Keys?.PK?.S ?? '';
  return [
    {
      subject: counter,
      counter,
      name: item.dynamodb?.Keys?.SK?.S ?? '',
      receipt: { PK: counter, SK: 'RECEIPT' },
      receiptFields: { entity: 'test-receipt' },
      sequenceNumbers: [item.dynamodb?.SequenceNumber ?? ''],
    },
  ];
};

const counterWrite = (changes: readonly Count[]): TransactItem => ({
  Update: {
    TableName: TABLE,
    Key: { PK: (changes[0] as Count).counter, SK: 'COUNTER' },
    UpdateExpression: 'ADD #n :n',
    ExpressionAttributeNames: { '#n': 'n' },
    ExpressionAttributeValues: { ':n': changes.length },
  },
});

const counting: ReceiptTallyKind<Count> = {
  label: 'test counts',
  changesOf,
  describe: (change) => ({ counter: change.counter }),
  plan: countingAll(async (changes) => counterWrite(changes)),
};

/** A transaction cancelled with one reason code per item ('None' for items that were fine). */
const cancelled = (codes: readonly string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const transactions = () =>
  dynamo.commandCalls(TransactWriteCommand).map((call) => call.args[0].input as TransactWriteCommandInput);

/** What each transaction adds to the counter of `counter`. */
const addedTo = (counter: string) =>
  transactions().flatMap((input) =>
    (input.TransactItems ?? [])
      .filter((item) => item.Update?.Key?.PK === counter && item.Update.Key.SK === 'COUNTER')
      .map((item) => item.Update?.ExpressionAttributeValues?.[':n']),
  );

const failures = (records: readonly DynamoDBRecord[]) =>
  records.map((item) => ({ itemIdentifier: item.dynamodb?.SequenceNumber }));

let pause: ReturnType<typeof vi.fn<(attempt: number) => Promise<void>>>;
const tally = (kind: ReceiptTallyKind<Count> = counting, maxAttempts = 4) =>
  receiptTally<Count>({ client, tableName: TABLE, pause, maxAttempts }, kind);

// Given-up and failed subjects are logged as errors on purpose; keep the test output clean.
beforeAll(() => vi.stubEnv('LOG_LEVEL', 'silent'));
afterAll(() => vi.unstubAllEnvs());

beforeEach(() => {
  dynamo.reset();
  pause = vi.fn(async () => undefined);
});

describe('the receipt tally engine', () => {
  it('retries a transaction cancelled by a conflict after a pause, and counts it once', async () => {
    // Prepare
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['TransactionConflict', 'None']))
      .resolves({});
    const records = [record('a', 'x'), record('a', 'y')];

    // Act
    const response = await tally()(records);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(addedTo('a')).toEqual([2, 2]);
    expect(pause.mock.calls).toEqual([[1]]);
  });

  it('folds a subject that keeps refusing into batch item failures after its attempts, and counts the others', async () => {
    // Prepare: the counter of `stuck` moves under every attempt.
    dynamo.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
      if (input.TransactItems?.[0]?.Update?.Key?.PK === 'stuck') {
        throw cancelled(['ConditionalCheckFailed', 'None']);
      }
      return {};
    });
    const stuck = [record('stuck', 'x'), record('stuck', 'y')];
    const fine = record('fine', 'x');

    // Act
    const response = await tally()([stuck[0], fine, stuck[1]] as DynamoDBRecord[]);

    // Assess
    expect(response.batchItemFailures).toEqual(failures(stuck));
    expect(addedTo('stuck')).toEqual([2, 2, 2, 2]);
    expect(pause.mock.calls).toEqual([[1], [2], [3]]);
    expect(addedTo('fine')).toEqual([1]);
  });

  it('folds a subject whose write throws something else into batch item failures, without retrying it', async () => {
    // Prepare
    dynamo.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
      if (input.TransactItems?.[0]?.Update?.Key?.PK === 'broken') throw new Error('socket hang up');
      return {};
    });
    const broken = [record('broken', 'x')];

    // Act
    const response = await tally()([...broken, record('fine', 'x')]);

    // Assess
    expect(response.batchItemFailures).toEqual(failures(broken));
    expect(addedTo('broken')).toEqual([1]);
    expect(addedTo('fine')).toEqual([1]);
  });

  it('drops the changes a refusing receipt already holds and counts the rest at once, without a pause', async () => {
    // Prepare: an earlier delivery counted `x`.
    dynamo.on(GetCommand).resolves({ Item: { changes: new Set(['x']) } });
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'ConditionalCheckFailed']))
      .resolves({});

    // Act
    const response = await tally()([record('a', 'x'), record('a', 'y')]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(addedTo('a')).toEqual([2, 1]);
    expect(dynamo.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({ Key: { PK: 'a', SK: 'RECEIPT' }, ConsistentRead: true }),
    ]);
    expect(pause).not.toHaveBeenCalled();
  });

  it('is done, writing nothing more, when the receipt holds every change of the batch', async () => {
    // Prepare: the whole batch was counted by an earlier delivery.
    dynamo.on(GetCommand).resolves({ Item: { changes: new Set(['x', 'y']) } });
    dynamo.on(TransactWriteCommand).rejects(cancelled(['None', 'ConditionalCheckFailed']));

    // Act
    const response = await tally(counting, 1)([record('a', 'x'), record('a', 'y')]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(transactions()).toHaveLength(1);
  });

  it('leaves out a once-only write that refused, and writes nothing when nothing is countable', async () => {
    // Prepare: a kind that writes a mark once, and counts no change named `late`.
    const plans: string[][] = [];
    const marking: ReceiptTallyKind<Count> = {
      ...counting,
      async plan(pending, happened): Promise<TallyWrite<Count>> {
        plans.push([...happened]);
        const counted = pending.filter((change) => change.name !== 'late');
        if (counted.length === 0) return { counted, subject: [] };
        const mark = { Put: { TableName: TABLE, Item: { PK: 'a', SK: 'MARK' } } };
        return {
          counted,
          subject: [counterWrite(counted)],
          once: happened.has('mark') ? [] : [{ name: 'mark', items: [mark] }],
        };
      },
    };
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'None', 'ConditionalCheckFailed']))
      .resolves({});

    // Act
    const counted = await tally(marking)([record('a', 'x'), record('a', 'late')]);
    const late = await tally(marking)([record('b', 'late')]);

    // Assess
    expect([counted.batchItemFailures, late.batchItemFailures]).toEqual([[], []]);
    expect(plans).toEqual([[], ['mark'], []]);
    expect(transactions().map((input) => input.TransactItems?.length)).toEqual([3, 2]);
    expect(pause).not.toHaveBeenCalled();
  });

  it('skips the changes of a subject that does not exist, without failing the batch', async () => {
    // Prepare
    const gone: ReceiptTallyKind<Count> = { ...counting, plan: countingAll(async () => 'missing') };

    // Act
    const response = await tally(gone)([record('a', 'x')]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(transactions()).toEqual([]);
  });
});
