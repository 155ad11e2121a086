import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Appeal } from '../../../domain/appeals/appeal';
import type { SubmitAppealInput } from '../../../domain/appeals/commands/submit-appeal';
import { type Actor, Role } from '../../../domain/identity/actor';
import type { Outcome } from '../../../domain/shared/outcome';
import { markOverdueAppeals } from '../../../functions/appeals/overdue-job';
import { appealsTool } from '../../../functions/appeals/routes';
import { dynamoAppealStore } from '../../../functions/appeals/store';
import { appealUseCases } from '../../../functions/appeals/use-cases';
import { dynamoCommunityStore } from '../../../functions/communities/store';
import { documentClient } from '../../../functions/shared/dynamo';
import { createHttpHandler } from '../../../functions/shared/http';
import { CHANGE_ATTEMPTS } from '../../../functions/shared/use-case';
import { actor, communityAt, fixedClock, sequentialIds } from '../../support/actors';
import { createTestTable, type TestTable } from '../../support/table';

// The public statistics match the items: a known mix written through the use cases and the
// overdue job on DynamoDB Local, read back through GET …/appeals/stats, against rows counted by hand.

let table: TestTable;
const community = communityAt(
  '2026-01-01T00:00:00.000Z',
  {
    appeals: {
      units: [
        { id: 'roads', names: { uk: 'Дороги', en: 'Roads' }, head: { issuer: 'i', subject: 'head-roads' } },
        { id: 'parks', names: { uk: 'Парки', en: 'Parks' }, head: { issuer: 'i', subject: 'head-parks' } },
      ],
      categories: [
        { id: 'potholes', names: { uk: 'Ями', en: 'Potholes' }, unitId: 'roads', kinds: ['appeal'] },
        {
          id: 'roads-info',
          names: { uk: 'Інфо', en: 'Info' },
          unitId: 'roads',
          kinds: ['information_request'],
        },
        { id: 'trees', names: { uk: 'Дерева', en: 'Trees' }, unitId: 'parks', kinds: ['appeal'] },
      ],
    },
  },
  'st',
);
const other = communityAt('2026-01-01T00:00:00.000Z', { appeals: community.settings.appeals }, 'st-other');
const council = actor({ subject: 'council', roles: new Set([Role.council]) });
const resident = (n: number, communityId: string): Actor =>
  actor({ subject: `r${n}`, signerKey: String(n).padStart(64, '0'), residency: { communityId } });
const noPause = { attempts: CHANGE_ATTEMPTS, pause: async () => {} };
/** Kyiv late morning of `day`. */
const at = (day: string) => fixedClock(`${day}T08:00:00.000Z`);

const value = <T>(outcome: Outcome<T>): T => {
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message.en}`);
  return outcome.value;
};

const anAppeal = (categoryId: string): SubmitAppealInput => ({
  kind: 'appeal',
  categoryId,
  title: 'Pothole',
  text: 'Fix it',
  appealType: 'complaint',
});
const aRequest: SubmitAppealInput = {
  kind: 'information_request',
  categoryId: 'roads-info',
  title: 'Contracts',
  text: 'Send the road contracts',
};

/** The stats route as API Gateway calls it, with the handler's clock at 2026-05-01. */
const handler = createHttpHandler(appealsTool, { clock: at('2026-05-01') });
async function getStats(communityId: string, query: Record<string, string> = {}) {
  const path = `/v1/communities/${communityId}/appeals/stats`;
  const routeKey = 'GET /v1/communities/{communityId}/appeals/stats';
  const rawQueryString = new URLSearchParams(query).toString();
  const event = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString,
    headers: { 'accept-language': 'en' },
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    pathParameters: { communityId },
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'api.test',
      domainPrefix: 'api',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'vitest' },
      requestId: 'req-stats',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const response = await (
    handler as unknown as (
      e: APIGatewayProxyEventV2,
      c: object,
    ) => Promise<{ statusCode: number; headers?: Record<string, string>; body?: string }>
  )(event, {});
  return {
    status: response.statusCode,
    headers: response.headers ?? {},
    body: JSON.parse(response.body ?? '{}'),
  };
}

beforeAll(async () => {
  process.env.LOG_LEVEL = 'silent';
  table = await createTestTable('appeal-stats');
  const client = documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
  const communities = dynamoCommunityStore(client, table.tableName);
  await communities.create(community, [], []);
  await communities.create(other, [], []);
  const useCases = appealUseCases(dynamoAppealStore(client, table.tableName), noPause);
  let n = 0;
  const submit = async (day: string, input: SubmitAppealInput, where = community) => {
    n += 1;
    return value(
      await useCases.submit(
        { actor: resident(n, where.id), clock: at(day), ids: sequentialIds() },
        where,
        input,
      ),
    );
  };
  const staff = (day: string) => ({ actor: council, clock: at(day), ids: sequentialIds() });
  const answer = async (day: string, appeal: Appeal) =>
    value(await useCases.answer(staff(day), community, appeal.id, { text: 'Answered' }));
  const refuse = async (day: string, appeal: Appeal, reasonCode: string) =>
    value(await useCases.refuse(staff(day), community, appeal.id, { reasonCode, text: 'Refused' }));

  // March: three appeals on potholes and three information requests, registered on Monday 2026-03-02.
  const onTime = await submit('2026-03-02', anAppeal('potholes'));
  const late = await submit('2026-03-02', anAppeal('potholes'));
  const stillOpen = await submit('2026-03-02', anAppeal('potholes'));
  expect([onTime.dueOn, late.dueOn, stillOpen.dueOn]).toEqual(['2026-04-01', '2026-04-01', '2026-04-01']);
  const notHeld = await submit('2026-03-02', aRequest);
  const restricted = await submit('2026-03-02', aRequest);
  const answeredRequest = await submit('2026-03-02', aRequest);
  await refuse('2026-03-03', notHeld, 'not_holder');
  await refuse('2026-03-03', restricted, 'restricted');
  await answer('2026-03-04', answeredRequest);
  await answer('2026-03-20', onTime);
  // The job on 2 April marks the two appeals still open; one of them is answered late on 6 April.
  expect(
    await markOverdueAppeals(client, table.tableName, at('2026-04-02'), sequentialIds(), noPause),
  ).toMatchObject({ marked: 2 });
  await answer('2026-04-06', late);
  // April: two appeals on trees (unit parks), answered in 5 and 10 days, and one forwarded.
  const trees = [
    await submit('2026-04-15', anAppeal('trees')),
    await submit('2026-04-15', anAppeal('trees')),
  ];
  await answer('2026-04-20', trees[0] as Appeal);
  await answer('2026-04-25', trees[1] as Appeal);
  const forwarded = await submit('2026-04-15', anAppeal('potholes'));
  value(
    await useCases.forward(staff('2026-04-16'), community, forwarded.id, { body: 'Oblast road service' }),
  );
  // Another community's item counts only there.
  await submit('2026-03-02', anAppeal('potholes'), other);
});

/** A row with nothing counted but what is named. */
const row = (fields: Record<string, unknown>) => ({
  received: 0,
  answered: 0,
  answeredOnTime: 0,
  answeredAfterOverdue: 0,
  overdueNow: 0,
  refused: 0,
  refusedByReason: {},
  forwarded: 0,
  ...fields,
});

const EXPECTED = [
  row({
    month: '2026-03',
    kind: 'appeal',
    categoryId: 'potholes',
    unitId: 'roads',
    received: 3,
    answered: 2,
    answeredOnTime: 1,
    answeredAfterOverdue: 1,
    // 18 days (answered 20 March) and 35 days (6 April): the mean of the two.
    medianDaysToAnswer: 26.5,
    overdueNow: 1,
  }),
  row({
    month: '2026-03',
    kind: 'information_request',
    categoryId: 'roads-info',
    unitId: 'roads',
    received: 3,
    answered: 1,
    answeredOnTime: 1,
    medianDaysToAnswer: 2,
    refused: 2,
    refusedByReason: { not_holder: 1, restricted: 1 },
  }),
  row({
    month: '2026-04',
    kind: 'appeal',
    categoryId: 'potholes',
    unitId: 'roads',
    received: 1,
    forwarded: 1,
  }),
  row({
    month: '2026-04',
    kind: 'appeal',
    categoryId: 'trees',
    unitId: 'parks',
    received: 2,
    answered: 2,
    answeredOnTime: 2,
    medianDaysToAnswer: 7.5,
  }),
];

describe('GET …/appeals/stats', () => {
  it('matches the items, row by row, to anyone without a token, with a cache header', async () => {
    const response = await getStats('st', { from: '2026-03', to: '2026-04' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ from: '2026-03', to: '2026-04', rows: EXPECTED });
    expect(response.headers['cache-control']).toMatch(/max-age=60/);
  });

  it('reads the months asked for, and by default the year up to this month', async () => {
    expect((await getStats('st', { from: '2026-04', to: '2026-04' })).body.rows).toEqual(EXPECTED.slice(2));
    expect((await getStats('st')).body).toEqual({ from: '2025-06', to: '2026-05', rows: EXPECTED });
    expect((await getStats('st', { to: '2026-02' })).body.rows).toEqual([]);
  });

  it('counts another community’s items only there', async () => {
    const response = await getStats('st-other', { from: '2026-03', to: '2026-04' });
    expect(response.body.rows).toEqual([
      row({ month: '2026-03', kind: 'appeal', categoryId: 'potholes', unitId: 'roads', received: 1 }),
    ]);
  });

  it.each([
    ['a month that is not one', { from: '2026-13' }, '/query/from'],
    ['from after to', { from: '2026-05', to: '2026-04' }, '/query/from'],
    ['more than 24 months', { from: '2024-01', to: '2026-01' }, '/query/to'],
    ['an unknown parameter', { month: '2026-03' }, '/query'],
  ])('refuses %s with 400 and the field’s pointer', async (_case, query, pointer) => {
    const response = await getStats('st', query);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors.map((error: { pointer: string }) => error.pointer)).toContain(pointer);
  });

  it('answers 404 for a community that does not exist', async () => {
    expect((await getStats('nowhere')).status).toBe(404);
  });
});
