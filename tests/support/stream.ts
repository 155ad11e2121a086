import { expect } from 'vitest';
import { createStreamPoller, type StreamHandler, type StreamPoller } from '../../infra/local/stream-poller';
import type { TestTable } from './table';

/**
 * A stream poller on a test table, tuned for tests: it polls and retries
 * quickly, logs nothing, and takes any of the poller's options on top.
 */
export function testPoller(
  table: TestTable,
  handler: StreamHandler,
  options: { batchSize?: number } = {},
): StreamPoller {
  return createStreamPoller({
    endpoint: table.endpoint,
    region: table.region,
    tableName: table.tableName,
    intervalMs: 20,
    retryDelayMs: 1,
    log: () => undefined,
    handler,
    ...options,
  });
}

/** Runs `handler` over the stream until it is read to its end; nothing may end in the dead letters. */
export async function drainWith(
  table: TestTable,
  handler: StreamHandler,
  options: { batchSize?: number } = {},
): Promise<void> {
  const poller = testPoller(table, handler, options);
  await poller.drain();
  await poller.stop();
  expect(poller.deadLetters).toEqual([]);
}
