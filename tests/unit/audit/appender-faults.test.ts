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
import { chainEntry, EMPTY_HEAD } from '../../../domain/audit/chain';
import { AuditAction, type AuditIntent } from '../../../domain/audit/intent';
import { AuditAppendError, appendAuditEntry } from '../../../functions/audit/append';
import { auditIntentItem } from '../../../functions/audit/intents';
import { ulidGenerator } from '../../../functions/shared/ids';
import { keys } from '../../../functions/shared/keys';
import { auditAppender } from '../../../functions/streams/audit-appender';

const TABLE = 'audit-faults';
const ids = ulidGenerator();
// One instance, mocked alone: other clients in the run stay real.
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);
const dynamo = mockClient(client);

function intent(communityId = 'alpha'): AuditIntent {
  return {
    id: ids.next(),
    communityId,
    actor: { subject: 'council-1', roles: ['council'] },
    action: AuditAction.communitySettingsUpdate,
    target: `community/${communityId}`,
    at: '2026-05-01T10:00:00.000Z',
    after: { reportsBeforeHide: 5 },
  };
}

let sequence = 0;
/** An intent INSERT as Lambda delivers it. */
function insert(item: Record<string, unknown>): DynamoDBRecord {
  sequence += 1;
  return {
    eventName: 'INSERT',
    dynamodb: {
      SequenceNumber: String(sequence).padStart(21, '0'),
      Keys: marshall({ PK: item.PK, SK: item.SK }) as Record<string, LambdaAttributeValue>,
      NewImage: marshall(item, { removeUndefinedValues: true }) as Record<string, LambdaAttributeValue>,
    },
  };
}
const insertOf = (made: AuditIntent) => insert({ ...auditIntentItem(made) });

/** A transaction cancelled with one reason per item: entry, head, marker ('None' for items that were fine). */
const cancelled = (codes: readonly string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const HEAD_AT_3 = { seq: 3, hash: 'c'.repeat(64) };
const transactions = () =>
  dynamo.commandCalls(TransactWriteCommand).map((call) => call.args[0].input as TransactWriteCommandInput);
const communityOf = (input: TransactWriteCommandInput) =>
  String(input.TransactItems?.[0]?.Update?.Key?.PK).split('#')[1];

let pause: ReturnType<typeof vi.fn<(attempt: number) => Promise<void>>>;
const appender = (maxAttempts = 4) =>
  auditAppender({ client, tableName: TABLE, append: { pause, maxAttempts } });

beforeAll(() => vi.stubEnv('LOG_LEVEL', 'silent'));
afterAll(() => vi.unstubAllEnvs());

beforeEach(() => {
  dynamo.reset();
  pause = vi.fn(async () => undefined);
  dynamo
    .on(GetCommand)
    .resolves({ Item: { ...keys.auditHead('alpha'), entity: 'audit-head', ...HEAD_AT_3 } });
});

describe('appendAuditEntry when DynamoDB refuses', () => {
  it('reads the head again after a rival moved it, and appends after the rival', async () => {
    const moved = { seq: 4, hash: 'd'.repeat(64) };
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: HEAD_AT_3 })
      .resolves({ Item: moved })
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['ConditionalCheckFailed', 'ConditionalCheckFailed', 'None']))
      .resolves({});
    const made = intent();

    const result = await appendAuditEntry(client, TABLE, made, { pause });

    expect(result).toEqual({ status: 'appended', entry: chainEntry(moved, made) });
    expect(result.status === 'appended' && result.entry.seq).toBe(5);
    expect(transactions()).toHaveLength(2);
    expect(pause).toHaveBeenCalledTimes(1);
  });

  it('writes the entry, the head (still where it was read) and the marker in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const made = intent();

    await appendAuditEntry(client, TABLE, made, { pause });

    const [input] = transactions();
    const updates = (input?.TransactItems ?? []).map((item) => item.Update);
    expect(updates.map((update) => update?.Key)).toEqual([
      keys.auditEntry('alpha', 4),
      keys.auditHead('alpha'),
      keys.auditApplied('alpha', made.id),
    ]);
    expect(updates[0]?.ConditionExpression).toBe('attribute_not_exists(PK)');
    expect(updates[1]).toMatchObject({
      ConditionExpression: '#seq = :previous',
      ExpressionAttributeValues: { ':previous': 3, ':seq': 4 },
    });
    expect(updates[2]?.ConditionExpression).toBe('attribute_not_exists(PK)');
  });

  it('creates the head with the first entry, on the condition that there is none', async () => {
    dynamo.on(GetCommand).resolves({}).on(TransactWriteCommand).resolves({});

    const result = await appendAuditEntry(client, TABLE, intent(), { pause });

    expect(result.status === 'appended' && result.entry.previousHash).toBe(EMPTY_HEAD.hash);
    expect(transactions()[0]?.TransactItems?.[1]?.Update?.ConditionExpression).toBe(
      'attribute_not_exists(PK)',
    );
  });

  it('answers duplicate, without retrying, when the marker says the intent was appended', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejects(cancelled(['None', 'ConditionalCheckFailed', 'ConditionalCheckFailed']));
    const made = intent();

    expect(await appendAuditEntry(client, TABLE, made, { pause })).toEqual({
      status: 'duplicate',
      intentId: made.id,
    });
    expect(transactions()).toHaveLength(1);
  });

  it('gives up after the attempts with an error naming the intent and the last reason', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(['None', 'TransactionConflict', 'None']));
    const made = intent();

    const failure = appendAuditEntry(client, TABLE, made, { pause, maxAttempts: 3 });

    await expect(failure).rejects.toThrow(AuditAppendError);
    await expect(failure).rejects.toMatchObject({
      intentId: made.id,
      attempts: 3,
      lastReason: 'TransactionConflict',
    });
    expect(transactions()).toHaveLength(3);
    expect(pause.mock.calls.map(([attempt]) => attempt)).toEqual([1, 2]);
  });

  it('does not retry what retrying cannot fix', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(['ValidationError', 'None', 'None']));

    await expect(appendAuditEntry(client, TABLE, intent(), { pause })).rejects.toThrow(
      TransactionCanceledException,
    );
    expect(transactions()).toHaveLength(1);
  });
});

describe('the audit appender when DynamoDB refuses', () => {
  it('reports a persistently conflicting intent and the later ones of its community; others go on', async () => {
    dynamo.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
      if (communityOf(input) === 'alpha') throw cancelled(['None', 'TransactionConflict', 'None']);
      return {};
    });
    const records = [insertOf(intent('alpha')), insertOf(intent('beta')), insertOf(intent('alpha'))];

    const result = await appender(4)(records);

    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: records[0]?.dynamodb?.SequenceNumber },
      { itemIdentifier: records[2]?.dynamodb?.SequenceNumber },
    ]);
    const byCommunity = transactions().map(communityOf);
    // Bounded: 4 attempts for the first alpha intent, none for the second (it must not overtake the first).
    expect(byCommunity.filter((community) => community === 'alpha')).toHaveLength(4);
    expect(byCommunity.filter((community) => community === 'beta')).toHaveLength(1);
  });

  it('reports nothing when every intent was appended or had been already', async () => {
    const duplicate = intent();
    dynamo.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
      const marker = input.TransactItems?.[2]?.Update?.Key;
      if (marker?.SK === keys.auditApplied('alpha', duplicate.id).SK) {
        throw cancelled(['None', 'None', 'ConditionalCheckFailed']);
      }
      return {};
    });

    const result = await appender()([insertOf(duplicate), insertOf(intent())]);

    expect(result.batchItemFailures).toEqual([]);
  });

  it('reports the records of a community whose head cannot be read', async () => {
    dynamo.on(GetCommand).rejects(new Error('connection reset'));
    const records = [insertOf(intent()), insertOf(intent())];

    const result = await appender()(records);

    expect(result.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      records.map((record) => record.dynamodb?.SequenceNumber),
    );
  });

  it('skips, without retrying, an intent that is not one (a bug: retrying cannot fix it)', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const good = intent();
    const malformed = insert({
      ...keys.auditIntent('alpha', 'X'),
      entity: 'audit-intent',
      intent: { id: 'X' },
    });
    const misplaced = insert({ ...auditIntentItem(intent()), PK: 'C#beta#AUDIT' });
    const unreadable = insert({ ...keys.auditIntent('alpha', 'Y'), entity: 'audit-intent' });
    (unreadable.dynamodb?.NewImage as Record<string, LambdaAttributeValue>).intent = {
      M: { n: { N: '1e21' } },
    };

    const result = await appender()([malformed, misplaced, unreadable, insertOf(good)]);

    expect(result.batchItemFailures).toEqual([]);
    expect(transactions()).toHaveLength(1);
    expect(transactions()[0]?.TransactItems?.[2]?.Update?.Key).toEqual(keys.auditApplied('alpha', good.id));
  });
});
