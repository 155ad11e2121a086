import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Consultation } from '../../domain/consultations/consultation';
import type { Draft } from '../../domain/consultations/draft';
import type { ConsultationStore } from '../../domain/consultations/ports';
import { RetentionKind } from '../../domain/retention/retention';
import { auditPuts } from '../audit/intents';
import { retentionEntryPut } from '../retention/entries';
import {
  dueQuery,
  indexPage,
  itemsOfBuckets,
  itemsUnder,
  queryAll,
  readItem,
  setExpression,
} from '../shared/dynamo';
import { mergedAfter, pageOfRows } from '../shared/export-pages';
import { keys, SURVEY_RESPONSE_BUCKETS } from '../shared/keys';
import { commitWithEvents, newPut, type TransactItem } from '../shared/outbox';
import { dynamoCommentStore } from './comment-store';
import {
  consultationFromItem,
  consultationToItem,
  draftFromItems,
  draftItems,
  reportFromItem,
  reportToItem,
  surveyCountersFromItems,
  surveyResponseFromItem,
  surveyResponseItem,
} from './items';

export { commentUpdate } from './comment-store';

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
  draftItems(consultation.communityId, consultation.id, draft).map((item) => newPut(tableName, item));

/**
 * The DynamoDB implementation of {@link ConsultationStore}: consultations,
 * their draft versions, reports and survey responses here, comments and votes
 * in `comment-store.ts`.
 */
export function dynamoConsultationStore(
  client: DynamoDBDocumentClient,
  tableName: string,
): ConsultationStore {
  const committed = async (items: readonly TransactItem[], events: Parameters<typeof commitWithEvents>[3]) =>
    (await commitWithEvents(client, tableName, items, events)) === 'committed' ? 'saved' : 'conflict';

  const getItem = (key: { PK: string; SK: string }) => readItem(client, tableName, key);

  return {
    ...dynamoCommentStore(client, tableName),

    async get(communityId, consultationId) {
      const item = await getItem(keys.consultation(communityId, consultationId));
      return item ? consultationFromItem(item) : undefined;
    },

    async draft(communityId, consultationId, version) {
      const parts = keys.consultationDraftVersion(communityId, consultationId, version);
      const items = await itemsUnder(client, tableName, parts.PK, parts.SKPrefix);
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
          newPut(tableName, reportToItem(report)),
          // A published report puts the consultation on the retention schedule: respondents' data expires from then.
          retentionEntryPut(tableName, {
            kind: RetentionKind.consultation,
            communityId: consultation.communityId,
            subjectId: consultation.id,
            endedAt: report.publishedAt,
          }),
          ...auditPuts(tableName, audit),
        ],
        events,
      ),

    async report(communityId, consultationId) {
      const item = await getItem(keys.consultationReport(communityId, consultationId));
      return item ? reportFromItem(item) : undefined;
    },

    list(query) {
      const partition = keys.consultationListing(query.communityId, query.phase).GSI1PK;
      return indexPage(client, tableName, { index: 'GSI1', partition, page: query }, consultationFromItem);
    },

    async dueForPhaseChange(now) {
      const items = await queryAll(client, dueQuery(tableName, keys.consultationScheduleDue.GSI2PK, now));
      return items.map((item) => ({
        communityId: item.communityId as string,
        consultationId: item.id as string,
      }));
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
        ExpressionAttributeValues: { ':pk': keys.surveyCounterPartition(communityId, consultationId).PK },
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
          partitions: Array.from(
            { length: SURVEY_RESPONSE_BUCKETS },
            (_, bucket) => keys.surveyResponseBucket(communityId, consultationId, bucket).GSI1PK,
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
      const items = await itemsOfBuckets(
        client,
        tableName,
        SURVEY_RESPONSE_BUCKETS,
        (bucket) => keys.surveyResponseBucket(communityId, consultationId, bucket).GSI1PK,
      );
      return items.map(surveyResponseFromItem);
    },
  };
}
