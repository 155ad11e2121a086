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
import { type AuditHead, chainEntry, EMPTY_HEAD } from '../../../domain/audit/chain';
import { AuditAction, type AuditIntent } from '../../../domain/audit/intent';
import {
  AuditAppendError,
  appendAuditEntries,
  appendAuditEntry,
  MAX_SEGMENT_ENTRIES,
} from '../../../functions/audit/append';
import { auditIntentItem } from '../../../functions/audit/intents';
import { ulidGenerator } from '../../../functions/shared/ids';
import { type ItemKey, keys } from '../../../functions/shared/keys';
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

/** A transaction cancelled with one reason per item: entries, head, markers ('None' for items that were fine). */
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
const keysOf = (input: TransactWriteCommandInput | undefined) =>
  (input?.TransactItems ?? []).map((item) => item.Update?.Key as ItemKey);
/** The transaction refused, each item with the reason `codeOf` gives its key ('None' otherwise). */
const refused = (input: TransactWriteCommandInput, codeOf: (key: ItemKey) => string | undefined) =>
  cancelled(keysOf(input).map((key) => codeOf(key) ?? 'None'));
const isEntry = (key: ItemKey) => key.SK.startsWith(keys.auditEntries('alpha').SKPrefix);
const isHead = (key: ItemKey) => key.SK === keys.auditHead('alpha').SK;
/** The intents a transaction appends, by their markers, in the order of its items. */
const markedIn = (input: TransactWriteCommandInput | undefined) =>
  keysOf(input)
    .filter((key) => !isEntry(key) && !isHead(key))
    .map((key) => key.SK);
const markerOf = (made: AuditIntent) => keys.auditApplied(made.communityId, made.id).SK;

/**
 * Alpha's head as DynamoDB would keep it: read by GetCommand, moved by each
 * transaction that `refuse` lets through (it answers the error to throw, if any).
 */
function storedHead(
  refuse: (input: TransactWriteCommandInput) => Error | undefined = () => undefined,
  start: AuditHead = HEAD_AT_3,
) {
  let head = start;
  dynamo
    .on(GetCommand)
    .callsFake(() => ({ Item: { ...keys.auditHead('alpha'), entity: 'audit-head', ...head } }))
    .on(TransactWriteCommand)
    .callsFake((input: TransactWriteCommandInput) => {
      const refusal = refuse(input);
      if (refusal) throw refusal;
      const update = input.TransactItems?.find((item) => isHead(item.Update?.Key as ItemKey))?.Update;
      const values = update?.ExpressionAttributeValues ?? {};
      head = { seq: Number(values[':seq']), hash: String(values[':hash']) };
      return {};
    });
  return {
    now: () => head,
    /** A rival's segment: the head moves without this appender's doing. */
    move: (to: AuditHead) => {
      head = to;
    },
  };
}

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

describe('appendAuditEntries: one transaction per chain segment', () => {
  it('writes every entry in order, the head once (still where it was read) and every marker, in one transaction', async () => {
    storedHead();
    const made = [intent(), intent(), intent()];

    const { results, failure } = await appendAuditEntries(client, TABLE, made, { pause });

    expect(failure).toBeUndefined();
    const [input] = transactions();
    expect(transactions()).toHaveLength(1);
    expect(keysOf(input)).toEqual([
      keys.auditEntry('alpha', 4),
      keys.auditEntry('alpha', 5),
      keys.auditEntry('alpha', 6),
      keys.auditHead('alpha'),
      ...made.map((one) => keys.auditApplied('alpha', one.id)),
    ]);
    const updates = (input?.TransactItems ?? []).map((item) => item.Update);
    const second = chainEntry(chainEntry(HEAD_AT_3, made[0] as AuditIntent), made[1] as AuditIntent);
    const third = chainEntry(second, made[2] as AuditIntent);
    expect(updates[3]).toMatchObject({
      ConditionExpression: '#seq = :previous',
      ExpressionAttributeValues: { ':previous': 3, ':seq': 6, ':hash': third.hash },
    });
    for (const position of [0, 1, 2, 4, 5, 6]) {
      expect(updates[position]?.ConditionExpression).toBe('attribute_not_exists(PK)');
    }
    expect(results).toEqual([
      { status: 'appended', entry: chainEntry(HEAD_AT_3, made[0] as AuditIntent) },
      { status: 'appended', entry: second },
      { status: 'appended', entry: third },
    ]);
  });

  it(`splits more than ${MAX_SEGMENT_ENTRIES} intents into transactions of at most 99 items, chained on each other`, async () => {
    const head = storedHead();
    const made = Array.from({ length: 120 }, () => intent());

    const { results } = await appendAuditEntries(client, TABLE, made, { pause });

    expect(transactions().map((input) => input.TransactItems?.length)).toEqual([99, 99, 45]);
    expect(transactions().flatMap(markedIn)).toEqual(made.map(markerOf));
    expect(keysOf(transactions()[1])[0]).toEqual(keys.auditEntry('alpha', 53));
    const entries = results.map((result) => (result.status === 'appended' ? result.entry : undefined));
    expect(entries.map((entry) => entry?.seq)).toEqual(made.map((_, index) => index + 4));
    entries.slice(1).forEach((entry, index) => {
      expect(entry?.previousHash).toBe(entries[index]?.hash);
    });
    expect(head.now()).toEqual({ seq: 123, hash: entries.at(-1)?.hash });
  });

  it('keeps a transaction within the byte budget, and sends an entry heavier than the budget alone', async () => {
    storedHead();
    const light = () => intent();
    const heavy: AuditIntent = { ...intent(), after: { note: 'ї'.repeat(4000) } };
    const made = [light(), light(), light(), heavy, light()];
    const lightBytes = Buffer.byteLength(JSON.stringify(chainEntry(HEAD_AT_3, made[0] as AuditIntent)));

    await appendAuditEntries(client, TABLE, made, { pause, maxSegmentBytes: lightBytes * 2 + 10 });

    expect(transactions().map(markedIn)).toEqual([
      [markerOf(made[0] as AuditIntent), markerOf(made[1] as AuditIntent)],
      [markerOf(made[2] as AuditIntent)],
      [markerOf(heavy)],
      [markerOf(made[4] as AuditIntent)],
    ]);
  });

  it('drops an intent a rival appended with its segment, and chains the rest on the moved head', async () => {
    const made = [intent(), intent(), intent()];
    const moved = { seq: 9, hash: 'e'.repeat(64) };
    let rivalDone = false;
    const head = storedHead((input) => {
      if (rivalDone) return undefined;
      // The rival appended made[1] (and others) after the head was read: seq, head and that marker are taken.
      rivalDone = true;
      head.move(moved);
      return refused(input, (key) =>
        key.SK === keys.auditEntry('alpha', 4).SK ||
        isHead(key) ||
        key.SK === markerOf(made[1] as AuditIntent)
          ? 'ConditionalCheckFailed'
          : undefined,
      );
    });

    const { results } = await appendAuditEntries(client, TABLE, made, { pause });

    expect(results.map((result) => result.status)).toEqual(['appended', 'duplicate', 'appended']);
    const second = transactions()[1];
    expect(markedIn(second)).toEqual([markerOf(made[0] as AuditIntent), markerOf(made[2] as AuditIntent)]);
    expect(keysOf(second).slice(0, 2)).toEqual([keys.auditEntry('alpha', 10), keys.auditEntry('alpha', 11)]);
    expect(results[0]).toEqual({ status: 'appended', entry: chainEntry(moved, made[0] as AuditIntent) });
    expect(head.now().seq).toBe(11);
  });

  it('appends the intents before one whose item is refused for good, and fails from that one on', async () => {
    const made = [intent(), intent(), intent(), intent()];
    const bad = made[2] as AuditIntent;
    storedHead((input) =>
      markedIn(input).includes(markerOf(bad))
        ? refused(input, (key) => (key.SK === markerOf(bad) ? 'ValidationError' : undefined))
        : undefined,
    );

    const { results, failure } = await appendAuditEntries(client, TABLE, made, { pause });

    expect(results.map((result) => result.status)).toEqual(['appended', 'appended']);
    expect(failure).toBeInstanceOf(TransactionCanceledException);
    expect(transactions().map(markedIn)).toEqual([
      made.map(markerOf),
      [markerOf(made[0] as AuditIntent), markerOf(made[1] as AuditIntent)],
      [markerOf(bad), markerOf(made[3] as AuditIntent)],
    ]);
    expect(pause).not.toHaveBeenCalled();
  });

  it('appends an intent handed in twice once, the repeat a duplicate', async () => {
    storedHead();
    const twice = intent();
    const other = intent();

    const { results } = await appendAuditEntries(client, TABLE, [twice, twice, other], { pause });

    expect(results.map((result) => result.status)).toEqual(['appended', 'duplicate', 'appended']);
    expect(transactions().map(markedIn)).toEqual([[markerOf(twice), markerOf(other)]]);
  });

  it('refuses intents of several communities: a segment extends one chain', async () => {
    await expect(appendAuditEntries(client, TABLE, [intent('alpha'), intent('beta')])).rejects.toThrow(
      /more than one community/,
    );
    expect(transactions()).toHaveLength(0);
  });
});

describe('appendAuditEntry: concurrent callers in one process', () => {
  it('writes concurrent appends to one chain in one transaction, each caller getting its own entry', async () => {
    storedHead();
    const made = Array.from({ length: 5 }, () => intent());
    const options = { pause };

    const results = await Promise.all(made.map((one) => appendAuditEntry(client, TABLE, one, options)));

    expect(transactions()).toHaveLength(1);
    expect(markedIn(transactions()[0])).toEqual(made.map(markerOf));
    expect(results.map((result) => result.status === 'appended' && result.entry.intentId)).toEqual(
      made.map((one) => one.id),
    );
    expect(results.map((result) => result.status === 'appended' && result.entry.seq)).toEqual([
      4, 5, 6, 7, 8,
    ]);
  });

  it('rejects only the caller whose intent cannot be appended; the others are appended', async () => {
    const made = Array.from({ length: 4 }, () => intent());
    const bad = made[1] as AuditIntent;
    storedHead((input) =>
      markedIn(input).includes(markerOf(bad))
        ? refused(input, (key) => (key.SK === markerOf(bad) ? 'ValidationError' : undefined))
        : undefined,
    );
    const options = { pause };

    const settled = await Promise.allSettled(
      made.map((one) => appendAuditEntry(client, TABLE, one, options)),
    );

    expect(settled.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const appended = settled.flatMap((result) =>
      result.status === 'fulfilled' && result.value.status === 'appended' ? [result.value.entry.seq] : [],
    );
    expect(appended).toEqual([4, 5, 6]);
  });
});

describe('the audit appender when DynamoDB refuses', () => {
  it('reports a persistently conflicting intent and the later ones of its community; others go on', async () => {
    dynamo.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
      if (communityOf(input) === 'alpha') {
        throw refused(input, (key) => (isHead(key) ? 'TransactionConflict' : undefined));
      }
      return {};
    });
    const alpha = [intent('alpha'), intent('alpha')];
    const records = [
      insertOf(alpha[0] as AuditIntent),
      insertOf(intent('beta')),
      insertOf(alpha[1] as AuditIntent),
    ];

    const result = await appender(4)(records);

    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: records[0]?.dynamodb?.SequenceNumber },
      { itemIdentifier: records[2]?.dynamodb?.SequenceNumber },
    ]);
    const byCommunity = transactions().map(communityOf);
    // Bounded: 4 attempts of alpha's segment, each with both intents in stream order (the second never alone,
    // so it cannot overtake the first).
    const alphaTransactions = transactions().filter((input) => communityOf(input) === 'alpha');
    expect(alphaTransactions).toHaveLength(4);
    for (const input of alphaTransactions) expect(markedIn(input)).toEqual(alpha.map(markerOf));
    expect(byCommunity.filter((community) => community === 'beta')).toHaveLength(1);
  });

  it('reports, of a community, only the records from the first one that a later segment could not append', async () => {
    const made = Array.from({ length: 5 }, () => intent());
    storedHead((input) =>
      markedIn(input).includes(markerOf(made[2] as AuditIntent))
        ? refused(input, (key) => (isHead(key) ? 'TransactionConflict' : undefined))
        : undefined,
    );
    const records = made.map(insertOf);

    const result = await auditAppender({
      client,
      tableName: TABLE,
      append: { pause, maxAttempts: 3, maxSegmentEntries: 2 },
    })(records);

    expect(result.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      records.slice(2).map((record) => record.dynamodb?.SequenceNumber),
    );
    expect(transactions().map(markedIn)).toEqual([
      made.slice(0, 2).map(markerOf),
      ...Array.from({ length: 3 }, () => made.slice(2, 4).map(markerOf)),
    ]);
  });

  it('reports nothing when every intent was appended or had been already', async () => {
    const duplicate = intent();
    const fresh = intent();
    storedHead((input) =>
      markedIn(input).includes(markerOf(duplicate))
        ? refused(input, (key) => (key.SK === markerOf(duplicate) ? 'ConditionalCheckFailed' : undefined))
        : undefined,
    );

    const result = await appender()([insertOf(duplicate), insertOf(fresh)]);

    expect(result.batchItemFailures).toEqual([]);
    // One segment with both, then the fresh one alone at once (no pause): the duplicate dropped.
    expect(transactions().map(markedIn)).toEqual([[markerOf(duplicate), markerOf(fresh)], [markerOf(fresh)]]);
    expect(keysOf(transactions()[1])[0]).toEqual(keys.auditEntry('alpha', 4));
    expect(pause).not.toHaveBeenCalled();
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
