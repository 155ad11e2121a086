import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { ItemKey } from '../shared/keys';
import { logLine } from '../shared/log';
import type { TransactItem } from '../shared/outbox';
import { jitteredPause } from '../shared/retry';

/**
 * The receipt tally engine of the comment tallies (votes → a comment's `up`
 * and `down`; comments → a consultation's counts per target and stance): a
 * stream record carries changes, each change has a **name** that is a
 * function of the record alone, and counting a change adds its name to a
 * **receipt** item in the same transaction as the counter's write, under the
 * condition that the name is not in the receipt yet. A batch delivered again
 * (whole, in part, cut elsewhere, concurrently or much later) meets the same
 * receipts and counts nothing twice. A receipt that refuses is read, the
 * changes already in it are dropped, and the rest are counted in a retry.
 *
 * Changes are grouped by **subject** (the counter item): one transaction per
 * subject per chunk of at most {@link MAX_CHANGES_PER_TRANSACTION}, holding
 * the subject's write and one receipt update per receipt key. After
 * {@link MAX_ATTEMPTS} attempts the subject's records go back to the stream
 * as batch item failures; the receipts make that safe. The signature tally
 * (`tally.ts`) is the same design with thresholds.
 */

/** A transaction takes at most 100 items; each receipt's condition has one `NOT contains` per change (4 KB max). */
export const MAX_CHANGES_PER_TRANSACTION = 80;

export const MAX_ATTEMPTS = 8;

const CHANGES = 'changes';

/** One change, and every stream record that carried it. */
export interface ReceiptChange {
  /** The counter item it is counted on, as a string (the group key). */
  readonly subject: string;
  /** What its receipt holds once it is counted. */
  readonly name: string;
  readonly receipt: ItemKey;
  /** Attributes the receipt item carries besides its names (entity, ids). */
  readonly receiptFields: Readonly<Record<string, string>>;
  readonly sequenceNumbers: string[];
}

/** What one kind of tally adds to the engine: how records become changes, and how a subject counts them. */
export interface ReceiptTallyKind<C extends ReceiptChange> {
  /** For log lines. */
  readonly label: string;
  /** The changes a record carries (none for one that changes no count). */
  readonly changesOf: (record: DynamoDBRecord) => readonly C[];
  /**
   * The write of the subject that counts `changes`, called again on every
   * attempt (it may read the subject first); `missing` when nothing can ever
   * count them. A write whose condition fails is retried like contention.
   */
  readonly subjectWrite: (changes: readonly C[]) => Promise<TransactItem | 'missing'>;
  /** Fields of a subject for log lines. */
  readonly describe: (change: C) => Record<string, unknown>;
}

export interface ReceiptTallyDependencies {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Waits before retry number `attempt`; a jittered exponential pause by default. */
  readonly pause?: (attempt: number) => Promise<void>;
  readonly maxAttempts?: number;
}

const TRANSIENT_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/** Racing tallies wait up to 10 ms × 2^attempt (at most 250 ms) before trying again. */
const tallyPause = (attempt: number): Promise<void> => jitteredPause(attempt, { ceilingMs: 250 });

/** The batch's changes per subject, in stream order, each change once (a batch may be glued to its redelivery). */
function groupBySubject<C extends ReceiptChange>(
  records: readonly DynamoDBRecord[],
  changesOf: (record: DynamoDBRecord) => readonly C[],
): C[][] {
  const groups = new Map<string, Map<string, C>>();
  for (const record of records) {
    for (const change of changesOf(record)) {
      const group = groups.get(change.subject) ?? new Map<string, C>();
      groups.set(change.subject, group);
      const receiptName = `${change.receipt.PK}\n${change.receipt.SK}\n${change.name}`;
      const seen = group.get(receiptName);
      if (seen) seen.sequenceNumbers.push(...change.sequenceNumbers);
      else group.set(receiptName, change);
    }
  }
  return [...groups.values()].map((group) => [...group.values()]);
}

interface ReceiptRole<C> {
  readonly key: ItemKey;
  readonly changes: readonly C[];
}

/** One receipt update per receipt key of the chunk, conditioned on none of its names being there. */
function receiptWrites<C extends ReceiptChange>(
  tableName: string,
  changes: readonly C[],
): { items: TransactItem[]; roles: ReceiptRole<C>[] } {
  const byReceipt = new Map<string, C[]>();
  for (const change of changes) {
    const at = `${change.receipt.PK}\n${change.receipt.SK}`;
    byReceipt.set(at, [...(byReceipt.get(at) ?? []), change]);
  }
  const items: TransactItem[] = [];
  const roles: ReceiptRole<C>[] = [];
  for (const inReceipt of byReceipt.values()) {
    const first = inReceipt[0] as C;
    const names: Record<string, string> = { '#changes': CHANGES };
    const values: Record<string, unknown> = {
      // The document client writes a Set of strings as a String Set, which ADD merges into.
      ':names': new Set(inReceipt.map((change) => change.name)),
    };
    const assignments = Object.entries(first.receiptFields).map(([field, value], index) => {
      names[`#f${index}`] = field;
      values[`:f${index}`] = value;
      return `#f${index} = :f${index}`;
    });
    const absent = inReceipt.map((change, index) => {
      values[`:c${index}`] = change.name;
      return `NOT contains(#changes, :c${index})`;
    });
    items.push({
      Update: {
        TableName: tableName,
        Key: first.receipt,
        UpdateExpression: `${assignments.length > 0 ? `SET ${assignments.join(', ')} ` : ''}ADD #changes :names`,
        ConditionExpression: `attribute_not_exists(#changes) OR (${absent.join(' AND ')})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    });
    roles.push({ key: first.receipt, changes: inReceipt });
  }
  return { items, roles };
}

/**
 * A stream consumer that counts the changes of `kind` exactly once.
 * @example
 * const { batchItemFailures } = await receiptTally(deps, voteKind(deps))(records);
 */
export function receiptTally<C extends ReceiptChange>(
  dependencies: ReceiptTallyDependencies,
  kind: ReceiptTallyKind<C>,
): (records: readonly DynamoDBRecord[]) => Promise<DynamoDBBatchResponse> {
  const { client, tableName } = dependencies;
  const pause = dependencies.pause ?? tallyPause;
  const maxAttempts = dependencies.maxAttempts ?? MAX_ATTEMPTS;

  /** The changes of refused receipts that those receipts already hold: counted by an earlier delivery. */
  const alreadyCounted = async (refused: readonly ReceiptRole<C>[]) => {
    const held = await Promise.all(
      refused.map(async ({ key, changes }) => {
        const { Item } = await client.send(
          new GetCommand({
            TableName: tableName,
            Key: key,
            ConsistentRead: true,
            ProjectionExpression: '#changes',
            ExpressionAttributeNames: { '#changes': CHANGES },
          }),
        );
        const names: unknown = Item?.[CHANGES];
        return names instanceof Set ? changes.filter((change) => names.has(change.name)) : [];
      }),
    );
    return new Set(held.flat());
  };

  const tallyChunk = async (chunk: readonly C[]): Promise<'done' | 'missing' | 'gave-up'> => {
    let pending = [...chunk];
    for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt += 1) {
      const subject = await kind.subjectWrite(pending);
      if (subject === 'missing') return 'missing';
      const receipts = receiptWrites(tableName, pending);
      try {
        await client.send(new TransactWriteCommand({ TransactItems: [subject, ...receipts.items] }));
        logLine('info', {
          msg: `${kind.label} tallied`,
          ...kind.describe(pending[0] as C),
          changes: pending.length,
        });
        return 'done';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const refused = receipts.roles.filter(
          (_, index) => reasons[index + 1]?.Code === 'ConditionalCheckFailed',
        );
        const counted = await alreadyCounted(refused);
        pending = pending.filter((change) => !counted.has(change));
        // A subject whose condition failed moved since it was read (a concurrent tally): read it again.
        const transient =
          reasons.length === 0 ||
          reasons[0]?.Code === 'ConditionalCheckFailed' ||
          reasons.some((reason) => TRANSIENT_REASONS.has(reason.Code ?? ''));
        // Dropping counted changes needs no wait; contention does.
        if (transient && attempt < maxAttempts) await pause(attempt);
      }
    }
    return pending.length === 0 ? 'done' : 'gave-up';
  };

  /** Counts one subject's changes chunk by chunk; the sequence numbers to deliver again. */
  const tallySubject = async (changes: readonly C[]): Promise<string[]> => {
    for (let start = 0; start < changes.length; start += MAX_CHANGES_PER_TRANSACTION) {
      const outcome = await tallyChunk(changes.slice(start, start + MAX_CHANGES_PER_TRANSACTION));
      const about = kind.describe(changes[0] as C);
      if (outcome === 'missing') {
        // Nothing can ever count these; retrying would only hold up the shard.
        logLine('warn', { msg: `${kind.label}: nothing to count them on; skipped`, ...about });
        return [];
      }
      if (outcome === 'gave-up') {
        logLine('error', {
          msg: `${kind.label} not tallied after retries; the stream will deliver them again`,
          ...about,
        });
        return changes.slice(start).flatMap((change) => change.sequenceNumbers);
      }
    }
    return [];
  };

  return async (records) => {
    const groups = groupBySubject(records, kind.changesOf);
    const results = await Promise.allSettled(groups.map(tallySubject));
    const failed = results.flatMap((result, index) => {
      if (result.status === 'fulfilled') return result.value;
      const group = groups[index] ?? [];
      logLine('error', {
        msg: `${kind.label} tally failed; the stream will deliver the records again`,
        ...(group[0] ? kind.describe(group[0]) : {}),
        error: String(result.reason),
      });
      return group.flatMap((change) => change.sequenceNumbers);
    });
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
