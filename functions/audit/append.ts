import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditEntry, type AuditHead, chainEntry, EMPTY_HEAD } from '../../domain/audit/chain';
import type { AuditIntent } from '../../domain/audit/intent';
import { readItem, setExpression } from '../shared/dynamo';
import { Entity, type ItemKey, keys } from '../shared/keys';
import type { TransactItem } from '../shared/outbox';
import { jitteredPause, RETRY, retrying } from '../shared/use-case';

/**
 * Refused transactions in a row, for one segment, before giving up. Each
 * refusal means that a rival moved the head (it appended a segment of its
 * own), so the chain moves on meanwhile; the budget is for bursts of writers
 * in several processes on one chain.
 */
export const MAX_APPEND_ATTEMPTS = 100;

/**
 * Entries written by one transaction. `TransactWriteItems` takes at most 100
 * items, and a segment of n entries is 2n + 1 of them (each entry, its
 * intent's marker, and the head once).
 */
export const MAX_SEGMENT_ENTRIES = 49;

/**
 * What the entries of one transaction may weigh, measured as their JSON in
 * UTF-8: half of the 4 MB a transaction may carry, because DynamoDB's own
 * measure can exceed JSON's (a number is stored in up to 21 bytes). Entries
 * are mostly their two summaries, at most 4,096 UTF-16 units (12 KB of UTF-8)
 * each, so 49 of them fit with room to spare; the budget guards entries with
 * long actors or targets and entries that gain fields. A single entry heavier
 * than the budget still goes alone.
 */
export const MAX_SEGMENT_BYTES = 2_000_000;

export interface AppendOptions {
  /** Waits before retry number `attempt` (1, 2, …); a jittered exponential pause by default. */
  readonly pause?: (attempt: number) => Promise<void>;
  readonly maxAttempts?: number;
  /** At most this many entries per transaction; {@link MAX_SEGMENT_ENTRIES} by default (and at most). */
  readonly maxSegmentEntries?: number;
  /** At most this many JSON bytes of entries per transaction; {@link MAX_SEGMENT_BYTES} by default. */
  readonly maxSegmentBytes?: number;
}

/** `appended` with the new entry, or `duplicate` when an earlier delivery of the intent was appended. */
export type AppendResult =
  | { readonly status: 'appended'; readonly entry: AuditEntry }
  | { readonly status: 'duplicate'; readonly intentId: string };

/**
 * What {@link appendAuditEntries} did: one result per intent handed in, in
 * order, up to the first that could not be appended; `failure` is why that one
 * (and so every later one) was not.
 */
export interface AppendOutcome {
  readonly results: readonly AppendResult[];
  readonly failure?: unknown;
}

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

/** Racing appenders wait up to 5 ms × 2^attempt (at most 200 ms) before reading the head again. */
const appenderPause = (attempt: number): Promise<void> =>
  jitteredPause(attempt, { stepMs: 5, ceilingMs: 200 });

/** The chain's head as stored; the empty head before the first entry. */
export async function readAuditHead(
  client: DynamoDBDocumentClient,
  tableName: string,
  communityId: string,
): Promise<AuditHead> {
  const item = await readItem(client, tableName, keys.auditHead(communityId));
  if (!item) return EMPTY_HEAD;
  return { seq: Number(item.seq), hash: String(item.hash) };
}

/**
 * Creates an item that must not exist yet: a conditional Update of a new key
 * writes the same item as a conditional Put, and keeps all writes of an
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
 * The writes of one segment, in this order: its n entries, the head moved onto
 * the last of them, and the n intents' markers. Cancellation reasons come in
 * the order of the items, so the marker of entry i is at n + 1 + i (for one
 * entry: entry, head, marker).
 */
function segmentItems(tableName: string, head: AuditHead, entries: readonly AuditEntry[]): TransactItem[] {
  const last = entries.at(-1) as AuditEntry;
  const { communityId } = last;
  // The head must still be where it was read: absent before the first entry, else at the seq read.
  const first = head.seq === EMPTY_HEAD.seq;
  return [
    ...entries.map((entry) => ({
      Update: create(tableName, keys.auditEntry(communityId, entry.seq), {
        entity: Entity.auditEntry,
        seq: entry.seq,
        entry,
      }),
    })),
    {
      Update: {
        TableName: tableName,
        Key: keys.auditHead(communityId),
        UpdateExpression: 'SET #entity = :entity, #seq = :seq, #hash = :hash',
        ConditionExpression: first ? 'attribute_not_exists(PK)' : '#seq = :previous',
        ExpressionAttributeNames: { '#entity': 'entity', '#seq': 'seq', '#hash': 'hash' },
        ExpressionAttributeValues: {
          ':entity': Entity.auditHead,
          ':seq': last.seq,
          ':hash': last.hash,
          ...(first ? {} : { ':previous': head.seq }),
        },
      },
    },
    ...entries.map((entry) => ({
      Update: create(tableName, keys.auditApplied(communityId, entry.intentId), {
        entity: Entity.auditApplied,
        seq: entry.seq,
      }),
    })),
  ];
}

/** Reasons worth another attempt: a rival moved the head or took the seq, or the write collided or was throttled. */
const RETRYABLE_REASONS = new Set([
  'ConditionalCheckFailed',
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/** What a refused segment means for its intents. */
type Refusal =
  /** These positions' markers exist: appended before; the rest may go at once. */
  | { readonly kind: 'duplicates'; readonly positions: readonly number[] }
  /** A rival moved the head or the write collided: the same intents, after a pause. */
  | { readonly kind: 'retry'; readonly reason: string }
  /**
   * Retrying cannot fix it. The items refused name the first intent involved
   * (the head names them all): the `innocent` intents before it can still go.
   */
  | { readonly kind: 'fatal'; readonly innocent: number; readonly error: unknown };

/** Reads a refused segment of `size` entries: its items are the entries, the head, then the markers. */
function readRefusal(error: unknown, size: number): Refusal {
  if (!(error instanceof TransactionCanceledException)) return { kind: 'fatal', innocent: 0, error };
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  const positions = Array.from({ length: size }, (_, position) => position);
  const duplicates = positions.filter((position) => codes[size + 1 + position] === 'ConditionalCheckFailed');
  if (duplicates.length > 0) return { kind: 'duplicates', positions: duplicates };
  const failing = codes.filter((code) => code !== 'None');
  if (failing.every((code) => RETRYABLE_REASONS.has(code))) {
    return { kind: 'retry', reason: failing.join(', ') || 'cancelled without reasons' };
  }
  const fatal = (code: string | undefined) =>
    code !== undefined && code !== 'None' && !RETRYABLE_REASONS.has(code);
  const implicated = fatal(codes[size])
    ? 0
    : Math.min(
        ...positions.filter((position) => fatal(codes[position]) || fatal(codes[size + 1 + position])),
      );
  return { kind: 'fatal', innocent: Number.isFinite(implicated) ? implicated : 0, error };
}

const jsonBytes = (entry: AuditEntry): number => Buffer.byteLength(JSON.stringify(entry), 'utf8');

/**
 * Appends intents of one community to its chain, in the order given, a
 * segment at a time: reads the head once, chains as many of the intents as
 * one transaction holds, and writes in that one transaction every entry (each
 * seq must be free), the head (it must still be where it was read) and every
 * intent's marker (none may exist). So writers can never fork the chain, and
 * an intent delivered twice is appended once. When the transaction is
 * refused, intents whose marker exists are settled as `duplicate` (as is a
 * repeat of an intent within `intents`) and the rest is chained again on the
 * head as it is now; a head that a rival moved is read again after a jittered
 * pause, up to `maxAttempts` times in a row (the project's one retry loop,
 * `retrying`). A refusal that retrying cannot
 * fix fails the intent whose item was refused, once the intents before it
 * are appended.
 *
 * It does not throw: what could not be appended is reported as the outcome's
 * `failure` (an {@link AuditAppendError} when the attempts ran out, or the
 * error as it came), with the results of the intents before it.
 * @throws Error when the intents are of more than one community (a caller's bug).
 * @example
 * const { results, failure } = await appendAuditEntries(client, tableName, intentsOfOneCommunity);
 * if (failure) retryLater(intentsOfOneCommunity.slice(results.length));
 */
export async function appendAuditEntries(
  client: DynamoDBDocumentClient,
  tableName: string,
  intents: readonly AuditIntent[],
  options: AppendOptions = {},
): Promise<AppendOutcome> {
  const pause = options.pause ?? appenderPause;
  const maxAttempts = options.maxAttempts ?? MAX_APPEND_ATTEMPTS;
  const maxEntries = Math.max(
    1,
    Math.min(options.maxSegmentEntries ?? MAX_SEGMENT_ENTRIES, MAX_SEGMENT_ENTRIES),
  );
  const maxBytes = options.maxSegmentBytes ?? MAX_SEGMENT_BYTES;

  const results: (AppendResult | undefined)[] = intents.map(() => undefined);
  /** Positions not settled yet, in order: every position before the first of them is settled. */
  let open = intents.map((_, index) => index);
  /** Intents appended or found appended by this call: a repeat of one is a duplicate. */
  const settledIds = new Set<string>();
  const settle = (index: number, result: AppendResult) => {
    results[index] = result;
    settledIds.add((intents[index] as AuditIntent).id);
  };
  const outcome = (failure?: unknown): AppendOutcome => {
    const settled = results.slice(0, open[0] ?? intents.length) as AppendResult[];
    return failure === undefined ? { results: settled } : { results: settled, failure };
  };

  const communityId = intents[0]?.communityId;
  if (intents.some((intent) => intent.communityId !== communityId)) {
    throw new Error('appendAuditEntries appends to one chain: the intents are of more than one community');
  }

  /** How many entries the next segment may hold at most, below `maxEntries` after a refusal that named one. */
  let limit = maxEntries;
  /** Why the last segment was refused, for the error when the attempts run out. */
  let lastReason = '';

  /**
   * One attempt of the retry loop: chains segments on the head as it is now
   * until one is written (`written`: the count of refusals in a row starts
   * again) or the append is over (`done`, with its failure if any).
   * Refusals that settle something (duplicates) or narrow the segment (a
   * fatal item after innocent ones) make progress, so they go again at once
   * within the attempt; a head that a rival moved is {@link RETRY}, read
   * again after the jittered pause.
   */
  const segmentAttempt = async (): Promise<
    { readonly kind: 'written' } | { readonly kind: 'done'; readonly failure?: unknown } | typeof RETRY
  > => {
    while (open.length > 0) {
      let head: AuditHead;
      try {
        head = await readAuditHead(client, tableName, communityId as string);
      } catch (error) {
        return { kind: 'done', failure: error };
      }
      const segment: number[] = [];
      const entries: AuditEntry[] = [];
      const segmentIds = new Set<string>();
      let bytes = 0;
      for (const index of open) {
        if (segment.length >= Math.min(maxEntries, limit)) break;
        const intent = intents[index] as AuditIntent;
        if (settledIds.has(intent.id)) {
          settle(index, { status: 'duplicate', intentId: intent.id });
          continue;
        }
        // One transaction cannot write an item twice: a repeat stays open, and is a duplicate once its first commits.
        if (segmentIds.has(intent.id)) continue;
        const entry = chainEntry(entries.at(-1) ?? head, intent);
        const size = jsonBytes(entry);
        if (entries.length > 0 && bytes + size > maxBytes) break;
        segment.push(index);
        entries.push(entry);
        segmentIds.add(intent.id);
        bytes += size;
      }
      open = open.filter((index) => results[index] === undefined);
      if (entries.length === 0) continue;

      try {
        await client.send(
          new TransactWriteCommand({ TransactItems: segmentItems(tableName, head, entries) }),
        );
        for (const [position, index] of segment.entries()) {
          settle(index, { status: 'appended', entry: entries[position] as AuditEntry });
        }
        open = open.filter((index) => results[index] === undefined);
        limit = maxEntries;
        return { kind: 'written' };
      } catch (error) {
        const refusal = readRefusal(error, entries.length);
        if (refusal.kind === 'duplicates') {
          // Progress: those intents are in the chain already; the rest is chained again at once.
          for (const position of refusal.positions) {
            const index = segment[position] as number;
            settle(index, { status: 'duplicate', intentId: (intents[index] as AuditIntent).id });
          }
          open = open.filter((index) => results[index] === undefined);
          continue;
        }
        if (refusal.kind === 'fatal') {
          if (refusal.innocent === 0) return { kind: 'done', failure: refusal.error };
          // The intents before the one refused are not at fault: they go alone, and the refused one fails next.
          limit = refusal.innocent;
          continue;
        }
        lastReason = refusal.reason;
        return RETRY;
      }
    }
    return { kind: 'done' };
  };

  while (open.length > 0) {
    let attempt: Awaited<ReturnType<typeof segmentAttempt>>;
    try {
      attempt = await retrying(segmentAttempt, { attempts: maxAttempts, pause });
    } catch (broken) {
      // The pause itself failed (a test's, say): what is open stays open.
      return outcome(broken);
    }
    if (attempt === RETRY) {
      const stuck = intents[open[0] as number] as AuditIntent;
      return outcome(new AuditAppendError(stuck.communityId, stuck.id, maxAttempts, lastReason));
    }
    if (attempt.kind === 'done') return outcome(attempt.failure);
  }
  return outcome();
}

interface Waiting {
  readonly intent: AuditIntent;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** Appends intents with whatever else is waiting for the same chain in this process. */
export interface AuditAppendQueue {
  /** Settles with this intent's own result once the segment that holds it is written (or not). */
  append(intent: AuditIntent): Promise<AppendResult>;
}

/**
 * Group commit for one table: concurrent appends to one community's chain
 * wait in one queue, and one drain writes them with
 * {@link appendAuditEntries}, in the order they were handed in, a segment per
 * transaction. A hundred concurrent appends so take a few transactions
 * instead of a hundred writers racing for the head. Queues are per instance:
 * writers in other processes (or other instances) still race on the head, and
 * the segment's conditions keep the chain whole.
 *
 * When an intent cannot be appended, its caller's promise is rejected with
 * the reason, and the intents handed in after it are tried again, each with
 * attempts of its own.
 * @example
 * const queue = auditAppendQueue(client, tableName);
 * const results = await Promise.all(intents.map((intent) => queue.append(intent)));
 */
export function auditAppendQueue(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: AppendOptions = {},
): AuditAppendQueue {
  const queues = new Map<string, Waiting[]>();

  const drain = async (communityId: string, waiting: Waiting[]) => {
    let taken: Waiting[] = [];
    try {
      // Calls made in the same turn as the first one join its first segment.
      await Promise.resolve();
      while (waiting.length > 0) {
        taken = waiting.splice(0);
        const { results, failure } = await appendAuditEntries(
          client,
          tableName,
          taken.map(({ intent }) => intent),
          options,
        );
        for (const [index, result] of results.entries()) taken[index]?.resolve(result);
        if (results.length < taken.length) {
          taken[results.length]?.reject(failure);
          waiting.unshift(...taken.slice(results.length + 1));
        }
      }
    } catch (error) {
      // Settling twice is harmless: a promise keeps its first answer.
      for (const { reject } of [...taken, ...waiting.splice(0)]) reject(error);
    } finally {
      queues.delete(communityId);
    }
  };

  return {
    append: (intent) =>
      new Promise<AppendResult>((resolve, reject) => {
        const waiting = queues.get(intent.communityId);
        if (waiting) {
          waiting.push({ intent, resolve, reject });
          return;
        }
        const started: Waiting[] = [{ intent, resolve, reject }];
        queues.set(intent.communityId, started);
        void drain(intent.communityId, started);
      }),
  };
}

/** The queues that {@link appendAuditEntry} shares, per client, options and table. */
const sharedQueues = new WeakMap<
  DynamoDBDocumentClient,
  WeakMap<AppendOptions, Map<string, AuditAppendQueue>>
>();
const DEFAULT_OPTIONS: AppendOptions = {};

function sharedQueue(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: AppendOptions,
): AuditAppendQueue {
  let byOptions = sharedQueues.get(client);
  if (!byOptions) {
    byOptions = new WeakMap();
    sharedQueues.set(client, byOptions);
  }
  let byTable = byOptions.get(options);
  if (!byTable) {
    byTable = new Map();
    byOptions.set(options, byTable);
  }
  let queue = byTable.get(tableName);
  if (!queue) {
    queue = auditAppendQueue(client, tableName, options);
    byTable.set(tableName, queue);
  }
  return queue;
}

/**
 * Appends one intent to its community's chain, through this process's
 * {@link auditAppendQueue} for the client, table and options (the same options
 * object, or none): concurrent calls are written together in segments, each
 * caller getting its own result. An intent delivered twice is appended once
 * (`duplicate` the other times). See {@link appendAuditEntries} for the
 * transaction that keeps the chain whole.
 * @throws AuditAppendError after `maxAttempts` refused attempts in a row; any other failure as it came.
 * @example
 * const result = await appendAuditEntry(client, tableName, intent);
 * if (result.status === 'appended') console.log(result.entry.seq);
 */
export function appendAuditEntry(
  client: DynamoDBDocumentClient,
  tableName: string,
  intent: AuditIntent,
  options: AppendOptions = DEFAULT_OPTIONS,
): Promise<AppendResult> {
  return sharedQueue(client, tableName, options).append(intent);
}
