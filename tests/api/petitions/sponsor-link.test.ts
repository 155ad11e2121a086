import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOMY_LIMITS } from '../../support/limits';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

// The probe guessed the sponsor link of 5 of 6 petitions: the token was the
// ULID made right after the petition's id. These tests make its guess again.

let api: TestRuntime;
let author: string;
let sponsor: string;
const demo = '/v1/communities/demo/petitions';

const post = (token: string, body?: unknown) => ({
  method: 'POST',
  token,
  headers: { 'content-type': 'application/json', 'accept-language': 'en' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The next ULID after `id` in the same millisecond: what a monotonic generator hands out next. */
function nextUlid(id: string): string {
  const digits = [...id];
  for (let at = digits.length - 1; at >= 0; at -= 1) {
    const value = CROCKFORD.indexOf(digits[at] as string);
    if (value < CROCKFORD.length - 1) {
      digits[at] = CROCKFORD[value + 1] as string;
      return digits.join('');
    }
    digits[at] = '0';
  }
  throw new Error('no ULID after the last one');
}

/** A token of the same length as `token` that differs in its last character only. */
const lastCharFlipped = (token: string): string => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

/** Six petitions of the demo community (3 sponsors needed), each gathering sponsors. */
let petitions: { id: string; sponsorToken: string }[] = [];

beforeAll(async () => {
  api = await startTestRuntime();
  author = await api.token({
    sub: 'link-author',
    community: 'demo',
    birthdate: '1990-01-01',
    district: 'd1',
  });
  sponsor = await api.token({ sub: 'link-sponsor', community: 'demo', birthdate: '1980-01-01' });
  // One author starts six petitions, past a day's default of five: the demo council raises the limit.
  const council = await api.token({ sub: 'council-1', community: 'demo' });
  const raised = await api.call('/v1/communities/demo/settings', {
    ...post(council, { limits: ROOMY_LIMITS }),
    method: 'PATCH',
  });
  expect(raised.status).toBe(200);
  petitions = [];
  for (let index = 0; index < 6; index += 1) {
    const created = await jsonOf(
      await api.call(demo, post(author, { title: `A bench in the park number ${index}`, text: 'Please.' })),
    );
    const submitted = await jsonOf(await api.call(`${demo}/${created.id}/submit`, post(author)));
    expect(submitted.state).toBe('gathering_sponsors');
    petitions.push({ id: created.id, sponsorToken: created.sponsorToken });
  }
});

afterAll(async () => {
  await api.stop();
});

describe('the sponsor link token', () => {
  it('is 128 random bits in base64url, unrelated to the petition ids and to each other', () => {
    const tokens = petitions.map((petition) => petition.sponsorToken);

    for (const { id, sponsorToken } of petitions) {
      expect(sponsorToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(sponsorToken, 'base64url')).toHaveLength(16);
      expect(sponsorToken).not.toBe(nextUlid(id));
      // A ULID starts with its time: a token made from one would share it with the id.
      expect(sponsorToken.slice(0, 10)).not.toBe(id.slice(0, 10));
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(new Set(tokens.map((token) => token.slice(0, 8))).size).toBe(tokens.length);
  });

  it("refuses the probe's guess (the next ULID after the id) as it refuses any wrong token", async () => {
    for (const { id, sponsorToken } of petitions) {
      const guess = nextUlid(id);
      const readByGuess = await api.call(`${demo}/${id}?sponsorToken=${guess}`);
      const readByNonsense = await api.call(`${demo}/${id}?sponsorToken=nope`);
      const readBySameLength = await api.call(`${demo}/${id}?sponsorToken=${lastCharFlipped(sponsorToken)}`);
      const sponsoredByGuess = await api.call(
        `${demo}/${id}/sponsors`,
        post(sponsor, { sponsorToken: guess }),
      );

      expect(readByGuess.status).toBe(404);
      expect(readBySameLength.status).toBe(404);
      expect((await jsonOf(readByGuess)).code).toBe((await jsonOf(readByNonsense)).code);
      expect(sponsoredByGuess.status).toBe(403);
      expect((await jsonOf(sponsoredByGuess)).code).toBe('invalid_sponsor_token');
    }
  });

  it('refuses a wrong token of the right length, and takes the right one', async () => {
    const [{ id, sponsorToken }] = petitions as [{ id: string; sponsorToken: string }];

    const wrong = await api.call(
      `${demo}/${id}/sponsors`,
      post(sponsor, { sponsorToken: lastCharFlipped(sponsorToken) }),
    );
    const read = await api.call(`${demo}/${id}?sponsorToken=${sponsorToken}`);
    const right = await api.call(`${demo}/${id}/sponsors`, post(sponsor, { sponsorToken }));

    expect(wrong.status).toBe(403);
    expect(await jsonOf(wrong)).toMatchObject({ code: 'invalid_sponsor_token' });
    expect(read.status).toBe(200);
    expect(right.status).toBe(201);
    expect((await jsonOf(right)).petition).toMatchObject({ id, sponsorCount: 1 });
  });
});
