import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { z } from 'zod';
import { thresholdEvent } from '../../domain/petitions/events';
import type { PetitionThreshold, ReachedThreshold } from '../../domain/petitions/petition';
import { crossedThresholds } from '../../domain/petitions/thresholds';
import type { Clock, IdGenerator } from '../../domain/shared/clock';
import type { EventEnvelope } from '../../events/envelope';
import { statsAttribute } from '../petitions/items';
import { loadConfig } from '../shared/config';
import { documentClient } from '../shared/dynamo';
import { systemClock, ulidGenerator } from '../shared/ids';
import { Entity, keys } from '../shared/keys';
import { logLine } from '../shared/log';
import { outboxPuts, type TransactItem } from '../shared/outbox';
import {
  MAX_ATTEMPTS,
  MAX_CHANGES_PER_TRANSACTION,
  type OnceWrite,
  type ReceiptChange,
  type ReceiptNames,
  type ReceiptTallyDependencies,
  receiptTally,
  TallyError,
  type TallyWrite,
} from './receipt-tally';

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
 * The receipts, the chunks, the retries and the fold of what could not be
 * counted into batch item failures are the engine's (`receipt-tally.ts`, shared
 * with the comment and survey tallies); this file says what a signature is and
 * what counting it writes. A cancelled transaction is read reason by reason: a
 * receipt that refused is read and the signatures already in it are dropped, a
 * threshold mark that exists means it fired already (a once-only write of the
 * engine), a moved petition is read again, conflicts and throttling are retried
 * after a jittered pause. After {@link MAX_ATTEMPTS} attempts the petition's
 * records are reported as batch item failures; the stream delivers them again
 * and the receipts make that safe.
 */

/**
 * A transaction takes at most 100 items: the petition, its stats, a receipt per
 * second of these signatures (so at most one per signature), and a mark and an
 * event for each threshold crossed (a community has at most 5 thresholds, so at
 * most 10). It also bounds a receipt's condition, one `contains` per signer
 * added: DynamoDB limits an expression to 4 KB and 300 operators, and the
 * condition for 80 ids is 2,661 characters and 241 operators (a test builds it).
 */
export const MAX_SIGNATURES_PER_TRANSACTION = MAX_CHANGES_PER_TRANSACTION;

export { MAX_ATTEMPTS, TallyError };

/**
 * A receipt holds the first 20 hex characters (80 bits) of each signer key: a
 * collision of two signers of one petition within one second is negligible
 * (about n²/2⁸¹ for n signatures in that second: ~4·10⁻¹⁹ for 1,000).
 */
const SIGNER_ID_LENGTH = 20;

/** A receipt's `signers`: a string set of short signer ids. */
const SIGNER_RECEIPTS: ReceiptNames = { attribute: 'signers', added: ':signerIds', each: ':s' };

export interface TallyDependencies extends ReceiptTallyDependencies {
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * A signature of the batch, as a change of the engine: its petition is the
 * subject, its receipt that of the second of `signedAt`, its name the signer
 * key shortened.
 */
interface PendingSignature extends ReceiptChange {
  readonly communityId: string;
  readonly petitionId: string;
  readonly signedAt: string;
  readonly districtId?: string;
}

/** The part of a signature's image the tally reads; anything else is not a signature it can count. */
const SignatureImageSchema = z.object({
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

/** The signature a record inserted; none (and logged) for a record that is not a countable signature. */
function readSignature(record: DynamoDBRecord): PendingSignature[] {
  if (record.eventName !== 'INSERT') return [];
  // Lambda's image is the wire format of attribute values, which is what unmarshall reads.
  const image = unmarshall((record.dynamodb?.NewImage ?? {}) as Record<string, AttributeValue>);
  const parsed = SignatureImageSchema.safeParse(image);
  const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
  if (!parsed.success) {
    logLine('error', { msg: 'signature record without the fields the tally needs: skipped', sequenceNumber });
    return [];
  }
  const { signerKey, ...signature } = parsed.data;
  const { communityId, petitionId } = signature;
  return [
    {
      ...signature,
      subject: `${communityId}\n${petitionId}`,
      name: signerKey.slice(0, SIGNER_ID_LENGTH),
      receipt: keys.tallyReceipt(communityId, petitionId, signature.signedAt.slice(0, 19)),
      receiptFields: { entity: Entity.tallyReceipt, communityId, petitionId },
      sequenceNumbers: [sequenceNumber],
    },
  ];
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
        ':bySignatures': keys.petitionBySignatures(after + state.offlineSignatureCount, petition.petitionId)
          .GSI2SK,
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
 * The transaction that counts the countable of `pending` on top of `state`
 * (see the module's TSDoc), leaving out thresholds whose mark was found to
 * exist already. With nothing countable it counts nothing and writes nothing.
 */
function planChunk(
  context: { readonly tableName: string; readonly ids: IdGenerator; readonly now: Date },
  petition: PetitionRef,
  pending: readonly PendingSignature[],
  state: CountingState,
  firedElsewhere: ReadonlySet<string>,
): TallyWrite<PendingSignature> {
  const { tableName, ids, now } = context;
  const countable = pending.filter((signature) => isCountable(signature, state.closesAt));
  if (countable.length === 0) return { counted: [], subject: [] };
  const offline = state.offlineSignatureCount;
  const after = state.signatureCount + countable.length;
  const crossed = crossedThresholds(
    state.thresholds,
    state.signatureCount + offline,
    after + offline,
    state.thresholdsReached,
  ).filter((threshold) => !firedElsewhere.has(threshold.name));
  const once = crossed.map((threshold): OnceWrite => {
    const event = thresholdEvent(
      ids,
      now,
      { communityId: petition.communityId, id: petition.petitionId },
      threshold,
      after + offline,
    );
    return {
      name: threshold.name,
      items: [
        thresholdMark(tableName, petition, threshold, event, after + offline),
        ...outboxPuts(tableName, [event]),
      ],
    };
  });
  return {
    counted: countable,
    subject: [
      petitionUpdate(tableName, petition, state, after, crossed, now.toISOString()),
      statsUpdate(tableName, petition, countable),
    ],
    once,
    summary: {
      counted: countable.length,
      notCounted: pending.length - countable.length,
      signatureCount: after,
      thresholdsReached: crossed.map((threshold) => threshold.name),
    },
  };
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

  return receiptTally<PendingSignature>(dependencies, {
    label: 'signatures',
    changesOf: readSignature,
    receipts: SIGNER_RECEIPTS,
    describe: ({ communityId, petitionId }) => ({ communityId, petitionId }),
    async plan(pending, fired) {
      const { communityId, petitionId } = pending[0] as PendingSignature;
      const petition = { communityId, petitionId };
      const state = await readCountingState(petition);
      if (!state) return 'missing';
      return planChunk({ tableName, ids, now: clock.now() }, petition, pending, state, fired);
    },
  });
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
