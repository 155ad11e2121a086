import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AuditEntry, auditLine, verifyChain } from '../../../domain/audit/chain';
import { AuditAction, type AuditIntent } from '../../../domain/audit/intent';
import {
  type AppendResult,
  appendAuditEntries,
  appendAuditEntry,
  auditAppendQueue,
  readAuditHead,
} from '../../../functions/audit/append';
import { auditIntentPut } from '../../../functions/audit/intents';
import { dynamoAuditStore } from '../../../functions/audit/store';
import { documentClient } from '../../../functions/shared/dynamo';
import { ulidGenerator } from '../../../functions/shared/ids';
import { Entity, keys } from '../../../functions/shared/keys';
import { handler } from '../../../functions/streams/handler';
import type { StreamPoller } from '../../../infra/local/stream-poller';
import { testPoller } from '../../support/stream';
import { createTestTable, type TestTable } from '../../support/table';

const ids = ulidGenerator();
let table: TestTable;
let poller: StreamPoller | undefined;
/** Every batch the stream delivered to the handler. */
let deliveries: DynamoDBStreamEvent[];

const client = () => documentClient({ dynamoEndpoint: table.endpoint, region: table.region });

function intent(communityId: string, index: number): AuditIntent {
  return {
    id: ids.next(),
    communityId,
    actor: { subject: `council-${index % 3}`, roles: ['council'] },
    action: AuditAction.communitySettingsUpdate,
    target: `community/${communityId}`,
    at: new Date(Date.UTC(2026, 4, 1, 10, 0, index)).toISOString(),
    before: { reportsBeforeHide: index },
    after: { reportsBeforeHide: index + 1, note: `change ${index} «ї»` },
  };
}

/** The chain as its export writes it: one canonical line per entry, in seq order. */
async function exportLines(communityId: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const entry of dynamoAuditStore(client(), table.tableName).entriesFrom(communityId, 1)) {
    lines.push(auditLine(entry));
  }
  return lines;
}

async function chainOf(communityId: string): Promise<readonly AuditEntry[]> {
  const result = verifyChain(await exportLines(communityId));
  if (!result.ok) throw new Error(`broken at line ${result.line}: ${result.reason}`);
  return result.entries;
}

const itemsOf = async (entity: string, communityId: string) =>
  (await table.scanAll()).filter(
    (item) => item.entity === entity && String(item.PK).startsWith(`C#${communityId}#`),
  );

function startPoller(): StreamPoller {
  poller = testPoller(table, async (event) => {
    deliveries.push(event);
    return handler(event);
  });
  return poller;
}

beforeAll(() => vi.stubEnv('LOG_LEVEL', 'silent'));
afterAll(() => vi.unstubAllEnvs());

beforeEach(async () => {
  table = await createTestTable('audit');
  deliveries = [];
});

afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});

describe('appendAuditEntry on DynamoDB Local', () => {
  it('turns 100 concurrent appends into one unbroken chain of 100 entries, seq 1..100', async () => {
    const intents = Array.from({ length: 100 }, (_, index) => intent('alpha', index));

    const results = await Promise.all(
      intents.map((made) => appendAuditEntry(client(), table.tableName, made)),
    );

    expect(results.every((result) => result.status === 'appended')).toBe(true);
    const entries = await chainOf('alpha');
    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
    expect(new Set(entries.map((entry) => entry.intentId))).toEqual(new Set(intents.map((made) => made.id)));
    expect(await readAuditHead(client(), table.tableName, 'alpha')).toEqual({
      seq: 100,
      hash: entries.at(-1)?.hash,
    });
    expect(await itemsOf(Entity.auditEntry, 'alpha')).toHaveLength(100);
    expect(await itemsOf(Entity.auditApplied, 'alpha')).toHaveLength(100);
    // The calls share one queue and are written as three segments: seconds, not minutes.
    // The limit is a safety net for a busy machine, not a measure.
  }, 180_000);

  it('appends an intent delivered twice once, in turn and at the same time', async () => {
    const again = intent('beta', 1);
    const racing = intent('beta', 2);

    const first = await appendAuditEntry(client(), table.tableName, again);
    const second = await appendAuditEntry(client(), table.tableName, again);
    const raced = await Promise.all(
      Array.from({ length: 5 }, () => appendAuditEntry(client(), table.tableName, racing)),
    );

    expect(first.status).toBe('appended');
    expect(second).toEqual({ status: 'duplicate', intentId: again.id });
    expect(raced.filter((result) => result.status === 'appended')).toHaveLength(1);
    expect((await chainOf('beta')).map((entry) => entry.intentId)).toEqual([again.id, racing.id]);
  });

  it('keeps one chain per community', async () => {
    await Promise.all([
      ...Array.from({ length: 5 }, (_, index) =>
        appendAuditEntry(client(), table.tableName, intent('one', index)),
      ),
      ...Array.from({ length: 3 }, (_, index) =>
        appendAuditEntry(client(), table.tableName, intent('two', index)),
      ),
    ]);

    expect((await chainOf('one')).map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
    expect((await chainOf('two')).map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect((await chainOf('two')).every((entry) => entry.communityId === 'two')).toBe(true);
  });
});

/** Where each intent's entry is in the chain (seq), by intent id. */
const seqById = (entries: readonly AuditEntry[]) =>
  new Map(entries.map((entry) => [entry.intentId, entry.seq]));

/** True when the intents of `offered` that `results` appended are in the chain in the order they were offered. */
function appendedInOrder(
  offered: readonly AuditIntent[],
  results: readonly AppendResult[],
  seqs: Map<string, number>,
): boolean {
  const appended = offered.filter((_, index) => results[index]?.status === 'appended');
  const positions = appended.map((made) => seqs.get(made.id) ?? Number.NaN);
  return positions.every((seq, index) => index === 0 || seq > (positions[index - 1] as number));
}

describe('appendAuditEntries: chain segments on DynamoDB Local', () => {
  it('appends a segment in the order given, skipping once an intent that was appended before', async () => {
    const intents = Array.from({ length: 5 }, (_, index) => intent('zeta', index));
    const earlier = intents[2] as AuditIntent;
    await appendAuditEntry(client(), table.tableName, earlier);

    const { results, failure } = await appendAuditEntries(client(), table.tableName, intents);

    expect(failure).toBeUndefined();
    expect(results.map((result) => result.status)).toEqual([
      'appended',
      'appended',
      'duplicate',
      'appended',
      'appended',
    ]);
    const entries = await chainOf('zeta');
    expect(entries.map((entry) => entry.intentId)).toEqual([
      earlier.id,
      ...intents.filter((made) => made !== earlier).map((made) => made.id),
    ]);
    expect(results.flatMap((result) => (result.status === 'appended' ? [result.entry] : []))).toEqual(
      entries.slice(1),
    );
    expect(await itemsOf(Entity.auditApplied, 'zeta')).toHaveLength(5);
  });

  it('splits more intents than one transaction holds into segments, in order', async () => {
    const intents = Array.from({ length: 120 }, (_, index) => intent('eta', index));

    const { results, failure } = await appendAuditEntries(client(), table.tableName, intents);

    expect(failure).toBeUndefined();
    const entries = await chainOf('eta');
    expect(entries.map((entry) => entry.intentId)).toEqual(intents.map((made) => made.id));
    expect(results.map((result) => result.status === 'appended' && result.entry.seq)).toEqual(
      entries.map((entry) => entry.seq),
    );
    expect(await readAuditHead(client(), table.tableName, 'eta')).toEqual({
      seq: 120,
      hash: entries.at(-1)?.hash,
    });
  });

  it('keeps one chain when two processes, each with its own queue, race on the head with overlapping intents', async () => {
    const intents = Array.from({ length: 100 }, (_, index) => intent('theta', index));
    // Two processes: queues that know nothing of each other; 40 intents are offered to both.
    const first = intents.slice(0, 70);
    const second = intents.slice(30);
    const one = auditAppendQueue(client(), table.tableName);
    const other = auditAppendQueue(client(), table.tableName);

    const [firstResults, secondResults] = await Promise.all([
      Promise.all(first.map((made) => one.append(made))),
      Promise.all(second.map((made) => other.append(made))),
    ]);

    const entries = await chainOf('theta');
    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
    expect(new Set(entries.map((entry) => entry.intentId))).toEqual(new Set(intents.map((made) => made.id)));
    const appended = [...firstResults, ...secondResults].filter((result) => result.status === 'appended');
    expect(appended).toHaveLength(100);
    const seqs = seqById(entries);
    expect(appendedInOrder(first, firstResults, seqs)).toBe(true);
    expect(appendedInOrder(second, secondResults, seqs)).toBe(true);
    expect(await itemsOf(Entity.auditEntry, 'theta')).toHaveLength(100);
    expect(await itemsOf(Entity.auditApplied, 'theta')).toHaveLength(100);
  }, 180_000);

  it('keeps one chain when two processes append small segments of the same intents at once', async () => {
    const intents = Array.from({ length: 40 }, (_, index) => intent('iota', index));
    // Small segments make the two writers take the head from each other many times.
    const options = { maxSegmentEntries: 3 };

    const [one, other] = await Promise.all([
      appendAuditEntries(client(), table.tableName, intents, options),
      appendAuditEntries(client(), table.tableName, intents, options),
    ]);

    expect(one.failure).toBeUndefined();
    expect(other.failure).toBeUndefined();
    const entries = await chainOf('iota');
    // The same intents in the same order from both: the chain is that order, each intent once.
    expect(entries.map((entry) => entry.intentId)).toEqual(intents.map((made) => made.id));
    intents.forEach((_, index) => {
      const statuses = [one.results[index]?.status, other.results[index]?.status].sort();
      expect(statuses).toEqual(['appended', 'duplicate']);
    });
  }, 180_000);
});

describe('the audit appender on the table’s stream', () => {
  /** An action's state change and its audit intent, in one transaction, as a store writes them. */
  async function act(made: AuditIntent): Promise<void> {
    await client().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table.tableName,
              Item: { ...keys.community(made.communityId), entity: Entity.community, changedBy: made.id },
            },
          },
          auditIntentPut(table.tableName, made),
        ],
      }),
    );
  }

  it('appends the intents that actions committed, in the order they committed', async () => {
    const intents = Array.from({ length: 12 }, (_, index) => intent('gamma', index));
    for (const made of intents) await act(made);

    await startPoller().drain();

    const entries = await chainOf('gamma');
    expect(entries.map((entry) => entry.intentId)).toEqual(intents.map((made) => made.id));
    const { id: _id, ...recorded } = intents[4] as AuditIntent;
    expect(entries[4]).toMatchObject({ seq: 5, intentId: intents[4]?.id, ...recorded });
    expect(poller?.deadLetters).toEqual([]);
  });

  it('appends nothing again when the same stream batch is delivered again', async () => {
    for (const index of [1, 2, 3]) await act(intent('delta', index));
    await startPoller().drain();
    const batch = deliveries.find((delivery) =>
      delivery.Records.some((record) => record.dynamodb?.NewImage?.entity?.S === Entity.auditIntent),
    );
    const before = await exportLines('delta');

    const response = await handler(batch as DynamoDBStreamEvent);
    await poller?.drain();

    expect(response.batchItemFailures).toEqual([]);
    expect(await exportLines('delta')).toEqual(before);
    expect(before).toHaveLength(3);
  });

  it('writes no intent, and so no entry, when the action’s transaction fails', async () => {
    const refused = intent('epsilon', 1);
    const failing = client().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table.tableName,
              Item: { ...keys.community('epsilon'), entity: Entity.community },
              ConditionExpression: 'attribute_exists(PK)',
            },
          },
          auditIntentPut(table.tableName, refused),
        ],
      }),
    );
    await expect(failing).rejects.toThrow();
    await act(intent('epsilon', 2));

    await startPoller().drain();

    const entries = await chainOf('epsilon');
    expect(entries).toHaveLength(1);
    expect(entries[0]?.intentId).not.toBe(refused.id);
  });
});
