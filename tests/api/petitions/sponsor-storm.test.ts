import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

/**
 * A sponsor link shared widely: many residents sponsor one petition at the
 * same moment. Each is counted once, nobody is refused for the race, and the
 * last sponsor needed sends the petition on exactly once.
 */

let api: TestRuntime;

const post = (token: string, body?: unknown) => ({
  method: 'POST',
  token,
  headers: { 'content-type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

/** A community asking for `sponsorsNeeded` sponsors, and a petition of it gathering them. */
async function gathering(communityId: string, sponsorsNeeded: number) {
  const admin = await api.token({ sub: 'admin' });
  const created = await api.call(
    '/v1/communities',
    post(admin, {
      id: communityId,
      settings: {
        names: { uk: 'Підтримка', en: 'Sponsors' },
        petitions: { sponsorsNeeded, thresholds: [{ name: 'response', signatures: 500 }] },
        moderation: { petitions: 'post' },
      },
      council: [{ subject: 'c' }],
    }),
  );
  expect(created.status).toBe(201);
  const author = await api.token({
    sub: `${communityId}-author`,
    community: communityId,
    birthdate: '1990-01-01',
  });
  const base = `/v1/communities/${communityId}/petitions`;
  const petition = await jsonOf(
    await api.call(base, post(author, { title: 'Light the riverside path', text: 'Please, do it.' })),
  );
  const submitted = await jsonOf(await api.call(`${base}/${petition.id}/submit`, post(author)));
  expect(submitted.state).toBe('gathering_sponsors');
  const residents = (count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, index) =>
        api.token({ sub: `${communityId}-r${index}`, community: communityId, birthdate: '1985-03-03' }),
      ),
    );
  const sponsor = (token: string) =>
    api.call(`${base}/${petition.id}/sponsors`, post(token, { sponsorToken: petition.sponsorToken }));
  const read = async () =>
    jsonOf(await api.call(`${base}/${petition.id}?sponsorToken=${petition.sponsorToken}`));
  return { petitionId: petition.id as string, residents, sponsor, read };
}

beforeAll(async () => {
  api = await startTestRuntime();
});

afterAll(async () => {
  await api.stop();
});

describe('a sponsor storm', () => {
  it('counts 40 residents sponsoring at once, 8 of them twice, each once and none refused', async () => {
    const { residents, sponsor, read } = await gathering('sstorm', 100);
    const tokens = await residents(40);
    const calls = [...tokens.keys(), ...tokens.keys()].slice(0, tokens.length + 8);

    const answers = await Promise.all(calls.map((index) => sponsor(tokens[index] as string)));

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(40);
    expect(statuses.filter((status) => status === 200)).toHaveLength(8);
    for (const index of tokens.keys()) {
      const own = calls.flatMap((called, position) => (called === index ? [statuses[position]] : []));
      expect(own.filter((status) => status === 201)).toHaveLength(1);
    }
    expect(await read()).toMatchObject({ state: 'gathering_sponsors', sponsorCount: 40 });
  });

  it('sends the petition on once when a storm brings the last sponsor needed; later ones find it gathering no more', async () => {
    const { petitionId, residents, sponsor, read } = await gathering('lstorm', 10);
    const tokens = await residents(25);

    const answers = await Promise.all(tokens.map((token) => sponsor(token)));
    await api.runtime.drain();

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(15);
    for (const answer of answers.filter((one) => one.status === 409)) {
      expect(await jsonOf(answer)).toMatchObject({ code: 'invalid_state' });
    }
    expect(await read()).toMatchObject({ state: 'open', sponsorCount: 10 });
    const published = api.runtime.bus.published.filter(
      (event) => event.name === 'petition.published.v1' && event.detail.petitionId === petitionId,
    );
    expect(published).toHaveLength(1);
  });
});
