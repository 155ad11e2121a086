import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { ItemKey } from '../shared/keys';
import { logLine } from '../shared/log';
import type { TransactItem } from '../shared/outbox';
import { jitteredPause, RETRY, retrying } from '../shared/use-case';

/**
 * The receipt tally engine, behind every stream tally (signatures → a
 * petition's count, statistics and thresholds; votes → a comment's `up` and
 * `down`; comments → a consultation's counts per target and stance; survey
 * responses → its result counters): a stream record carries changes, each
 * change has a **name** that is a function of the record alone, and counting a
 * change adds its name to a **receipt** item in the same transaction as the
 * counter's write, under the condition that the name is not in the receipt
 * yet. A batch delivered again (whole, in part, cut elsewhere, concurrently or
 * much later) meets the same receipts and counts nothing twice. A receipt that
 * refuses is read, the changes already in it are dropped, and the rest are
 * counted in a retry.
 *
 * Changes are grouped by **subject** (the counter item): one transaction per
 * subject per chunk of at most {@link MAX_CHANGES_PER_TRANSACTION}, holding
 * the subject's writes, one receipt update per receipt key, and the writes a
 * kind makes at most once (a threshold's mark and its event). Each chunk is
 * tried on {@link retrying}, at most {@link MAX_ATTEMPTS} times; then the
 * subject's records go back to the stream as batch item failures, which the
 * receipts make safe.
 */

/**
 * A transaction takes at most 100 items, and each receipt's condition has one
 * `NOT contains` per change (4 KB and 300 operators at most): 80 changes leave
 * room for the subject's writes and a kind's once-only writes (a petition, its
 * statistics and up to five thresholds' marks and events: 92 items at most).
 */
export const MAX_CHANGES_PER_TRANSACTION = 80;

/** Transactions tried per chunk before its records go back to the stream. */
export const MAX_ATTEMPTS = 8;

/** How a kind's receipts hold the names they counted, and the placeholders of the update that adds them. */
export interface ReceiptNames {
  /** The string-set attribute of the receipt item. */
  readonly attribute: string;
  /** The placeholder of the set of names added. */
  readonly added: string;
  /** The prefix of each name's placeholder in the condition (`:c0`, `:c1`, …). */
  readonly each: string;
}

/** The receipts of the comment and survey tallies: their names in `changes`. */
export const CHANGE_RECEIPTS: ReceiptNames = { attribute: 'changes', added: ':names', each: ':c' };

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

/** Writes a kind makes at most once per subject (a threshold's mark, and its event): refused, they happened already. */
export interface OnceWrite {
  /** Which once-only write this is, e.g. the threshold's name. */
  readonly name: string;
  /** Its items; the first one's condition is what refuses when it happened already. */
  readonly items: readonly TransactItem[];
}

/** The transaction a kind plans for a chunk's pending changes. */
export interface TallyWrite<C extends ReceiptChange> {
  /**
   * The changes it counts; their names go in the receipts. Pending changes left
   * out are never counted (a signature that raced the closing): with none
   * counted, nothing is written.
   */
  readonly counted: readonly C[];
  /** The subject's writes, first in the transaction; a refusal means it moved since it was read. */
  readonly subject: readonly TransactItem[];
  /** After the receipts. */
  readonly once?: readonly OnceWrite[];
  /** Fields for the log line once it committed. */
  readonly summary?: Readonly<Record<string, unknown>>;
}

/** What one kind of tally adds to the engine: how records become changes, and how a subject counts them. */
export interface ReceiptTallyKind<C extends ReceiptChange> {
  /** For log lines, a plural noun: "signatures", "comment votes". */
  readonly label: string;
  /** The changes a record carries (none for one that changes no count). */
  readonly changesOf: (record: DynamoDBRecord) => readonly C[];
  /**
   * The transaction that counts `pending` (called again on every attempt: it
   * may read the subject first), leaving out the once-only writes `happened`
   * names; `missing` when nothing can ever count them.
   */
  readonly plan: (pending: readonly C[], happened: ReadonlySet<string>) => Promise<TallyWrite<C> | 'missing'>;
  /** Fields of a subject for log lines. */
  readonly describe: (change: C) => Record<string, unknown>;
  /** {@link CHANGE_RECEIPTS} unless told. */
  readonly receipts?: ReceiptNames;
}

export interface ReceiptTallyDependencies {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Waits before retry number `attempt` (1, 2, …); a jittered exponential pause by default. */
  readonly pause?: (attempt: number) => Promise<void>;
  readonly maxAttempts?: number;
}

/** Thrown for a subject the tally cannot read; its records are retried, and logged with `context`. */
export class TallyError extends Error {
  override readonly name = 'TallyError';
  constructor(
    message: string,
    readonly context: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

/**
 * The plan of a kind whose transaction is one write of its subject that counts
 * every pending change.
 * @example plan: countingAll(async (changes) => ({ Update: { … } }))
 */
export function countingAll<C extends ReceiptChange>(
  subjectWrite: (changes: readonly C[]) => Promise<TransactItem | 'missing'>,
): ReceiptTallyKind<C>['plan'] {
  return async (pending) => {
    const subject = await subjectWrite(pending);
    return subject === 'missing' ? 'missing' : { counted: pending, subject: [subject] };
  };
}

/** Cancellation reasons after which the same transaction may well succeed a moment later. */
const TRANSIENT_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/** Racing tallies wait up to 10 ms × 2^attempt (at most 250 ms) before trying again. */
const tallyPause = (attempt: number): Promise<void> => jitteredPause(attempt, { ceilingMs: 250 });

/**
 * The batch's changes per subject, in stream order, each change once: the same
 * change may come twice (a delivery glued to its redelivery), and a
 * transaction may not touch one item twice.
 */
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

/**
 * One receipt update per receipt key of the counted changes (in the order
 * they came), adding their names under the condition that none of them is
 * there yet: a receipt refuses a change counted before, and with it the whole
 * transaction.
 */
function receiptWrites<C extends ReceiptChange>(
  tableName: string,
  naming: ReceiptNames,
  changes: readonly C[],
): { items: TransactItem[]; roles: ReceiptRole<C>[] } {
  const byReceipt = new Map<string, C[]>();
  for (const change of changes) {
    const at = `${change.receipt.PK}\n${change.receipt.SK}`;
    byReceipt.set(at, [...(byReceipt.get(at) ?? []), change]);
  }
  const set = `#${naming.attribute}`;
  const items: TransactItem[] = [];
  const roles: ReceiptRole<C>[] = [];
  for (const inReceipt of byReceipt.values()) {
    const first = inReceipt[0] as C;
    const names: Record<string, string> = { [set]: naming.attribute };
    const values: Record<string, unknown> = {
      // The document client writes a Set of strings as a String Set, which ADD merges into.
      [naming.added]: new Set(inReceipt.map((change) => change.name)),
    };
    const assignments = Object.entries(first.receiptFields).map(([field, value], index) => {
      names[`#f${index}`] = field;
      values[`:f${index}`] = value;
      return `#f${index} = :f${index}`;
    });
    const absent = inReceipt.map((change, index) => {
      values[`${naming.each}${index}`] = change.name;
      return `NOT contains(${set}, ${naming.each}${index})`;
    });
    items.push({
      Update: {
        TableName: tableName,
        Key: first.receipt,
        UpdateExpression: `${assignments.length > 0 ? `SET ${assignments.join(', ')} ` : ''}ADD ${set} ${naming.added}`,
        ConditionExpression: `attribute_not_exists(${set}) OR (${absent.join(' AND ')})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    });
    roles.push({ key: first.receipt, changes: inReceipt });
  }
  return { items, roles };
}

/** What a cancelled transaction says, reason by reason (reasons come in the order of the items). */
interface Cancellation<C> {
  /** Receipts that refused: one of their changes was counted by an earlier delivery. */
  readonly refusedReceipts: readonly ReceiptRole<C>[];
  /** Once-only writes that refused: they happened already. */
  readonly happened: readonly string[];
  /** A conflict, throttling, a subject that moved (or no reasons at all): worth a pause before the retry. */
  readonly contended: boolean;
}

function readCancellation<C extends ReceiptChange>(
  error: TransactionCanceledException,
  write: TallyWrite<C>,
  receipts: readonly ReceiptRole<C>[],
): Cancellation<C> {
  const reasons = error.CancellationReasons ?? [];
  const refused = (index: number) => reasons[index]?.Code === 'ConditionalCheckFailed';
  const receiptsAt = write.subject.length;
  const happened: string[] = [];
  let at = receiptsAt + receipts.length;
  for (const once of write.once ?? []) {
    if (refused(at)) happened.push(once.name);
    at += once.items.length;
  }
  return {
    refusedReceipts: receipts.filter((_, index) => refused(receiptsAt + index)),
    happened,
    // A subject whose condition failed moved since it was read (a concurrent tally): read it again, after a pause.
    contended:
      reasons.length === 0 ||
      write.subject.some((_, index) => refused(index)) ||
      reasons.some((reason) => TRANSIENT_REASONS.has(reason.Code ?? '')),
  };
}

/**
 * A stream consumer that counts the changes of `kind` exactly once, and
 * answers the records to deliver again.
 * @example
 * const { batchItemFailures } = await receiptTally({ client, tableName }, voteKind)(records);
 */
export function receiptTally<C extends ReceiptChange>(
  dependencies: ReceiptTallyDependencies,
  kind: ReceiptTallyKind<C>,
): (records: readonly DynamoDBRecord[]) => Promise<DynamoDBBatchResponse> {
  const { client, tableName } = dependencies;
  const pause = dependencies.pause ?? tallyPause;
  const maxAttempts = dependencies.maxAttempts ?? MAX_ATTEMPTS;
  const naming = kind.receipts ?? CHANGE_RECEIPTS;

  /** The changes of refused receipts that those receipts already hold (read consistently): counted by an earlier delivery. */
  const alreadyCounted = async (refused: readonly ReceiptRole<C>[]): Promise<ReadonlySet<C>> => {
    const held = await Promise.all(
      refused.map(async ({ key, changes }) => {
        const { Item } = await client.send(
          new GetCommand({
            TableName: tableName,
            Key: key,
            ConsistentRead: true,
            ProjectionExpression: '#names',
            ExpressionAttributeNames: { '#names': naming.attribute },
          }),
        );
        const names: unknown = Item?.[naming.attribute];
        return names instanceof Set ? changes.filter((change) => names.has(change.name)) : [];
      }),
    );
    return new Set(held.flat());
  };

  /** Counts one chunk of one subject's changes, retrying as the cancellation reasons say. */
  const tallyChunk = async (chunk: readonly C[]): Promise<'done' | 'missing' | 'gave-up'> => {
    let pending = [...chunk];
    const happened = new Set<string>();
    let contended = false;
    const about = kind.describe(chunk[0] as C);
    const outcome = await retrying<'done' | 'missing'>(
      async () => {
        const write = await kind.plan(pending, happened);
        if (write === 'missing') return 'missing';
        if (write.counted.length === 0) {
          logLine('info', {
            msg: `${kind.label}: none countable; nothing written`,
            ...about,
            notCounted: pending.length,
          });
          return 'done';
        }
        const receipts = receiptWrites(tableName, naming, write.counted);
        const once = (write.once ?? []).flatMap((item) => item.items);
        try {
          await client.send(
            new TransactWriteCommand({ TransactItems: [...write.subject, ...receipts.items, ...once] }),
          );
          logLine('info', {
            msg: `${kind.label} tallied`,
            ...about,
            changes: pending.length,
            ...write.summary,
          });
          return 'done';
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          const cancellation = readCancellation(error, write, receipts.roles);
          const counted = await alreadyCounted(cancellation.refusedReceipts);
          pending = pending.filter((change) => !counted.has(change));
          for (const name of cancellation.happened) happened.add(name);
          contended = cancellation.contended;
          return pending.length === 0 ? 'done' : RETRY;
        }
      },
      // Dropping counted changes or once-only writes that happened needs no wait; contention does.
      { attempts: maxAttempts, pause: (attempt) => (contended ? pause(attempt) : Promise.resolve()) },
    );
    return outcome === RETRY ? 'gave-up' : outcome;
  };

  /** Counts one subject's changes chunk by chunk, each reading the last one's count; the sequence numbers to deliver again. */
  const tallySubject = async (changes: readonly C[]): Promise<string[]> => {
    const about = kind.describe(changes[0] as C);
    for (let start = 0; start < changes.length; start += MAX_CHANGES_PER_TRANSACTION) {
      const outcome = await tallyChunk(changes.slice(start, start + MAX_CHANGES_PER_TRANSACTION));
      if (outcome === 'missing') {
        // Nothing can ever count these; retrying would only hold up the shard.
        logLine('warn', {
          msg: `${kind.label}: nothing to count them on; skipped`,
          ...about,
          changes: changes.length,
        });
        return [];
      }
      if (outcome === 'gave-up') {
        logLine('error', {
          msg: `${kind.label} not tallied after retries; the stream will deliver them again`,
          ...about,
          attempts: maxAttempts,
        });
        return changes.slice(start).flatMap((change) => change.sequenceNumbers);
      }
    }
    return [];
  };

  return async (records) => {
    const groups = groupBySubject(records, kind.changesOf);
    // Subjects are independent: their transactions run side by side.
    const results = await Promise.allSettled(groups.map(tallySubject));
    const failed = results.flatMap((result, index) => {
      if (result.status === 'fulfilled') return result.value;
      const group = groups[index] ?? [];
      logLine('error', {
        msg: `${kind.label} tally failed; the stream will deliver the records again`,
        ...(group[0] ? kind.describe(group[0]) : {}),
        error: String(result.reason),
        ...(result.reason instanceof TallyError ? result.reason.context : {}),
      });
      return group.flatMap((change) => change.sequenceNumbers);
    });
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
