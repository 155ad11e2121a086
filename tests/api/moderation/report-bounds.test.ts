import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ModerationType } from '../../../domain/moderation/item';
import { decisionLogPut } from '../../../functions/moderation/items';
import { REPORT_MAX_DAYS, REPORT_MAX_DECISIONS } from '../../../functions/moderation/routes';
import { loadConfig } from '../../../functions/shared/config';
import { documentClient } from '../../../functions/shared/dynamo';
import { keys } from '../../../functions/shared/keys';
import { DEMO_COMMUNITY_ID } from '../../../infra/local/demo';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

/**
 * The transparency report's cost is bounded: a period of at most
 * {@link REPORT_MAX_DAYS} days, and at most {@link REPORT_MAX_DECISIONS}
 * decisions read; a busier period is refused, never reported from a part.
 * The cap is set small here (as `REPORT_MAX_DECISIONS` in the environment):
 * the same code path, without writing 20,000 decisions beside a busy suite.
 * Each decision written here carries {@link PADDING} bytes the report never
 * reads (its query projects only the fields it counts, but DynamoDB's 1 MB
 * page is of whole items), so the cap is several 1 MB queries' worth and the
 * read pages, as 20,000 real decisions of about 200 bytes would; the test
 * counts those queries. DynamoDB Local pays per item more than per byte:
 * 1,000 such items cost a third of what 6,000 bare ones did.
 */
const CAP = 1_000;
/** Bytes of an attribute the report does not read: CAP decisions make about 2.6 MB, three pages. */
const PADDING = 2_500;

let api: TestRuntime;
const report = (query: string) =>
  api.call(`/v1/communities/${DEMO_COMMUNITY_ID}/moderation/report?${query}`, {
    headers: { 'accept-language': 'en' },
  });

/**
 * `report(query)`, and how many queries of the decision log it took: the
 * runtime's handlers run in this process, on the one client per endpoint.
 */
async function reportCountingQueries(query: string) {
  const client = documentClient({ dynamoEndpoint: api.table.endpoint, region: api.table.region });
  const partition = keys.moderationDecision(DEMO_COMMUNITY_ID, '', '').PK;
  const send = vi.spyOn(client, 'send');
  try {
    const response = await report(query);
    await jsonOf(response);
    const queries = send.mock.calls.filter(
      ([command]) =>
        command instanceof QueryCommand && command.input.ExpressionAttributeValues?.[':pk'] === partition,
    );
    return { response, queries: queries.length };
  } finally {
    send.mockRestore();
  }
}

/** `count` decisions in the decision log, at `decidedAt` (2020, far from anything the demo holds). */
async function logDecisions(count: number, decidedAt: string, firstIndex: number) {
  const client = documentClient({ dynamoEndpoint: api.table.endpoint, region: api.table.region });
  const items = Array.from(
    { length: count },
    (_, index) =>
      decisionLogPut(
        api.table.tableName,
        {
          communityId: DEMO_COMMUNITY_ID,
          id: `petition.p${String(firstIndex + index).padStart(6, '0')}`,
          type: ModerationType.petition,
        },
        { decision: 'approve', decidedBy: 'moderator', decidedAt, onAppeal: false, waitedSeconds: index % 7 },
      ).Put?.Item as Record<string, unknown>,
  ).map((item) => ({ ...item, padding: 'x'.repeat(PADDING) }));
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, batch) =>
    items.slice(batch * 25, batch * 25 + 25),
  );
  // A few batches at a time: DynamoDB Local takes them faster than one by one.
  for (let start = 0; start < batches.length; start += 8) {
    await Promise.all(
      batches.slice(start, start + 8).map(async (batch) => {
        let pending = batch.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const result = await client.send(
            new BatchWriteCommand({ RequestItems: { [api.table.tableName]: pending } }),
          );
          pending = (result.UnprocessedItems?.[api.table.tableName] ?? []) as typeof pending;
        }
      }),
    );
  }
}

beforeAll(async () => {
  vi.stubEnv('REPORT_MAX_DECISIONS', String(CAP));
  api = await startTestRuntime();
  // Exactly the most one report reads on 10 March, and one more on 20 March.
  await logDecisions(CAP, '2020-03-10T12:00:00.000Z', 0);
  await logDecisions(1, '2020-03-20T12:00:00.000Z', CAP);
});

afterAll(async () => {
  await api.stop();
  vi.unstubAllEnvs();
});

describe('the bounds of the transparency report', () => {
  it(`takes a period of exactly ${REPORT_MAX_DAYS} days (2020), and then counts its decisions`, async () => {
    const response = await report('from=2020-01-01&to=2021-01-01');

    // Not the period's 400: the year holds one decision too many for a report.
    expect(response.status).toBe(422);
  });

  it(`refuses a period longer than ${REPORT_MAX_DAYS} days with 400 naming from, in uk and en`, async () => {
    const english = await report('from=2020-01-01&to=2021-01-02');
    const ukrainian = await api.call(
      `/v1/communities/${DEMO_COMMUNITY_ID}/moderation/report?from=2020-01-01T00:00:00Z&to=2021-01-01T00:00:01Z`,
      { headers: { 'accept-language': 'uk' } },
    );

    expect(english.status).toBe(400);
    expect(await jsonOf(english)).toMatchObject({
      code: 'validation_failed',
      detail: expect.stringContaining(`${REPORT_MAX_DAYS} days`),
      errors: [{ pointer: '/query/from' }],
    });
    expect(ukrainian.status).toBe(400);
    expect((await jsonOf(ukrainian)).detail).toContain(`${REPORT_MAX_DAYS} днів`);
  });

  it(`reports a period of exactly the cap (${CAP}) of decisions, every one of them`, async () => {
    const { response, queries } = await reportCountingQueries('from=2020-03-01&to=2020-03-15');
    const body = await jsonOf(response);

    expect(response.status).toBe(200);
    // More than one 1 MB page: the report followed the pages to the end.
    expect(queries).toBeGreaterThan(1);
    expect(body.decisions).toBe(CAP);
    expect(body.byMonth).toEqual({ '2020-03': CAP });
    expect(body.medianSecondsToDecision).toBe(3);
  });

  it(`refuses a period with more than the cap (${CAP}) of decisions with 422, never a partial report`, async () => {
    const response = await report('from=2020-03-01&to=2020-04-01');

    expect(response.status).toBe(422);
    expect(await jsonOf(response)).toMatchObject({
      code: 'report_too_large',
      detail: expect.stringContaining('shorter period'),
      limit: CAP,
    });
  });

  it('still reports the quieter rest of that month', async () => {
    const response = await report('from=2020-03-15&to=2020-04-01');

    expect(response.status).toBe(200);
    expect((await jsonOf(response)).decisions).toBe(1);
  });
});

describe('the cap of the transparency report', () => {
  it(`is ${REPORT_MAX_DECISIONS} decisions unless the environment sets another`, () => {
    expect(REPORT_MAX_DECISIONS).toBe(20_000);
    expect(loadConfig({ TABLE_NAME: 't' }).reportMaxDecisions).toBeUndefined();
    expect(loadConfig({ TABLE_NAME: 't', REPORT_MAX_DECISIONS: '6000' }).reportMaxDecisions).toBe(6_000);
  });
});
