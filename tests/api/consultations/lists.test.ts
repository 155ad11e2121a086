import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommentOrder, commentComparator } from '../../../domain/consultations/ranking';
import { documentClient } from '../../../functions/shared/dynamo';
import { keys } from '../../../functions/shared/keys';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';
import { call, consultationsOf, createCommunity, createConsultation, residentOf } from './support';

/**
 * The public reads of a consultation that must not grow with its comments:
 * lists page through indexes in their order, and the counts come from the
 * tally's counters.
 */

let api: TestRuntime;
const COMMUNITY = 'lists';
let council: string;
let voters: string[];
let consultationId: string;
let item: string;
/** c0 … c5, posted in this order. */
const ids: string[] = [];
let reply: string;

const get = async (path: string) => {
  const response = await api.call(path);
  expect(response.status, path).toBe(200);
  return jsonOf(response);
};

/** Each comment's votes: [voters voting up, voters voting down], by voter index. */
const VOTES: [number[], number[]][] = [
  [[0, 1, 2], []], // c0: 3 up
  [[0], [1]], // c1: 1 up, 1 down
  [
    [0, 1],
    [2, 3],
  ], // c2: 2 up, 2 down
  [[], [0]], // c3: 1 down
  [[], []], // c4: none
  [[0, 1, 2], [3]], // c5: 3 up, 1 down
];

beforeAll(async () => {
  api = await startTestRuntime();
  ({ council } = await createCommunity(api, COMMUNITY));
  voters = await Promise.all([0, 1, 2, 3].map((n) => residentOf(api, COMMUNITY, `voter-${n}`)));
  const consultation = await createConsultation(api, COMMUNITY, council, { open: true });
  consultationId = consultation.id;
  item = `${consultationsOf(COMMUNITY)}/${consultationId}`;
  for (let n = 0; n < VOTES.length; n += 1) {
    const response = await api.call(
      `${item}/comments`,
      call(voters[0], 'POST', { stance: n % 2 === 0 ? 'for' : 'against', text: `Comment ${n}` }),
    );
    expect(response.status).toBe(201);
    ids.push((await jsonOf(response)).id);
  }
  const replied = await api.call(
    `${item}/comments`,
    call(voters[1], 'POST', { stance: 'neutral', text: 'A reply', replyTo: ids[1] }),
  );
  expect(replied.status).toBe(201);
  reply = (await jsonOf(replied)).id;
  for (const [n, [ups, downs]] of VOTES.entries()) {
    for (const [value, who] of [
      ['up', ups],
      ['down', downs],
    ] as const) {
      for (const voter of who) {
        const voted = await api.call(
          `${item}/comments/${ids[n]}/votes/me`,
          call(voters[voter], 'PUT', { value }),
        );
        expect(voted.status).toBe(201);
      }
    }
  }
  await api.runtime.drain();
});

afterAll(async () => {
  await api.stop();
});

/** Every page of a list, two threads a page, following the cursors. */
async function allPages(
  sort: CommentOrder,
): Promise<{ pages: number; threads: { id: string; replies: { id: string }[] }[] }> {
  const threads: { id: string; replies: { id: string }[] }[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await get(`${item}/comments?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    threads.push(...page.items);
    cursor = page.cursor;
    pages += 1;
  } while (cursor !== undefined && pages < 10);
  return { pages, threads };
}

describe('the consultation-wide comment lists', () => {
  it.each([
    ['newest', [5, 4, 3, 2, 1, 0]],
    ['top', [0, 5, 4, 2, 1, 3]],
    ['controversial', [2, 1, 5, 4, 3, 0]],
  ] as const)('page through %s in order, two threads a page, with cursors', async (sort, order) => {
    const { pages, threads } = await allPages(sort);

    expect(pages).toBe(3);
    expect(threads.map((thread) => thread.id)).toEqual(order.map((n) => ids[n]));
    // The same order as the comparator gives over the comments' own counts.
    const ranked = await Promise.all(
      ids.map(async (id) => {
        const view = await get(`${item}/comments/${id}`);
        return { id, createdAt: view.createdAt as string, ...(view.votes as { up: number; down: number }) };
      }),
    );
    expect(threads.map((thread) => thread.id)).toEqual(
      ranked.sort(commentComparator(sort)).map((comment) => comment.id),
    );
    // Replies come with their thread, never as threads of their own.
    const withReply = threads.find((thread) => thread.id === ids[1]);
    expect(withReply?.replies.map((r) => r.id)).toEqual([reply]);
  });

  it("refuses one order's cursor on another order's list", async () => {
    const first = await get(`${item}/comments?sort=top&limit=2`);

    const elsewhere = await api.call(`${item}/comments?sort=newest&limit=2&cursor=${first.cursor}`);

    expect(elsewhere.status).toBe(400);
    expect(await jsonOf(elsewhere)).toMatchObject({ code: 'invalid_cursor' });
  });
});

describe('the consultation', () => {
  it("shows the tally's counters, not a count of its comments", async () => {
    const before = await get(item);
    expect(before.counts).toMatchObject({
      all: { total: 7, byStance: { for: 3, against: 3, neutral: 1 } },
      whole: { total: 7 },
    });

    // A counter changed behind the API's back is what the page shows: it reads no comment.
    const client = documentClient({ dynamoEndpoint: api.table.endpoint, region: api.table.region });
    await client.send(
      new UpdateCommand({
        TableName: api.table.tableName,
        Key: keys.commentCounter(COMMUNITY, consultationId, undefined),
        UpdateExpression: 'ADD #for :five',
        ExpressionAttributeNames: { '#for': 'for' },
        ExpressionAttributeValues: { ':five': 5 },
      }),
    );
    const after = await get(item);

    expect(after.counts).toMatchObject({
      all: { total: 12, byStance: { for: 8, against: 3, neutral: 1 } },
      whole: { total: 12, byStance: { for: 8 } },
    });
  });
});
