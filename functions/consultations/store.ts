import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Comment } from '../../domain/consultations/comment';
import type { Consultation } from '../../domain/consultations/consultation';
import type { Draft } from '../../domain/consultations/draft';
import { type ConsultationStore, MAX_REPLIES_READ, MAX_SECTION_READ } from '../../domain/consultations/ports';
import type { CommentOrder } from '../../domain/consultations/ranking';
import { auditPuts } from '../audit/intents';
import { indexPage, queryAll, setExpression } from '../shared/dynamo';
import { mergedAfter, pageOfRows } from '../shared/export-pages';
import { Entity, keys, SURVEY_RESPONSE_BUCKETS } from '../shared/keys';
import { commitWithEvents, type TransactItem } from '../shared/outbox';
import {
  commentFromItem,
  commentOwned,
  commentToItem,
  consultationFromItem,
  consultationToItem,
  counterFromItem,
  draftFromItems,
  draftItems,
  reportFromItem,
  reportToItem,
  STORED_NO_VOTE,
  surveyCountersFromItems,
  surveyResponseFromItem,
  surveyResponseItem,
} from './items';
import { queueWrites } from './queue';

/**
 * Partitions a section's list reads at once: a draft without headings has up
 * to 2,000 top-level paragraphs, each its own partition in GSI2.
 */
const TARGET_QUERY_CONCURRENCY = 16;

/** Items asked of one partition at a time when merging many: small, as most blocks have few comments. */
const MERGE_PAGE_SIZE = 25;

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_KEYS = 100;

/** The index and partition that hold a consultation's top-level comments in `order`. */
function orderIndex(communityId: string, consultationId: string, order: CommentOrder) {
  switch (order) {
    case 'newest':
      return { index: 'GSI1', partition: keys.commentsOfConsultation(communityId, consultationId) } as const;
    case 'top':
      return { index: 'GSI3', partition: keys.commentsByTop(communityId, consultationId) } as const;
    case 'controversial':
      return { index: 'GSI4', partition: keys.commentsByControversy(communityId, consultationId) } as const;
  }
}

/** The conditional write of the whole consultation over the revision it was read at (or only if absent). */
function consultationPut(
  tableName: string,
  consultation: Consultation,
  previousRevision?: number,
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: consultationToItem(consultation),
      ...(previousRevision === undefined
        ? { ConditionExpression: 'attribute_not_exists(PK)' }
        : {
            ConditionExpression: '#revision = :expected',
            ExpressionAttributeNames: { '#revision': 'revision' },
            ExpressionAttributeValues: { ':expected': previousRevision },
          }),
    },
  };
}

const draftPuts = (tableName: string, consultation: Consultation, draft: Draft): TransactItem[] =>
  draftItems(consultation.communityId, consultation.id, draft).map((item) => ({
    Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' },
  }));

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

/** The DynamoDB implementation of {@link ConsultationStore}. */
export function dynamoConsultationStore(
  client: DynamoDBDocumentClient,
  tableName: string,
): ConsultationStore {
  const committed = async (items: readonly TransactItem[], events: Parameters<typeof commitWithEvents>[3]) =>
    (await commitWithEvents(client, tableName, items, events)) === 'committed' ? 'saved' : 'conflict';

  const getItem = async (key: { PK: string; SK: string }) =>
    (await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

  /** Every comment: the top-level ones and the replies, each in its own GSI1 partition. */
  const allComments = async (communityId: string, consultationId: string) =>
    (
      await Promise.all(
        [
          keys.commentsOfConsultation(communityId, consultationId),
          keys.repliesOfConsultation(communityId, consultationId),
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
    async get(communityId, consultationId) {
      const item = await getItem(keys.consultation(communityId, consultationId));
      return item ? consultationFromItem(item) : undefined;
    },

    async draft(communityId, consultationId, version) {
      const items = await queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.consultation(communityId, consultationId).PK,
          ':prefix': keys.consultationDraftPrefix(version),
        },
        ConsistentRead: true,
      });
      return draftFromItems(items);
    },

    async create({ consultation, draft }, events, audit) {
      const result = await commitWithEvents(
        client,
        tableName,
        [
          consultationPut(tableName, consultation),
          ...draftPuts(tableName, consultation, draft),
          ...auditPuts(tableName, audit),
        ],
        events,
      );
      if (result !== 'committed') throw new Error(`Consultation ${consultation.id} exists already`);
    },

    save: (previous, next, events, audit) =>
      committed(
        [consultationPut(tableName, next, previous.revision), ...auditPuts(tableName, audit)],
        events,
      ),

    saveRevision: (previous, { consultation, draft }, events, audit) =>
      committed(
        [
          consultationPut(tableName, consultation, previous.revision),
          ...draftPuts(tableName, consultation, draft),
          ...auditPuts(tableName, audit),
        ],
        events,
      ),

    saveReport: (previous, { consultation, report }, events, audit) =>
      committed(
        [
          consultationPut(tableName, consultation, previous.revision),
          {
            Put: {
              TableName: tableName,
              Item: reportToItem(report),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          ...auditPuts(tableName, audit),
        ],
        events,
      ),

    async report(communityId, consultationId) {
      const item = await getItem(keys.consultationReport(communityId, consultationId));
      return item ? reportFromItem(item) : undefined;
    },

    list(query) {
      const partition = keys.consultationListing(query.communityId, query.phase);
      return indexPage(client, tableName, { index: 'GSI1', partition, page: query }, consultationFromItem);
    },

    async dueForPhaseChange(now) {
      const items = await queryAll(client, {
        TableName: tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :bound',
        ExpressionAttributeValues: { ':pk': keys.consultationScheduleDue, ':bound': `${now}#\uffff` },
      });
      return items.map((item) => ({
        communityId: item.communityId as string,
        consultationId: item.id as string,
      }));
    },

    async comment(communityId, commentId) {
      const item = await getItem(keys.comment(communityId, commentId));
      return item ? commentFromItem(item) : undefined;
    },

    async postComment(consultation, comment, events) {
      const result = await commitWithEvents(
        client,
        tableName,
        [
          {
            Put: {
              TableName: tableName,
              Item: commentToItem(comment),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
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
            keys.commentsOfConsultation(communityId, consultationId),
            keys.repliesOfConsultation(communityId, consultationId),
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
      const found = new Set<string>();
      const unique = [...new Set(ids)];
      for (let start = 0; start < unique.length; start += BATCH_GET_KEYS) {
        let pending: Record<string, unknown>[] = unique
          .slice(start, start + BATCH_GET_KEYS)
          .map((id) => ({ ...keys.comment(communityId, id) }));
        // BatchGetItem may return some keys unprocessed under load; ask again for those.
        for (let attempt = 0; pending.length > 0; attempt += 1) {
          if (attempt > 0) await new Promise((wake) => setTimeout(wake, 20 * 2 ** attempt));
          if (attempt > 5) throw new Error('DynamoDB left keys unprocessed after 5 retries');
          const result = await client.send(
            new BatchGetCommand({
              RequestItems: {
                [tableName]: {
                  Keys: pending,
                  ConsistentRead: true,
                  ProjectionExpression: 'id, consultationId',
                },
              },
            }),
          );
          for (const item of result.Responses?.[tableName] ?? []) {
            if (item.consultationId === consultationId) found.add(item.id as string);
          }
          pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
        }
      }
      return found;
    },

    async commentCounts(communityId, consultationId) {
      const items = await queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.consultation(communityId, consultationId).PK,
          ':prefix': keys.commentCounterPrefix,
        },
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
                  ':pk': keys.repliesOfThread(communityId, consultationId, threadId),
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
        ...(targets.whole ? [keys.commentsOnTarget(communityId, consultationId, undefined)] : []),
        ...targets.blockIds.map((blockId) => keys.commentsOnTarget(communityId, consultationId, blockId)),
      ];
      return (await newestAcross(partitions, MAX_SECTION_READ)).map(commentFromItem);
    },

    async vote(vote) {
      try {
        const result = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.commentVote(vote.communityId, vote.commentId, vote.voterKey),
            UpdateExpression:
              'SET entity = :entity, communityId = :communityId, consultationId = :consultationId, ' +
              'commentId = :commentId, voterKey = :voterKey, #value = :value, votedAt = :votedAt ADD seq :one',
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

    async submitResponse(response) {
      const { PK, SK, ...fields } = surveyResponseItem(response);
      const set = setExpression(fields);
      try {
        const result = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { PK, SK },
            // Every write bumps `revision`: the survey tally names each change by it, to count it once.
            UpdateExpression:
              `SET ${set.assignments.join(', ')} ` +
              `${response.districtId === undefined ? 'REMOVE #districtId ' : ''}ADD #revision :one`,
            // Replaceable while open, but never by a request that was overtaken by a later one.
            ConditionExpression: 'attribute_not_exists(PK) OR #submittedAt <= :submittedAt',
            ExpressionAttributeNames: {
              ...set.names,
              '#revision': 'revision',
              '#submittedAt': 'submittedAt',
              ...(response.districtId === undefined ? { '#districtId': 'districtId' } : {}),
            },
            ExpressionAttributeValues: { ...set.values, ':one': 1, ':submittedAt': response.submittedAt },
            ReturnValues: 'ALL_OLD',
          }),
        );
        return result.Attributes ? 'replaced' : 'created';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'superseded';
        throw error;
      }
    },

    async responseOf(communityId, consultationId, respondentKey) {
      const item = await getItem(keys.surveyResponse(communityId, consultationId, respondentKey));
      return item ? surveyResponseFromItem(item) : undefined;
    },

    async surveyCounters(communityId, consultationId) {
      const items = await queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.surveyCounterPartition(communityId, consultationId) },
      });
      return surveyCountersFromItems(items);
    },

    async responsePage(communityId, consultationId, page) {
      const taken = await pageOfRows(
        mergedAfter(client, {
          tableName,
          indexName: 'GSI1',
          partitionAttribute: 'GSI1PK',
          sortAttribute: 'GSI1SK',
          partitions: Array.from({ length: SURVEY_RESPONSE_BUCKETS }, (_, bucket) =>
            keys.surveyResponseBucket(communityId, consultationId, bucket),
          ),
          after: page.after,
          // Read ahead per bucket about its share of the page: the merge reads at most a chunk per bucket beyond it.
          chunk: Math.min(Math.ceil(page.rows / SURVEY_RESPONSE_BUCKETS) + 1, 500),
        }),
        page,
        surveyResponseFromItem,
        page.sizeOf,
      );
      return { items: taken.rows, ...(taken.after === undefined ? {} : { after: taken.after }) };
    },

    async responses(communityId, consultationId) {
      const buckets = await Promise.all(
        Array.from({ length: SURVEY_RESPONSE_BUCKETS }, (_, bucket) =>
          queryAll(client, {
            TableName: tableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: {
              ':pk': keys.surveyResponseBucket(communityId, consultationId, bucket),
            },
          }),
        ),
      );
      return buckets.flat().map(surveyResponseFromItem);
    },
  };
}
