import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Appeal } from '../../../domain/appeals/appeal';
import { type Actor, Role } from '../../../domain/identity/actor';
import type { Outcome } from '../../../domain/shared/outcome';
import { AppealEvents } from '../../../events/appeals';
import { markOverdueAppeals } from '../../../functions/appeals/overdue-job';
import { appealsTool } from '../../../functions/appeals/routes';
import { dynamoAppealStatsReader } from '../../../functions/appeals/stats-store';
import { dynamoAppealStore } from '../../../functions/appeals/store';
import { appealUseCases } from '../../../functions/appeals/use-cases';
import { dynamoCommunityStore } from '../../../functions/communities/store';
import { documentClient } from '../../../functions/shared/dynamo';
import { createHttpHandler } from '../../../functions/shared/http';
import { keys } from '../../../functions/shared/keys';
import { CHANGE_ATTEMPTS } from '../../../functions/shared/use-case';
import { actor, communityAt, fixedClock, sequentialIds } from '../../support/actors';
import { createTestTable, type TestTable } from '../../support/table';

// The overdue job against DynamoDB Local: it marks what passed its due day, once, however often it runs.

let table: TestTable;
const settings = {
  appeals: {
    units: [
      {
        id: 'roads',
        names: { uk: 'Дороги', en: 'Roads' },
        head: { issuer: 'https://issuer.test', subject: 'head' },
      },
    ],
    categories: [
      { id: 'potholes', names: { uk: 'Ями', en: 'Potholes' }, unitId: 'roads', kinds: ['appeal'] },
    ],
  },
};
const first = communityAt('2026-01-01T00:00:00.000Z', settings, 'od1');
const second = communityAt('2026-01-01T00:00:00.000Z', settings, 'od2');
const council = actor({ subject: 'council', roles: new Set([Role.council]) });
const resident = (communityId: string): Actor =>
  actor({ subject: `r-${communityId}`, signerKey: communityId.padEnd(64, '0'), residency: { communityId } });
/** Kyiv noon of `day`. */
const at = (day: string) => fixedClock(`${day}T09:00:00.000Z`);
const noPause = { attempts: CHANGE_ATTEMPTS, pause: async () => {} };

const value = <T>(outcome: Outcome<T>): T => {
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message.en}`);
  return outcome.value;
};

const client = () => documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
const useCases = () => appealUseCases(dynamoAppealStore(client(), table.tableName), noPause);
const run = (day: string) => markOverdueAppeals(client(), table.tableName, at(day), sequentialIds(), noPause);
const overdueEvents = async () =>
  (await table.scanAll()).filter(
    (item) => item.entity === 'outbox' && (item.event as { name: string }).name === AppealEvents.overdue,
  );
const stored = (appeal: Appeal) =>
  dynamoAppealStore(client(), table.tableName).get(appeal.communityId, appeal.id);

/** An appeal registered on `day` (due 30 days later, on a working day). */
const submitOn = async (community = first, day: string) =>
  value(
    await useCases().submit(
      { actor: resident(community.id), clock: at(day), ids: sequentialIds() },
      community,
      {
        kind: 'appeal',
        categoryId: 'potholes',
        title: 'Pothole',
        text: 'Fix it',
        appealType: 'complaint',
      },
    ),
  );

let dueYesterday: Appeal;
let dueYesterdayElsewhere: Appeal;
let dueToday: Appeal;
let dueTomorrow: Appeal;
let answered: Appeal;

beforeAll(async () => {
  process.env.LOG_LEVEL = 'silent';
  table = await createTestTable('overdue');
  process.env.ISSUERS = JSON.stringify([{ issuer: 'https://issuer.test', audience: 'a' }]);
  process.env.SIGNER_SECRET = 'test-secret';
  await dynamoCommunityStore(client(), table.tableName).create(first, [], []);
  // The job runs on Wednesday 2026-06-17 (Kyiv).
  dueYesterday = await submitOn(first, '2026-05-17');
  dueYesterdayElsewhere = await submitOn(second, '2026-05-17');
  dueToday = await submitOn(first, '2026-05-18');
  dueTomorrow = await submitOn(first, '2026-05-19');
  const closing = await submitOn(first, '2026-05-10');
  answered = value(
    await useCases().answer(
      { actor: council, clock: at('2026-06-12'), ids: sequentialIds() },
      first,
      closing.id,
      {
        text: 'Done',
      },
    ),
  );
});

describe('the overdue job', () => {
  it('marks exactly the open items due before today, in every community, with one event each', async () => {
    expect([dueYesterday.dueOn, dueToday.dueOn, dueTomorrow.dueOn, answered.dueOn]).toEqual([
      '2026-06-16',
      '2026-06-17',
      '2026-06-18',
      '2026-06-09',
    ]);

    const outcome = await run('2026-06-17');

    expect(outcome).toEqual({ marked: 2, skipped: 0, failed: 0 });
    expect((await stored(dueYesterday))?.overdueSince).toBe('2026-06-17');
    expect((await stored(dueYesterdayElsewhere))?.overdueSince).toBe('2026-06-17');
    expect((await stored(dueToday))?.overdueSince).toBeUndefined();
    expect((await stored(dueTomorrow))?.overdueSince).toBeUndefined();
    const events = await overdueEvents();
    expect(
      events.map((item) => (item.event as { detail: { appealId: string } }).detail.appealId).sort(),
    ).toEqual([dueYesterday.id, dueYesterdayElsewhere.id].sort());
  });

  it('never marks a closed item: answered after its due day, it left the schedule with its answer', async () => {
    const item = await stored(answered);
    expect(item?.status).toBe('answered');
    expect(item?.overdueSince).toBeUndefined();
    const raw = (await table.scanAll()).find(
      (candidate) => candidate.PK === keys.appeal(first.id, answered.id).PK && candidate.SK === 'APPEAL',
    );
    expect(raw?.GSI2PK).toBeUndefined();
  });

  it('emits nothing more when run again the same day', async () => {
    expect(await run('2026-06-17')).toEqual({ marked: 0, skipped: 0, failed: 0 });
    expect(await overdueEvents()).toHaveLength(2);
  });

  it('marks each newly overdue item once when two runs overlap', async () => {
    const runs = await Promise.all([run('2026-06-19'), run('2026-06-19')]);

    // Today's and tomorrow's items of the first run are overdue now: one run marked each, the other
    // found it marked (or already off the schedule).
    expect(runs.reduce((sum, outcome) => sum + outcome.marked, 0)).toBe(2);
    expect(runs.reduce((sum, outcome) => sum + outcome.failed, 0)).toBe(0);
    expect(await overdueEvents()).toHaveLength(4);
    expect((await stored(dueToday))?.overdueSince).toBe('2026-06-19');
    expect((await stored(dueTomorrow))?.overdueSince).toBe('2026-06-19');
    expect(await run('2026-06-20')).toEqual({ marked: 0, skipped: 0, failed: 0 });
  });

  it('keeps the statistics equal to the items: overdue now, and answered after overdue', async () => {
    value(
      await useCases().answer(
        { actor: council, clock: at('2026-06-22'), ids: sequentialIds() },
        first,
        dueToday.id,
        {
          text: 'Late, sorry',
        },
      ),
    );
    const reader = dynamoAppealStatsReader(client(), table.tableName);
    const counters = (await reader.statsOf(first.id, '2026-05', '2026-05')).map((stats) => stats.counters);
    expect(counters).toEqual([
      {
        received: 4,
        answered: 2,
        answeredAfterOverdue: 1,
        'answeredIn#33': 1,
        'answeredIn#35': 1,
        overdueNow: 2,
      },
    ]);
  });

  it('lists the unit’s overdue items for its staff with overdue=true: due before today, the earliest first', async () => {
    const page = await useCases().listUnit({
      communityId: first.id,
      unitId: 'roads',
      open: true,
      dueBefore: '2026-06-18',
      limit: 10,
    });
    expect(page.items.map((item) => item.id)).toEqual([dueYesterday.id]);
    const all = await useCases().listUnit({ communityId: first.id, unitId: 'roads', open: true, limit: 10 });
    expect(all.items.map((item) => item.id)).toEqual([dueYesterday.id, dueTomorrow.id]);
  });

  it('answers GET …/appeals?overdue=true to the unit’s head with the past-due items only', async () => {
    const handler = createHttpHandler(appealsTool, { clock: at('2026-06-18') });
    const list = async (query: string) => {
      const path = `/v1/communities/${first.id}/appeals`;
      const routeKey = 'GET /v1/communities/{communityId}/appeals';
      const event = {
        version: '2.0',
        routeKey,
        rawPath: path,
        rawQueryString: query,
        queryStringParameters: Object.fromEntries(new URLSearchParams(query)),
        headers: { authorization: 'Bearer verified.by.api-gateway', 'accept-language': 'en' },
        pathParameters: { communityId: first.id },
        requestContext: {
          http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'vitest' },
          requestId: 'req-overdue',
          routeKey,
          stage: '$default',
          authorizer: { jwt: { claims: { iss: 'https://issuer.test', sub: 'head' }, scopes: [] } },
        },
        isBase64Encoded: false,
      } as unknown as APIGatewayProxyEventV2;
      const response = await (
        handler as unknown as (
          e: APIGatewayProxyEventV2,
          c: object,
        ) => Promise<{ statusCode: number; body: string }>
      )(event, {});
      return {
        status: response.statusCode,
        ids: (JSON.parse(response.body).items ?? []).map((i: Appeal) => i.id),
      };
    };
    // Due 16 June (marked) is past due on the 18th; due 18 June is not yet; due 17 June was answered.
    expect(await list('overdue=true')).toEqual({ status: 200, ids: [dueYesterday.id] });
    expect(await list('')).toEqual({ status: 200, ids: [dueYesterday.id, dueTomorrow.id] });
    expect((await list('overdue=yes')).status).toBe(400);
  });
});
