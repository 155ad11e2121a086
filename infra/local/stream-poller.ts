import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type ShardIteratorType,
  type AttributeValue as StreamAttributeValue,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type {
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  AttributeValue as LambdaAttributeValue,
} from 'aws-lambda';
import { jsonLog, type Log } from './bus';

/**
 * The stream handler as the poller calls it: a Lambda handler of a DynamoDB event
 * source mapping. Answering `undefined` means complete success, as in Lambda.
 */
export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

export interface StreamPollerOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly tableName: string;
  readonly handler: StreamHandler;
  /** Records per invocation at most (the event source mapping's `BatchSize`). */
  readonly batchSize?: number;
  /** Pause between polls once every shard has been read to its end. */
  readonly intervalMs?: number;
  /** Retries of a failing batch before it goes to the dead letters (`MaximumRetryAttempts`). */
  readonly maxRetries?: number;
  /** Pause before each retry of a failing batch. */
  readonly retryDelayMs?: number;
  readonly log?: Log;
}

/**
 * A batch given up on after its retries, with the metadata Lambda sends to an
 * on-failure destination, plus the records themselves (kept for tests).
 */
export interface DeadLetter {
  readonly condition: 'RetryAttemptsExhausted';
  readonly approximateInvokeCount: number;
  readonly streamArn: string;
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly batchSize: number;
  readonly records: readonly DynamoDBRecord[];
}

export interface StreamPoller {
  /** Polls every `intervalMs` until stopped. */
  start(): void;
  /** Stops polling for good and waits for the batch in progress to finish. */
  stop(): Promise<void>;
  /**
   * Resolves once every shard has been read to its current end and each batch
   * handled, including records the handler's own writes added meanwhile.
   */
  drain(): Promise<void>;
  /** Batches given up on, oldest first. */
  readonly deadLetters: readonly DeadLetter[];
}

/** Thrown when the table has no stream to poll. */
export class StreamPollerError extends Error {
  override readonly name = 'StreamPollerError';
}

interface ShardState {
  readonly shardId: string;
  readonly parentShardId?: string;
  iterator?: string;
  /** The last sequence number handled (or dead-lettered): where to resume if the iterator expires. */
  checkpoint?: string;
  /** Closed and read to its end: its children may start. */
  finished: boolean;
}

/** A binary value as Lambda's event carries it: base64 text. */
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** An SDK attribute value in the shape of Lambda's event (binaries as base64). */
function toLambdaValue(value: StreamAttributeValue): LambdaAttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  if (value.M !== undefined) return { M: toLambdaMap(value.M) };
  // The Streams client reads an empty map `{"M":{}}` as `{}`; Lambda's event keeps it as an empty map.
  if (Object.keys(value).length === 0) return { M: {} };
  throw new StreamPollerError(`Unknown attribute value type: ${JSON.stringify(value)}`);
}

function toLambdaMap(map: Record<string, StreamAttributeValue>): Record<string, LambdaAttributeValue> {
  return Object.fromEntries(Object.entries(map).map(([name, value]) => [name, toLambdaValue(value)]));
}

function toLambdaImage(
  image: Record<string, StreamAttributeValue> | undefined,
): Record<string, LambdaAttributeValue> | undefined {
  return image ? toLambdaMap(image) : undefined;
}

/**
 * A stream record as Lambda's event source mapping hands it over: the region is
 * the function's, the creation time is in epoch seconds, binaries are base64 and
 * `eventSourceARN` names the stream.
 */
function toLambdaRecord(record: StreamRecord, streamArn: string, region: string): DynamoDBRecord {
  const stream = record.dynamodb ?? {};
  const created = stream.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: record.eventSource ?? 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
      Keys: toLambdaImage(stream.Keys),
      ...(stream.NewImage ? { NewImage: toLambdaImage(stream.NewImage) } : {}),
      ...(stream.OldImage ? { OldImage: toLambdaImage(stream.OldImage) } : {}),
      SequenceNumber: stream.SequenceNumber,
      SizeBytes: stream.SizeBytes,
      StreamViewType: stream.StreamViewType,
    },
    ...(record.userIdentity
      ? { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } }
      : {}),
    eventSourceARN: streamArn,
  };
}

/**
 * Where a batch has to be delivered again from, following Lambda's checkpoint
 * rules for `ReportBatchItemFailures`: the lowest failed sequence number; the
 * whole batch when the handler threw or named a record that is not in the batch.
 * Returns -1 when the batch succeeded.
 */
function firstFailedIndex(
  records: readonly DynamoDBRecord[],
  response: DynamoDBBatchResponse | undefined,
): number {
  const failures = response?.batchItemFailures ?? [];
  if (failures.length === 0) return -1;
  const indexes = failures.map((failure) =>
    records.findIndex(
      (record) => failure.itemIdentifier && record.dynamodb?.SequenceNumber === failure.itemIdentifier,
    ),
  );
  return indexes.some((index) => index < 0) ? 0 : Math.min(...indexes);
}

const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

/**
 * Polls a table's DynamoDB stream and invokes `handler` with batches shaped like
 * those of Lambda's event source mapping. Shards never seen before are read
 * from `TRIM_HORIZON`; a child shard starts once its parent has been read to
 * its end; each shard has one batch in flight at a time, in order. A batch that
 * reports `batchItemFailures` (or throws) is delivered again from its first
 * failed record onwards, up to `maxRetries` times; then its remaining records go
 * to {@link StreamPoller.deadLetters} (the local on-failure destination) and the
 * shard moves on.
 * @example
 * const poller = createStreamPoller({ endpoint, region, tableName, handler });
 * poller.start();
 * await poller.drain();
 */
export function createStreamPoller(options: StreamPollerOptions): StreamPoller {
  const batchSize = options.batchSize ?? 100;
  const intervalMs = options.intervalMs ?? 100;
  const maxRetries = options.maxRetries ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 100;
  const log = options.log ?? jsonLog;
  const clientConfig = {
    endpoint: options.endpoint,
    region: options.region,
    // DynamoDB Local accepts any credentials; these keep the SDK from looking for real ones.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const tables = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);

  const shards = new Map<string, ShardState>();
  const deadLetters: DeadLetter[] = [];
  let streamArn: string | undefined;
  let polling = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // Every poll runs on this chain, so the timer's polls and drain() never read a shard concurrently.
  let chain: Promise<unknown> = Promise.resolve();

  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work);
    chain = next.catch(() => undefined);
    return next;
  };

  const findStreamArn = async (): Promise<string> => {
    if (streamArn) return streamArn;
    const { Table } = await tables.send(new DescribeTableCommand({ TableName: options.tableName }));
    if (!Table?.LatestStreamArn)
      throw new StreamPollerError(`Table ${options.tableName} has no stream enabled`);
    streamArn = Table.LatestStreamArn;
    return streamArn;
  };

  /** Learns about shards created since the last poll; true when there were any. */
  const discoverShards = async (arn: string): Promise<boolean> => {
    let discovered = false;
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || shards.has(shard.ShardId)) continue;
        shards.set(shard.ShardId, {
          shardId: shard.ShardId,
          parentShardId: shard.ParentShardId,
          finished: false,
        });
        discovered = true;
      }
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return discovered;
  };

  const shardIterator = async (arn: string, shard: ShardState): Promise<string | undefined> => {
    const type: ShardIteratorType = shard.checkpoint ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON';
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: shard.shardId,
        ShardIteratorType: type,
        SequenceNumber: shard.checkpoint,
      }),
    );
    return ShardIterator;
  };

  /** Invokes the handler until the batch succeeds or its retries run out. */
  const handleBatch = async (
    arn: string,
    shard: ShardState,
    batch: readonly DynamoDBRecord[],
  ): Promise<void> => {
    let pending = batch;
    for (let invocation = 1; ; invocation += 1) {
      let failedFrom: number;
      try {
        failedFrom = firstFailedIndex(pending, await options.handler({ Records: [...pending] }));
      } catch (error) {
        log({ level: 'error', msg: 'stream handler threw', shardId: shard.shardId, error });
        failedFrom = 0;
      }
      if (failedFrom < 0) return;
      pending = pending.slice(failedFrom);
      if (invocation > maxRetries) {
        const letter: DeadLetter = {
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: invocation,
          streamArn: arn,
          shardId: shard.shardId,
          startSequenceNumber: pending[0]?.dynamodb?.SequenceNumber ?? '',
          endSequenceNumber: pending.at(-1)?.dynamodb?.SequenceNumber ?? '',
          batchSize: pending.length,
          records: pending,
        };
        deadLetters.push(letter);
        const { records: _records, ...metadata } = letter;
        log({ level: 'error', msg: 'stream batch sent to the dead letters', ...metadata });
        return;
      }
      log({
        level: 'warn',
        msg: 'stream batch failed; retrying from the first failed record',
        shardId: shard.shardId,
        fromSequenceNumber: pending[0]?.dynamodb?.SequenceNumber,
        retry: invocation,
      });
      await sleep(retryDelayMs);
    }
  };

  /** Reads one shard to its current end; true when it delivered records or finished. */
  const readShard = async (arn: string, shard: ShardState): Promise<boolean> => {
    let progressed = false;
    let trimmedRetries = 0;
    while (!stopped) {
      shard.iterator ??= await shardIterator(arn, shard);
      if (!shard.iterator) {
        shard.finished = true;
        return true;
      }
      let page: GetRecordsCommandOutput;
      try {
        page = await streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: batchSize }));
      } catch (error) {
        // An iterator lives 15 minutes; a fresh one resumes after the checkpoint.
        if (error instanceof Error && error.name === 'ExpiredIteratorException') {
          shard.iterator = undefined;
          continue;
        }
        // DynamoDB Local under load sometimes refuses an iterator as past the shard's oldest record,
        // though nothing was read from it yet; a fresh iterator from the checkpoint reads on.
        if (error instanceof Error && error.name === 'TrimmedDataAccessException' && trimmedRetries < 5) {
          trimmedRetries += 1;
          log({
            level: 'warn',
            msg: 'stream iterator refused as trimmed; asking for a new one',
            shardId: shard.shardId,
          });
          shard.iterator = undefined;
          await sleep(retryDelayMs);
          continue;
        }
        throw error;
      }
      const records = (page.Records ?? []).map((record) => toLambdaRecord(record, arn, options.region));
      if (records.length > 0) {
        await handleBatch(arn, shard, records);
        shard.checkpoint = records.at(-1)?.dynamodb?.SequenceNumber;
        progressed = true;
      }
      shard.iterator = page.NextShardIterator;
      if (!shard.iterator) {
        shard.finished = true;
        return true;
      }
      if (records.length === 0) return progressed;
    }
    return progressed;
  };

  /** One pass over the stream; true when anything moved, i.e. another pass may find more. */
  const poll = async (): Promise<boolean> => {
    const arn = await findStreamArn();
    let progressed = await discoverShards(arn);
    const readable = [...shards.values()].filter((shard) => {
      if (shard.finished) return false;
      const parent = shard.parentShardId ? shards.get(shard.parentShardId) : undefined;
      // A parent already trimmed from the stream is not in the map: nothing to wait for.
      return !parent || parent.finished;
    });
    // Settle every shard before failing, so that no read goes on outside the chain.
    const results = await Promise.allSettled(readable.map((shard) => readShard(arn, shard)));
    for (const result of results) {
      if (result.status === 'rejected') throw result.reason;
      if (result.value) progressed = true;
    }
    return progressed;
  };

  const tick = async (): Promise<void> => {
    try {
      await exclusive(poll);
    } catch (error) {
      log({ level: 'error', msg: 'stream poll failed', tableName: options.tableName, error });
    }
    if (polling) {
      timer = setTimeout(() => void tick(), intervalMs);
      // The poller alone must not keep the process alive (tests, Ctrl-C).
      timer.unref();
    }
  };

  return {
    deadLetters,
    start() {
      if (polling || stopped) return;
      polling = true;
      void tick();
    },
    async stop() {
      stopped = true;
      polling = false;
      clearTimeout(timer);
      timer = undefined;
      await chain;
      tables.destroy();
      streams.destroy();
    },
    async drain() {
      // A pass that moved anything may have caused new records (the handler writes too): pass again.
      let progressed = true;
      while (progressed && !stopped) progressed = await exclusive(poll);
    },
  };
}
