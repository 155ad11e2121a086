import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { documentClient } from '../../../functions/shared/dynamo';
import type { LogLine } from '../../../infra/local/bus';
import {
  createStreamPoller,
  type StreamHandler,
  type StreamPoller,
} from '../../../infra/local/stream-poller';
import { createTestTable, type TestTable } from '../../support/table';

const pollers: StreamPoller[] = [];
const logLines: LogLine[] = [];

afterEach(async () => {
  for (const poller of pollers.splice(0)) await poller.stop();
  logLines.length = 0;
});

function pollerFor(table: TestTable, handler: StreamHandler, batchSize = 100, maxRetries = 5) {
  const poller = createStreamPoller({
    endpoint: table.endpoint,
    region: table.region,
    tableName: table.tableName,
    handler,
    batchSize,
    maxRetries,
    intervalMs: 20,
    retryDelayMs: 1,
    log: (line) => logLines.push(line),
  });
  pollers.push(poller);
  return poller;
}

/** Puts items `item-0`… one after another, so their stream order is known. */
async function putItems(table: TestTable, count: number, prefix = 'item'): Promise<void> {
  const client = documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
  for (let index = 0; index < count; index += 1) {
    await client.send(
      new PutCommand({ TableName: table.tableName, Item: { PK: `${prefix}-${index}`, SK: 'x', index } }),
    );
  }
}

const pkOf = (record: DynamoDBRecord): string | undefined => record.dynamodb?.Keys?.PK?.S;
const recordedHandler = (respond: (event: DynamoDBStreamEvent, call: number) => DynamoDBBatchResponse) => {
  const batches: DynamoDBRecord[][] = [];
  const handler: StreamHandler = async (event) => {
    batches.push(event.Records);
    return respond(event, batches.length);
  };
  return { batches, handler };
};
const success = (): DynamoDBBatchResponse => ({ batchItemFailures: [] });

describe('the stream poller', () => {
  it('delivers INSERT, MODIFY and REMOVE records in order, shaped as Lambda’s event source mapping does', async () => {
    const table = await createTestTable('poller-shape');
    const client = documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
    const key = { PK: 'shape', SK: 'x' };
    const writtenFrom = Math.floor(Date.now() / 1000);
    await client.send(
      new PutCommand({ TableName: table.tableName, Item: { ...key, title: 'first', votes: 1 } }),
    );
    await client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: key,
        UpdateExpression: 'SET title = :title',
        ExpressionAttributeValues: { ':title': 'second' },
      }),
    );
    await client.send(new DeleteCommand({ TableName: table.tableName, Key: key }));
    const raw = new DynamoDBClient({
      endpoint: table.endpoint,
      region: table.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const streamArn = (await raw.send(new DescribeTableCommand({ TableName: table.tableName }))).Table
      ?.LatestStreamArn;
    raw.destroy();
    const { batches, handler } = recordedHandler(success);
    const writtenUntil = Math.ceil(Date.now() / 1000);

    await pollerFor(table, handler).drain();

    const records = batches.flat();
    expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = records;
    expect(insert).toMatchObject({
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: table.region,
      eventSourceARN: streamArn,
      dynamodb: {
        Keys: { PK: { S: 'shape' }, SK: { S: 'x' } },
        NewImage: { PK: { S: 'shape' }, SK: { S: 'x' }, title: { S: 'first' }, votes: { N: '1' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(insert?.eventID).toEqual(expect.any(String));
    expect(insert?.dynamodb?.OldImage).toBeUndefined();
    expect(modify?.dynamodb?.OldImage?.title).toEqual({ S: 'first' });
    expect(modify?.dynamodb?.NewImage?.title).toEqual({ S: 'second' });
    expect(remove?.dynamodb?.NewImage).toBeUndefined();
    expect(remove?.dynamodb?.OldImage?.title).toEqual({ S: 'second' });
    for (const record of records) {
      const created = record.dynamodb?.ApproximateCreationDateTime ?? 0;
      expect(Number.isInteger(created)).toBe(true);
      // Between the clock readings around the writes, however long the writes took; DynamoDB Local
      // rounds the time down to the minute.
      expect(created).toBeGreaterThanOrEqual(writtenFrom - (writtenFrom % 60));
      expect(created).toBeLessThanOrEqual(writtenUntil);
      expect(record.dynamodb?.SizeBytes).toBeGreaterThan(0);
    }
    const sequence = records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0'));
    expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(sequence).size).toBe(3);
  });

  it('splits the stream into batches of at most batchSize, and drain() returns once all are handled', async () => {
    const table = await createTestTable('poller-drain');
    await putItems(table, 120);
    const { batches, handler } = recordedHandler(success);
    // Timers of an hour: a drain that waited on the poll interval or the retry delay would never return
    // within the test's limit, whatever the machine's speed; a drain that looped would deliver more batches.
    const hour = 3_600_000;
    const poller = createStreamPoller({
      endpoint: table.endpoint,
      region: table.region,
      tableName: table.tableName,
      handler,
      batchSize: 50,
      intervalMs: hour,
      retryDelayMs: hour,
      log: (line) => logLines.push(line),
    });
    pollers.push(poller);

    await poller.drain();

    expect(batches.map((batch) => batch.length)).toEqual([50, 50, 20]);
    expect(batches.flat().map(pkOf)).toEqual(Array.from({ length: 120 }, (_, index) => `item-${index}`));
  });

  it('re-delivers from the first failed record onwards, never the records before it', async () => {
    const table = await createTestTable('poller-partial');
    await putItems(table, 5);
    const { batches, handler } = recordedHandler((event, call) => {
      if (call > 1) return success();
      // Report the 4th and the 3rd: Lambda resumes from the lowest sequence number reported.
      const failed = [event.Records[3], event.Records[2]];
      return {
        batchItemFailures: failed.map((record) => ({
          itemIdentifier: record?.dynamodb?.SequenceNumber ?? '',
        })),
      };
    });

    await pollerFor(table, handler).drain();

    expect(batches.map((batch) => batch.map(pkOf))).toEqual([
      ['item-0', 'item-1', 'item-2', 'item-3', 'item-4'],
      ['item-2', 'item-3', 'item-4'],
    ]);
  });

  it('re-delivers the whole batch when the handler throws or names a record not in the batch', async () => {
    const table = await createTestTable('poller-throws');
    await putItems(table, 3);
    const { batches, handler } = recordedHandler((_event, call) => {
      if (call === 1) throw new Error('the handler crashed');
      if (call === 2) return { batchItemFailures: [{ itemIdentifier: 'not-a-sequence-number' }] };
      return success();
    });

    await pollerFor(table, handler).drain();

    expect(batches.map((batch) => batch.length)).toEqual([3, 3, 3]);
    expect(logLines).toContainEqual(expect.objectContaining({ level: 'error', msg: 'stream handler threw' }));
  });

  it('sends a batch that keeps failing to the dead letters after its retries, then moves on', async () => {
    const table = await createTestTable('poller-dead');
    await putItems(table, 4);
    const { batches, handler } = recordedHandler((event) => {
      const poison = event.Records.find((record) => pkOf(record) === 'item-1');
      return { batchItemFailures: poison ? [{ itemIdentifier: poison.dynamodb?.SequenceNumber ?? '' }] : [] };
    });
    const poller = pollerFor(table, handler, 100, 2);

    await poller.drain();
    await putItems(table, 1, 'later');
    await poller.drain();

    // One delivery and two retries, each from the failing record onwards.
    expect(batches.map((batch) => batch.map(pkOf))).toEqual([
      ['item-0', 'item-1', 'item-2', 'item-3'],
      ['item-1', 'item-2', 'item-3'],
      ['item-1', 'item-2', 'item-3'],
      ['later-0'],
    ]);
    expect(poller.deadLetters).toHaveLength(1);
    expect(poller.deadLetters[0]).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 3,
      batchSize: 3,
      startSequenceNumber: batches[1]?.[0]?.dynamodb?.SequenceNumber,
      endSequenceNumber: batches[1]?.[2]?.dynamodb?.SequenceNumber,
    });
    expect(poller.deadLetters[0]?.records.map(pkOf)).toEqual(['item-1', 'item-2', 'item-3']);
  });

  it('polls on its own once started, and stops', async () => {
    const table = await createTestTable('poller-start');
    const { batches, handler } = recordedHandler(success);
    const poller = pollerFor(table, handler);

    poller.start();
    await putItems(table, 2);
    await vi.waitFor(() => expect(batches.flat().map(pkOf)).toEqual(['item-0', 'item-1']), {
      timeout: 5_000,
    });
    await poller.stop();
    await putItems(table, 1, 'after-stop');
    await new Promise((wait) => setTimeout(wait, 100));

    expect(batches.flat().map(pkOf)).toEqual(['item-0', 'item-1']);
  });
});
