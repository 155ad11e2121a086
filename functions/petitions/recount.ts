import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../shared/dynamo';
import { keys, SIGNATURE_BUCKETS } from '../shared/keys';

/**
 * The recount: a petition's online count rebuilt from its ledger (the signature
 * items themselves), compared with the counter the tally keeps and with the
 * tally's receipts (which signatures it has counted). It is how an operator
 * proves a count, and how a counter is repaired after an incident.
 */

/** What the ledger says about a petition, next to what its counter says. */
export interface RecountReport {
  readonly communityId: string;
  readonly petitionId: string;
  /** Countable signatures in the ledger: those made before `closesAt`. */
  readonly ledger: number;
  /** Signatures the tally has put in the count: the signer ids in the petition's tally receipts. */
  readonly counted: number;
  /** The petition's `signatureCount`, read consistently. */
  readonly stored: number;
  /** Paper signatures, reported for completeness: the ledger holds online signatures only. */
  readonly offline: number;
  /** `stored - ledger`: 0 once the stream has been tallied; anything else is worth an alarm. */
  readonly drift: number;
  /** `ledger - counted`: signatures not tallied yet, because the stream is behind. */
  readonly pending: number;
  /** Countable signatures per district (`unknown` when the identity provider did not say). */
  readonly byDistrict: Readonly<Record<string, number>>;
  /** Countable signatures per day (`YYYY-MM-DD`, UTC). */
  readonly byDay: Readonly<Record<string, number>>;
  /**
   * Set when the petition's signers were erased by the retention job (at
   * `anonymisedAt`): there is no ledger left to recount, so the report is the
   * archive (the count and statistics kept when the petition closed), and
   * says so. Absent for a petition with its ledger.
   */
  readonly fromArchive?: { readonly anonymisedAt: string; readonly signaturesErased: number };
}

export const RecountErrorCode = {
  petition_not_found: 'petition_not_found',
  pending_signatures: 'pending_signatures',
  counter_moved: 'counter_moved',
} as const;
export type RecountErrorCode = (typeof RecountErrorCode)[keyof typeof RecountErrorCode];

/** Why a recount or a repair could not be done; the message says what to do. */
export class RecountError extends Error {
  override readonly name = 'RecountError';
  constructor(
    readonly code: RecountErrorCode,
    message: string,
    readonly context: { readonly communityId: string; readonly petitionId: string },
  ) {
    super(message);
  }
}

/** The slice of a signature item the recount reads. */
interface LedgerEntry {
  readonly signedAt: string;
  readonly districtId?: string;
}

/** Every signature of one GSI1 bucket, page by page. */
async function readBucket(
  client: DynamoDBDocumentClient,
  tableName: string,
  bucketKey: string,
): Promise<LedgerEntry[]> {
  const items = await queryAll(client, {
    TableName: tableName,
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :bucket',
    ProjectionExpression: 'signedAt, districtId',
    ExpressionAttributeValues: { ':bucket': bucketKey },
  });
  return items as unknown as LedgerEntry[];
}

/**
 * How many signatures the tally has counted: the signer ids in all of the
 * petition's receipts (one per second of `signedAt`, beside the petition),
 * read consistently, page by page.
 */
async function countReceipts(
  client: DynamoDBDocumentClient,
  tableName: string,
  communityId: string,
  petitionId: string,
): Promise<number> {
  // A receipt key with an empty second is the sort-key prefix that all of them share.
  const { PK, SK: receiptPrefix } = keys.tallyReceipt(communityId, petitionId, '');
  const receipts = await queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: 'PK = :petition AND begins_with(SK, :receipt)',
    ProjectionExpression: '#signers',
    ExpressionAttributeNames: { '#signers': 'signers' },
    ExpressionAttributeValues: { ':petition': PK, ':receipt': receiptPrefix },
    ConsistentRead: true,
  });
  return receipts.reduce(
    (counted, receipt) => counted + (receipt.signers instanceof Set ? receipt.signers.size : 0),
    0,
  );
}

const increment = (counts: Record<string, number>, name: string) => {
  counts[name] = (counts[name] ?? 0) + 1;
};

/**
 * The report of a petition whose signers were erased: its archived count
 * (`signatureCount`, which stopped moving when it closed) and its `STATS`
 * item, as they stand; nothing drifts and nothing is pending, as there is
 * nothing left to count.
 */
async function archivedReport(
  client: DynamoDBDocumentClient,
  tableName: string,
  context: { readonly communityId: string; readonly petitionId: string },
  petition: Record<string, unknown>,
): Promise<RecountReport> {
  const { Item: stats } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: keys.petitionStats(context.communityId, context.petitionId),
      ConsistentRead: true,
    }),
  );
  const byDistrict: Record<string, number> = {};
  const byDay: Record<string, number> = {};
  for (const [name, value] of Object.entries(stats ?? {})) {
    if (name.startsWith('district#')) byDistrict[name.slice('district#'.length)] = Number(value);
    if (name.startsWith('day#')) byDay[name.slice('day#'.length)] = Number(value);
  }
  const stored = Number(petition.signatureCount ?? 0);
  const anonymised = petition.anonymised as { at: string; erased: Record<string, number> };
  return {
    ...context,
    ledger: stored,
    counted: stored,
    stored,
    offline: Number(petition.offlineSignatureCount ?? 0),
    drift: 0,
    pending: 0,
    byDistrict,
    byDay,
    fromArchive: { anonymisedAt: anonymised.at, signaturesErased: Number(anonymised.erased.signatures ?? 0) },
  };
}

/**
 * Rebuilds a petition's count from its signature items (all
 * {@link SIGNATURE_BUCKETS} GSI1 buckets) and compares it with the stored
 * counter and with what the tally's receipts say it has counted. A petition
 * whose signers the retention job erased answers from its archive, and says
 * so (`fromArchive`). Throws {@link RecountError} `petition_not_found`.
 * @example
 * const report = await recountPetition(client, tableName, 'demo', petitionId);
 * if (report.drift !== 0) alarm(report);
 */
export async function recountPetition(
  client: DynamoDBDocumentClient,
  tableName: string,
  communityId: string,
  petitionId: string,
): Promise<RecountReport> {
  const context = { communityId, petitionId };
  const { Item: petition } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: keys.petition(communityId, petitionId),
      ConsistentRead: true,
      ProjectionExpression: 'signatureCount, offlineSignatureCount, closesAt, anonymised',
    }),
  );
  if (!petition) {
    throw new RecountError(
      RecountErrorCode.petition_not_found,
      `No petition ${petitionId} in community ${communityId}: check both ids.`,
      context,
    );
  }
  if (petition.anonymised) return archivedReport(client, tableName, context, petition);
  const closesAt = typeof petition.closesAt === 'string' ? petition.closesAt : undefined;
  const buckets = Array.from(
    { length: SIGNATURE_BUCKETS },
    (_, bucket) => keys.signatureBucket(communityId, petitionId, bucket).GSI1PK,
  );
  // Receipts before the ledger: a signature is written before any receipt holds it, so the
  // ledger read next already has every signature counted so far (up to GSI1 lag in AWS).
  const counted = await countReceipts(client, tableName, communityId, petitionId);
  const ledgerBuckets = await Promise.all(buckets.map((bucket) => readBucket(client, tableName, bucket)));

  const byDistrict: Record<string, number> = {};
  const byDay: Record<string, number> = {};
  let ledger = 0;
  for (const entry of ledgerBuckets.flat()) {
    // The tally's rule: a signature counts when it was made before the petition closed.
    if (closesAt === undefined || !(entry.signedAt < closesAt)) continue;
    ledger += 1;
    increment(byDistrict, entry.districtId ?? 'unknown');
    increment(byDay, entry.signedAt.slice(0, 10));
  }
  const stored = Number(petition.signatureCount ?? 0);
  return {
    ...context,
    ledger,
    counted,
    stored,
    offline: Number(petition.offlineSignatureCount ?? 0),
    drift: stored - ledger,
    pending: ledger - counted,
    byDistrict,
    byDay,
  };
}

/**
 * Repairs a counter after an incident: sets `signatureCount` (and the listing
 * key `GSI2SK`) to the ledger count of `report`. Does nothing when there is no
 * drift; answers the count now stored.
 *
 * It races the live tally, so it is conditional: it writes only if the counter
 * and the paper count still hold the values the report read, and it refuses
 * while signatures are pending (the tally would count those on top of a ledger
 * count that already includes them). Either refusal is a {@link RecountError}
 * (`pending_signatures`, `counter_moved`): recount and try again, ideally once
 * the stream has been drained. It fires no threshold: thresholds are the
 * tally's to record, and those reached stay reached.
 * @example
 * const report = await recountPetition(client, tableName, 'demo', petitionId);
 * await applyRecount(client, tableName, report);
 */
export async function applyRecount(
  client: DynamoDBDocumentClient,
  tableName: string,
  report: RecountReport,
): Promise<number> {
  const context = { communityId: report.communityId, petitionId: report.petitionId };
  if (report.drift === 0) return report.stored;
  if (report.pending !== 0) {
    throw new RecountError(
      RecountErrorCode.pending_signatures,
      `${report.pending} signatures are not tallied yet: let the stream catch up, then recount.`,
      context,
    );
  }
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.petition(report.communityId, report.petitionId),
        UpdateExpression: 'SET signatureCount = :ledger, GSI2SK = :bySignatures',
        ConditionExpression: 'signatureCount = :stored AND offlineSignatureCount = :offline',
        ExpressionAttributeValues: {
          ':ledger': report.ledger,
          ':stored': report.stored,
          ':offline': report.offline,
          ':bySignatures': keys.petitionBySignatures(report.ledger + report.offline, report.petitionId)
            .GSI2SK,
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    throw new RecountError(
      RecountErrorCode.counter_moved,
      'The counter changed since the recount read it (the tally or paper signatures moved it): recount again.',
      context,
    );
  }
  return report.ledger;
}
