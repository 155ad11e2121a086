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

/**
 * The batch's signatures per petition, in stream order, each signature once:
 * the same item may come twice (a delivery glued to its redelivery), and a
 * transaction may not touch one item twice.
 */
function groupByPetition(records: readonly DynamoDBRecord[]): PendingSignature[][] {
  const petitions = new Map<string, Map<string, PendingSignature>>();
  for (const record of records) {
    if (record.eventName !== 'INSERT') continue;
    const signature = readSignature(record);
    if (!signature) continue;
    const petitionKey = `${signature.communityId}\n${signature.petitionId}`;
    const signatures = petitions.get(petitionKey) ?? new Map<string, PendingSignature>();
    petitions.set(petitionKey, signatures);
    const itemKey = `${signature.key.PK}\n${signature.key.SK}`;
    const seen = signatures.get(itemKey);
    if (seen) seen.sequenceNumbers.push(...signature.sequenceNumbers);
    else signatures.set(itemKey, signature);
  }
  return [...petitions.values()].map((signatures) => [...signatures.values()]);
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

  const readCountingState = async (
    communityId: string,
    petitionId: string,
  ): Promise<CountingState | undefined> => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.petition(communityId, petitionId),
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
        communityId,
        petitionId,
        problem: z.prettifyError(parsed.error),
      });
    }
    return parsed.data;
  };

  const thresholdEvent = (
    communityId: string,
    petitionId: string,
    threshold: PetitionThreshold,
    total: number,
    now: Date,
  ): EventEnvelope =>
    envelope({
      id: ids.next(),
      name: PetitionEvents.thresholdReached,
      communityId,
      occurredAt: now,
      subject: `petition/${petitionId}`,
      detail: {
        communityId,
        petitionId,
        threshold: threshold.name,
        signatures: threshold.signatures,
        total,
        reachedAt: now.toISOString(),
      },
    });

  /** The transaction that counts `signatures` on top of `state`; see the module's TSDoc. */
  const planChunk = (
    signatures: readonly PendingSignature[],
    state: CountingState,
    firedElsewhere: ReadonlySet<string>,
    now: Date,
  ): ChunkPlan => {
    const first = signatures[0];
    if (!first) throw new TallyError('a chunk needs a signature', {});
    const { communityId, petitionId } = first;
    const countable = signatures.filter((signature) => isCountable(signature, state.closesAt));
    const before = state.signatureCount;
    const after = before + countable.length;
    const offline = state.offlineSignatureCount;
    const crossed = crossedThresholds(
      state.thresholds,
      before + offline,
      after + offline,
      state.thresholdsReached,
    ).filter((threshold) => !firedElsewhere.has(threshold.name));
    const at = now.toISOString();

    const items: TransactItem[] = [];
    const roles: EntryRole[] = [];
    if (countable.length > 0) {
      const thresholdsReached: Record<string, ReachedThreshold> = { ...state.thresholdsReached };
      for (const threshold of crossed) {
        thresholdsReached[threshold.name] = { signatures: threshold.signatures, reachedAt: at };
      }
      items.push({
        Update: {
          TableName: tableName,
          Key: keys.petition(communityId, petitionId),
          // The whole map is written back: the condition proves no one changed it since the read,
          // as only count changes (this tally, paper signatures) may record a threshold.
          UpdateExpression:
            'SET signatureCount = :after, GSI2SK = :bySignatures, thresholdsReached = :reached',
          ConditionExpression: 'signatureCount = :before AND offlineSignatureCount = :offline',
          ExpressionAttributeValues: {
            ':after': after,
            ':before': before,
            ':offline': offline,
            ':bySignatures': keys.petitionBySignatures(after + offline, petitionId),
            ':reached': thresholdsReached,
          },
        },
      });
      roles.push({ kind: 'petition' });
      items.push(statsUpdate(communityId, petitionId, countable));
      roles.push({ kind: 'stats' });
    }
    for (const signature of signatures) {
      items.push({
        Update: {
          TableName: tableName,
          Key: signature.key,
          UpdateExpression: 'SET countedAt = :now, counted = :counted',
          // attribute_exists: a signature removed meanwhile is not brought back as a stub.
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(countedAt)',
          ExpressionAttributeValues: {
            ':now': at,
            ':counted': isCountable(signature, state.closesAt),
          },
        },
      });
      roles.push({ kind: 'signature', signature });
    }
    for (const threshold of crossed) {
      const event = thresholdEvent(communityId, petitionId, threshold, after + offline, now);
      items.push({
        Put: {
          TableName: tableName,
          Item: {
            ...keys.petitionThreshold(communityId, petitionId, threshold.name),
            entity: Entity.petitionThreshold,
            communityId,
            petitionId,
            threshold: threshold.name,
            signatures: threshold.signatures,
            total: after + offline,
            reachedAt: at,
            eventId: event.id,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      });
      roles.push({ kind: 'threshold', name: threshold.name });
      items.push(...outboxPuts(tableName, [event]));
      roles.push({ kind: 'event' });
    }
    return { items, roles, counted: countable.length, signatureCount: after, crossed };
  };

  /** ADD to the by-district and by-day counts; ADD creates the item the first time. */
  const statsUpdate = (
    communityId: string,
    petitionId: string,
    countable: readonly PendingSignature[],
  ): TransactItem => {
    const counts = new Map([
      ...countBy(countable, (signature) => statsAttribute.district(signature.districtId)),
      ...countBy(countable, (signature) => statsAttribute.day(signature.signedAt)),
    ]);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':entity': Entity.petitionStats,
      ':communityId': communityId,
      ':petitionId': petitionId,
    };
    const additions = [...counts].map(([attribute, count], index) => {
      names[`#s${index}`] = attribute;
      values[`:s${index}`] = count;
      return `#s${index} :s${index}`;
    });
    return {
      Update: {
        TableName: tableName,
        Key: keys.petitionStats(communityId, petitionId),
        UpdateExpression: `SET entity = :entity, communityId = :communityId, petitionId = :petitionId ADD ${additions.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  };

  /** Counts one chunk of one petition's signatures, retrying as the cancellation reasons say. */
  const tallyChunk = async (chunk: readonly PendingSignature[]): Promise<ChunkOutcome> => {
    let pending = [...chunk];
    const firedElsewhere = new Set<string>();
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const first = pending[0];
      if (!first) return 'done';
      const state = await readCountingState(first.communityId, first.petitionId);
      if (!state) return 'no-petition';
      const plan = planChunk(pending, state, firedElsewhere, clock.now());
      try {
        await client.send(new TransactWriteCommand({ TransactItems: plan.items }));
        logLine('info', {
          msg: 'signatures tallied',
          communityId: first.communityId,
          petitionId: first.petitionId,
          counted: plan.counted,
          notCounted: pending.length - plan.counted,
          signatureCount: plan.signatureCount,
          thresholdsReached: plan.crossed.map((threshold) => threshold.name),
        });
        return 'done';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const alreadyCounted = new Set<PendingSignature>();
        let transient = reasons.length === 0;
        for (const [index, role] of plan.roles.entries()) {
          const code = reasons[index]?.Code;
          if (code && TRANSIENT_REASONS.has(code)) transient = true;
          if (code !== 'ConditionalCheckFailed') continue;
          if (role.kind === 'signature') alreadyCounted.add(role.signature);
          if (role.kind === 'threshold') firedElsewhere.add(role.name);
        }
        pending = pending.filter((signature) => !alreadyCounted.has(signature));
        // Dropping counted signatures or re-reading a moved petition needs no wait; contention does.
        if (transient && attempt < maxAttempts) await pause(attempt);
      }
    }
    return pending.length === 0 ? 'done' : 'gave-up';
  };

  /** Counts one petition's signatures chunk by chunk; the sequence numbers to deliver again. */
  const tallyPetition = async (signatures: readonly PendingSignature[]): Promise<string[]> => {
    for (let start = 0; start < signatures.length; start += MAX_SIGNATURES_PER_TRANSACTION) {
      const chunk = signatures.slice(start, start + MAX_SIGNATURES_PER_TRANSACTION);
      const outcome = await tallyChunk(chunk);
      const first = chunk[0];
      if (outcome === 'no-petition') {
        // Nothing can ever count these; retrying would only block the shard.
        logLine('warn', {
          msg: 'signatures of a petition that does not exist: skipped',
          communityId: first?.communityId,
          petitionId: first?.petitionId,
          signatures: signatures.length,
        });
        return [];
      }
      if (outcome === 'gave-up') {
        logLine('error', {
          msg: 'signatures not tallied after retries; the stream will deliver them again',
          communityId: first?.communityId,
          petitionId: first?.petitionId,
          attempts: maxAttempts,
        });
        return signatures.slice(start).flatMap((signature) => signature.sequenceNumbers);
      }
    }
    return [];
  };

  return async (records) => {
    const petitions = groupByPetition(records);
    // Petitions are independent; one petition's chunks go one after another, as each reads the last one's count.
    const results = await Promise.allSettled(petitions.map(tallyPetition));
    const failed = results.flatMap((result, index) => {
      if (result.status === 'fulfilled') return result.value;
      const signatures = petitions[index] ?? [];
      logLine('error', {
        msg: 'tally failed; the stream will deliver the records again',
        communityId: signatures[0]?.communityId,
        petitionId: signatures[0]?.petitionId,
        error: String(result.reason),
        ...(result.reason instanceof TallyError ? result.reason.context : {}),
      });
      return signatures.flatMap((signature) => signature.sequenceNumbers);
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
