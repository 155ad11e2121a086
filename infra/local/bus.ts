import type { EventEnvelope } from '../../events/envelope';
import type { EventPublisher } from '../../functions/shared/event-publisher';
import { logLine } from '../../functions/shared/log';

/** One structured log line of the local runtime; written as one JSON line. */
export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** Where the local runtime's pieces (bus, server, poller, scheduler) write their log lines. */
export type Log = (line: LogLine) => void;

/**
 * The default {@link Log}: the handlers' own JSON lines (`logLine`), so that the
 * runtime and the handlers it hosts write one format, muted alike by
 * `LOG_LEVEL=silent`. Errors become their name, message and stack.
 * @example jsonLog({ level: 'info', msg: 'listening', url })
 */
export const jsonLog: Log = ({ level, ...fields }) => {
  logLine(
    level,
    Object.fromEntries(
      Object.entries(fields).map(([name, value]) => [
        name,
        value instanceof Error ? describeError(value) : value,
      ]),
    ),
  );
};

/** An error as loggable fields: an `Error` serialises to `{}` in JSON. */
function describeError(error: Error): Record<string, unknown> {
  return { name: error.name, message: error.message, stack: error.stack };
}

/** Receives the events whose name matches the pattern it subscribed with. */
export type Subscriber = (event: EventEnvelope) => void | Promise<void>;

/** The in-process stand-in for the EventBridge bus. It is also the runtime's {@link EventPublisher}. */
export interface LocalBus extends EventPublisher {
  /**
   * Calls `subscriber` for every event matching `pattern`: an exact event name
   * (`community.created.v1`), a prefix ending in `.` or `*` (`petition.`,
   * `petition.threshold-*`), or `*` for everything. Returns an unsubscribe function.
   */
  subscribe(pattern: string, subscriber: Subscriber): () => void;
  /** Every distinct event delivered so far, in order; for tests. */
  readonly published: readonly EventEnvelope[];
}

/** Whether an event name matches a subscription pattern (see {@link LocalBus.subscribe}). */
export function matchesPattern(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return name.startsWith(pattern.slice(0, -1));
  if (pattern.endsWith('.')) return name.startsWith(pattern);
  return name === pattern;
}

/**
 * Creates the local event bus. It logs one line per event with the envelope's
 * routing fields only: `detail` may hold personal data and stays out of logs.
 * An event id seen before is logged as a duplicate and not delivered again, as
 * consumers in AWS dedupe by id (the outbox delivers at least once).
 * Subscribers run one after another; one that throws is logged and the others
 * still run, and the event still counts as published (EventBridge, too, accepts
 * an event regardless of what its targets do with it).
 * @example
 * const bus = createLocalBus();
 * bus.subscribe('community.', async (event) => notify(event));
 * setEventPublisher(bus);
 */
export function createLocalBus(options: { log?: Log } = {}): LocalBus {
  const log = options.log ?? jsonLog;
  const subscriptions: { pattern: string; subscriber: Subscriber }[] = [];
  const seenIds = new Set<string>();
  const published: EventEnvelope[] = [];

  const deliver = async (event: EventEnvelope): Promise<void> => {
    for (const { pattern, subscriber } of subscriptions.filter((entry) =>
      matchesPattern(entry.pattern, event.name),
    )) {
      try {
        await subscriber(event);
      } catch (error) {
        log({ level: 'error', msg: 'subscriber failed', id: event.id, name: event.name, pattern, error });
      }
    }
  };

  return {
    published,
    subscribe(pattern, subscriber) {
      const subscription = { pattern, subscriber };
      subscriptions.push(subscription);
      return () => {
        const index = subscriptions.indexOf(subscription);
        if (index >= 0) subscriptions.splice(index, 1);
      };
    },
    async publish(events) {
      for (const event of events) {
        const fields = {
          id: event.id,
          name: event.name,
          communityId: event.communityId,
          subject: event.subject,
          occurredAt: event.occurredAt,
        };
        if (seenIds.has(event.id)) {
          log({ level: 'info', msg: 'duplicate event', ...fields });
          continue;
        }
        seenIds.add(event.id);
        published.push(event);
        log({ level: 'info', msg: 'event', ...fields });
        await deliver(event);
      }
      return { failedEventIds: [] };
    },
  };
}
