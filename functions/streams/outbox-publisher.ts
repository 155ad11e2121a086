import { type AttributeValue, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { z } from 'zod';
import type { Clock } from '../../domain/shared/clock';
import { type EventEnvelope, EventEnvelopeSchema } from '../../events/envelope';
import { EVENT_DETAIL_SCHEMAS } from '../../events/registry';
import { loadConfig } from '../shared/config';
import { documentClient, setExpression } from '../shared/dynamo';
import { type EventPublisher, eventPublisher } from '../shared/event-publisher';
import { systemClock } from '../shared/ids';
import type { ItemKey } from '../shared/keys';
import { logLine } from '../shared/log';
import { OutboxStatus } from '../shared/outbox';

/** How long a sent outbox item is kept (for audits and replays) before DynamoDB's TTL removes it. */
export const SENT_RETENTION_DAYS = 30;

export interface OutboxPublisherDependencies {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
}

/** The outcome of checking a stored event: publishable, or poison with the reason. */
type EventCheck = { ok: true; event: EventEnvelope } | { ok: false; reason: string };

/** Checks a stored event against the envelope and its registered detail schema. */
function checkEvent(stored: unknown): EventCheck {
  const parsed = EventEnvelopeSchema.safeParse(stored);
  if (!parsed.success) return { ok: false, reason: `invalid envelope: ${z.prettifyError(parsed.error)}` };
  const detailSchema = EVENT_DETAIL_SCHEMAS[parsed.data.name];
  if (!detailSchema) return { ok: false, reason: `unknown event name "${parsed.data.name}"` };
  const detail = detailSchema.safeParse(parsed.data.detail);
  if (!detail.success) {
    return { ok: false, reason: `invalid detail of ${parsed.data.name}: ${z.prettifyError(detail.error)}` };
  }
  // The stored event goes out as written: parsing only checked it (and would drop unknown fields).
  return { ok: true, event: stored as EventEnvelope };
}

/** An outbox record of the batch: where it is in the stream, which item, and its checked event. */
interface OutboxRecord {
  readonly sequenceNumber: string;
  readonly key: ItemKey;
  readonly check: EventCheck;
}

function readRecord(record: DynamoDBRecord): OutboxRecord {
  // Lambda's image is the wire format of attribute values, which is what unmarshall reads.
  const item = unmarshall((record.dynamodb?.NewImage ?? {}) as Record<string, AttributeValue>);
  return {
    sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
    key: { PK: String(item.PK), SK: String(item.SK) },
    check: checkEvent(item.event),
  };
}

const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

/**
 * The outbox publisher: the stream consumer of outbox INSERTs. For each record
 * it checks the event, skips one that an earlier delivery already sent, publishes
 * the rest in one go, and marks each published item `sent` (with a TTL) under
 * the condition that it is still `pending`: a duplicate delivery racing this one
 * leaves the first mark alone. Subscribers dedupe by event id, as the outbox
 * delivers at least once.
 *
 * An event that fails its schema is a poison record: retrying cannot fix it, so
 * it is logged as an error and its item marked `failed` with the reason. Records
 * whose event could not be published or whose item could not be updated are
 * returned as batch item failures, and the stream delivers them again.
 * @example
 * const publish = outboxPublisher({ client, tableName, publisher, clock: systemClock });
 * const { batchItemFailures } = await publish(event.Records);
 */
export function outboxPublisher(
  dependencies: OutboxPublisherDependencies,
): (records: readonly DynamoDBRecord[]) => Promise<DynamoDBBatchResponse> {
  const { client, tableName, publisher, clock } = dependencies;

  const statusOf = async (key: ItemKey): Promise<unknown> => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: '#status',
        ExpressionAttributeNames: { '#status': 'status' },
      }),
    );
    return Item?.status;
  };

  /** Sets fields of a still-pending item; one no longer pending was settled by another delivery, which is fine. */
  const settle = async (key: ItemKey, set: Record<string, unknown>): Promise<void> => {
    const assignment = setExpression(set);
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: `SET ${assignment.assignments.join(', ')}`,
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { ...assignment.names, '#status': 'status' },
          ExpressionAttributeValues: { ...assignment.values, ':pending': OutboxStatus.pending },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  };

  /** The ids of the events that could not be published; a publisher that throws failed them all. */
  const publishAll = async (events: readonly EventEnvelope[]): Promise<string[]> => {
    try {
      return (await publisher.publish(events)).failedEventIds;
    } catch (error) {
      logLine('error', { msg: 'event publishing failed', count: events.length, error: String(error) });
      return events.map((event) => event.id);
    }
  };

  /** Runs `work` per record; the records it failed for, as sequence numbers. */
  const failuresOf = async <Entry extends OutboxRecord>(
    records: readonly Entry[],
    work: (record: Entry) => Promise<void>,
  ): Promise<string[]> => {
    const results = await Promise.allSettled(records.map(work));
    return records.flatMap((record, index) => {
      const result = results[index];
      if (result?.status !== 'rejected') return [];
      logLine('error', {
        msg: 'outbox item update failed',
        sequenceNumber: record.sequenceNumber,
        SK: record.key.SK,
        error: String(result.reason),
      });
      return [record.sequenceNumber];
    });
  };

  return async (records) => {
    const now = clock.now();
    const failed: string[] = [];
    const poison: (OutboxRecord & { reason: string })[] = [];
    const valid: (OutboxRecord & { event: EventEnvelope })[] = [];
    for (const record of records.map(readRecord)) {
      if (record.check.ok) valid.push({ ...record, event: record.check.event });
      else poison.push({ ...record, reason: record.check.reason });
    }

    for (const record of poison) {
      logLine('error', {
        msg: 'poison outbox event: marked failed, not retried',
        sequenceNumber: record.sequenceNumber,
        PK: record.key.PK,
        SK: record.key.SK,
        reason: record.reason,
      });
    }
    failed.push(
      ...(await failuresOf(poison, (record) =>
        settle(record.key, {
          status: OutboxStatus.failed,
          failedAt: now.toISOString(),
          failureReason: record.reason,
        }),
      )),
    );

    // A record delivered again (a retried batch) may point at an item already sent: skip it.
    const statuses = await Promise.allSettled(valid.map((record) => statusOf(record.key)));
    const pending: typeof valid = [];
    for (const [index, record] of valid.entries()) {
      const status = statuses[index];
      if (status?.status === 'rejected') failed.push(record.sequenceNumber);
      else if (status?.value === OutboxStatus.pending) pending.push(record);
    }

    if (pending.length > 0) {
      const unpublished = new Set(await publishAll(pending.map((record) => record.event)));
      const published = pending.filter((record) => !unpublished.has(record.event.id));
      for (const record of pending.filter((candidate) => unpublished.has(candidate.event.id))) {
        logLine('warn', {
          msg: 'event not published; will retry',
          id: record.event.id,
          name: record.event.name,
        });
        failed.push(record.sequenceNumber);
      }
      const expiresAt = Math.floor(now.getTime() / 1000) + SENT_RETENTION_DAYS * 24 * 60 * 60;
      failed.push(
        ...(await failuresOf(published, (record) =>
          settle(record.key, { status: OutboxStatus.sent, sentAt: now.toISOString(), expiresAt }),
        )),
      );
    }
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/**
 * The outbox consumer as the stream handler calls it: configuration, table
 * client and publisher are read per invocation, so that the local runtime and
 * tests can point it elsewhere.
 */
export function publishOutbox(records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  const config = loadConfig();
  return outboxPublisher({
    client: documentClient(config),
    tableName: config.tableName,
    publisher: eventPublisher(config),
    clock: systemClock,
  })(records);
}
