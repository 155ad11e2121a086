import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOMY_LIMITS } from '../../support/limits';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

/**
 * What the independent probe found: ten identical concurrent `{"count":5}`
 * paper-signature requests added 45. Each batch now carries an
 * `Idempotency-Key`; the batch is recorded under it with the count, so a
 * batch counts once however often it is sent.
 */

let api: TestRuntime;
const COMMUNITY = 'paper';
const base = `/v1/communities/${COMMUNITY}/petitions`;
const tokens: Record<string, string> = {};

const call = (token: string, method: string, body?: unknown, headers: Record<string, string> = {}) => ({
  method,
  token,
  headers: { 'content-type': 'application/json', 'accept-language': 'en', ...headers },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const addPaper = (petitionId: string, body: unknown, key?: string, token = tokens.council as string) =>
  api.call(
    `${base}/${petitionId}/offline-signatures`,
    call(token, 'POST', body, key === undefined ? {} : { 'idempotency-key': key }),
  );

const offlineCount = async (petitionId: string): Promise<number> =>
  (await jsonOf(await api.call(`${base}/${petitionId}`))).signatureCount.offline;

/** An open petition: post-moderation publishes it on submit. */
async function openPetition(title: string): Promise<string> {
  const created = await jsonOf(
    await api.call(base, call(tokens.author as string, 'POST', { title, text: 'Please.' })),
  );
  expect((await api.call(`${base}/${created.id}/submit`, call(tokens.author as string, 'POST'))).status).toBe(
    200,
  );
  return created.id as string;
}

beforeAll(async () => {
  // The demo data brings the platform admin `admin`.
  api = await startTestRuntime();
  const admin = await api.token({ sub: 'admin' });
  const created = await api.call(
    '/v1/communities',
    call(admin, 'POST', {
      id: COMMUNITY,
      settings: {
        names: { uk: 'Папір', en: 'Paper' },
        districts: [{ id: 'north', names: { uk: 'Північ', en: 'North' } }],
        petitions: { sponsorsNeeded: 0, thresholds: [{ name: 'response', signatures: 1000 }] },
        moderation: { petitions: 'post' },
        // One author starts a petition for every test here.
        limits: ROOMY_LIMITS,
      },
      council: [{ subject: 'council-p' }],
    }),
  );
  expect(created.status).toBe(201);
  for (const [name, sub] of [
    ['council', 'council-p'],
    ['author', 'author'],
  ]) {
    tokens[name as string] = await api.token({
      sub: sub as string,
      community: COMMUNITY,
      district: 'north',
      birthdate: '1990-05-05',
    });
  }
});

afterAll(async () => {
  await api.stop();
});

describe('paper signatures, one batch once', () => {
  it('ten identical requests at once with one key: all 200, counted once (+5)', async () => {
    const petitionId = await openPetition('Keep the library open on Sundays');

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => addPaper(petitionId, { count: 5 }, 'batch-2026-11-box-1')),
    );

    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    expect(await offlineCount(petitionId)).toBe(5);
  });

  it('different keys: each batch counts once, also when a lost race is retried with its key', async () => {
    const petitionId = await openPetition('Plant a hedge along the school fence');
    const keys = ['box-0001', 'box-0002', 'box-0003', 'box-0004'];

    let answers = await Promise.all(keys.map((key) => addPaper(petitionId, { count: 5 }, key)));
    // A batch that lost every try to the others (409) is sent again with its key, as a client does, until accepted.
    for (let round = 0; round < 10 && answers.some((answer) => answer.status !== 200); round += 1) {
      answers = await Promise.all(
        keys.map((key, index) =>
          answers[index]?.status === 200
            ? (answers[index] as Response)
            : addPaper(petitionId, { count: 5 }, key),
        ),
      );
    }

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(await offlineCount(petitionId)).toBe(20);
    // And each of them sent once more still counts nothing.
    const again = await Promise.all(keys.map((key) => addPaper(petitionId, { count: 5 }, key)));
    expect(again.map((answer) => answer.headers.get('idempotent-replayed'))).toEqual([
      'true',
      'true',
      'true',
      'true',
    ]);
    expect(await offlineCount(petitionId)).toBe(20);
  });

  it('the same key with another body: 422 idempotency_key_reused, nothing counted', async () => {
    const petitionId = await openPetition('Add a ramp at the post office');
    expect((await addPaper(petitionId, { count: 5, note: 'Box 1' }, 'box-reused-1')).status).toBe(200);

    const otherCount = await addPaper(petitionId, { count: 7, note: 'Box 1' }, 'box-reused-1');
    const otherNote = await addPaper(petitionId, { count: 5, note: 'Box 2' }, 'box-reused-1');

    expect(otherCount.status).toBe(422);
    expect(await jsonOf(otherCount)).toMatchObject({
      code: 'idempotency_key_reused',
      idempotencyKey: 'box-reused-1',
      recordedCount: 5,
    });
    expect(otherNote.status).toBe(422);
    expect(await offlineCount(petitionId)).toBe(5);
  });

  it.each([
    ['without a key', undefined],
    ['with a key too short', 'abc'],
    ['with a key of other characters', 'box 1/2 of the long key'],
  ])('refuses a batch %s: 400 idempotency_key_required, nothing counted', async (_case, key) => {
    const petitionId = await openPetition('Repair the benches in the park');

    const refused = await addPaper(petitionId, { count: 5 }, key);

    expect(refused.status).toBe(400);
    expect(await jsonOf(refused)).toMatchObject({
      code: 'idempotency_key_required',
      errors: [{ pointer: '/header/idempotency-key' }],
    });
    expect(await offlineCount(petitionId)).toBe(0);
  });

  it('tells a resident with a key that only the council adds paper signatures (403), counting nothing', async () => {
    const petitionId = await openPetition('Light the footpath to the lake');

    const refused = await addPaper(petitionId, { count: 5 }, 'box-by-resident', tokens.author as string);

    expect(refused.status).toBe(403);
    expect(await offlineCount(petitionId)).toBe(0);
  });
});
