import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { ChildRuntime } from './child-runtime';
import { type CpuUse, measureCpu } from './cpu';
import { closedLoop, type LoadSummary, summarize, type Task } from './load';

const REGION = 'eu-central-1';
/** DynamoDB Local keeps one database per access key and region: use the runtime's. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface RawPutSizes {
  /** Measured puts, numbered 0 … count − 1. */
  readonly count: number;
  /** Puts before the clock starts, numbered from `count` on. */
  readonly warmUp: number;
  readonly concurrency: number;
}

/**
 * The ceiling an API write is compared with: conditional PutItems straight into
 * the runtime's DynamoDB Local, closed loop, `putOf(index)` for each (built
 * inside the timed task, as a handler builds its item). A refused condition is
 * an error with status 400, a network failure status 0. CPU of `processes` is
 * measured over the measured puts only.
 * @example
 * const raw = await measureRawPuts(runtime, { count: 5000, warmUp: 500, concurrency: 32 }, processes, (i) => ({
 *   TableName: runtime.tableName, Item: { PK: { S: `BENCH#${i}` }, SK: { S: 'BENCH' } },
 *   ConditionExpression: 'attribute_not_exists(PK)',
 * }));
 */
export async function measureRawPuts(
  runtime: ChildRuntime,
  sizes: RawPutSizes,
  processes: Record<string, number | undefined>,
  putOf: (index: number) => PutItemCommandInput,
): Promise<{ readonly load: LoadSummary; readonly cpu: CpuUse }> {
  const client = new DynamoDBClient({
    endpoint: runtime.endpoint,
    region: REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const put: Task = async (index) => {
    try {
      await client.send(new PutItemCommand(putOf(index)));
      return { ok: true, status: 200 };
    } catch (error) {
      const status = error instanceof ConditionalCheckFailedException ? 400 : 0;
      return { ok: false, status };
    }
  };
  try {
    await closedLoop(sizes.warmUp, sizes.concurrency, (index) => put(sizes.count + index));
    const meter = measureCpu(processes, 'java');
    const load = summarize(await closedLoop(sizes.count, sizes.concurrency, put));
    return { load, cpu: meter.stop() };
  } finally {
    client.destroy();
  }
}
