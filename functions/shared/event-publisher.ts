import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { EventEnvelope } from '../../events/envelope';
import type { AppConfig } from './config';
import { logLine } from './log';
import { RETRY, retrying } from './use-case';

/**
 * Where the outbox publisher sends events: EventBridge in AWS, the in-process
 * bus locally. Publishing may succeed for some events and fail for others; the
 * caller retries exactly the ones reported in `failedEventIds`.
 */
export interface EventPublisher {
  publish(events: readonly EventEnvelope[]): Promise<{ failedEventIds: string[] }>;
}

/** Thrown when no publisher is installed and no EventBridge bus is configured. */
export class EventPublisherConfigError extends Error {
  override readonly name = 'EventPublisherConfigError';
}

/** The `Source` of every event the system puts on the bus; rules match on it. */
export const EVENT_SOURCE = 'hromada';

/** PutEvents accepts at most 10 entries per call. */
const MAX_ENTRIES_PER_CALL = 10;
/** PutEvents accepts at most 256 KB per call, counted over the entries' fields. */
const MAX_BYTES_PER_CALL = 256 * 1024;
/** The fixed size EventBridge charges for an entry's `Time`. */
const TIME_BYTES = 14;

export interface EventBridgePublisherOptions {
  readonly client: EventBridgeClient;
  readonly busName: string;
  /** Tries per entry, the first one included. */
  readonly maxAttempts?: number;
  /** Wait before the first retry; doubles with each further retry. */
  readonly backoffMs?: number;
}

interface PendingEntry {
  readonly eventId: string;
  readonly entry: PutEventsRequestEntry;
  readonly bytes: number;
}

function toEntry(event: EventEnvelope, busName: string): PendingEntry {
  const entry: PutEventsRequestEntry = {
    EventBusName: busName,
    Source: EVENT_SOURCE,
    DetailType: event.name,
    Detail: JSON.stringify(event),
    Time: new Date(event.occurredAt),
  };
  const bytes =
    Buffer.byteLength(entry.Source ?? '') +
    Buffer.byteLength(entry.DetailType ?? '') +
    Buffer.byteLength(entry.Detail ?? '') +
    TIME_BYTES;
  return { eventId: event.id, entry, bytes };
}

/** Splits entries into calls PutEvents accepts: at most 10 entries and 256 KB each. */
function chunk(entries: readonly PendingEntry[]): PendingEntry[][] {
  const chunks: PendingEntry[][] = [];
  let current: PendingEntry[] = [];
  let currentBytes = 0;
  for (const entry of entries) {
    if (
      current.length === MAX_ENTRIES_PER_CALL ||
      (current.length > 0 && currentBytes + entry.bytes > MAX_BYTES_PER_CALL)
    ) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += entry.bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

/**
 * Publishes to an EventBridge bus. Each call carries at most 10 entries; when
 * PutEvents fails partially (`FailedEntryCount`), only the failed entries are
 * sent again, a bounded number of times with a short, doubling backoff. A call
 * that throws (throttled, network) counts as a failure of all its entries.
 * Whatever still fails after the last try is returned, never thrown, so that
 * the caller can mark exactly those records for redelivery.
 * @example
 * const publisher = eventBridgePublisher({ client: new EventBridgeClient({}), busName: 'hromada' });
 * const { failedEventIds } = await publisher.publish(events);
 */
export function eventBridgePublisher(options: EventBridgePublisherOptions): EventPublisher {
  const maxAttempts = options.maxAttempts ?? 3;
  const backoffMs = options.backoffMs ?? 50;

  const sendOnce = async (entries: readonly PendingEntry[]): Promise<PendingEntry[]> => {
    try {
      const result = await options.client.send(
        new PutEventsCommand({ Entries: entries.map(({ entry }) => entry) }),
      );
      if (!result.FailedEntryCount) return [];
      // Result entries line up with request entries by position; a failed one carries an ErrorCode.
      const codes = entries.map((_entry, index) => result.Entries?.[index]?.ErrorCode);
      const seen = [...new Set(codes.filter((code) => code !== undefined))];
      logLine('warn', { msg: 'PutEvents failed partially', failed: result.FailedEntryCount, codes: seen });
      return entries.filter((_entry, index) => codes[index] !== undefined);
    } catch (error) {
      logLine('warn', { msg: 'PutEvents failed', entries: entries.length, error: String(error) });
      return [...entries];
    }
  };

  return {
    async publish(events) {
      const failedEventIds: string[] = [];
      // A plain doubling backoff, not jittered: PutEvents is not a race between writers.
      const policy = { attempts: maxAttempts, pause: (retry: number) => sleep(backoffMs * 2 ** (retry - 1)) };
      for (const calls of chunk(events.map((event) => toEntry(event, options.busName)))) {
        let pending = calls;
        await retrying(async () => {
          pending = await sendOnce(pending);
          return pending.length === 0 ? 'sent' : RETRY;
        }, policy);
        failedEventIds.push(...pending.map((entry) => entry.eventId));
      }
      return { failedEventIds };
    },
  };
}

let override: EventPublisher | undefined;
const clients = new Map<string, EventBridgeClient>();

/**
 * Installs the publisher every handler in this process uses, or removes it with
 * `undefined`. The local runtime installs its in-process bus; tests install fakes.
 */
export function setEventPublisher(publisher: EventPublisher | undefined): void {
  override = publisher;
}

/**
 * The publisher for this invocation: the installed one if any, else EventBridge
 * on `config.eventBusName` (its client is reused across invocations).
 * @throws EventPublisherConfigError when neither is available.
 */
export function eventPublisher(config: Pick<AppConfig, 'eventBusName' | 'region'>): EventPublisher {
  if (override) return override;
  if (!config.eventBusName) {
    throw new EventPublisherConfigError(
      'No event publisher: set EVENT_BUS_NAME to an EventBridge bus, or install one with setEventPublisher (the local runtime does)',
    );
  }
  let client = clients.get(config.region);
  if (!client) {
    client = new EventBridgeClient({ region: config.region });
    clients.set(config.region, client);
  }
  return eventBridgePublisher({ client, busName: config.eventBusName });
}
