import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandInput,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type EventEnvelope, envelope } from '../../../events/envelope';
import {
  EVENT_SOURCE,
  type EventPublisher,
  EventPublisherConfigError,
  eventBridgePublisher,
  eventPublisher,
  setEventPublisher,
} from '../../../functions/shared/event-publisher';
import { ulidGenerator } from '../../../functions/shared/ids';

const ids = ulidGenerator();
const eventBridge = mockClient(EventBridgeClient);
const BUS = 'hromada-test';

function events(count: number): EventEnvelope[] {
  return Array.from({ length: count }, (_, index) =>
    envelope({
      id: ids.next(),
      name: 'community.created.v1',
      communityId: 'demo',
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
      subject: 'community/demo',
      detail: { index },
    }),
  );
}

/** The entries of the `call`-th PutEvents request. */
const sentEntries = (call: number) => {
  const input = eventBridge.commandCalls(PutEventsCommand)[call]?.args[0].input as
    | PutEventsCommandInput
    | undefined;
  return input?.Entries ?? [];
};
const sentIds = (call: number) =>
  sentEntries(call).map((entry) => (JSON.parse(entry.Detail ?? '{}') as EventEnvelope).id);

/** A PutEvents answer that fails the entries whose event id is in `failing`. */
function answerFailing(failing: ReadonlySet<string>) {
  return (input: PutEventsCommandInput) => {
    const results: PutEventsResultEntry[] = (input.Entries ?? []).map((entry) => {
      const id = (JSON.parse(entry.Detail ?? '{}') as EventEnvelope).id;
      return failing.has(id)
        ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }
        : { EventId: `eb-${id}` };
    });
    return { FailedEntryCount: results.filter((result) => result.ErrorCode).length, Entries: results };
  };
}

const publisher = () =>
  eventBridgePublisher({
    client: new EventBridgeClient({ region: 'eu-central-1' }),
    busName: BUS,
    backoffMs: 1,
  });

// Failed calls are logged as warnings on purpose; keep the test output clean.
beforeAll(() => vi.stubEnv('LOG_LEVEL', 'silent'));
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => eventBridge.reset());
afterEach(() => setEventPublisher(undefined));

describe('the EventBridge publisher', () => {
  it('sends 25 events in three PutEvents calls of at most 10 entries', async () => {
    eventBridge.on(PutEventsCommand).callsFake(answerFailing(new Set()));
    const batch = events(25);

    const result = await publisher().publish(batch);

    expect(result.failedEventIds).toEqual([]);
    expect(
      eventBridge.commandCalls(PutEventsCommand).map((_call, index) => sentEntries(index).length),
    ).toEqual([10, 10, 5]);
    expect([0, 1, 2].flatMap(sentIds)).toEqual(batch.map((event) => event.id));
  });

  it('puts each envelope whole into Detail, named by its event name, on the configured bus', async () => {
    eventBridge.on(PutEventsCommand).callsFake(answerFailing(new Set()));
    const [event] = events(1);

    await publisher().publish([event as EventEnvelope]);

    const [entry] = sentEntries(0);
    expect(entry).toMatchObject({
      EventBusName: BUS,
      Source: EVENT_SOURCE,
      DetailType: 'community.created.v1',
    });
    expect(JSON.parse(entry?.Detail ?? '')).toEqual(event);
    expect(entry?.Time?.toISOString()).toBe(event?.occurredAt);
  });

  it('retries only the entries that failed, and reports nothing once they went through', async () => {
    const batch = events(5);
    const flaky = new Set([batch[1]?.id ?? '', batch[3]?.id ?? '']);
    eventBridge.on(PutEventsCommand).callsFakeOnce(answerFailing(flaky)).callsFake(answerFailing(new Set()));

    const result = await publisher().publish(batch);

    expect(result.failedEventIds).toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
    expect(sentIds(1)).toEqual([batch[1]?.id, batch[3]?.id]);
  });

  it('reports an entry that keeps failing after the last try, and only that one', async () => {
    const batch = events(3);
    const stuck = batch[2]?.id ?? '';
    eventBridge.on(PutEventsCommand).callsFake(answerFailing(new Set([stuck])));

    const result = await eventBridgePublisher({
      client: new EventBridgeClient({ region: 'eu-central-1' }),
      busName: BUS,
      maxAttempts: 4,
      backoffMs: 1,
    }).publish(batch);

    expect(result.failedEventIds).toEqual([stuck]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(4);
    expect([1, 2, 3].map(sentIds)).toEqual([[stuck], [stuck], [stuck]]);
  });

  it('treats a call that throws as a failure of its entries, retried and then reported', async () => {
    const batch = events(12);
    eventBridge.on(PutEventsCommand).rejects(new Error('ThrottlingException'));

    const result = await publisher().publish(batch);

    expect(result.failedEventIds).toEqual(batch.map((event) => event.id));
    // Two chunks (10 + 2), three tries each.
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(6);
  });
});

describe('choosing the publisher', () => {
  it('uses the installed publisher when there is one', () => {
    const installed: EventPublisher = { publish: async () => ({ failedEventIds: [] }) };
    setEventPublisher(installed);

    expect(eventPublisher({ region: 'eu-central-1' })).toBe(installed);
  });

  it('falls back to EventBridge on the configured bus', async () => {
    eventBridge.on(PutEventsCommand).callsFake(answerFailing(new Set()));

    await eventPublisher({ region: 'eu-central-1', eventBusName: 'from-config' }).publish(events(1));

    expect(sentEntries(0)[0]?.EventBusName).toBe('from-config');
  });

  it('says what to configure when there is neither', () => {
    expect(() => eventPublisher({ region: 'eu-central-1' })).toThrow(EventPublisherConfigError);
    expect(() => eventPublisher({ region: 'eu-central-1' })).toThrow(/EVENT_BUS_NAME/);
  });
});
