import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';
import { call, consultationsOf, createCommunity, createConsultation, residentOf } from './support';

/** Comments over HTTP: their rules, their author's edits and deletion, votes taken back, and paging. */

let api: TestRuntime;
const COMMUNITY = 'comments';
let council: string;
let author: string;
let other: string;
let item: string;

beforeAll(async () => {
  api = await startTestRuntime();
  ({ council } = await createCommunity(api, COMMUNITY));
  author = await residentOf(api, COMMUNITY, 'author');
  other = await residentOf(api, COMMUNITY, 'other', 'south');
  const consultation = await createConsultation(api, COMMUNITY, council, { open: true });
  item = `${consultationsOf(COMMUNITY)}/${consultation.id}`;
});

afterAll(async () => {
  await api.stop();
});

const post = (token: string, body: Record<string, unknown>) =>
  api.call(`${item}/comments`, call(token, 'POST', body));

async function posted(token: string, body: Record<string, unknown>): Promise<string> {
  const response = await post(token, body);
  expect(response.status).toBe(201);
  return (await jsonOf(response)).id;
}

describe('posting a comment', () => {
  it.each([
    ['blank text', { stance: 'for', text: '   ' }, 422, 'comment_empty'],
    ['5,001 characters', { stance: 'for', text: 'я'.repeat(5_001) }, 422, 'comment_too_long'],
    [
      'a section the draft does not have',
      { stance: 'for', text: 'Hi', target: { kind: 'section', id: 'nope' } },
      422,
      'unknown_target',
    ],
    [
      'a paragraph id given as a section',
      { stance: 'for', text: 'Hi', target: { kind: 'paragraph', id: 'transport' } },
      422,
      'unknown_target',
    ],
    ['an unknown stance', { stance: 'maybe', text: 'Hi' }, 400, 'validation_failed'],
  ])('refuses %s', async (_what, body, status, code) => {
    const response = await post(author, body);

    expect(response.status).toBe(status);
    expect(await jsonOf(response)).toMatchObject({ code });
  });

  it('accepts exactly 5,000 characters, counting an emoji as one', async () => {
    const response = await post(author, { stance: 'neutral', text: `${'я'.repeat(4_999)}👍` });

    expect(response.status).toBe(201);
  });

  it('refuses a target together with replyTo, pointing at replyTo', async () => {
    const parent = await posted(author, { stance: 'for', text: 'Parent' });

    const response = await post(other, {
      stance: 'for',
      text: 'Both',
      target: { kind: 'section', id: 'transport' },
      replyTo: parent,
    });

    expect(response.status).toBe(400);
    expect((await jsonOf(response)).errors).toEqual([expect.objectContaining({ pointer: '/body/replyTo' })]);
  });
});

describe("the author's edits and deletion", () => {
  it('lets only the author edit, and marks the edit', async () => {
    const id = await posted(author, { stance: 'for', text: 'Typo hree' });

    const byOther = await api.call(`${item}/comments/${id}`, call(other, 'PATCH', { text: 'Mine now' }));
    const byAuthor = await api.call(`${item}/comments/${id}`, call(author, 'PATCH', { text: 'Typo here' }));

    expect(byOther.status).toBe(403);
    expect(await jsonOf(byOther)).toMatchObject({ code: 'not_author' });
    expect(byAuthor.status).toBe(200);
    expect(await jsonOf(byAuthor)).toMatchObject({ text: 'Typo here', editedAt: expect.any(String) });
  });

  it('removes the text of a deleted comment and keeps its replies in the thread', async () => {
    const root = await posted(author, {
      stance: 'against',
      text: 'To be deleted',
      target: { kind: 'section', id: 'parking' },
    });
    const reply = await posted(other, { stance: 'for', text: 'A reply that stays', replyTo: root });

    const deleted = await api.call(`${item}/comments/${root}`, call(author, 'DELETE'));
    const again = await api.call(`${item}/comments/${root}`, call(author, 'DELETE'));
    const replyToDeleted = await post(other, { stance: 'for', text: 'Too late', replyTo: root });

    expect(deleted.status).toBe(200);
    expect(await jsonOf(deleted)).toMatchObject({
      state: 'deleted',
      text: null,
      deletedAt: expect.any(String),
    });
    expect(again.status).toBe(409);
    expect(await jsonOf(again)).toMatchObject({ code: 'comment_state_conflict', currentState: 'deleted' });
    expect(replyToDeleted.status).toBe(409);
    const list = await jsonOf(await api.call(`${item}/comments?section=parking`));
    expect(list.items).toEqual([
      expect.objectContaining({
        id: root,
        state: 'deleted',
        text: null,
        replies: [expect.objectContaining({ id: reply, text: 'A reply that stays' })],
      }),
    ]);
  });
});

describe('votes', () => {
  it('can be taken back, once, and then count nothing', async () => {
    const id = await posted(author, { stance: 'for', text: 'Vote on me' });
    const votes = `${item}/comments/${id}/votes/me`;

    const cast = await api.call(votes, call(other, 'PUT', { value: 'down' }));
    const withdrawn = await api.call(votes, call(other, 'DELETE'));
    const nothingLeft = await api.call(votes, call(other, 'DELETE'));
    const mine = await jsonOf(await api.call(votes, call(other, 'GET')));
    await api.runtime.drain();

    expect(cast.status).toBe(201);
    expect(await jsonOf(withdrawn)).toMatchObject({ outcome: 'withdrawn', value: null });
    expect(await jsonOf(nothingLeft)).toMatchObject({ outcome: 'none' });
    expect(mine).toEqual({ value: null });
    expect((await jsonOf(await api.call(`${item}/comments/${id}`))).votes).toEqual({ up: 0, down: 0 });
  });
});

describe('a list of comments', () => {
  it('pages through a section newest first with a cursor that belongs to that list only', async () => {
    const target = { kind: 'section', id: 'transport' };
    const ids: string[] = [];
    for (let n = 0; n < 5; n += 1)
      ids.push(await posted(other, { stance: 'neutral', text: `Number ${n}`, target }));
    const page = (query: string) => api.call(`${item}/comments?section=transport&limit=2${query}`);

    const first = await jsonOf(await page(''));
    const second = await jsonOf(await page(`&cursor=${first.cursor}`));
    const third = await jsonOf(await page(`&cursor=${second.cursor}`));
    const elsewhere = await api.call(`${item}/comments?section=parking&limit=2&cursor=${first.cursor}`);
    const unknownSection = await api.call(`${item}/comments?section=nowhere`);

    const seen = [...first.items, ...second.items, ...third.items].map((thread: { id: string }) => thread.id);
    expect(seen).toEqual([...ids].reverse());
    expect(third.cursor).toBeUndefined();
    expect(elsewhere.status).toBe(400);
    expect(await jsonOf(elsewhere)).toMatchObject({ code: 'invalid_cursor' });
    expect(unknownSection.status).toBe(400);
    expect(await jsonOf(unknownSection)).toMatchObject({ errors: [{ pointer: '/query/section' }] });
  });
});
