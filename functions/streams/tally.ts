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
import { jitteredPause } from '../shared/retry';

/**
 * The signature tally: the stream consumer that turns signature inserts into a
 * petition's `signatureCount`, its by-district and by-day statistics and its
 * threshold events, counting every signature exactly once.
 *
 * **Why receipts and not a per-shard watermark.** Lambda's DynamoDB stream
 * records carry no shard id, and a shard splits into children whose records may
 * come in batches cut anywhere; a sequence-number watermark could not be keyed
 * reliably in AWS. Instead, the transaction that adds signatures to the count
 * also adds their signers to a **receipt**: per petition, one item per second
 * of `signedAt` (`RECEIPT#2026-05-02T08:00:00`), whose `signers` is a string
 * set of short signer ids, added under the condition that none of them is in
 * it yet. A signature's record always carries the same `signedAt` and signer,
 * so its receipt is a function of the record alone: a batch delivered again —
 * whole, in part, or cut at other boundaries, concurrently or much later —
 * meets the same receipts and can count nothing twice. A receipt whose
 * condition fails is read, the signatures already in it are dropped, and the
 * rest are counted in a retry.
 *
 * **Why per second.** It is the cost: one small update per petition-second in a
 * chunk instead of one per signature, and signature items are written once and
 * never modified, so the stream carries no MODIFY record per signature either.
 * A receipt stays far below DynamoDB's 400 KB item limit: even 1,000 signatures
 * in one second of one petition are about 21 KB of ids.
 *
 * **One transaction per petition per chunk** of at most
 * {@link MAX_SIGNATURES_PER_TRANSACTION} signatures:
 * - the petition: `signatureCount` and its listing key (`GSI2SK`), plus any
 *   threshold reached, under the condition that neither the online nor the paper
 *   count moved since the read (another shard's tally, or the council adding
 *   paper signatures);
 * - its `STATS` item: ADD the by-district and by-day counts;
 * - per second of the chunk's signatures: its receipt (see above);
 * - per threshold crossed: its mark (written only if absent) and the
 *   `petition.threshold-reached.v1` outbox event, so the event exists if and
 *   only if the mark committed, once.
 *
 * A signature made at or after `closesAt` (it raced the closing) is kept and
 * never counted; it needs no receipt, as delivering it again changes nothing.
 *
 * A cancelled transaction is read reason by reason: a receipt that refused is
 * read and the signatures already in it are dropped, a threshold mark that
 * exists means it fired already, a moved petition is read again, conflicts and
 * throttling are retried after a jittered pause. After {@link MAX_ATTEMPTS}
 * attempts the petition's records are reported as batch item failures; the
 * stream delivers them again and the receipts make that safe.
 */

/**
 * A transaction takes at most 100 items: the petition, its stats, a receipt per
 * second of these signatures (so at most one per signature), and a mark and an
 * event for each threshold crossed (a community has at most 5 thresholds, so at
 * most 10). It also bounds a receipt's condition, one `contains` per signer
 * added: see {@link receiptUpdate}.
 */
export const MAX_SIGNATURES_PER_TRANSACTION = 80;

/**
 * A receipt holds the first 20 hex characters (80 bits) of each signer key: a
 * collision of two signers of one petition within one second is negligible
 * (about n²/2⁸¹ for n signatures in that second: ~4·10⁻¹⁹ for 1,000).
 */
const SIGNER_ID_LENGTH = 20;

/** The receipt attribute: a string set of short signer ids. */
const SIGNERS = 'signers';

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
  /** What the receipt of {@link second} holds for this signature: its signer key, shortened. */
  readonly signerId: string;
  /** `signedAt` to the second: which receipt this signature goes in. */
  readonly second: string;
  readonly sequenceNumbers: string[];
}

/** The part of a signature's image the tally reads; anything else is not a signature it can count. */
const SignatureImageSchema = z.object({
  PK: z.string(),
  SK: z.string(),
  communityId: z.string().min(1),
  petitionId: z.string().min(1),
  signerKey: z.string().min(SIGNER_ID_LENGTH),
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
  | { readonly kind: 'receipt'; readonly key: ItemKey; readonly signatures: readonly PendingSignature[] }
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

/** Racing tallies wait up to 10 ms × 2^attempt (at most 250 ms) before trying again. */
const tallyPause = (attempt: number): Promise<void> => jitteredPause(attempt, { ceilingMs: 250 });

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
  const { PK, SK, signerKey, ...signature } = parsed.data;
  return {
    ...signature,
    key: { PK, SK },
    signerId: signerKey.slice(0, SIGNER_ID_LENGTH),
    second: signature.signedAt.slice(0, 19),
    sequenceNumbers: [sequenceNumber],
  };
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

/**
 * Adds the signers of `signatures` (all made in one second) to that second's
 * receipt, under the condition that none of them is in it yet: the receipt
 * refuses a signature counted before, and with it the whole transaction.
 *
 * DynamoDB limits an expression to 4 KB and 300 operators. With one
 * `NOT contains(#signers, :sNN)` per id the condition for
 * {@link MAX_SIGNATURES_PER_TRANSACTION} ids is 2,661 characters and 241
 * operators (a test builds it).
 */
function receiptUpdate(
  tableName: string,
  petition: PetitionRef,
  receipt: ItemKey,
  signatures: readonly PendingSignature[],
): TransactItem {
  const values: Record<string, unknown> = {
    ':entity': Entity.tallyReceipt,
    ':communityId': petition.communityId,
    ':petitionId': petition.petitionId,
    // The document client writes a Set of strings as a String Set, which ADD merges into.
    ':signerIds': new Set(signatures.map((signature) => signature.signerId)),
  };
  const absent = signatures.map((signature, index) => {
    values[`:s${index}`] = signature.signerId;
    return `NOT contains(#signers, :s${index})`;
  });
  return {
    Update: {
      TableName: tableName,
      Key: receipt,
      UpdateExpression:
        'SET entity = :entity, communityId = :communityId, petitionId = :petitionId ADD #signers :signerIds',
      ConditionExpression: `attribute_not_exists(#signers) OR (${absent.join(' AND ')})`,
      ExpressionAttributeNames: { '#signers': SIGNERS },
      ExpressionAttributeValues: values,
    },
  };
}

/** The signatures per receipt (second of `signedAt`), in the order they came. */
function bySecond(signatures: readonly PendingSignature[]): Map<string, PendingSignature[]> {
  const seconds = new Map<string, PendingSignature[]>();
  for (const signature of signatures) {
    const inSecond = seconds.get(signature.second) ?? [];
    seconds.set(signature.second, inSecond);
    inSecond.push(signature);
  }
  return seconds;
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
 * nothing countable it has no items: there is nothing to write.
 */
function planChunk(
  context: { readonly tableName: string; readonly ids: IdGenerator; readonly now: Date },
  petition: PetitionRef,
  signatures: readonly PendingSignature[],
  state: CountingState,
  firedElsewhere: ReadonlySet<string>,
): ChunkPlan {
  const { tableName, ids, now } = context;
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
    const at = now.toISOString();
    entries.push([petitionUpdate(tableName, petition, state, after, crossed, at), { kind: 'petition' }]);
    entries.push([statsUpdate(tableName, petition, countable), { kind: 'stats' }]);
    for (const [second, inSecond] of bySecond(countable)) {
      const key = keys.tallyReceipt(petition.communityId, petition.petitionId, second);
      entries.push([
        receiptUpdate(tableName, petition, key, inSecond),
        { kind: 'receipt', key, signatures: inSecond },
      ]);
    }
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
  /** Receipts that refused: one of their signatures was counted by an earlier delivery. */
  readonly refusedReceipts: readonly Extract<EntryRole, { kind: 'receipt' }>[];
  /** Thresholds whose mark exists: they fired already. */
  readonly fired: readonly string[];
  /** A conflict or throttling (or no reasons at all): worth a pause before the retry. */
  readonly transient: boolean;
}

function readCancellation(roles: readonly EntryRole[], error: TransactionCanceledException): Cancellation {
  const reasons = error.CancellationReasons ?? [];
  const refusedReceipts: Extract<EntryRole, { kind: 'receipt' }>[] = [];
  const fired: string[] = [];
  let transient = reasons.length === 0;
  for (const [index, role] of roles.entries()) {
    const code = reasons[index]?.Code;
    if (code && TRANSIENT_REASONS.has(code)) transient = true;
    if (code !== 'ConditionalCheckFailed') continue;
    if (role.kind === 'receipt') refusedReceipts.push(role);
    if (role.kind === 'threshold') fired.push(role.name);
  }
  return { refusedReceipts, fired, transient };
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
  const pause = dependencies.pause ?? tallyPause;
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

  /** The signer ids a receipt holds, read consistently; none when it does not exist. */
  const readReceipt = async (key: ItemKey): Promise<ReadonlySet<unknown>> => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: '#signers',
        ExpressionAttributeNames: { '#signers': SIGNERS },
      }),
    );
    const signers: unknown = Item?.[SIGNERS];
    return signers instanceof Set ? signers : new Set();
  };

  /** The signatures of refused receipts that those receipts already hold: counted by an earlier delivery. */
  const alreadyCounted = async (
    refused: Cancellation['refusedReceipts'],
  ): Promise<ReadonlySet<PendingSignature>> => {
    const held = await Promise.all(
      refused.map(async ({ key, signatures }) => {
        const signers = await readReceipt(key);
        return signatures.filter((signature) => signers.has(signature.signerId));
      }),
    );
    return new Set(held.flat());
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
      if (plan.items.length === 0) {
        logLine('info', {
          msg: 'only signatures made after closing: none counted',
          ...petition,
          notCounted: pending.length,
        });
        return 'done';
      }
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
        const counted = await alreadyCounted(cancellation.refusedReceipts);
        pending = pending.filter((signature) => !counted.has(signature));
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
