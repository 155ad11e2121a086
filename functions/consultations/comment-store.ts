import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Comment } from '../../domain/consultations/comment';
import { type ConsultationStore, MAX_REPLIES_READ, MAX_SECTION_READ } from '../../domain/consultations/ports';
import type { CommentOrder } from '../../domain/consultations/ranking';
import { batchGetAll, queryAll, readItem, setExpression } from '../shared/dynamo';
import { mergedAfter, pageOfRows } from '../shared/export-pages';
import { Entity, keys } from '../shared/keys';
import { commitWithEvents, newPut, type TransactItem } from '../shared/outbox';
import { commentFromItem, commentOwned, commentToItem, counterFromItem, STORED_NO_VOTE } from './items';
import { queueWrites } from './queue';

/**
 * How comments, their counters and their votes are stored: the comment half of
 * {@link ConsultationStore}, which `store.ts` joins with the consultation half.
 */

/**
 * Partitions a section's list reads at once: a draft without headings has up
 * to 2,000 top-level paragraphs, each its own partition in GSI2.
 */
const TARGET_QUERY_CONCURRENCY = 16;

/** Items asked of one partition at a time when merging many: small, as most blocks have few comments. */
const MERGE_PAGE_SIZE = 25;

/** The index and partition that hold a consultation's top-level comments in `order`. */
function orderIndex(communityId: string, consultationId: string, order: CommentOrder) {
  switch (order) {
    case 'newest':
      return {
        index: 'GSI1',
        partition: keys.commentsOfConsultation(communityId, consultationId).GSI1PK,
      } as const;
    case 'top':
      return { index: 'GSI3', partition: keys.commentsByTop(communityId, consultationId).GSI3PK } as const;
    case 'controversial':
      return {
        index: 'GSI4',
        partition: keys.commentsByControversy(communityId, consultationId).GSI4PK,
      } as const;
  }
}
/**
 * The conditional update of a comment's command-owned attributes over the
 * revision it was read at; the tally's vote counts are left alone.
 */
export function commentUpdate(tableName: string, previous: Comment, next: Comment): TransactItem {
  const set = setExpression(commentOwned(next));
  return {
    Update: {
      TableName: tableName,
      Key: keys.comment(previous.communityId, previous.id),
      UpdateExpression: `SET ${set.assignments.join(', ')}`,
      ConditionExpression: '#revision = :expectedRevision',
      ExpressionAttributeNames: { ...set.names, '#revision': 'revision' },
      ExpressionAttributeValues: { ...set.values, ':expectedRevision': previous.revision },
    },
  };
}

/** The comments and votes methods of {@link ConsultationStore}, on DynamoDB. */
export type CommentStore = Pick<
  ConsultationStore,
  | 'comment'
  | 'postComment'
  | 'saveComment'
  | 'comments'
  | 'commentPage'
  | 'commentIdsAmong'
  | 'commentCounts'
  | 'topLevelComments'
  | 'replies'
  | 'commentsOn'
  | 'vote'
  | 'withdrawVote'
  | 'voteOf'
>;

/** The DynamoDB implementation of the comment half of {@link ConsultationStore}. */
export function dynamoCommentStore(client: DynamoDBDocumentClient, tableName: string): CommentStore {
  const committed = async (items: readonly TransactItem[], events: Parameters<typeof commitWithEvents>[3]) =>
    (await commitWithEvents(client, tableName, items, events)) === 'committed' ? 'saved' : 'conflict';

  const getItem = (key: { PK: string; SK: string }) => readItem(client, tableName, key);

  /** Every comment: the top-level ones and the replies, each in its own GSI1 partition. */
  const allComments = async (communityId: string, consultationId: string) =>
    (
      await Promise.all(
        [
          keys.commentsOfConsultation(communityId, consultationId).GSI1PK,
          keys.repliesOfConsultation(communityId, consultationId).GSI1PK,
        ].map((partition) =>
          queryAll(client, {
            TableName: tableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': partition },
          }),
        ),
      )
    )
      .flat()
      .map(commentFromItem);

  /**
   * Up to `cap` items of these GSI2 partitions together, newest first: a merge
   * that reads each partition a small page at a time, only as far as the merge
   * needs it. So a section's list reads at most `cap` items plus a page per
   * block, however many comments the consultation has.
   */
  const newestAcross = async (partitions: readonly string[], cap: number) => {
    const pageSize = Math.min(cap, MERGE_PAGE_SIZE);
    const sources = partitions.map((partition) => ({
      partition,
      buffer: [] as Record<string, unknown>[],
      startKey: undefined as Record<string, unknown> | undefined,
      done: false,
    }));
    const refill = async (source: (typeof sources)[number]) => {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk',
          ExpressionAttributeValues: { ':pk': source.partition },
          ScanIndexForward: false,
          Limit: pageSize,
          ExclusiveStartKey: source.startKey,
        }),
      );
      source.buffer.push(...(page.Items ?? []));
      source.startKey = page.LastEvaluatedKey;
      source.done = page.LastEvaluatedKey === undefined;
    };
    for (let first = 0; first < sources.length; first += TARGET_QUERY_CONCURRENCY) {
      await Promise.all(sources.slice(first, first + TARGET_QUERY_CONCURRENCY).map(refill));
    }
    const merged: Record<string, unknown>[] = [];
    while (merged.length < cap) {
      // A partition whose page ran out but that has more must show its next item before any is taken.
      const starved = sources.filter((source) => source.buffer.length === 0 && !source.done);
      for (let first = 0; first < starved.length; first += TARGET_QUERY_CONCURRENCY) {
        await Promise.all(starved.slice(first, first + TARGET_QUERY_CONCURRENCY).map(refill));
      }
      let newest: (typeof sources)[number] | undefined;
      for (const source of sources) {
        const head = source.buffer[0];
        if (head && (!newest || (head.GSI2SK as string) > (newest.buffer[0]?.GSI2SK as string)))
          newest = source;
      }
      const next = newest?.buffer.shift();
      if (!next) break;
      merged.push(next);
    }
    return merged;
  };

  return {
    async comment(communityId, commentId) {
      const item = await getItem(keys.comment(communityId, commentId));
      return item ? commentFromItem(item) : undefined;
    },

    async postComment(consultation, comment, events) {
      const result = await commitWithEvents(
        client,
        tableName,
        [
          newPut(tableName, commentToItem(comment)),
          ...(await queueWrites({ client, tableName }, consultation, undefined, comment)),
        ],
        events,
      );
      if (result !== 'committed') throw new Error(`Comment ${comment.id} exists already`);
    },

    saveComment: async (consultation, previous, next, events) =>
      committed(
        [
          commentUpdate(tableName, previous, next),
          ...(await queueWrites({ client, tableName }, consultation, previous, next)),
        ],
        events,
      ),

    comments: allComments,

    async commentPage(communityId, consultationId, page) {
      const taken = await pageOfRows(
        mergedAfter(client, {
          tableName,
          indexName: 'GSI1',
          partitionAttribute: 'GSI1PK',
          sortAttribute: 'GSI1SK',
          partitions: [
            keys.commentsOfConsultation(communityId, consultationId).GSI1PK,
            keys.repliesOfConsultation(communityId, consultationId).GSI1PK,
          ],
          after: page.after,
          chunk: Math.min(page.rows + 1, 500),
        }),
        page,
        commentFromItem,
        page.sizeOf,
      );
      return { items: taken.rows, ...(taken.after === undefined ? {} : { after: taken.after }) };
    },

    async commentIdsAmong(communityId, consultationId, ids) {
      const unique = [...new Set(ids)];
      const items = await batchGetAll(
        client,
        tableName,
        unique.map((id) => keys.comment(communityId, id)),
        'id, consultationId',
      );
      return new Set(
        items.filter((item) => item.consultationId === consultationId).map((item) => item.id as string),
      );
    },

    async commentCounts(communityId, consultationId) {
      const counters = keys.commentCounters(communityId, consultationId);
      const items = await queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': counters.PK, ':prefix': counters.SKPrefix },
      });
      return items.map(counterFromItem);
    },

    async topLevelComments(communityId, consultationId, order, limit, after) {
      const { index, partition } = orderIndex(communityId, consultationId, order);
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index,
          KeyConditionExpression:
            after === undefined ? `${index}PK = :pk` : `${index}PK = :pk AND ${index}SK < :after`,
          ExpressionAttributeValues: {
            ':pk': partition,
            ...(after === undefined ? {} : { ':after': after }),
          },
          ScanIndexForward: false,
          // One more than asked: whether a next page exists is known without another request.
          Limit: limit + 1,
        }),
      );
      const items = (page.Items ?? []).map((item) => ({
        comment: commentFromItem(item),
        key: item[`${index}SK`] as string,
      }));
      // A query also stops at 1 MB of items (comments are up to 5,000 characters): then there is more
      // even though fewer items came back than were asked for.
      const more = items.length > limit || page.LastEvaluatedKey !== undefined;
      return { items: items.slice(0, limit), more };
    },

    async replies(communityId, consultationId, threadIds) {
      const threads = await Promise.all(
        threadIds.map(async (threadId) => {
          const items: Record<string, unknown>[] = [];
          let startKey: Record<string, unknown> | undefined;
          do {
            const page = await client.send(
              new QueryCommand({
                TableName: tableName,
                IndexName: 'GSI3',
                KeyConditionExpression: 'GSI3PK = :pk',
                ExpressionAttributeValues: {
                  ':pk': keys.repliesOfThread(communityId, consultationId, threadId).GSI3PK,
                },
                Limit: MAX_REPLIES_READ - items.length,
                ExclusiveStartKey: startKey,
              }),
            );
            items.push(...(page.Items ?? []));
            startKey = page.LastEvaluatedKey;
          } while (startKey && items.length < MAX_REPLIES_READ);
          return [threadId, items.map(commentFromItem)] as const;
        }),
      );
      return new Map(threads);
    },

    async commentsOn(communityId, consultationId, targets) {
      const partitions = [
        ...(targets.whole ? [keys.commentsOnTarget(communityId, consultationId, undefined).GSI2PK] : []),
        ...targets.blockIds.map(
          (blockId) => keys.commentsOnTarget(communityId, consultationId, blockId).GSI2PK,
        ),
      ];
      return (await newestAcross(partitions, MAX_SECTION_READ)).map(commentFromItem);
    },

    async vote(vote) {
      const voteIndex = keys.commentVoteIndex(
        vote.communityId,
        vote.consultationId,
        vote.commentId,
        vote.voterKey,
      );
      try {
        const result = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.commentVote(vote.communityId, vote.commentId, vote.voterKey),
            UpdateExpression:
              'SET entity = :entity, communityId = :communityId, consultationId = :consultationId, ' +
              'commentId = :commentId, voterKey = :voterKey, #value = :value, votedAt = :votedAt, ' +
              // Listed per consultation on GSI1, so that the retention job can find and erase it.
              'GSI1PK = :votesBucket, GSI1SK = :voteSort ADD seq :one',
            // One vote per resident and comment; voting the same again writes nothing (and so counts nothing).
            ConditionExpression: 'attribute_not_exists(#value) OR #value <> :value',
            ExpressionAttributeNames: { '#value': 'value' },
            ExpressionAttributeValues: {
              ':entity': Entity.commentVote,
              ':communityId': vote.communityId,
              ':consultationId': vote.consultationId,
              ':commentId': vote.commentId,
              ':voterKey': vote.voterKey,
              ':value': vote.value,
              ':votedAt': vote.votedAt,
              ':votesBucket': voteIndex.GSI1PK,
              ':voteSort': voteIndex.GSI1SK,
              ':one': 1,
            },
            ReturnValues: 'ALL_OLD',
          }),
        );
        const before = result.Attributes?.value;
        return before === undefined || before === STORED_NO_VOTE ? 'cast' : 'changed';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'unchanged';
        throw error;
      }
    },

    async withdrawVote(withdrawal) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.commentVote(withdrawal.communityId, withdrawal.commentId, withdrawal.voterKey),
            UpdateExpression: 'SET #value = :none, votedAt = :votedAt ADD seq :one',
            ConditionExpression: '#value IN (:up, :down)',
            ExpressionAttributeNames: { '#value': 'value' },
            ExpressionAttributeValues: {
              ':none': STORED_NO_VOTE,
              ':up': 'up',
              ':down': 'down',
              ':votedAt': withdrawal.votedAt,
              ':one': 1,
            },
          }),
        );
        return 'withdrawn';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'none';
        throw error;
      }
    },

    async voteOf(communityId, commentId, voterKey) {
      const item = await getItem(keys.commentVote(communityId, commentId, voterKey));
      if (!item || item.value === STORED_NO_VOTE) return undefined;
      return { value: item.value as 'up' | 'down', votedAt: item.votedAt as string };
    },
  };
}
