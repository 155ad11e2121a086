import { type AttributeValue, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { z } from 'zod';
import type { PetitionThreshold, ReachedThreshold } from '../../domain/petitions/petition';
import { crossedThresholds } from '../../domain/petitions/thresholds';
import type { Clock, IdGenerator } from '../../domain/shared/clock';
import { type EventEnvelope, envelope } from '../../events/envelope';
import { PetitionEvents } from '../../events/petitions';
import { statsAttribute } from '../petitions/items';
import { loadConfig } from '../shared/config';
import { documentClient } from '../shared/dynamo';
import { systemClock, ulidGenerator } from '../shared/ids';
import { Entity, type ItemKey, keys } from '../shared/keys';
import { logLine } from '../shared/log';
import { outboxPuts, type TransactItem } from '../shared/outbox';

/**
 * The signature tally: the stream consumer that turns signature inserts into a
 * petition's `signatureCount`, its by-district and by-day statistics and its
 * threshold events, counting every signature exactly once.
 *
 * **Why a mark on each signature and not a per-shard watermark.** Lambda's
 * DynamoDB stream records carry no shard id, and a shard splits into children
 * whose records may come in batches cut anywhere; a sequence-number watermark
 * could not be keyed reliably in AWS. Instead, the transaction that adds a
 * signature to the count also sets `countedAt` on that signature's item, under
 * the condition that it is not set yet. The ledger itself says what is in the
 * count, so a batch delivered again — whole, in part, or cut at other
 * boundaries, concurrently or much later — can count nothing twice: the
 * signatures already counted fail their condition, are dropped, and the rest
 * are counted in a retry.
 *
 * **One transaction per petition per chunk** of at most
 * {@link MAX_SIGNATURES_PER_TRANSACTION} signatures:
 * - the petition: `signatureCount` and its listing key (`GSI2SK`), plus any
 *   threshold reached, under the condition that neither the online nor the paper
 *   count moved since the read (another shard's tally, or the council adding
 *   paper signatures);
 * - its `STATS` item: ADD the by-district and by-day counts;
 * - each signature: the `countedAt` mark, and `counted: false` for one made at
 *   or after `closesAt` (it raced the closing: kept, never counted);
 * - per threshold crossed: its mark (written only if absent) and the
 *   `petition.threshold-reached.v1` outbox event, so the event exists if and
 *   only if the mark committed, once.
 *
 * A cancelled transaction is read reason by reason: signatures already counted
 * are dropped, a threshold mark that exists means it fired already, a moved
 * petition is read again, conflicts and throttling are retried after a jittered
 * pause. After {@link MAX_ATTEMPTS} attempts the petition's records are
 * reported as batch item failures; the stream delivers them again and the
 * marks make that safe.
 */

/**
 * A transaction takes at most 100 items: the petition, its stats, these
 * signatures, and a mark and an event for each threshold crossed (a community
 * has at most 5 thresholds, so at most 10).
 */
export const MAX_SIGNATURES_PER_TRANSACTION = 80;

/** Transactions tried per chunk before its records go back to the stream. */
export const MAX_ATTEMPTS = 8;

export interface TallyDependencies {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Waits before retry number `attempt` (1, 2, …); a jittered exponential pause by default. */
  readonly pause?: (attempt: number) => Promise<void>;
  readonly maxAttempts?: number;
}

/** Thrown for a petition item the tally cannot read; its records are retried, and logged. */
export class TallyError extends Error {
  override readonly name = 'TallyError';
  constructor(
    message: string,
    readonly context: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

/** A signature of the batch: what the tally needs, and every stream record that carried it. */
interface PendingSignature {
  readonly key: ItemKey;
  readonly communityId: string;
  readonly petitionId: string;
  readonly signedAt: string;
  readonly districtId?: string;
  readonly sequenceNumbers: string[];
}

/** The part of a signature's image the tally reads; anything else is not a signature it can count. */
const SignatureImageSchema = z.object({
  PK: z.string(),
  SK: z.string(),
  communityId: z.string().min(1),
  petitionId: z.string().min(1),
  signedAt: z.string().min(1),
  districtId: z.string().optional(),
});

/** The part of the petition item the tally reads. */
const CountingStateSchema = z.object({
  signatureCount: z.int().nonnegative(),
  offlineSignatureCount: z.int().nonnegative(),
  closesAt: z.string().optional(),
  thresholds: z.array(z.object({ name: z.string(), signatures: z.int() })),
  thresholdsReached: z
    .record(z.string(), z.object({ signatures: z.int(), reachedAt: z.string() }))
    .default({}),
});
type CountingState = z.infer<typeof CountingStateSchema>;

const COUNTING_FIELDS = Object.keys(CountingStateSchema.shape);

/** What each entry of a transaction is, so that its cancellation reason can be read by index. */
type EntryRole =
  | { readonly kind: 'petition' }
  | { readonly kind: 'stats' }
  | { readonly kind: 'signature'; readonly signature: PendingSignature }
  | { readonly kind: 'threshold'; readonly name: string }
  | { readonly kind: 'event' };

interface ChunkPlan {
  readonly items: TransactItem[];
  readonly roles: EntryRole[];
  readonly counted: number;
  readonly signatureCount: number;
  readonly crossed: readonly PetitionThreshold[];
}

/** How a chunk ended: counted (or nothing left to count), no such petition, or retries used up. */
type ChunkOutcome = 'done' | 'no-petition' | 'gave-up';

/** Cancellation reasons after which the same transaction may well succeed a moment later. */
const TRANSIENT_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/** A pause of up to 10 ms × 2^attempt (at most 250 ms), uniformly jittered so that racing tallies spread out. */
export function jitteredPause(attempt: number): Promise<void> {
  const ceiling = Math.min(250, 10 * 2 ** attempt);
  return new Promise((wake) => setTimeout(wake, Math.random() * ceiling));
}

/** A signature INSERT of the batch; undefined (and logged) for an image that is not a countable signature. */
function readSignature(record: DynamoDBRecord): PendingSignature | undefined {
  // Lambda's image is the wire format of attribute values, which is what unmarshall reads.
  const image = unmarshall((record.dynamodb?.NewImage ?? {}) as Record<string, AttributeValue>);
  const parsed = SignatureImageSchema.safeParse(image);
  const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
  if (!parsed.success) {
    logLine('error', { msg: 'signature record without the fields the tally needs: skipped', sequenceNumber });
    return undefined;
  }
  const { PK, SK, ...signature } = parsed.data;
  return { ...signature, key: { PK, SK }, sequenceNumbers: [sequenceNumber] };
}

/** One petition's signatures in a batch. */
interface PetitionGroup {
  readonly petition: PetitionRef;
  readonly signatures: readonly PendingSignature[];
}

/**
 * The batch's signatures per petition, in stream order, each signature once:
 * the same item may come twice (a delivery glued to its redelivery), and a
 * transaction may not touch one item twice.
 */
function groupByPetition(records: readonly DynamoDBRecord[]): PetitionGroup[] {
  const groups = new Map<string, { petition: PetitionRef; signatures: Map<string, PendingSignature> }>();
  for (const record of records) {
    if (record.eventName !== 'INSERT') continue;
    const signature = readSignature(record);
    if (!signature) continue;
    const { communityId, petitionId } = signature;
    const groupKey = `${communityId}\n${petitionId}`;
    const group = groups.get(groupKey) ?? { petition: { communityId, petitionId }, signatures: new Map() };
    groups.set(groupKey, group);
    const itemKey = `${signature.key.PK}\n${signature.key.SK}`;
    const seen = group.signatures.get(itemKey);
    if (seen) seen.sequenceNumbers.push(...signature.sequenceNumbers);
    else group.signatures.set(itemKey, signature);
  }
  return [...groups.values()].map(({ petition, signatures }) => ({
    petition,
    signatures: [...signatures.values()],
  }));
}

/** A signature counts when it was made while the petition was open: before `closesAt`. */
const isCountable = (signature: PendingSignature, closesAt: string | undefined): boolean =>
  closesAt !== undefined && signature.signedAt < closesAt;

/** How many of `signatures` fall under each name, e.g. per district or per day. */
function countBy(signatures: readonly PendingSignature[], name: (signature: PendingSignature) => string) {
  const counts = new Map<string, number>();
  for (const signature of signatures) counts.set(name(signature), (counts.get(name(signature)) ?? 0) + 1);
  return counts;
}

/** Which petition a group of signatures belongs to. */
interface PetitionRef {
  readonly communityId: string;
  readonly petitionId: string;
}

/** The petition's new count and listing key, and the thresholds it reached, if its counts did not move. */
function petitionUpdate(
  tableName: string,
  petition: PetitionRef,
  state: CountingState,
  after: number,
  crossed: readonly PetitionThreshold[],
  at: string,
): TransactItem {
  const thresholdsReached: Record<string, ReachedThreshold> = { ...state.thresholdsReached };
  for (const threshold of crossed) {
    thresholdsReached[threshold.name] = { signatures: threshold.signatures, reachedAt: at };
  }
  return {
    Update: {
      TableName: tableName,
      Key: keys.petition(petition.communityId, petition.petitionId),
      // The whole map is written back (it may even be missing on an old item): the condition
      // proves it unchanged since the read, as only count changes may record a threshold.
      UpdateExpression: 'SET signatureCount = :after, GSI2SK = :bySignatures, thresholdsReached = :reached',
      ConditionExpression: 'signatureCount = :before AND offlineSignatureCount = :offline',
      ExpressionAttributeValues: {
        ':after': after,
        ':before': state.signatureCount,
        ':offline': state.offlineSignatureCount,
        ':bySignatures': keys.petitionBySignatures(after + state.offlineSignatureCount, petition.petitionId),
        ':reached': thresholdsReached,
      },
    },
  };
}

/** ADD to the by-district and by-day counts of the petition's `STATS` item; ADD creates it the first time. */
function statsUpdate(
  tableName: string,
  petition: PetitionRef,
  countable: readonly PendingSignature[],
): TransactItem {
  const counts = new Map([
    ...countBy(countable, (signature) => statsAttribute.district(signature.districtId)),
    ...countBy(countable, (signature) => statsAttribute.day(signature.signedAt)),
  ]);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ':entity': Entity.petitionStats,
    ':communityId': petition.communityId,
    ':petitionId': petition.petitionId,
  };
  const additions = [...counts].map(([attribute, count], index) => {
    names[`#s${index}`] = attribute;
    values[`:s${index}`] = count;
    return `#s${index} :s${index}`;
  });
  return {
    Update: {
      TableName: tableName,
      Key: keys.petitionStats(petition.communityId, petition.petitionId),
      UpdateExpression: `SET entity = :entity, communityId = :communityId, petitionId = :petitionId ADD ${additions.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** The mark that puts a signature in the count (or, `counted: false`, leaves it out) exactly once. */
function signatureMark(
  tableName: string,
  signature: PendingSignature,
  counted: boolean,
  at: string,
): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: signature.key,
      UpdateExpression: 'SET countedAt = :at, counted = :counted',
      // attribute_exists: a signature removed meanwhile is not brought back as a stub.
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(countedAt)',
      ExpressionAttributeValues: { ':at': at, ':counted': counted },
    },
  };
}

function thresholdEvent(
  id: string,
  petition: PetitionRef,
  threshold: PetitionThreshold,
  total: number,
  now: Date,
): EventEnvelope {
  return envelope({
    id,
    name: PetitionEvents.thresholdReached,
    communityId: petition.communityId,
    occurredAt: now,
    subject: `petition/${petition.petitionId}`,
    detail: {
      ...petition,
      threshold: threshold.name,
      signatures: threshold.signatures,
      total,
      reachedAt: now.toISOString(),
    },
  });
}

/** "This threshold has fired": written once, and only if absent. */
function thresholdMark(
  tableName: string,
  petition: PetitionRef,
  threshold: PetitionThreshold,
  event: EventEnvelope,
  total: number,
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.petitionThreshold(petition.communityId, petition.petitionId, threshold.name),
        entity: Entity.petitionThreshold,
        ...petition,
        threshold: threshold.name,
        signatures: threshold.signatures,
        total,
        reachedAt: event.occurredAt,
        eventId: event.id,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/**
 * The transaction that counts `signatures` on top of `state` (see the module's
 * TSDoc), leaving out thresholds whose mark was found to exist already. With
 * nothing countable it only marks the signatures: no petition or stats update.
 */
function planChunk(
  context: { readonly tableName: string; readonly ids: IdGenerator; readonly now: Date },
  petition: PetitionRef,
  signatures: readonly PendingSignature[],
  state: CountingState,
  firedElsewhere: ReadonlySet<string>,
): ChunkPlan {
  const { tableName, ids, now } = context;
  const at = now.toISOString();
  const countable = signatures.filter((signature) => isCountable(signature, state.closesAt));
  const offline = state.offlineSignatureCount;
  const after = state.signatureCount + countable.length;
  const crossed = crossedThresholds(
    state.thresholds,
    state.signatureCount + offline,
    after + offline,
    state.thresholdsReached,
  ).filter((threshold) => !firedElsewhere.has(threshold.name));

  const entries: [TransactItem, EntryRole][] = [];
  if (countable.length > 0) {
    entries.push([petitionUpdate(tableName, petition, state, after, crossed, at), { kind: 'petition' }]);
    entries.push([statsUpdate(tableName, petition, countable), { kind: 'stats' }]);
  }
  for (const signature of signatures) {
    const mark = signatureMark(tableName, signature, isCountable(signature, state.closesAt), at);
    entries.push([mark, { kind: 'signature', signature }]);
  }
  for (const threshold of crossed) {
    const event = thresholdEvent(ids.next(), petition, threshold, after + offline, now);
    entries.push([
      thresholdMark(tableName, petition, threshold, event, after + offline),
      { kind: 'threshold', name: threshold.name },
    ]);
    entries.push(
      ...outboxPuts(tableName, [event]).map((put): [TransactItem, EntryRole] => [put, { kind: 'event' }]),
    );
  }
  return {
    items: entries.map(([item]) => item),
    roles: entries.map(([, role]) => role),
    counted: countable.length,
    signatureCount: after,
    crossed,
  };
}

/** What a cancelled transaction says, reason by reason (reasons come in the order of the items). */
interface Cancellation {
  /** Signatures whose mark exists: counted by an earlier delivery, or removed. */
  readonly alreadyCounted: ReadonlySet<PendingSignature>;
  /** Thresholds whose mark exists: they fired already. */
  readonly fired: readonly string[];
  /** A conflict or throttling (or no reasons at all): worth a pause before the retry. */
  readonly transient: boolean;
}

function readCancellation(roles: readonly EntryRole[], error: TransactionCanceledException): Cancellation {
  const reasons = error.CancellationReasons ?? [];
  const alreadyCounted = new Set<PendingSignature>();
  const fired: string[] = [];
  let transient = reasons.length === 0;
  for (const [index, role] of roles.entries()) {
    const code = reasons[index]?.Code;
    if (code && TRANSIENT_REASONS.has(code)) transient = true;
    if (code !== 'ConditionalCheckFailed') continue;
    if (role.kind === 'signature') alreadyCounted.add(role.signature);
    if (role.kind === 'threshold') fired.push(role.name);
  }
  return { alreadyCounted, fired, transient };
}

/**
 * The tally as the stream handler routes signature INSERTs to it.
 * @example
 * const tally = signatureTally({ client, tableName, clock: systemClock, ids: ulidGenerator() });
 * const { batchItemFailures } = await tally(records);
 */
export function signatureTally(
  dependencies: TallyDependencies,
): (records: readonly DynamoDBRecord[]) => Promise<DynamoDBBatchResponse> {
  const { client, tableName, clock, ids } = dependencies;
  const pause = dependencies.pause ?? jitteredPause;
  const maxAttempts = dependencies.maxAttempts ?? MAX_ATTEMPTS;

  const readCountingState = async (petition: PetitionRef): Promise<CountingState | undefined> => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.petition(petition.communityId, petition.petitionId),
        ConsistentRead: true,
        ProjectionExpression: COUNTING_FIELDS.map((_, index) => `#f${index}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(
          COUNTING_FIELDS.map((field, index) => [`#f${index}`, field]),
        ),
      }),
    );
    if (!Item) return undefined;
    const parsed = CountingStateSchema.safeParse(Item);
    if (!parsed.success) {
      throw new TallyError('the petition item lacks the counting fields', {
        ...petition,
        problem: z.prettifyError(parsed.error),
      });
    }
    return parsed.data;
  };

  /** Counts one chunk of one petition's signatures, retrying as the cancellation reasons say. */
  const tallyChunk = async (
    petition: PetitionRef,
    chunk: readonly PendingSignature[],
  ): Promise<ChunkOutcome> => {
    let pending = [...chunk];
    const firedElsewhere = new Set<string>();
    for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt += 1) {
      const state = await readCountingState(petition);
      if (!state) return 'no-petition';
      const plan = planChunk({ tableName, ids, now: clock.now() }, petition, pending, state, firedElsewhere);
      try {
        await client.send(new TransactWriteCommand({ TransactItems: plan.items }));
        logLine('info', {
          msg: 'signatures tallied',
          ...petition,
          counted: plan.counted,
          notCounted: pending.length - plan.counted,
          signatureCount: plan.signatureCount,
          thresholdsReached: plan.crossed.map((threshold) => threshold.name),
        });
        return 'done';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const cancellation = readCancellation(plan.roles, error);
        pending = pending.filter((signature) => !cancellation.alreadyCounted.has(signature));
        for (const name of cancellation.fired) firedElsewhere.add(name);
        // Dropping counted signatures or re-reading a moved petition needs no wait; contention does.
        if (cancellation.transient && attempt < maxAttempts) await pause(attempt);
      }
    }
    return pending.length === 0 ? 'done' : 'gave-up';
  };

  /** Counts one petition's signatures chunk by chunk; the sequence numbers to deliver again. */
  const tallyPetition = async ({ petition, signatures }: PetitionGroup): Promise<string[]> => {
    for (let start = 0; start < signatures.length; start += MAX_SIGNATURES_PER_TRANSACTION) {
      const outcome = await tallyChunk(
        petition,
        signatures.slice(start, start + MAX_SIGNATURES_PER_TRANSACTION),
      );
      if (outcome === 'no-petition') {
        // Nothing can ever count these; retrying would only hold up the shard.
        logLine('warn', {
          msg: 'signatures of a petition that does not exist: skipped',
          ...petition,
          signatures: signatures.length,
        });
        return [];
      }
      if (outcome === 'gave-up') {
        logLine('error', {
          msg: 'signatures not tallied after retries; the stream will deliver them again',
          ...petition,
          attempts: maxAttempts,
        });
        return signatures.slice(start).flatMap((signature) => signature.sequenceNumbers);
      }
    }
    return [];
  };

  return async (records) => {
    const groups = groupByPetition(records);
    // Petitions are independent; one petition's chunks go one after another, as each reads the last one's count.
    const results = await Promise.allSettled(groups.map(tallyPetition));
    const failed = results.flatMap((result, index) => {
      if (result.status === 'fulfilled') return result.value;
      const group = groups[index];
      logLine('error', {
        msg: 'tally failed; the stream will deliver the records again',
        ...group?.petition,
        error: String(result.reason),
        ...(result.reason instanceof TallyError ? result.reason.context : {}),
      });
      return (group?.signatures ?? []).flatMap((signature) => signature.sequenceNumbers);
    });
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/**
 * The tally as the stream handler calls it: configuration and table client are
 * read per invocation, so that the local runtime and tests can point it elsewhere.
 */
export function tallySignatures(records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  const config = loadConfig();
  return signatureTally({
    client: documentClient(config),
    tableName: config.tableName,
    clock: systemClock,
    ids: ulidGenerator(),
  })(records);
}
