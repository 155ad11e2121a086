import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { z } from 'zod';
import { type VoteCounts, type VoteValue, voteDelta } from '../../domain/consultations/comment';
import { commentRanking, STORED_NO_VOTE } from '../consultations/items';
import { loadConfig } from '../shared/config';
import { documentClient } from '../shared/dynamo';
import { Entity, keys } from '../shared/keys';
import { logLine } from '../shared/log';
import {
  countingAll,
  type ReceiptChange,
  type ReceiptTallyDependencies,
  receiptTally,
} from './receipt-tally';

/**
 * The comment vote tally: the stream consumer that turns vote writes into a
 * comment's `up` and `down`, counting every change exactly once.
 *
 * A vote is one item per voter and comment, written with one conditional
 * update; every change (a first vote, a change of mind, a withdrawal) bumps
 * its `seq`. So each INSERT or MODIFY record is one change, named by
 * `(voter, seq)`, and its effect on the counts is `voteDelta(old, new)` of the
 * record's own two images. Those deltas add up to the current votes in any
 * order. The comment is read and written with its new counts and its `top`
 * and `controversial` index keys in one write, on the condition that its
 * counts are still the ones read: the lists order by exactly the counts the
 * comment shows.
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
 * The receipt machinery (chunks, retries, redelivery) is the engine of
 * `receipt-tally.ts`, shared with every stream tally; this file only says what
 * a vote change is and how a comment counts it.
 */

/** Receipts hold the first 20 hex characters (80 bits) of the voter key: collisions are negligible. */
const VOTER_ID_LENGTH = 20;

export type VoteTallyDependencies = ReceiptTallyDependencies;

const VoteImageSchema = z.object({
  PK: z.string(),
  communityId: z.string().min(1),
  commentId: z.string().min(1),
  voterKey: z.string().min(VOTER_ID_LENGTH),
  value: z.enum(['up', 'down', STORED_NO_VOTE]),
  votedAt: z.string().min(19),
  seq: z.int().positive(),
});

/** One change of one vote: named `<voter id>.<seq>` in the receipt of its comment and second. */
interface VoteChange extends ReceiptChange {
  readonly communityId: string;
  readonly commentId: string;
  readonly delta: VoteCounts;
}

const asVote = (value: string | undefined): VoteValue | undefined =>
  value === 'up' || value === 'down' ? value : undefined;

/** The change a record carries; none (and logged) for one that is not a vote change. */
function readChange(record: DynamoDBRecord): VoteChange[] {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return [];
  const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
  const image = (wire: unknown) => (wire ? unmarshall(wire as Record<string, AttributeValue>) : undefined);
  const after = VoteImageSchema.safeParse(image(record.dynamodb?.NewImage));
  const before =
    record.eventName === 'MODIFY' ? VoteImageSchema.safeParse(image(record.dynamodb?.OldImage)) : undefined;
  if (!after.success || (before && !before.success)) {
    logLine('error', { msg: 'vote record without the fields the tally needs: skipped', sequenceNumber });
    return [];
  }
  const previous = before?.success ? before.data : undefined;
  if (previous && previous.seq >= after.data.seq) return [];
  const vote = after.data;
  return [
    {
      subject: `${vote.communityId}\n${vote.commentId}`,
      name: `${vote.voterKey.slice(0, VOTER_ID_LENGTH)}.${vote.seq}`,
      receipt: keys.commentVoteReceipt(vote.communityId, vote.commentId, vote.votedAt.slice(0, 19)),
      receiptFields: {
        entity: Entity.commentVoteReceipt,
        communityId: vote.communityId,
        commentId: vote.commentId,
      },
      communityId: vote.communityId,
      commentId: vote.commentId,
      delta: voteDelta(asVote(previous?.value), asVote(vote.value)),
      sequenceNumbers: [sequenceNumber],
    },
  ];
}

/**
 * The tally as the stream handler routes vote INSERTs and MODIFYs to it.
 * @example
 * const { batchItemFailures } = await voteTally({ client, tableName })(records);
 */
export function voteTally(
  dependencies: VoteTallyDependencies,
): (records: readonly DynamoDBRecord[]) => Promise<DynamoDBBatchResponse> {
  const { client, tableName } = dependencies;
  return receiptTally<VoteChange>(dependencies, {
    label: 'comment votes',
    changesOf: readChange,
    describe: (change) => ({ communityId: change.communityId, commentId: change.commentId }),
    plan: countingAll(async (changes) => {
      const { communityId, commentId } = changes[0] as VoteChange;
      const key = keys.comment(communityId, commentId);
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
      );
      if (!Item) return 'missing';
      const before = {
        up: (Item.up as number | undefined) ?? 0,
        down: (Item.down as number | undefined) ?? 0,
      };
      const after = changes.reduce(
        (sum, change) => ({ up: sum.up + change.delta.up, down: sum.down + change.delta.down }),
        before,
      );
      // Only top-level comments are ranked in the lists; replies are listed under their thread.
      const ranking =
        Item.depth === 1
          ? commentRanking(
              {
                communityId,
                consultationId: Item.consultationId as string,
                id: commentId,
                createdAt: Item.createdAt as string,
              },
              after,
            )
          : {};
      const names: Record<string, string> = { '#up': 'up', '#down': 'down' };
      const values: Record<string, unknown> = { ':up': after.up, ':down': after.down };
      const assignments = ['#up = :up', '#down = :down'];
      for (const [attribute, value] of Object.entries(ranking)) {
        names[`#${attribute}`] = attribute;
        values[`:${attribute}`] = value;
        assignments.push(`#${attribute} = :${attribute}`);
      }
      const unchanged = (attribute: 'up' | 'down') => {
        if (Item[attribute] === undefined) return `attribute_not_exists(#${attribute})`;
        values[`:was_${attribute}`] = Item[attribute];
        return `#${attribute} = :was_${attribute}`;
      };
      return {
        Update: {
          TableName: tableName,
          Key: key,
          UpdateExpression: `SET ${assignments.join(', ')}`,
          ConditionExpression: `attribute_exists(PK) AND ${unchanged('up')} AND ${unchanged('down')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      };
    }),
  });
}

/** The tally as the stream handler calls it: configuration and client are read per invocation. */
export function tallyCommentVotes(records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  const config = loadConfig();
  return voteTally({ client: documentClient(config), tableName: config.tableName })(records);
}
