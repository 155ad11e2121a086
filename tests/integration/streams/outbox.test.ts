import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommunityEvents } from '../../../events/communities';
import { type EventEnvelope, envelope } from '../../../events/envelope';
import { documentClient } from '../../../functions/shared/dynamo';
import { type EventPublisher, setEventPublisher } from '../../../functions/shared/event-publisher';
import { ulidGenerator } from '../../../functions/shared/ids';
import { Entity, keys } from '../../../functions/shared/keys';
import { OutboxStatus, outboxPuts } from '../../../functions/shared/outbox';
import { handler } from '../../../functions/streams/handler';
import { SENT_RETENTION_DAYS } from '../../../functions/streams/outbox-publisher';
import { createLocalBus, type LocalBus, type LogLine } from '../../../infra/local/bus';
import type { StreamHandler, StreamPoller } from '../../../infra/local/stream-poller';
import { testPoller } from '../../support/stream';
import { createTestTable, type TestTable } from '../../support/table';

const ids = ulidGenerator();
const busLines: LogLine[] = [];
let table: TestTable;
let bus: LocalBus;
let poller: StreamPoller;
/** What each publish call was asked to send, to see that nothing goes out twice. */
let publishCalls: string[][];
/** Every batch the stream delivered to the handler. */
let deliveries: DynamoDBStreamEvent[];

const client = () => documentClient({ dynamoEndpoint: table.endpoint, region: table.region });

function communityCreated(communityId: string): EventEnvelope {
  return envelope({
    id: ids.next(),
    name: CommunityEvents.created,
    communityId,
    occurredAt: new Date(),
    subject: `community/${communityId}`,
    detail: { communityId, names: { uk: 'Громада', en: 'Community' }, createdBy: 'admin' },
  });
}

/** A state change and its events in one transaction, as a command's store writes them. */
async function commit(communityId: string, events: readonly EventEnvelope[]): Promise<void> {
  await client().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table.tableName,
            Item: { ...keys.community(communityId), entity: Entity.community },
          },
        },
        ...outboxPuts(table.tableName, events),
      ],
    }),
  );
}

const outboxItems = async () =>
  (await table.scanAll())
    .filter((item) => item.entity === Entity.outbox)
    .sort((a, b) => String(a.SK).localeCompare(String(b.SK)));

function startPoller(streamHandler: StreamHandler = handler): void {
  poller = testPoller(table, async (event) => {
    deliveries.push(event);
    return streamHandler(event);
  });
}

/** Wraps the bus so a test sees each publish call; `failOnce` ids are refused the first time. */
function installPublisher(failOnce: readonly string[] = []): void {
  const refused = new Set(failOnce);
  const publisher: EventPublisher = {
    async publish(events) {
      publishCalls.push(events.map((event) => event.id));
      const accepted = events.filter((event) => !refused.has(event.id));
      const failedEventIds = events.filter((event) => refused.has(event.id)).map((event) => event.id);
      for (const id of failedEventIds) refused.delete(id);
      await bus.publish(accepted);
      return { failedEventIds };
    },
  };
  setEventPublisher(publisher);
}

// Poison events are logged as errors on purpose; keep the test output clean.
beforeAll(() => vi.stubEnv('LOG_LEVEL', 'silent'));
afterAll(() => vi.unstubAllEnvs());

beforeEach(async () => {
  table = await createTestTable('outbox');
  busLines.length = 0;
  bus = createLocalBus({ log: (line) => busLines.push(line) });
  publishCalls = [];
  deliveries = [];
  installPublisher();
});

afterEach(async () => {
  await poller?.stop();
  setEventPublisher(undefined);
});

describe('the outbox publisher on the table’s stream', () => {
  it('publishes each committed event exactly once and marks its item sent with a 30-day TTL', async () => {
    const events = [communityCreated('alpha'), communityCreated('alpha'), communityCreated('alpha')];
    await commit('alpha', events);
    startPoller();

    const before = Math.floor(Date.now() / 1000);
    await poller.drain();
    const after = Math.floor(Date.now() / 1000);

    expect(bus.published.map((event) => event.id).sort()).toEqual(events.map((event) => event.id).sort());
    expect(bus.published.find((event) => event.id === events[0]?.id)).toEqual(events[0]);
    const items = await outboxItems();
    expect(items).toHaveLength(3);
    const retention = SENT_RETENTION_DAYS * 24 * 60 * 60;
    for (const item of items) {
      expect(item.status).toBe(OutboxStatus.sent);
      expect(item.sentAt).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/));
      expect(item.expiresAt).toBeGreaterThanOrEqual(before + retention);
      expect(item.expiresAt).toBeLessThanOrEqual(after + retention);
    }
    const eventLines = busLines.filter((line) => line.msg === 'event');
    expect(eventLines).toHaveLength(3);
    expect(eventLines.every((line) => !('detail' in line))).toBe(true);
    expect(poller.deadLetters).toEqual([]);
  });

  it('publishes nothing again when the same stream batch is delivered again', async () => {
    await commit('beta', [communityCreated('beta'), communityCreated('beta')]);
    startPoller();
    await poller.drain();
    const firstDelivery = deliveries[0];
    expect(
      firstDelivery?.Records.some((record) => record.dynamodb?.NewImage?.entity?.S === Entity.outbox),
    ).toBe(true);
    const callsBefore = publishCalls.length;

    const response = await handler(firstDelivery as DynamoDBStreamEvent);

    expect(response.batchItemFailures).toEqual([]);
    expect(publishCalls).toHaveLength(callsBefore);
    expect(bus.published).toHaveLength(2);
  });

  it('delivers each event once even when two deliveries of a batch race each other', async () => {
    const events = [communityCreated('gamma'), communityCreated('gamma')];
    await commit('gamma', events);
    // Only record the batch, so that both deliveries below find the items still pending.
    startPoller(async () => ({ batchItemFailures: [] }));
    await poller.drain();
    const batch = deliveries.find((delivery) =>
      delivery.Records.some((record) => record.dynamodb?.NewImage?.entity?.S === Entity.outbox),
    );

    const responses = await Promise.all([
      handler(batch as DynamoDBStreamEvent),
      handler(batch as DynamoDBStreamEvent),
    ]);

    expect(responses.flatMap((response) => response.batchItemFailures)).toEqual([]);
    expect(bus.published.map((event) => event.id).sort()).toEqual(events.map((event) => event.id).sort());
    expect((await outboxItems()).map((item) => item.status)).toEqual([OutboxStatus.sent, OutboxStatus.sent]);
  });

  it('retries exactly the records whose events failed to publish, until they go out', async () => {
    const events = [communityCreated('delta'), communityCreated('delta'), communityCreated('delta')];
    const flaky = events[1]?.id ?? '';
    installPublisher([flaky]);
    await commit('delta', events);
    startPoller();

    await poller.drain();

    expect(publishCalls[0]?.sort()).toEqual(events.map((event) => event.id).sort());
    // The stream redelivers from the failed record on; an event already sent is skipped, not sent again.
    expect(publishCalls.slice(1)).toEqual([[flaky]]);
    expect(bus.published.map((event) => event.id).sort()).toEqual(events.map((event) => event.id).sort());
    expect((await outboxItems()).every((item) => item.status === OutboxStatus.sent)).toBe(true);
    expect(poller.deadLetters).toEqual([]);
  });

  it('marks a poison event failed with the reason, publishes the good ones, and does not retry', async () => {
    const good = communityCreated('epsilon');
    const unknownName = { ...communityCreated('epsilon'), name: 'community.exploded.v1' };
    const badDetail = { ...communityCreated('epsilon'), detail: { communityId: 'epsilon' } };
    const badEnvelope = { ...communityCreated('epsilon'), occurredAt: 'yesterday' };
    await commit('epsilon', [good, unknownName, badDetail, badEnvelope]);
    startPoller();

    await poller.drain();

    expect(bus.published.map((event) => event.id)).toEqual([good.id]);
    const byId = new Map((await outboxItems()).map((item) => [(item.event as EventEnvelope).id, item]));
    expect(byId.get(good.id)?.status).toBe(OutboxStatus.sent);
    expect(byId.get(unknownName.id)).toMatchObject({
      status: OutboxStatus.failed,
      failureReason: expect.stringContaining('unknown event name "community.exploded.v1"'),
    });
    expect(byId.get(badDetail.id)).toMatchObject({
      status: OutboxStatus.failed,
      failureReason: expect.stringContaining('invalid detail'),
    });
    expect(byId.get(badEnvelope.id)).toMatchObject({
      status: OutboxStatus.failed,
      failureReason: expect.stringContaining('invalid envelope'),
    });
    expect(byId.get(unknownName.id)?.expiresAt).toBeUndefined();
    const insertDeliveries = deliveries.filter((delivery) =>
      delivery.Records.some((record) => record.eventName === 'INSERT'),
    );
    expect(insertDeliveries).toHaveLength(1);
    expect(poller.deadLetters).toEqual([]);
  });

  it('leaves an outbox item alone that is no longer pending when its record arrives', async () => {
    const event = communityCreated('zeta');
    await client().send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.outbox('zeta', event.id), entity: Entity.outbox, status: OutboxStatus.sent, event },
      }),
    );
    startPoller();

    await poller.drain();

    expect(publishCalls).toEqual([]);
    expect(bus.published).toEqual([]);
  });
});
