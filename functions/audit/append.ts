import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditEntry, type AuditHead, chainEntry, EMPTY_HEAD } from '../../domain/audit/chain';
import type { AuditIntent } from '../../domain/audit/intent';
import { setExpression } from '../shared/dynamo';
import { Entity, type ItemKey, keys } from '../shared/keys';
import type { TransactItem } from '../shared/outbox';

/**
 * Transactions tried per intent before giving up. One appender per stream
 * shard rarely meets a rival; the budget is for bursts of writers on one chain
 * (100 at once append without exhausting it).
 */
export const MAX_APPEND_ATTEMPTS = 100;

export interface AppendOptions {
  /** Waits before retry number `attempt` (1, 2, …); a jittered exponential pause by default. */
  readonly pause?: (attempt: number) => Promise<void>;
  readonly maxAttempts?: number;
}

/** `appended` with the new entry, or `duplicate` when an earlier delivery of the intent was appended. */
export type AppendResult =
  | { readonly status: 'appended'; readonly entry: AuditEntry }
  | { readonly status: 'duplicate'; readonly intentId: string };

/** Thrown when an intent could not be appended within the attempts; the stream delivers it again. */
export class AuditAppendError extends Error {
  override readonly name = 'AuditAppendError';
  constructor(
    readonly communityId: string,
    readonly intentId: string,
    readonly attempts: number,
    readonly lastReason: string,
  ) {
    super(
      `Audit intent ${intentId} of ${communityId} not appended after ${attempts} attempts: ${lastReason}`,
    );
  }
}

/** A pause of up to 5 ms × 2^attempt (at most 200 ms), uniformly jittered so that racing appenders spread out. */
export function jitteredPause(attempt: number): Promise<void> {
  const ceiling = Math.min(200, 5 * 2 ** attempt);
  return new Promise((wake) => setTimeout(wake, Math.random() * ceiling));
}

/** The chain's head as stored; the empty head before the first entry. */
export async function readAuditHead(
  client: DynamoDBDocumentClient,
  tableName: string,
  communityId: string,
): Promise<AuditHead> {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: keys.auditHead(communityId), ConsistentRead: true }),
  );
  if (!Item) return EMPTY_HEAD;
  return { seq: Number(Item.seq), hash: String(Item.hash) };
}

/**
 * Creates an item that must not exist yet: a conditional Update of a new key
 * writes the same item as a conditional Put, and keeps all three writes of an
 * append one kind of operation.
 */
function create(tableName: string, key: ItemKey, attributes: Record<string, unknown>) {
  const assignment = setExpression(attributes);
  return {
    TableName: tableName,
    Key: key,
    UpdateExpression: `SET ${assignment.assignments.join(', ')}`,
    ConditionExpression: 'attribute_not_exists(PK)',
    ExpressionAttributeNames: assignment.names,
    ExpressionAttributeValues: assignment.values,
  };
}

/**
 * Where the intent's marker is among the append's items (entry, head, marker):
 * cancellation reasons come in the order of the items.
 */
const MARKER_POSITION = 2;

/** The three writes of one append: the entry, the head moved onto it, and the intent's marker. */
function appendItems(tableName: string, head: AuditHead, entry: AuditEntry): TransactItem[] {
  const { communityId } = entry;
  // The head must still be where it was read: absent before the first entry, else at the seq read.
  const first = head.seq === EMPTY_HEAD.seq;
  return [
    {
      Update: create(tableName, keys.auditEntry(communityId, entry.seq), {
        entity: Entity.auditEntry,
        seq: entry.seq,
        entry,
      }),
    },
    {
      Update: {
        TableName: tableName,
        Key: keys.auditHead(communityId),
        UpdateExpression: 'SET #entity = :entity, #seq = :seq, #hash = :hash',
        ConditionExpression: first ? 'attribute_not_exists(PK)' : '#seq = :previous',
        ExpressionAttributeNames: { '#entity': 'entity', '#seq': 'seq', '#hash': 'hash' },
        ExpressionAttributeValues: {
          ':entity': Entity.auditHead,
          ':seq': entry.seq,
          ':hash': entry.hash,
          ...(first ? {} : { ':previous': head.seq }),
        },
      },
    },
    {
      Update: create(tableName, keys.auditApplied(communityId, entry.intentId), {
        entity: Entity.auditApplied,
        seq: entry.seq,
      }),
    },
  ];
}

/** Reasons worth another attempt: a rival moved the head or took the seq, or the write collided or was throttled. */
const RETRYABLE_REASONS = new Set([
  'ConditionalCheckFailed',
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/** What a failed append transaction means: already appended, worth another try, or a real failure. */
function readFailure(error: unknown): { kind: 'duplicate' } | { kind: 'retry'; reason: string } {
  if (!(error instanceof TransactionCanceledException)) throw error;
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  if (codes[MARKER_POSITION] === 'ConditionalCheckFailed') return { kind: 'duplicate' };
  const failing = codes.filter((code) => code !== 'None');
  if (failing.every((code) => RETRYABLE_REASONS.has(code))) {
    return { kind: 'retry', reason: failing.join(', ') || 'cancelled without reasons' };
  }
  throw error;
}

/**
 * Appends one intent to its community's chain: reads the head, builds the next
 * entry and writes, in one transaction, the entry (its seq must be free), the
 * head (it must still be where it was read) and the intent's marker (it must
 * not exist). So two writers can never fork the chain, and an intent delivered
 * twice is appended once: a refused marker means `duplicate`. A head that moved
 * is read again and the append retried after a jittered pause.
 * @throws AuditAppendError after `maxAttempts` attempts; any other failure as it came.
 * @example
 * const result = await appendAuditEntry(client, tableName, intent);
 * if (result.status === 'appended') console.log(result.entry.seq);
 */
export async function appendAuditEntry(
  client: DynamoDBDocumentClient,
  tableName: string,
  intent: AuditIntent,
  options: AppendOptions = {},
): Promise<AppendResult> {
  const pause = options.pause ?? jitteredPause;
  const maxAttempts = options.maxAttempts ?? MAX_APPEND_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    const head = await readAuditHead(client, tableName, intent.communityId);
    const entry = chainEntry(head, intent);
    try {
      await client.send(new TransactWriteCommand({ TransactItems: appendItems(tableName, head, entry) }));
      return { status: 'appended', entry };
    } catch (error) {
      const failure = readFailure(error);
      if (failure.kind === 'duplicate') return { status: 'duplicate', intentId: intent.id };
      if (attempt >= maxAttempts) {
        throw new AuditAppendError(intent.communityId, intent.id, attempt, failure.reason);
      }
      await pause(attempt);
    }
  }
}
