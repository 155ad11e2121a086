import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { z } from 'zod';
import { CommentState, STANCES, type Stance } from '../../domain/consultations/comment';
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
 * The comment count tally: the stream consumer that keeps, per consultation
 * and per target (a block of the draft, or the whole consultation), how many
 * **visible** comments were made there with each stance — what the
 * consultation's page shows, summed per section of the current version. The
 * page reads these counters, never the comments.
 *
 * Every command's change of a comment bumps its `revision`. A record's effect
 * is the difference of its two images: a comment counts 1 under its target and
 * stance while it is visible, 0 otherwise (waiting, rejected, hidden,
 * deleted). So posting a visible comment adds one, approving a waiting one
 * adds one, hiding or deleting a visible one takes one away, restoring adds it
 * back; an edit of a visible comment, or the vote tally's write of its counts,
 * changes nothing. Each change is named `<revision>+` or `<revision>-` in the
 * comment's own receipt (`COUNTED`), so a redelivered record counts nothing
 * twice (the engine of `receipt-tally.ts`).
 */

const CommentImageSchema = z.object({
  communityId: z.string().min(1),
  consultationId: z.string().min(1),
  id: z.string().min(1),
  target: z.union([
    z.object({ kind: z.literal('whole') }),
    z.object({ kind: z.string(), id: z.string().min(1) }),
  ]),
  stance: z.enum(STANCES as [Stance, ...Stance[]]),
  state: z.string(),
  revision: z.int().positive(),
});
type CommentImage = z.infer<typeof CommentImageSchema>;

/** One change of one comment's counted presence: +1 or −1 under one target and stance. */
interface CountChange extends ReceiptChange {
  readonly communityId: string;
  readonly consultationId: string;
  /** Undefined: the whole consultation. */
  readonly targetId: string | undefined;
  readonly stance: Stance;
  readonly delta: 1 | -1;
}

const targetOf = (image: CommentImage): string | undefined =>
  'id' in image.target ? image.target.id : undefined;

/** What a record changes in the counts: nothing, one +1 or −1, or a −1 and a +1 (a stance or target that moved). */
function readChanges(record: DynamoDBRecord): CountChange[] {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return [];
  const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
  const image = (wire: unknown) => (wire ? unmarshall(wire as Record<string, AttributeValue>) : undefined);
  const after = CommentImageSchema.safeParse(image(record.dynamodb?.NewImage));
  const before =
    record.eventName === 'MODIFY'
      ? CommentImageSchema.safeParse(image(record.dynamodb?.OldImage))
      : undefined;
  if (!after.success || (before && !before.success)) {
    logLine('error', {
      msg: 'comment record without the fields the count tally needs: skipped',
      sequenceNumber,
    });
    return [];
  }
  const previous = before?.success && before.data.state === CommentState.visible ? before.data : undefined;
  const next = after.data.state === CommentState.visible ? after.data : undefined;
  if (previous && next && targetOf(previous) === targetOf(next) && previous.stance === next.stance) {
    return [];
  }
  const change = (comment: CommentImage, delta: 1 | -1): CountChange => {
    const targetId = targetOf(comment);
    const counter = keys.commentCounter(comment.communityId, comment.consultationId, targetId);
    return {
      subject: `${counter.PK}\n${counter.SK}`,
      name: `${after.data.revision}${delta > 0 ? '+' : '-'}`,
      receipt: keys.commentCountReceipt(comment.communityId, comment.id),
      receiptFields: {
        entity: Entity.commentCountReceipt,
        communityId: comment.communityId,
        commentId: comment.id,
      },
      communityId: comment.communityId,
      consultationId: comment.consultationId,
      targetId,
      stance: comment.stance,
      delta,
      sequenceNumbers: [sequenceNumber],
    };
  };
  return [...(previous ? [change(previous, -1)] : []), ...(next ? [change(next, 1)] : [])];
}

/**
 * The tally as the stream handler routes comment INSERTs and MODIFYs to it.
 * @example
 * const { batchItemFailures } = await commentCountTally({ client, tableName })(records);
 */
export function commentCountTally(
  dependencies: ReceiptTallyDependencies,
): (records: readonly DynamoDBRecord[]) => Promise<DynamoDBBatchResponse> {
  const { tableName } = dependencies;
  return receiptTally<CountChange>(dependencies, {
    label: 'comment counts',
    changesOf: readChanges,
    describe: (change) => ({
      communityId: change.communityId,
      consultationId: change.consultationId,
      targetId: change.targetId ?? null,
    }),
    plan: countingAll(async (changes) => {
      const { communityId, consultationId, targetId } = changes[0] as CountChange;
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {
        ':entity': Entity.commentCounter,
        ':communityId': communityId,
        ':consultationId': consultationId,
        ':targetId': targetId ?? null,
      };
      const adds = STANCES.map((stance, index) => {
        names[`#s${index}`] = stance;
        values[`:s${index}`] = changes.reduce(
          (sum, change) => sum + (change.stance === stance ? change.delta : 0),
          0,
        );
        return `#s${index} :s${index}`;
      });
      return {
        Update: {
          TableName: tableName,
          Key: keys.commentCounter(communityId, consultationId, targetId),
          UpdateExpression:
            'SET entity = :entity, communityId = :communityId, consultationId = :consultationId, ' +
            `targetId = :targetId ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      };
    }),
  });
}

/** The tally as the stream handler calls it: configuration and client are read per invocation. */
export function tallyCommentCounts(records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  const config = loadConfig();
  return commentCountTally({ client: documentClient(config), tableName: config.tableName })(records);
}
