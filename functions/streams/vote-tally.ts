import { type AttributeValue, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { z } from 'zod';
import { type VoteCounts, type VoteValue, voteDelta } from '../../domain/consultations/comment';
import { STORED_NO_VOTE } from '../consultations/items';
import { loadConfig } from '../shared/config';
import { documentClient } from '../shared/dynamo';
import { Entity, type ItemKey, keys } from '../shared/keys';
import { logLine } from '../shared/log';
import type { TransactItem } from '../shared/outbox';

/**
 * The comment vote tally: the stream consumer that turns vote writes into a
 * comment's `up` and `down`, counting every change exactly once.
 *
 * A vote is one item per voter and comment, written with one conditional
 * update; every change (a first vote, a change of mind, a withdrawal) bumps
 * its `seq`. So each INSERT or MODIFY record is one change, named by
 * `(voter, seq)`, and its effect on the counts is `voteDelta(old, new)` of the
 * record's own two images. Those deltas add up to the current votes in any
 * order, which is why the counters can be updated with `ADD` and need no
 * read-then-write.
 *
 * **Exactly once.** The transaction that ADDs a chunk of changes to a comment
 * also adds their names to **receipts**: per comment, one item per second of
 * `votedAt` (`RECEIPT#2026-05-02T08:00:00`), whose `changes` is a string set,
 * added under the condition that none of them is in it yet. A record always
 * carries the same `votedAt`, voter and `seq`, so its receipt is a function of
 * the record alone: a batch delivered again (whole, in part, cut elsewhere,
 * concurrently or much later) meets the same receipts and counts nothing twice.
 * A receipt that refuses is read, the changes already in it are dropped, and
 * the rest are counted in a retry. This is the signature tally's design
 * (`tally.ts`), without thresholds.
 *
 * One transaction per comment per chunk of at most {@link MAX_CHANGES_PER_TRANSACTION}:
 * the comment (ADD, on the condition that it exists) and a receipt per second.
 * After {@link MAX_ATTEMPTS} attempts the comment's records go back to the
 * stream as batch item failures; the receipts make that safe.
 */

/** A transaction takes at most 100 items; each receipt's condition has one `NOT contains` per change (4 KB max). */
export const MAX_CHANGES_PER_TRANSACTION = 80;

/** Receipts hold the first 20 hex characters (80 bits) of the voter key: collisions are negligible. */
const VOTER_ID_LENGTH = 20;

const CHANGES = 'changes';

export const MAX_ATTEMPTS = 8;

export interface VoteTallyDependencies {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Waits before retry number `attempt`; a jittered exponential pause by default. */
  readonly pause?: (attempt: number) => Promise<void>;
  readonly maxAttempts?: number;
}

const VoteImageSchema = z.object({
  PK: z.string(),
  communityId: z.string().min(1),
  commentId: z.string().min(1),
  voterKey: z.string().min(VOTER_ID_LENGTH),
  value: z.enum(['up', 'down', STORED_NO_VOTE]),
  votedAt: z.string().min(19),
  seq: z.int().positive(),
});

/** One change of one vote, and every stream record that carried it. */
interface PendingChange {
  readonly communityId: string;
  readonly commentId: string;
  /** `<voter id>.<seq>`: what the receipt of {@link second} holds once the change is counted. */
  readonly name: string;
  readonly second: string;
  readonly delta: VoteCounts;
  readonly sequenceNumbers: string[];
}

const asVote = (value: string | undefined): VoteValue | undefined =>
  value === 'up' || value === 'down' ? value : undefined;

/** The change a record carries; undefined (and logged) for one that is not a vote change. */
function readChange(record: DynamoDBRecord): PendingChange | undefined {
  const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
  const image = (wire: unknown) => (wire ? unmarshall(wire as Record<string, AttributeValue>) : undefined);
  const after = VoteImageSchema.safeParse(image(record.dynamodb?.NewImage));
  const before =
    record.eventName === 'MODIFY' ? VoteImageSchema.safeParse(image(record.dynamodb?.OldImage)) : undefined;
  if (!after.success || (before && !before.success)) {
    logLine('error', { msg: 'vote record without the fields the tally needs: skipped', sequenceNumber });
    return undefined;
  }
  const previous = before?.success ? before.data : undefined;
  if (previous && previous.seq >= after.data.seq) return undefined;
  const vote = after.data;
  return {
    communityId: vote.communityId,
    commentId: vote.commentId,
    name: `${vote.voterKey.slice(0, VOTER_ID_LENGTH)}.${vote.seq}`,
    second: vote.votedAt.slice(0, 19),
    delta: voteDelta(asVote(previous?.value), asVote(vote.value)),
    sequenceNumbers: [sequenceNumber],
  };
}

interface CommentGroup {
  readonly communityId: string;
  readonly commentId: string;
  readonly changes: readonly PendingChange[];
}

/** The batch's changes per comment, in stream order, each change once (a batch may be glued to its redelivery). */
function groupByComment(records: readonly DynamoDBRecord[]): CommentGroup[] {
  const groups = new Map<
    string,
    { communityId: string; commentId: string; changes: Map<string, PendingChange> }
  >();
  for (const record of records) {
    if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') continue;
    const change = readChange(record);
    if (!change) continue;
    const groupKey = `${change.communityId}\n${change.commentId}`;
    const group = groups.get(groupKey) ?? {
      communityId: change.communityId,
      commentId: change.commentId,
      changes: new Map(),
    };
    groups.set(groupKey, group);
    const seen = group.changes.get(change.name);
    if (seen) seen.sequenceNumbers.push(...change.sequenceNumbers);
    else group.changes.set(change.name, change);
  }
  return [...groups.values()].map((group) => ({ ...group, changes: [...group.changes.values()] }));
}

type Role =
  | { readonly kind: 'comment' }
  | { readonly kind: 'receipt'; readonly key: ItemKey; readonly changes: readonly PendingChange[] };

function plan(tableName: string, group: Omit<CommentGroup, 'changes'>, changes: readonly PendingChange[]) {
  const total = changes.reduce(
    (sum, change) => ({ up: sum.up + change.delta.up, down: sum.down + change.delta.down }),
    {
      up: 0,
      down: 0,
    },
  );
  const entries: [TransactItem, Role][] = [
    [
      {
        Update: {
          TableName: tableName,
          Key: keys.comment(group.communityId, group.commentId),
          UpdateExpression: 'ADD up :up, down :down',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':up': total.up, ':down': total.down },
        },
      },
      { kind: 'comment' },
    ],
  ];
  const bySecond = new Map<string, PendingChange[]>();
  for (const change of changes) bySecond.set(change.second, [...(bySecond.get(change.second) ?? []), change]);
  for (const [second, inSecond] of bySecond) {
    const key = keys.commentVoteReceipt(group.communityId, group.commentId, second);
    const values: Record<string, unknown> = {
      ':entity': Entity.commentVoteReceipt,
      ':communityId': group.communityId,
      ':commentId': group.commentId,
      // The document client writes a Set of strings as a String Set, which ADD merges into.
      ':names': new Set(inSecond.map((change) => change.name)),
    };
    const absent = inSecond.map((change, index) => {
      values[`:c${index}`] = change.name;
      return `NOT contains(#changes, :c${index})`;
    });
    entries.push([
      {
        Update: {
          TableName: tableName,
          Key: key,
          UpdateExpression:
            'SET entity = :entity, communityId = :communityId, commentId = :commentId ADD #changes :names',
          ConditionExpression: `attribute_not_exists(#changes) OR (${absent.join(' AND ')})`,
          ExpressionAttributeNames: { '#changes': CHANGES },
          ExpressionAttributeValues: values,
        },
      },
      { kind: 'receipt', key, changes: inSecond },
    ]);
  }
  return { items: entries.map(([item]) => item), roles: entries.map(([, role]) => role), total };
}

const TRANSIENT_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/** A pause of up to 10 ms × 2^attempt (at most 250 ms), uniformly jittered so that racing tallies spread out. */
const jitteredPause = (attempt: number): Promise<void> =>
  new Promise((wake) => setTimeout(wake, Math.random() * Math.min(250, 10 * 2 ** attempt)));

/**
 * The tally as the stream handler routes vote INSERTs and MODIFYs to it.
 * @example
 * const { batchItemFailures } = await voteTally({ client, tableName })(records);
 */
export function voteTally(
  dependencies: VoteTallyDependencies,
): (records: readonly DynamoDBRecord[]) => Promise<DynamoDBBatchResponse> {
  const { client, tableName } = dependencies;
  const pause = dependencies.pause ?? jitteredPause;
  const maxAttempts = dependencies.maxAttempts ?? MAX_ATTEMPTS;

  /** The changes of refused receipts that those receipts already hold: counted by an earlier delivery. */
  const alreadyCounted = async (refused: readonly Extract<Role, { kind: 'receipt' }>[]) => {
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

  const tallyChunk = async (
    group: Omit<CommentGroup, 'changes'>,
    chunk: readonly PendingChange[],
  ): Promise<'done' | 'no-comment' | 'gave-up'> => {
    let pending = [...chunk];
    for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt += 1) {
      const { items, roles, total } = plan(tableName, group, pending);
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        logLine('info', { msg: 'comment votes tallied', ...group, changes: pending.length, ...total });
        return 'done';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'no-comment';
        const refused = roles.flatMap((role, index) =>
          role.kind === 'receipt' && reasons[index]?.Code === 'ConditionalCheckFailed' ? [role] : [],
        );
        const counted = await alreadyCounted(refused);
        pending = pending.filter((change) => !counted.has(change));
        const transient =
          reasons.length === 0 || reasons.some((reason) => TRANSIENT_REASONS.has(reason.Code ?? ''));
        // Dropping counted changes needs no wait; contention does.
        if (transient && attempt < maxAttempts) await pause(attempt);
      }
    }
    return pending.length === 0 ? 'done' : 'gave-up';
  };

  /** Counts one comment's changes chunk by chunk; the sequence numbers to deliver again. */
  const tallyComment = async ({ changes, ...group }: CommentGroup): Promise<string[]> => {
    for (let start = 0; start < changes.length; start += MAX_CHANGES_PER_TRANSACTION) {
      const outcome = await tallyChunk(group, changes.slice(start, start + MAX_CHANGES_PER_TRANSACTION));
      if (outcome === 'no-comment') {
        // Nothing can ever count these; retrying would only hold up the shard.
        logLine('warn', { msg: 'votes on a comment that does not exist: skipped', ...group });
        return [];
      }
      if (outcome === 'gave-up') {
        logLine('error', {
          msg: 'votes not tallied after retries; the stream will deliver them again',
          ...group,
        });
        return changes.slice(start).flatMap((change) => change.sequenceNumbers);
      }
    }
    return [];
  };

  return async (records) => {
    const groups = groupByComment(records);
    const results = await Promise.allSettled(groups.map(tallyComment));
    const failed = results.flatMap((result, index) => {
      if (result.status === 'fulfilled') return result.value;
      const group = groups[index];
      logLine('error', {
        msg: 'vote tally failed; the stream will deliver the records again',
        communityId: group?.communityId,
        commentId: group?.commentId,
        error: String(result.reason),
      });
      return (group?.changes ?? []).flatMap((change) => change.sequenceNumbers);
    });
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/** The tally as the stream handler calls it: configuration and client are read per invocation. */
export function tallyCommentVotes(records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  const config = loadConfig();
  return voteTally({ client: documentClient(config), tableName: config.tableName })(records);
}
