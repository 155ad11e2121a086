import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { z } from 'zod';
import { type AuditIntent, AuditIntentSchema } from '../../domain/audit/intent';
import { type AppendOptions, appendAuditEntries } from '../audit/append';
import { loadConfig } from '../shared/config';
import { documentClient } from '../shared/dynamo';
import { keys } from '../shared/keys';
import { logLine } from '../shared/log';

export interface AuditAppenderDependencies {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Retry policy and segment size of the appends; the defaults of `appendAuditEntries` otherwise. */
  readonly append?: AppendOptions;
}

/** An intent record of the batch: where it is in the stream, and its intent or why it has none. */
type IntentRecord =
  | { readonly sequenceNumber: string; readonly ok: true; readonly intent: AuditIntent }
  | { readonly sequenceNumber: string; readonly ok: false; readonly reason: string; readonly SK: unknown };

function readRecord(record: DynamoDBRecord): IntentRecord {
  const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
  let item: Record<string, unknown>;
  try {
    // Lambda's image is the wire format of attribute values, which is what unmarshall reads.
    item = unmarshall((record.dynamodb?.NewImage ?? {}) as Record<string, AttributeValue>);
  } catch (error) {
    return {
      sequenceNumber,
      ok: false,
      reason: `unreadable image: ${String(error)}`,
      SK: record.dynamodb?.Keys?.SK?.S,
    };
  }
  const parsed = AuditIntentSchema.safeParse(item.intent);
  if (!parsed.success) {
    return { sequenceNumber, ok: false, reason: z.prettifyError(parsed.error), SK: item.SK };
  }
  // The stored intent goes into the chain as written: parsing only checked it.
  const intent = item.intent as AuditIntent;
  const key = keys.auditIntent(intent.communityId, intent.id);
  if (item.PK !== key.PK || item.SK !== key.SK) {
    return { sequenceNumber, ok: false, reason: 'the intent does not match its key', SK: item.SK };
  }
  return { sequenceNumber, ok: true, intent };
}

/**
 * The audit appender: the stream consumer of audit-intent INSERTs. It hands
 * each community's intents of the batch, in stream order, to
 * {@link appendAuditEntries}, which writes them as chain segments (up to 49
 * entries a transaction), communities side by side. An intent that an earlier
 * delivery appended is skipped by the chain's own marker.
 *
 * When an append fails (a chain too contended to move, DynamoDB down), that
 * record and every later record of the same community are reported as batch
 * item failures, so that the stream delivers them again in their order and no
 * later action overtakes an earlier one in the chain. An intent that is not an
 * intent (a bug, never a user's doing) cannot be fixed by retrying: it is
 * logged as an error and skipped.
 * @example
 * const append = auditAppender({ client, tableName });
 * const { batchItemFailures } = await append(event.Records);
 */
export function auditAppender(
  dependencies: AuditAppenderDependencies,
): (records: readonly DynamoDBRecord[]) => Promise<DynamoDBBatchResponse> {
  const { client, tableName } = dependencies;

  /** Appends one community's intents in order; the sequence numbers of those not appended. */
  const appendInOrder = async (intents: readonly { sequenceNumber: string; intent: AuditIntent }[]) => {
    const { results, failure } = await appendAuditEntries(
      client,
      tableName,
      intents.map(({ intent }) => intent),
      dependencies.append,
    );
    if (results.length === intents.length) return [];
    const failed = intents[results.length];
    logLine('error', {
      msg: 'audit intent not appended; it and the later ones of its community will be retried',
      sequenceNumber: failed?.sequenceNumber,
      communityId: failed?.intent.communityId,
      intentId: failed?.intent.id,
      error: String(failure),
    });
    return intents.slice(results.length).map((record) => record.sequenceNumber);
  };

  return async (records) => {
    const byCommunity = new Map<string, { sequenceNumber: string; intent: AuditIntent }[]>();
    for (const record of records.map(readRecord)) {
      if (!record.ok) {
        logLine('error', {
          msg: 'malformed audit intent: skipped, not retried',
          sequenceNumber: record.sequenceNumber,
          SK: record.SK,
          reason: record.reason,
        });
        continue;
      }
      const queue = byCommunity.get(record.intent.communityId) ?? [];
      queue.push({ sequenceNumber: record.sequenceNumber, intent: record.intent });
      byCommunity.set(record.intent.communityId, queue);
    }
    const failed = await Promise.all([...byCommunity.values()].map(appendInOrder));
    return { batchItemFailures: failed.flat().map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/**
 * The audit appender as the stream handler calls it: configuration and table
 * client are read per invocation, so that the local runtime and tests can
 * point it elsewhere.
 */
export function appendAuditIntents(records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  const config = loadConfig();
  return auditAppender({ client: documentClient(config), tableName: config.tableName })(records);
}
