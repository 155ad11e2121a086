import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../../../domain/communities/limits';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';
import {
  call,
  consultationsOf,
  createCommunity,
  createConsultation,
  residentOf,
  SURVEY,
} from '../consultations/support';

/**
 * Per-resident limits over HTTP, as the probe met them: one resident posting
 * comments and starting petitions in a burst. Past the limit, 429 with
 * `Retry-After`; other residents, staff and signing are not held back.
 */

let api: TestRuntime;
const COMMUNITY = 'limits';
/**
 * The runtime reads the system clock, and fixed windows are aligned on the
 * epoch: week-long windows (from Thursday 00:00 UTC) keep a window's end out of
 * a run, where an hour's could fall between two requests of a test.
 */
const WEEK = 7 * 24 * 3600;
const COMMENT_LIMIT = DEFAULT_RATE_LIMITS['comment.create'].limit;
let council: string;
let item: string;

beforeAll(async () => {
  api = await startTestRuntime();
  ({ council } = await createCommunity(api, COMMUNITY, {
    limits: { 'comment.create': { windowSeconds: WEEK } },
  }));
  const consultation = await createConsultation(api, COMMUNITY, council, { open: true });
  item = `${consultationsOf(COMMUNITY)}/${consultation.id}`;
});

afterAll(async () => {
  await api.stop();
});

const comment = (token: string, body: Record<string, unknown> = {}, language = 'en') =>
  api.call(`${item}/comments`, call(token, 'POST', { stance: 'for', text: 'Agreed.', ...body }, language));

async function statuses(responses: Promise<Response>[]): Promise<number[]> {
  return (await Promise.all(responses)).map((response) => response.status);
}

describe('comments past the limit', () => {
  it('answers the comment past the limit with 429, Retry-After and a message in uk and en', async () => {
    const limit = COMMENT_LIMIT;
    const flooder = await residentOf(api, COMMUNITY, 'flooder');
    const first = await jsonOf(await comment(flooder));
    const sent: number[] = [201];
    // Replies count as comments: every other one answers the first.
    for (let index = 1; index < limit; index += 1) {
      sent.push((await comment(flooder, index % 2 === 0 ? { replyTo: first.id } : {})).status);
    }

    const refused = await comment(flooder, { replyTo: first.id });
    const inUkrainian = await comment(flooder, {}, 'uk');

    expect(sent).toEqual(Array(limit).fill(201));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WEEK);
    const problem = await jsonOf(refused);
    expect(problem).toMatchObject({
      code: 'rate_limited',
      status: 429,
      title: 'Too many actions',
      action: 'comment.create',
      limit,
      windowSeconds: WEEK,
      retryAfterSeconds: retryAfter,
      retryAt: expect.any(String),
    });
    expect(problem.detail).toContain(`at most ${limit} times per 7 days`);
    expect(inUkrainian.status).toBe(429);
    const ukrainian = await jsonOf(inUkrainian);
    expect(ukrainian.title).toBe('Забагато дій');
    expect(ukrainian.detail).toContain(`не більше ${limit} разів за 7 діб`);
  });

  it('does not hold back another resident', async () => {
    const neighbour = await residentOf(api, COMMUNITY, 'neighbour', 'south');

    expect((await comment(neighbour)).status).toBe(201);
  });

  it('counts exactly the limit when one resident sends twice as many at once', async () => {
    const burst = await residentOf(api, COMMUNITY, 'burst');
    const limit = COMMENT_LIMIT;

    const answered = await statuses(Array.from({ length: 2 * limit }, () => comment(burst)));

    expect(answered.filter((status) => status === 201)).toHaveLength(limit);
    expect(answered.filter((status) => status === 429)).toHaveLength(limit);
  });
});

describe("a community's own limits", () => {
  it('applies a limit the council set, and refused comments do not use it up', async () => {
    const patched = await api.call(
      `/v1/communities/${COMMUNITY}/settings`,
      call(council, 'PATCH', { limits: { 'comment.create': { limit: 2 } } }),
    );
    expect(patched.status).toBe(200);
    expect((await jsonOf(patched)).settings.limits).toMatchObject({
      'comment.create': { limit: 2, windowSeconds: WEEK },
      'petition.create': DEFAULT_RATE_LIMITS['petition.create'],
    });
    const careful = await residentOf(api, COMMUNITY, 'careful');

    // One after another: while a write is tried it holds its unit, so mistakes sent at once could meet the limit.
    const mistakes: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      mistakes.push((await comment(careful, { target: { kind: 'section', id: 'nope' } })).status);
    }
    const posted = [(await comment(careful)).status, (await comment(careful)).status];
    const third = await comment(careful);

    expect(mistakes).toEqual(Array(5).fill(422));
    expect(posted).toEqual([201, 201]);
    expect(third.status).toBe(429);
    expect(await jsonOf(third)).toMatchObject({ code: 'rate_limited', limit: 2 });
  });

  it('counts an edit of a comment like a new comment (under pre-moderation it is queued again)', async () => {
    const editor = await residentOf(api, COMMUNITY, 'editor');
    const posted = await comment(editor);
    const { id } = await jsonOf(posted);
    const edit = (text: string) => api.call(`${item}/comments/${id}`, call(editor, 'PATCH', { text }));

    const first = await edit('Agreed, with a correction.');
    const second = await edit('Agreed, with a second correction.');

    expect([posted.status, first.status, second.status]).toEqual([201, 200, 429]);
    expect(await jsonOf(second)).toMatchObject({ code: 'rate_limited', action: 'comment.create', limit: 2 });
  });

  it('does not limit the council, acting for the community', async () => {
    const answered = await statuses(Array.from({ length: 4 }, () => comment(council)));

    expect(answered).toEqual(Array(4).fill(201));
  });

  it('refuses a limit that is not a positive whole number under the maximum', async () => {
    const response = await api.call(
      `/v1/communities/${COMMUNITY}/settings`,
      call(council, 'PATCH', {
        limits: { 'comment.create': { limit: 0 }, 'report.create': { windowSeconds: 30 }, 'vote.cast': {} },
      }),
    );

    expect(response.status).toBe(400);
    const pointers = (await jsonOf(response)).errors.map((error: { pointer: string }) => error.pointer);
    expect(pointers).toEqual(
      expect.arrayContaining([
        '/body/limits/comment.create/limit',
        '/body/limits/report.create/windowSeconds',
      ]),
    );
  });
});

describe('every limited route', () => {
  it('answers reports, survey answers and project submissions past the limit with 429', async () => {
    const patched = await api.call(
      `/v1/communities/${COMMUNITY}/settings`,
      call(council, 'PATCH', {
        limits: {
          'report.create': { limit: 1, windowSeconds: WEEK },
          'survey.answer': { limit: 1, windowSeconds: WEEK },
          'project.submit': { limit: 1, windowSeconds: WEEK },
        },
      }),
    );
    expect(patched.status).toBe(200);
    const writer = await residentOf(api, COMMUNITY, 'writer');
    const resident = await residentOf(api, COMMUNITY, 'busy');
    const comments = [(await jsonOf(await comment(writer))).id, (await jsonOf(await comment(writer))).id];
    const report = (commentId: string) =>
      api.call(
        `/v1/communities/${COMMUNITY}/moderation/items/comment.${commentId}/reports`,
        call(resident, 'POST', { reasonCode: 'spam' }),
      );
    const surveyed = await createConsultation(api, COMMUNITY, council, { open: true, survey: SURVEY });
    const answer = (mode: string) =>
      api.call(
        `${consultationsOf(COMMUNITY)}/${surveyed.id}/survey/responses/me`,
        call(resident, 'PUT', { answers: { mode } }),
      );
    const budget = await jsonOf(
      await api.call(
        `/v1/communities/${COMMUNITY}/budgets`,
        call(council, 'POST', {
          names: { uk: 'Бюджет', en: 'Budget' },
          currency: 'UAH',
          totalAmount: 100_000,
          ballot: { type: 'approval' },
          rule: 'greedy',
        }),
      ),
    );
    const propose = (title: string) =>
      api.call(
        `/v1/communities/${COMMUNITY}/budgets/${budget.id}/projects`,
        call(resident, 'POST', { title, description: `${title}, please.`, costEstimate: 1_000 }),
      );

    const tries: [string, number, Response][] = [
      ['report.create', (await report(comments[0])).status, await report(comments[1])],
      ['survey.answer', (await answer('bus')).status, await answer('bike')],
      [
        'project.submit',
        (await propose('A bench by the river')).status,
        await propose('A bench by the school'),
      ],
    ];

    for (const [action, first, refused] of tries) {
      expect(first, action).toBe(201);
      expect(refused.status, action).toBe(429);
      expect(refused.headers.get('retry-after'), action).toMatch(/^[1-9][0-9]*$/);
      expect(await jsonOf(refused), action).toMatchObject({ code: 'rate_limited', action, limit: 1 });
    }
  });
});

describe('petitions and signing', () => {
  const petitions = '/v1/communities/demo/petitions';
  const start = (token: string, index: number) =>
    api.call(
      petitions,
      call(token, 'POST', { title: `Petition number ${index} of a burst`, text: 'Please.' }),
    );

  it('answers the petitions past the limit with 429 (the probe started 50)', async () => {
    const demoCouncil = await api.token({ sub: 'council-1', community: 'demo' });
    const patched = await api.call(
      '/v1/communities/demo/settings',
      call(demoCouncil, 'PATCH', { limits: { 'petition.create': { windowSeconds: WEEK } } }),
    );
    expect(patched.status).toBe(200);
    const starter = await residentOf(api, 'demo', 'starter', 'd1');
    const limit = DEFAULT_RATE_LIMITS['petition.create'].limit;

    const answered = await statuses(Array.from({ length: 10 }, (_, index) => start(starter, index)));
    const fromTheBrowser = await api.call(petitions, {
      ...call(starter, 'POST', { title: 'One more petition from the page', text: 'Please.' }),
      headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
    });

    expect(answered.filter((status) => status === 201)).toHaveLength(limit);
    expect(answered.filter((status) => status === 429)).toHaveLength(10 - limit);
    // A page of an allowed origin may read when to try again.
    expect(fromTheBrowser.status).toBe(429);
    expect(fromTheBrowser.headers.get('access-control-expose-headers')).toContain('retry-after');
    expect(Number(fromTheBrowser.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('does not limit signing: many residents sign, and signing again stays the idempotent 200', async () => {
    const open = (await jsonOf(await api.call(`${petitions}?state=open`))).items[0];
    const signers = await Promise.all(
      Array.from({ length: 12 }, (_, index) => residentOf(api, 'demo', `signer-${index}`, 'd1')),
    );
    const sign = (token: string) => api.call(`${petitions}/${open.id}/signatures`, call(token, 'POST'));

    const first = await statuses(signers.map(sign));
    const again = await Promise.all(Array.from({ length: 40 }, () => sign(signers[0] as string)));

    expect(first).toEqual(Array(12).fill(201));
    expect(again.map((response) => response.status)).toEqual(Array(40).fill(200));
    expect(await jsonOf(again[0] as Response)).toEqual({ signed: true, alreadySigned: true });
  });
});
