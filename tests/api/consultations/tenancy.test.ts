import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';
import { call, consultationsOf, createCommunity, createConsultation, residentOf } from './support';

/** One community's people can do nothing to another's consultations, and ids do not cross paths. */

let api: TestRuntime;
const OURS = 'tenant-a';
const THEIRS = 'tenant-b';
let ourCouncil: string;
let theirCouncil: string;
let ourResident: string;
let theirResident: string;
let ours: { id: string };
let theirs: { id: string };
let ourComment: string;

beforeAll(async () => {
  api = await startTestRuntime();
  ({ council: ourCouncil } = await createCommunity(api, OURS));
  ({ council: theirCouncil } = await createCommunity(api, THEIRS));
  ourResident = await residentOf(api, OURS, 'ours');
  theirResident = await residentOf(api, THEIRS, 'theirs');
  ours = await createConsultation(api, OURS, ourCouncil, { open: true });
  theirs = await createConsultation(api, THEIRS, theirCouncil, { open: true });
  ourComment = (
    await jsonOf(
      await api.call(
        `${consultationsOf(OURS)}/${ours.id}/comments`,
        call(ourResident, 'POST', { stance: 'for', text: 'Ours.' }),
      ),
    )
  ).id;
});

afterAll(async () => {
  await api.stop();
});

describe("another community's council", () => {
  it.each([
    [
      'create a consultation',
      'POST',
      () => consultationsOf(OURS),
      {
        title: 'Not yours to make',
        summary: 'A consultation in a community that is not theirs.',
        ownerDepartment: 'Somewhere else',
        opensAt: new Date(Date.now() + 3_600_000).toISOString(),
        closesAt: new Date(Date.now() + 7_200_000).toISOString(),
        markdown: '# Theirs\n\nNot ours.',
      },
    ],
    [
      'publish a revision',
      'POST',
      () => `${consultationsOf(OURS)}/${ours.id}/revisions`,
      { markdown: '# X\n\nY' },
    ],
    ['change the phase', 'POST', () => `${consultationsOf(OURS)}/${ours.id}/phase`, { phase: 'closed' }],
    ['export', 'GET', () => `${consultationsOf(OURS)}/${ours.id}/export`, undefined],
  ])('may not %s', async (_what, method, path, body) => {
    const response = await api.call(path(), call(theirCouncil, method, body));

    expect(response.status).toBe(403);
    expect(await jsonOf(response)).toMatchObject({ code: 'forbidden', required: 'council' });
  });
});

describe('ids from another community', () => {
  it('find no consultation or comment under the other community’s path', async () => {
    const consultation = await api.call(`${consultationsOf(THEIRS)}/${ours.id}`);
    const comment = await api.call(`${consultationsOf(THEIRS)}/${theirs.id}/comments/${ourComment}`);
    const vote = await api.call(
      `${consultationsOf(THEIRS)}/${theirs.id}/comments/${ourComment}/votes/me`,
      call(theirResident, 'PUT', { value: 'up' }),
    );
    const reply = await api.call(
      `${consultationsOf(THEIRS)}/${theirs.id}/comments`,
      call(theirResident, 'POST', { stance: 'for', text: 'Hi', replyTo: ourComment }),
    );

    expect(consultation.status).toBe(404);
    expect(await jsonOf(consultation)).toMatchObject({ code: 'consultation_not_found' });
    for (const response of [comment, vote, reply]) {
      expect(response.status).toBe(404);
      expect(await jsonOf(response)).toMatchObject({ code: 'comment_not_found' });
    }
  });

  it("refuses another community's residents: they may not comment, vote or answer", async () => {
    const item = `${consultationsOf(OURS)}/${ours.id}`;
    const attempts = await Promise.all([
      api.call(`${item}/comments`, call(theirResident, 'POST', { stance: 'for', text: 'Hi' })),
      api.call(`${item}/comments/${ourComment}/votes/me`, call(theirResident, 'PUT', { value: 'up' })),
      api.call(`${item}/survey/responses/me`, call(theirResident, 'PUT', { answers: {} })),
    ]);

    for (const response of attempts) {
      expect(response.status).toBe(403);
      expect(await jsonOf(response)).toMatchObject({ code: 'not_eligible', reason: 'not_resident' });
    }
  });
});
