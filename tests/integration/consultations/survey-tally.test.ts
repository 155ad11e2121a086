import { createHash } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SurveyResponseToWrite } from '../../../domain/consultations/commands/submit-survey-response';
import { type Consultation, ConsultationPhase } from '../../../domain/consultations/consultation';
import { SURVEY_LIMITS, type Survey, SurveySchema } from '../../../domain/consultations/survey';
import { surveyResults } from '../../../domain/consultations/survey-results';
import { surveyResultsFromCounters } from '../../../domain/consultations/survey-tally';
import { consultationToItem, surveyResponseItem } from '../../../functions/consultations/items';
import { dynamoConsultationStore } from '../../../functions/consultations/store';
import { resultsView } from '../../../functions/consultations/views';
import { documentClient } from '../../../functions/shared/dynamo';
import { Entity, keys } from '../../../functions/shared/keys';
import { handler } from '../../../functions/streams/handler';
import { surveyTally } from '../../../functions/streams/survey-tally';
import { drainWith } from '../../support/stream';
import { createTestTable, type TestTable } from '../../support/table';

const COMMUNITY = 'survey';
const CONSULTATION = '01JDCONSULTATION0000000000';

let table: TestTable;
const client = () => documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
const store = () => dynamoConsultationStore(client(), table.tableName);
const tally = () =>
  surveyTally({ client: client(), tableName: table.tableName, pause: async () => undefined });

const title = { uk: 'Питання', en: 'Question' };
const options = (...ids: string[]) => ids.map((id) => ({ id, label: title }));

const SURVEY = SurveySchema.parse({
  questions: [
    { id: 'mode', type: 'single', title, options: options('car', 'bus', 'bike') },
    { id: 'needs', type: 'multiple', title, options: options('lanes', 'racks', 'showers'), max: 3 },
    { id: 'rating', type: 'scale', range: '0-10', title },
    { id: 'order', type: 'ranking', title, options: options('trees', 'benches', 'light') },
    { id: 'why', type: 'text', maxLength: 100, title },
  ],
});

/** 10 questions of 50 options: its counters need several pages. */
const WIDE_SURVEY = SurveySchema.parse({
  questions: Array.from({ length: 10 }, (_, at) => ({
    id: `q${at}`,
    type: at % 2 === 0 ? 'ranking' : 'multiple',
    title,
    options: options(...Array.from({ length: 50 }, (_, option) => `option-${option}`)),
    ...(at % 2 === 0 ? { top: 5 } : { max: 50 }),
  })),
});

/** A long slug: the largest survey's counter names are long. */
const longId = (prefix: string, at: number, length: number) =>
  `${prefix}${String(at).padStart(2, '0')}-${'x'.repeat(length - 4)}`;

/**
 * The largest survey the limits allow: 100 questions of 50 options, question
 * ids of 64 characters, option ids of 24 (longer ones would not fit the
 * consultation's item, 400 KB).
 */
const LARGEST_SURVEY = SurveySchema.parse({
  questions: Array.from({ length: SURVEY_LIMITS.maxQuestions }, (_, at) => ({
    id: longId('q', at, 64),
    type: at % 2 === 0 ? 'ranking' : 'multiple',
    title,
    options: Array.from({ length: SURVEY_LIMITS.maxOptions }, (_, option) => ({
      id: longId('o', option, 24),
      label: title,
    })),
    ...(at % 2 === 0 ? {} : { max: SURVEY_LIMITS.maxOptions }),
  })),
});

async function putConsultation(survey: Survey): Promise<void> {
  const consultation: Consultation = {
    id: CONSULTATION,
    communityId: COMMUNITY,
    title: 'Mobility',
    summary: 'On getting around.',
    ownerDepartment: 'Transport',
    opensAt: '2026-05-01T00:00:00.000Z',
    closesAt: '2026-06-01T00:00:00.000Z',
    phase: ConsultationPhase.open,
    currentVersion: 1,
    versions: [],
    createdBy: 'council',
    createdAt: '2026-04-01T00:00:00.000Z',
    revision: 1,
    survey,
  };
  await client().send(new PutCommand({ TableName: table.tableName, Item: consultationToItem(consultation) }));
}

const respondentKey = (respondent: number) =>
  createHash('sha256').update(`resident-${respondent}`).digest('hex');

const DISTRICTS = ['north', 'south', 'east', undefined] as const;

/** Resident `respondent`'s answers, varied by `round` so that a replacement changes them. */
function answersOf(respondent: number, round: number): Record<string, unknown> {
  const turn = respondent + round;
  return {
    mode: ['car', 'bus', 'bike'][turn % 3] as string,
    ...(turn % 4 === 0 ? {} : { needs: ['lanes', 'racks', 'showers'].slice(0, 1 + (turn % 3)) }),
    rating: (respondent * 7 + round) % 11,
    ...(turn % 2 === 0
      ? {
          order: [
            ['trees', 'benches', 'light'],
            ['light', 'trees', 'benches'],
          ][round % 2],
        }
      : {}),
    ...(turn % 5 === 0 ? { why: `Reason ${respondent}` } : {}),
  };
}

/** A response as the route writes it; a later round is submitted later (a replacement). */
const respond = (
  respondent: number,
  round: number,
  answers = answersOf(respondent, round),
  district = DISTRICTS[(respondent + round) % DISTRICTS.length],
) => {
  const response: SurveyResponseToWrite = {
    communityId: COMMUNITY,
    consultationId: CONSULTATION,
    respondentKey: respondentKey(respondent),
    answers: answers as SurveyResponseToWrite['answers'],
    ...(district ? { districtId: district } : {}),
    submittedAt: new Date(Date.UTC(2026, 4, 2, 10, round, respondent % 60, respondent)).toISOString(),
  };
  return store().submitResponse(response);
};

/** What the public sees from the counters, and what it would see computed from every response. */
async function shownAndReference(survey: Survey) {
  const counters = await store().surveyCounters(COMMUNITY, CONSULTATION);
  const responses = await store().responses(COMMUNITY, CONSULTATION);
  return {
    shown: resultsView(surveyResultsFromCounters(survey, counters)),
    reference: resultsView(surveyResults(survey, responses)),
    respondents: responses.length,
  };
}

/** The survey-response records of the table's stream so far, as Lambda delivers them, in stream order. */
async function responseRecords(): Promise<DynamoDBRecord[]> {
  const records: DynamoDBRecord[] = [];
  await drainWith(
    table,
    async (event) => {
      records.push(...event.Records);
      return { batchItemFailures: [] };
    },
    { batchSize: 1000 },
  );
  return records.filter((record) => record.dynamodb?.NewImage?.entity?.S === Entity.surveyResponse);
}

const snapshot = async () =>
  (await table.scanAll()).sort((a, b) => `${a.PK}|${a.SK}`.localeCompare(`${b.PK}|${b.SK}`));

/** 40 residents answer at once; then 15 of them answer again at once (other answers, some from another district). */
async function responsesAndReplacements(): Promise<void> {
  const first = await Promise.all(Array.from({ length: 40 }, (_, respondent) => respond(respondent, 0)));
  expect(first.every((outcome) => outcome === 'created')).toBe(true);
  const again = await Promise.all(Array.from({ length: 15 }, (_, at) => respond(at * 2, 1)));
  expect(again.every((outcome) => outcome === 'replaced')).toBe(true);
}

// Unknown records are logged on purpose; keep the test output clean.
beforeAll(() => vi.stubEnv('LOG_LEVEL', 'silent'));
afterAll(() => vi.unstubAllEnvs());

beforeEach(async () => {
  table = await createTestTable('survey');
});

describe('survey counters on DynamoDB Local', () => {
  it('count concurrent responses and replacements exactly, overall and per district, as the results over every response', async () => {
    await putConsultation(SURVEY);
    await responsesAndReplacements();

    // Small batches: many transactions on the same counter pages, as on a busy stream.
    await drainWith(table, handler, { batchSize: 7 });

    const { shown, reference, respondents } = await shownAndReference(SURVEY);
    expect(respondents).toBe(40);
    expect(shown).toEqual(reference);
    expect(shown.respondents).toBe(40);
    expect(Object.values(shown.byDistrict).reduce((sum, district) => sum + district.respondents, 0)).toBe(
      (await store().responses(COMMUNITY, CONSULTATION)).filter((response) => response.districtId).length,
    );
    expect(shown.questions.rating).toMatchObject({ type: 'scale', answered: 40 });
    expect(shown.questions.mode).toMatchObject({ type: 'single', answered: 40 });
  });

  it('count a batch raced by several consumers exactly once', async () => {
    await putConsultation(SURVEY);
    await responsesAndReplacements();
    const batch = await responseRecords();
    expect(batch).toHaveLength(55);

    const responses = await Promise.all([tally()(batch), tally()(batch), tally()([...batch].reverse())]);

    expect(responses.flatMap((response) => response.batchItemFailures)).toEqual([]);
    const { shown, reference } = await shownAndReference(SURVEY);
    expect(shown).toEqual(reference);
    expect(shown.respondents).toBe(40);
  });

  it('change nothing when the records are delivered again, whole, in part, cut elsewhere or at once', async () => {
    await putConsultation(SURVEY);
    await responsesAndReplacements();
    const batch = await responseRecords();
    expect((await tally()(batch)).batchItemFailures).toEqual([]);
    const before = await snapshot();

    for (const redelivery of [
      batch,
      batch.slice(20),
      [...batch.slice(41), ...batch.slice(3, 30), ...batch],
    ]) {
      expect((await tally()(redelivery)).batchItemFailures).toEqual([]);
      expect(await snapshot()).toEqual(before);
    }
    await Promise.all([tally()(batch.slice(0, 30)), tally()(batch.slice(10)), tally()([...batch].reverse())]);

    expect(await snapshot()).toEqual(before);
    const { shown, reference } = await shownAndReference(SURVEY);
    expect(shown).toEqual(reference);
  });

  it('count a replacement from a batch cut between the first answers and the new ones', async () => {
    await putConsultation(SURVEY);
    await respond(1, 0, { mode: 'car', rating: 3 }, 'north');
    await respond(1, 1, { mode: 'bike', rating: 9 }, 'south');
    const [created, replaced] = await responseRecords();

    // The replacement first (a retried later batch), then the first answers: sums do not mind the order.
    expect((await tally()([replaced as DynamoDBRecord])).batchItemFailures).toEqual([]);
    expect(
      (await tally()([created as DynamoDBRecord, replaced as DynamoDBRecord])).batchItemFailures,
    ).toEqual([]);

    const { shown, reference } = await shownAndReference(SURVEY);
    expect(shown).toEqual(reference);
    expect(shown.questions.mode).toEqual({
      type: 'single',
      answered: 1,
      counts: { car: 0, bus: 0, bike: 1 },
    });
    expect(shown.byDistrict).toEqual({ south: { respondents: 1, questions: {} } });
  });

  it('take nothing away for a response written before responses had a revision: it was never counted', async () => {
    await putConsultation(SURVEY);
    const legacy = {
      communityId: COMMUNITY,
      consultationId: CONSULTATION,
      respondentKey: respondentKey(1),
      answers: { mode: 'car' },
      submittedAt: '2026-05-02T09:00:00.000Z',
    };
    await client().send(new PutCommand({ TableName: table.tableName, Item: surveyResponseItem(legacy) }));
    await respond(1, 0, { mode: 'bus' }, 'north');

    await drainWith(table, handler);

    const { shown } = await shownAndReference(SURVEY);
    expect(shown.respondents).toBe(1);
    expect(shown.questions.mode).toEqual({
      type: 'single',
      answered: 1,
      counts: { car: 0, bus: 1, bike: 0 },
    });
  });

  it('split a wide survey’s counters into pages that each stay small, and still count exactly', async () => {
    await putConsultation(WIDE_SURVEY);
    const ids = Array.from({ length: 50 }, (_, option) => `option-${option}`);
    const wide = (respondent: number) =>
      Object.fromEntries(
        WIDE_SURVEY.questions.map((question, at) => [
          question.id,
          at % 2 === 0
            ? ids.slice(respondent, respondent + 5)
            : ids.filter((_, option) => (option + respondent) % 3 === 0),
        ]),
      );
    await Promise.all(
      Array.from({ length: 12 }, (_, respondent) => respond(respondent, 0, wide(respondent))),
    );

    await drainWith(table, handler, { batchSize: 5 });

    const { shown, reference } = await shownAndReference(WIDE_SURVEY);
    expect(shown).toEqual(reference);
    const { Items = [] } = await client().send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.surveyCounterPartition(COMMUNITY, CONSULTATION).PK },
      }),
    );
    const everyonesPages = Items.filter((item) => item.districtId === undefined);
    expect(everyonesPages.length).toBeGreaterThanOrEqual(3);
    for (const page of Items) expect(Object.keys(page).length).toBeLessThanOrEqual(240 + 8);
  });

  it('count the largest survey, every option of every question answered, within DynamoDB’s limits', async () => {
    await putConsultation(LARGEST_SURVEY);
    const everything = (respondent: number) =>
      Object.fromEntries(
        LARGEST_SURVEY.questions.map((question) => {
          const ids = 'options' in question ? question.options.map((option) => option.id) : [];
          return [question.id, respondent % 2 === 0 ? ids : [...ids].reverse()];
        }),
      );
    await Promise.all([0, 1, 2].map((respondent) => respond(respondent, 0, everything(respondent), 'north')));

    // The tally would report failures (and the poller dead letters) on an expression or item over the limits.
    await drainWith(table, handler);

    const { shown, reference } = await shownAndReference(LARGEST_SURVEY);
    expect(shown).toEqual(reference);
    expect(shown.respondents).toBe(3);
    const pages = await table.scanAll();
    const counterPages = pages.filter((item) => item.entity === Entity.surveyCounter);
    // 100 questions of 51 counters, 4 to a page of at most 240: 25 pages, for everyone and for the district.
    expect(counterPages).toHaveLength(50);
  });
});
