import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { z } from 'zod';
import type { Survey, SurveyAnswers } from '../../domain/consultations/survey';
import type { SurveyResponse } from '../../domain/consultations/survey-results';
import {
  questionCounterNames,
  questionOfCounter,
  type SurveyCounters,
  surveyTallyDelta,
} from '../../domain/consultations/survey-tally';
import { consultationFromItem, SURVEY_COUNTER_ATTRIBUTE_PREFIX } from '../consultations/items';
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
 * The survey tally: the stream consumer that keeps a consultation's survey
 * results as counters (`domain/consultations/survey-tally.ts`), so that the
 * public results read a few counter items, never the responses.
 *
 * A resident's response is one item, written again when they replace their
 * answers; each write bumps its `revision`. The table's stream carries both
 * images (`NEW_AND_OLD_IMAGES`), so a record's effect is
 * `surveyTallyDelta(survey, old, new)`: the old answers taken away, the new
 * ones added, overall and under each district (a respondent whose token now
 * names another district moves). An old image without a `revision` was written
 * before this tally counted anything, so there is nothing of it to take away.
 *
 * **Layout.** The counters of one scope (everyone, or one district) are split
 * into **pages** of whole questions, at most {@link MAX_COUNTERS_PER_PAGE}
 * counters each, so that a page's update stays within DynamoDB's 4 KB
 * expression limit and a page item stays small (tens of KB at most, a few
 * hundred bytes for a usual survey): the largest survey (100 questions of 50
 * options) needs about 25 pages, a usual one needs one. Each page is a subject of
 * the receipt engine (`receipt-tally.ts`): one transaction per page per chunk of
 * at most 80 changes, so a hot consultation's batch of responses becomes one
 * write per page touched (everyone's pages plus those of the districts in the
 * batch), not one per response, and a transaction holds the page and a few receipts.
 * The pages live in one partition of their own (the results query it whole);
 * the receipts in one partition per page, off it.
 *
 * **Exactly once.** A change is named `<respondent id>.<revision>` in the
 * receipt of its page and of the second of its `submittedAt`: a function of the
 * record alone, so a batch delivered again, cut elsewhere or raced by another
 * consumer counts nothing twice.
 *
 * The survey is read once per consultation per batch: it cannot change once
 * the consultation is open, and responses are taken only then.
 */

/** Counters on one page at most: an ADD of each (`#cN :cN, `, 13 characters) keeps the expression under 4 KB. */
export const MAX_COUNTERS_PER_PAGE = 240;

/** Receipts hold the first 20 hex characters (80 bits) of the respondent key: collisions are negligible. */
const RESPONDENT_ID_LENGTH = 20;

const ResponseImageSchema = z.object({
  communityId: z.string().min(1),
  consultationId: z.string().min(1),
  respondentKey: z.string().min(RESPONDENT_ID_LENGTH),
  answers: z.record(z.string(), z.unknown()),
  districtId: z.string().min(1).optional(),
  submittedAt: z.string().min(19),
  revision: z.int().positive().optional(),
});
type ResponseImage = z.infer<typeof ResponseImageSchema>;

/** One record's change of one counter page. */
interface PageChange extends ReceiptChange {
  readonly communityId: string;
  readonly consultationId: string;
  /** Undefined: everyone's counters. */
  readonly districtId: string | undefined;
  readonly page: number;
  readonly counters: SurveyCounters;
}

/**
 * The page of each question's counters: questions in survey order, a new page
 * whenever the next question's counters would not fit. The respondents counter is on page 0.
 * @example counterPages(survey).get('mode') // → 0
 */
export function counterPages(survey: Survey): Map<string, number> {
  const pages = new Map<string, number>();
  let page = 0;
  let used = 1;
  for (const question of survey.questions) {
    const size = questionCounterNames(question).length;
    if (used + size > MAX_COUNTERS_PER_PAGE) {
      page += 1;
      used = 0;
    }
    pages.set(question.id, page);
    used += size;
  }
  return pages;
}

const consultationOf = (image: { communityId: string; consultationId: string }) =>
  `${image.communityId}\n${image.consultationId}`;

const asResponse = (image: ResponseImage): SurveyResponse => ({
  answers: image.answers as SurveyAnswers,
  ...(image.districtId === undefined ? {} : { districtId: image.districtId }),
});

const imageOf = (wire: unknown) => (wire ? unmarshall(wire as Record<string, AttributeValue>) : undefined);

/** The response images of a record; undefined (and logged) for one the tally cannot read. */
function imagesOf(record: DynamoDBRecord): { before?: ResponseImage; after: ResponseImage } | undefined {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return undefined;
  const after = ResponseImageSchema.safeParse(imageOf(record.dynamodb?.NewImage));
  const before =
    record.eventName === 'MODIFY'
      ? ResponseImageSchema.safeParse(imageOf(record.dynamodb?.OldImage))
      : undefined;
  if (!after.success || after.data.revision === undefined || (before && !before.success)) {
    logLine('error', {
      msg: 'survey response record without the fields the survey tally needs: skipped',
      sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
    });
    return undefined;
  }
  return { after: after.data, ...(before?.success ? { before: before.data } : {}) };
}

/** A consultation's survey, and the page of each question's counters. */
interface CountedSurvey {
  readonly survey: Survey;
  readonly pages: ReadonlyMap<string, number>;
}

/** The page changes a record carries, given the surveys of the batch's consultations. */
function changesOf(surveys: ReadonlyMap<string, CountedSurvey | undefined>) {
  return (record: DynamoDBRecord): PageChange[] => {
    const images = imagesOf(record);
    if (!images) return [];
    const { after } = images;
    const revision = after.revision as number;
    // An old image without a revision was written before this tally counted anything: nothing to take away.
    const before = images.before?.revision === undefined ? undefined : images.before;
    if (before && (before.revision as number) >= revision) return [];
    const counted = surveys.get(consultationOf(after));
    if (!counted) {
      logLine('warn', {
        msg: 'survey response of a consultation without a survey: not counted',
        communityId: after.communityId,
        consultationId: after.consultationId,
      });
      return [];
    }
    const delta = surveyTallyDelta(counted.survey, before && asResponse(before), asResponse(after));
    const second = after.submittedAt.slice(0, 19);
    const scopes: [string | undefined, SurveyCounters][] = [
      [undefined, delta.overall],
      ...Object.entries(delta.byDistrict),
    ];
    return scopes.flatMap(([districtId, counters]) => {
      const byPage = new Map<number, Record<string, number>>();
      for (const [name, amount] of Object.entries(counters)) {
        const questionId = questionOfCounter(name);
        const page = questionId === undefined ? 0 : (counted.pages.get(questionId) ?? 0);
        const onPage = byPage.get(page) ?? {};
        onPage[name] = amount;
        byPage.set(page, onPage);
      }
      return [...byPage].map(([page, pageCounters]): PageChange => {
        const counter = keys.surveyCounter(after.communityId, after.consultationId, districtId, page);
        return {
          subject: `${counter.PK}\n${counter.SK}`,
          name: `${after.respondentKey.slice(0, RESPONDENT_ID_LENGTH)}.${revision}`,
          receipt: keys.surveyCountReceipt(after.communityId, after.consultationId, districtId, page, second),
          receiptFields: {
            entity: Entity.surveyCountReceipt,
            communityId: after.communityId,
            consultationId: after.consultationId,
          },
          communityId: after.communityId,
          consultationId: after.consultationId,
          districtId,
          page,
          counters: pageCounters,
          sequenceNumbers: [record.dynamodb?.SequenceNumber ?? ''],
        };
      });
    });
  };
}

/**
 * The tally as the stream handler routes survey-response INSERTs and MODIFYs to it.
 * @example
 * const { batchItemFailures } = await surveyTally({ client, tableName })(records);
 */
export function surveyTally(
  dependencies: ReceiptTallyDependencies,
): (records: readonly DynamoDBRecord[]) => Promise<DynamoDBBatchResponse> {
  const { client, tableName } = dependencies;

  /** The survey of every consultation the batch's responses belong to. */
  const surveysOf = async (records: readonly DynamoDBRecord[]) => {
    const consultations = new Map<string, { communityId: string; consultationId: string }>();
    for (const record of records) {
      const image = ResponseImageSchema.safeParse(imageOf(record.dynamodb?.NewImage));
      if (image.success) consultations.set(consultationOf(image.data), image.data);
    }
    const surveys = new Map<string, CountedSurvey | undefined>();
    await Promise.all(
      [...consultations].map(async ([at, { communityId, consultationId }]) => {
        const { Item } = await client.send(
          new GetCommand({ TableName: tableName, Key: keys.consultation(communityId, consultationId) }),
        );
        const survey = Item ? consultationFromItem(Item).survey : undefined;
        surveys.set(at, survey && { survey, pages: counterPages(survey) });
      }),
    );
    return surveys;
  };

  return async (records) =>
    receiptTally<PageChange>(dependencies, {
      label: 'survey counts',
      changesOf: changesOf(await surveysOf(records)),
      describe: (change) => ({
        communityId: change.communityId,
        consultationId: change.consultationId,
        districtId: change.districtId ?? null,
        page: change.page,
      }),
      plan: countingAll(async (changes) => {
        const { communityId, consultationId, districtId, page } = changes[0] as PageChange;
        const totals = new Map<string, number>();
        for (const change of changes) {
          for (const [name, amount] of Object.entries(change.counters)) {
            totals.set(name, (totals.get(name) ?? 0) + amount);
          }
        }
        const names: Record<string, string> = { '#page': 'page' };
        const values: Record<string, unknown> = {
          ':entity': Entity.surveyCounter,
          ':communityId': communityId,
          ':consultationId': consultationId,
          ':page': page,
        };
        const adds = [...totals]
          .filter(([, amount]) => amount !== 0)
          .map(([name, amount], index) => {
            names[`#c${index}`] = `${SURVEY_COUNTER_ATTRIBUTE_PREFIX}${name}`;
            values[`:c${index}`] = amount;
            return `#c${index} :c${index}`;
          });
        if (districtId !== undefined) {
          names['#districtId'] = 'districtId';
          values[':districtId'] = districtId;
        }
        return {
          Update: {
            TableName: tableName,
            Key: keys.surveyCounter(communityId, consultationId, districtId, page),
            UpdateExpression:
              'SET entity = :entity, communityId = :communityId, consultationId = :consultationId, #page = :page' +
              `${districtId === undefined ? '' : ', #districtId = :districtId'}` +
              `${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        };
      }),
    })(records);
}

/** The tally as the stream handler calls it: configuration and client are read per invocation. */
export function tallySurveyResponses(records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  const config = loadConfig();
  return surveyTally({ client: documentClient(config), tableName: config.tableName })(records);
}
