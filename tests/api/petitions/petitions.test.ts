import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeExpiredPetitions } from '../../../functions/petitions/close-expired';
import { dynamoPetitionStore } from '../../../functions/petitions/store';
import { documentClient } from '../../../functions/shared/dynamo';
import { ulidGenerator } from '../../../functions/shared/ids';
import { ROOMY_LIMITS } from '../../support/limits';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

let api: TestRuntime;
const tokens: Record<string, string> = {};
const COMMUNITY = 'pet';
const base = `/v1/communities/${COMMUNITY}/petitions`;

const post = (token: string, body?: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  token,
  headers: { 'content-type': 'application/json', 'accept-language': 'en', ...headers },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const resident = (sub: string, extra: Record<string, string> = {}) =>
  api.token({ sub, community: COMMUNITY, district: 'north', birthdate: '1990-05-05', ...extra });

/** A moderation decision on a petition, through the moderation centre. */
const moderate = (petitionId: string, token: string, body: unknown, community = COMMUNITY) =>
  api.call(
    `/v1/communities/${community}/moderation/items/petition.${petitionId}/decisions`,
    post(token, body),
  );

/** A petition taken to `open` through the API: created, submitted, approved. */
async function openPetition(title = 'Fix the lights on Shevchenka street', author = 'author') {
  const created = await jsonOf(
    await api.call(base, post(tokens[author] as string, { title, text: 'Please.' })),
  );
  await api.call(`${base}/${created.id}/submit`, post(tokens[author] as string));
  const approved = await moderate(created.id, tokens.moderator as string, { decision: 'approve' });
  expect(approved.status).toBe(200);
  return jsonOf(await api.call(`${base}/${created.id}`));
}

beforeAll(async () => {
  api = await startTestRuntime();
  tokens.admin = await api.token({ sub: 'admin' });
  const created = await api.call('/v1/communities', {
    ...post(tokens.admin, {
      id: COMMUNITY,
      settings: {
        names: { uk: 'Петиції', en: 'Petitions' },
        districts: [{ id: 'north', names: { uk: 'Північ', en: 'North' } }],
        petitions: { thresholds: [{ name: 'response', signatures: 3 }], durationDays: 30, minimumAge: 16 },
        // One author starts a petition for nearly every test here.
        limits: ROOMY_LIMITS,
      },
      council: [{ subject: 'council' }],
    }),
  });
  expect(created.status).toBe(201);
  tokens.council = await resident('council');
  tokens.moderator = await resident('moderator');
  const appointed = await api.call(`/v1/communities/${COMMUNITY}/members/moderator`, {
    ...post(tokens.council, { roles: ['moderator'] }),
    method: 'PUT',
  });
  expect(appointed.status).toBe(201);
  for (const name of ['author', 'r1', 'r2', 'r3', 'r4']) tokens[name] = await resident(name);
});

afterAll(async () => {
  await api.stop();
});

describe('the petition lifecycle over HTTP', () => {
  it('goes draft → gathering sponsors → moderation → open in the demo community, which asks for 3 sponsors', async () => {
    const author = await api.token({
      sub: 'resident-1',
      community: 'demo',
      birthdate: '1990-01-01',
      district: 'd1',
    });
    const sponsors = await Promise.all(
      ['s1', 's2', 's3'].map((sub) => api.token({ sub, community: 'demo', birthdate: '1980-01-01' })),
    );
    const moderator = await api.token({ sub: 'moderator-1', community: 'demo' });
    const demo = '/v1/communities/demo/petitions';

    const created = await api.call(
      demo,
      post(author, { title: 'A new bus route to the hospital', text: 'Route 7.', districtId: 'd1' }),
    );
    const petition = await jsonOf(created);
    expect(created.status).toBe(201);
    expect(petition).toMatchObject({ state: 'draft', sponsorsNeeded: 3, sponsorCount: 0 });
    expect(petition.sponsorToken).toEqual(expect.any(String));
    expect((await api.call(`${demo}/${petition.id}`)).status).toBe(404);

    const submitted = await jsonOf(await api.call(`${demo}/${petition.id}/submit`, post(author)));
    expect(submitted.state).toBe('gathering_sponsors');
    const viaLink = await api.call(`${demo}/${petition.id}?sponsorToken=${petition.sponsorToken}`);
    expect(viaLink.status).toBe(200);
    expect((await jsonOf(viaLink)).sponsorToken).toBeUndefined();

    const byAuthor = await api.call(
      `${demo}/${petition.id}/sponsors`,
      post(author, { sponsorToken: petition.sponsorToken }),
    );
    const wrongLink = await api.call(
      `${demo}/${petition.id}/sponsors`,
      post(sponsors[0] as string, { sponsorToken: 'nope' }),
    );
    expect(byAuthor.status).toBe(409);
    expect(await jsonOf(byAuthor)).toMatchObject({
      code: 'author_cannot_sponsor',
      detail: 'The author cannot sponsor their own petition.',
    });
    expect(wrongLink.status).toBe(403);
    expect(await jsonOf(wrongLink)).toMatchObject({
      code: 'invalid_sponsor_token',
      detail: 'The sponsor link is not valid. Ask the author to send it again.',
    });

    const first = await api.call(
      `${demo}/${petition.id}/sponsors`,
      post(sponsors[0] as string, { sponsorToken: petition.sponsorToken }),
    );
    const again = await api.call(
      `${demo}/${petition.id}/sponsors`,
      post(sponsors[0] as string, { sponsorToken: petition.sponsorToken }),
    );
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect((await jsonOf(again)).alreadySponsored).toBe(true);
    await api.call(
      `${demo}/${petition.id}/sponsors`,
      post(sponsors[1] as string, { sponsorToken: petition.sponsorToken }),
    );
    const last = await jsonOf(
      await api.call(
        `${demo}/${petition.id}/sponsors`,
        post(sponsors[2] as string, { sponsorToken: petition.sponsorToken }),
      ),
    );
    expect(last.petition).toMatchObject({ state: 'in_moderation', sponsorCount: 3 });

    const decided = await moderate(petition.id, moderator, { decision: 'approve' }, 'demo');
    const approved = await jsonOf(await api.call(`${demo}/${petition.id}`));
    expect(decided.status).toBe(200);
    expect(approved.state).toBe('open');
    expect(Date.parse(approved.closesAt) - Date.parse(approved.openedAt)).toBe(60 * 24 * 3600 * 1000);
    expect((await api.call(`${demo}/${petition.id}`)).status).toBe(200);
  });

  it('signs once: 201, then 200 alreadySigned, counted once by the tally', async () => {
    const petition = await openPetition('Benches for the central park, please');

    const first = await api.call(`${base}/${petition.id}/signatures`, post(tokens.r1 as string));
    const repeat = await api.call(`${base}/${petition.id}/signatures`, post(tokens.r1 as string));
    await api.runtime.drain();
    const me = await jsonOf(
      await api.call(`${base}/${petition.id}/signatures/me`, { token: tokens.r1 as string }),
    );
    const other = await jsonOf(
      await api.call(`${base}/${petition.id}/signatures/me`, { token: tokens.r2 as string }),
    );
    const read = await jsonOf(await api.call(`${base}/${petition.id}`));
    const stats = await jsonOf(await api.call(`${base}/${petition.id}/stats`));

    expect(first.status).toBe(201);
    expect(await jsonOf(first)).toMatchObject({ signed: true, alreadySigned: false });
    expect(repeat.status).toBe(200);
    expect(await jsonOf(repeat)).toEqual({ signed: true, alreadySigned: true });
    expect(me).toMatchObject({ signed: true, signedAt: expect.any(String) });
    expect(other).toEqual({ signed: false });
    expect(read.signatureCount).toEqual({ online: 1, offline: 0, total: 1 });
    expect(stats.byDistrict).toEqual({ north: 1 });
    expect(Object.values(stats.byDay)).toEqual([1]);
  });

  it('fires the response threshold once, counts paper signatures apart, and the council answers once', async () => {
    const petition = await openPetition('More trees along the river embankment');
    for (const name of ['r1', 'r2', 'r3', 'r4']) {
      expect((await api.call(`${base}/${petition.id}/signatures`, post(tokens[name] as string))).status).toBe(
        201,
      );
    }
    await api.runtime.drain();
    await api.runtime.drain();

    const offline = await api.call(
      `${base}/${petition.id}/offline-signatures`,
      post(tokens.council as string, { count: 25 }, { 'idempotency-key': `paper-${petition.id}` }),
    );
    const byResident = await api.call(
      `${base}/${petition.id}/offline-signatures`,
      post(tokens.r1 as string, { count: 25 }, { 'idempotency-key': `paper-r1-${petition.id}` }),
    );
    const fired = api.runtime.bus.published.filter(
      (event) =>
        event.name === 'petition.threshold-reached.v1' && event.subject === `petition/${petition.id}`,
    );
    expect(fired).toHaveLength(1);
    expect(fired[0]?.detail).toMatchObject({ threshold: 'response', signatures: 3 });
    // The tally counts a batch at once: the total recorded is where the crossing batch ended.
    expect(fired[0]?.detail.total).toBeGreaterThanOrEqual(3);
    expect(offline.status).toBe(200);
    expect((await jsonOf(offline)).signatureCount).toEqual({ online: 4, offline: 25, total: 29 });
    expect((await jsonOf(offline)).thresholds).toEqual([
      { name: 'response', signatures: 3, reachedAt: expect.any(String) },
    ]);
    expect(byResident.status).toBe(403);

    const answer = {
      text: 'We will plant 40 trees in spring.',
      decision: 'supported',
      documentUrl: 'https://rada.example.ua/d/1',
    };
    const answered = await api.call(
      `${base}/${petition.id}/response`,
      post(tokens.council as string, answer),
    );
    const twice = await api.call(`${base}/${petition.id}/response`, post(tokens.council as string, answer));
    const byModerator = await api.call(
      `${base}/${petition.id}/response`,
      post(tokens.moderator as string, answer),
    );

    expect(answered.status).toBe(200);
    expect((await jsonOf(answered)).response).toMatchObject({ decision: 'supported', text: answer.text });
    expect((await jsonOf(answered)).responseState).toBe('answered');
    expect(twice.status).toBe(409);
    expect((await jsonOf(twice)).code).toBe('already_answered');
    expect(byModerator.status).toBe(403);
  });

  it('closes a petition past closesAt with the job, awaiting an answer, and then refuses signatures', async () => {
    const petition = await openPetition('Repair the playground on Franka street');
    for (const name of ['r1', 'r2', 'r3'])
      await api.call(`${base}/${petition.id}/signatures`, post(tokens[name] as string));
    await api.runtime.drain();
    const store = dynamoPetitionStore(
      documentClient({ dynamoEndpoint: api.table.endpoint, region: api.table.region }),
      api.table.tableName,
    );
    const afterDeadline = { now: () => new Date(Date.parse(petition.closesAt) + 1000) };

    const run = await closeExpiredPetitions(store, afterDeadline, ulidGenerator());
    const closed = await jsonOf(await api.call(`${base}/${petition.id}`));
    // The signing path may see a petition up to 2 s old (its read cache); in life the job only closes
    // petitions already past closesAt, which signing checks against the clock, but this test closed it early.
    await new Promise((wake) => setTimeout(wake, 2_100));
    const late = await api.call(`${base}/${petition.id}/signatures`, post(tokens.r4 as string));
    await api.runtime.drain();

    expect(run.closed).toBeGreaterThanOrEqual(1);
    expect(closed).toMatchObject({
      state: 'closed',
      responseState: 'awaiting_response',
      closedAt: expect.any(String),
    });
    expect(late.status).toBe(409);
    expect(await jsonOf(late)).toMatchObject({ code: 'petition_not_open', currentState: 'closed' });
    expect(
      api.runtime.bus.published.filter(
        (event) => event.name === 'petition.closed.v1' && event.subject === `petition/${petition.id}`,
      ),
    ).toHaveLength(1);
    expect((await closeExpiredPetitions(store, afterDeadline, ulidGenerator())).closed).toBe(0);
  });
});

describe('every error a resident can cause', () => {
  it.each([
    ['a non-resident', { community: 'elsewhere' }, 'not_resident', /Only residents/],
    ['an under-age resident', { birthdate: '2015-01-01' }, 'under_age', /at least 16/],
    ['a resident whose age is unknown', { birthdate: '' }, 'age_unknown', /did not share a birth date/],
  ])('refuses %s signing with 403 not_eligible and the reason', async (_who, claims, reason, message) => {
    const petition = await openPetition('Lower the speed limit near the school');
    const token = await resident(`x-${reason}`, claims as Record<string, string>);

    const response = await api.call(`${base}/${petition.id}/signatures`, post(token));
    const problem = await jsonOf(response);

    expect(response.status).toBe(403);
    expect(problem).toMatchObject({ code: 'not_eligible', reason });
    expect(problem.detail).toMatch(message);
  });

  it('refuses the same people starting a petition', async () => {
    const child = await resident('child', { birthdate: '2015-01-01' });

    const response = await api.call(
      base,
      post(child, { title: 'A skate park in every district', text: 'Please.' }),
    );

    expect(response.status).toBe(403);
    expect((await jsonOf(response)).reason).toBe('under_age');
  });

  it('answers 409 petition_not_open with the state when signing a rejected petition', async () => {
    const created = await jsonOf(
      await api.call(
        base,
        post(tokens.author as string, { title: 'Rename the city to Moonville', text: 'Why not.' }),
      ),
    );
    await api.call(`${base}/${created.id}/submit`, post(tokens.author as string));
    const rejected = await moderate(created.id, tokens.moderator as string, {
      decision: 'reject',
      reasonCode: 'not_in_competence',
      note: 'National matter.',
    });

    const response = await api.call(`${base}/${created.id}/signatures`, post(tokens.r1 as string));
    const problem = await jsonOf(response);
    const publicView = await jsonOf(
      await api.call(`${base}/${created.id}`, { headers: { 'accept-language': 'en' } }),
    );

    expect(rejected.status).toBe(200);
    expect(response.status).toBe(409);
    expect(problem).toMatchObject({ code: 'petition_not_open', currentState: 'rejected' });
    expect(problem.detail).toContain('rejected');
    expect(publicView.moderation).toMatchObject({
      reasonCode: 'not_in_competence',
      reason: { uk: expect.any(String), en: 'The matter is outside the community’s powers.' },
      note: 'National matter.',
    });
  });

  it('hides the text of a petition hidden for personal data', async () => {
    const petition = await openPetition('Complaint about my neighbour Ivan P.');

    const hidden = await moderate(petition.id, tokens.moderator as string, {
      decision: 'hide',
      reasonCode: 'personal_data',
    });
    const publicView = await jsonOf(await api.call(`${base}/${petition.id}`));

    expect(hidden.status).toBe(200);
    expect(publicView).toMatchObject({ state: 'hidden', textHidden: true, text: null });
  });

  it('answers an illegal transition with 409 naming the current state', async () => {
    const petition = await openPetition('Open the library on Sundays too');

    const rejectOpen = await moderate(petition.id, tokens.moderator as string, {
      decision: 'reject',
      reasonCode: 'duplicate',
    });
    const resubmit = await api.call(`${base}/${petition.id}/submit`, post(tokens.author as string));

    expect(rejectOpen.status).toBe(409);
    expect(await jsonOf(rejectOpen)).toMatchObject({
      code: 'invalid_state',
      currentState: 'open',
      requestedState: 'rejected',
      detail: 'The petition is "open"; it cannot become "rejected" from there.',
    });
    expect(resubmit.status).toBe(409);
    expect((await jsonOf(resubmit)).currentState).toBe('open');
  });

  it('lets only the author submit and only a moderator moderate, and hides drafts from everyone else', async () => {
    const draft = await jsonOf(
      await api.call(base, post(tokens.author as string, { title: 'Night buses on weekends', text: 'x' })),
    );
    const published = await openPetition('Night buses on holidays too');

    const draftByOther = await api.call(`${base}/${draft.id}/submit`, post(tokens.r1 as string));
    const bySomeoneElse = await api.call(`${base}/${published.id}/submit`, post(tokens.r1 as string));
    const byResident = await moderate(published.id, tokens.r1 as string, {
      decision: 'hide',
      reasonCode: 'other',
    });

    expect(draftByOther.status).toBe(404);
    expect(bySomeoneElse.status).toBe(403);
    expect(await jsonOf(bySomeoneElse)).toMatchObject({
      code: 'not_author',
      detail: 'Only the author of the petition may do this.',
    });
    expect(byResident.status).toBe(403);
    expect(await jsonOf(byResident)).toMatchObject({ code: 'forbidden', required: 'moderator' });
  });

  it.each([
    ['a short title', { title: 'Too short', text: 'x' }, '/body/title'],
    [
      'a text over 10 000 characters',
      { title: 'A long enough title', text: 'x'.repeat(10_001) },
      '/body/text',
    ],
    ['an unknown field', { title: 'A long enough title', text: 'x', colour: 'red' }, '/body'],
  ])('answers %s with 400 and a pointer', async (_case, body, pointer) => {
    const response = await api.call(base, post(tokens.author as string, body));

    expect(response.status).toBe(400);
    expect((await jsonOf(response)).errors.map((error: { pointer: string }) => error.pointer)).toContain(
      pointer,
    );
  });

  it('answers an unknown district with 400 listing the districts', async () => {
    const response = await api.call(
      base,
      post(tokens.author as string, { title: 'A long enough title', text: 'x', districtId: 'south' }),
    );

    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({
      code: 'unknown_district',
      districts: ['north'],
      detail: 'The community has no such district.',
    });
  });

  it('needs a reason code to reject', async () => {
    const created = await jsonOf(
      await api.call(
        base,
        post(tokens.author as string, { title: 'Paint the bridge blue and yellow', text: 'x' }),
      ),
    );
    await api.call(`${base}/${created.id}/submit`, post(tokens.author as string));

    const response = await moderate(created.id, tokens.moderator as string, { decision: 'reject' });

    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({
      code: 'reason_required',
      errors: [{ pointer: '/body/reasonCode' }],
    });
  });

  it('answers 404 for a petition that does not exist or is not public', async () => {
    const draft = await jsonOf(
      await api.call(base, post(tokens.author as string, { title: 'A draft nobody else sees', text: 'x' })),
    );

    const missing = await api.call(`${base}/01ARZ3NDEKTSV4RRFFQ69G5FAV`, {
      headers: { 'accept-language': 'uk' },
    });
    expect(missing.status).toBe(404);
    expect(await jsonOf(missing)).toMatchObject({
      code: 'petition_not_found',
      title: 'Петицію не знайдено',
      detail: 'Петицію не знайдено.',
    });
    expect((await api.call(`${base}/${draft.id}`)).status).toBe(404);
    expect((await api.call(`${base}/${draft.id}/signatures`, post(tokens.r1 as string))).status).toBe(404);
    expect((await api.call(`${base}/not-an-id`)).status).toBe(400);
  });
});

describe('lists', () => {
  it('shows the demo community its open demo petition', async () => {
    const list = await jsonOf(await api.call('/v1/communities/demo/petitions'));

    expect(list.items.map((p: { title: string; state: string }) => p.state)).toContain('open');
    expect(list.items.some((p: { sponsorCount: number }) => p.sponsorCount === 3)).toBe(true);
  });

  it('filters and sorts the published petitions, and lists an author their own', async () => {
    const water = await openPetition('Clean drinking water for Zarichna street', 'r1');
    const roads = await openPetition('Fix the potholes on the ring road', 'r2');
    await api.call(`${base}/${roads.id}/signatures`, post(tokens.r3 as string));
    await api.call(`${base}/${roads.id}/signatures`, post(tokens.r4 as string));
    await api.runtime.drain();

    const newest = await jsonOf(await api.call(`${base}?sort=newest&limit=100`));
    const bySignatures = await jsonOf(await api.call(`${base}?sort=signatures&limit=100`));
    const closing = await jsonOf(await api.call(`${base}?sort=closing&limit=100`));
    const search = await jsonOf(await api.call(`${base}?q=${encodeURIComponent('DRINKING water')}`));
    const mine = await jsonOf(await api.call(`${base}/mine`, { token: tokens.r1 as string }));
    const notPublic = await api.call(`${base}?state=draft`);

    expect(newest.items[0].id).toBe(roads.id);
    expect(bySignatures.items[0].id).toBe(roads.id);
    expect(closing.items.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining([water.id, roads.id]),
    );
    const closesAt = closing.items.map((p: { closesAt: string }) => p.closesAt);
    expect(closesAt).toEqual([...closesAt].sort());
    expect(search.items.map((p: { id: string }) => p.id)).toEqual([water.id]);
    expect(mine.items.map((p: { id: string }) => p.id)).toContain(water.id);
    expect(mine.items[0].sponsorToken).toEqual(expect.any(String));
    expect(notPublic.status).toBe(400);
  });

  it("pages an author's own petitions newest first, theirs only, drafts included", async () => {
    tokens.pager = await resident('pager');
    const ids: string[] = [];
    for (const title of ['First of mine', 'Second of mine', 'Third of mine']) {
      const created = await api.call(base, post(tokens.pager as string, { title, text: 'Please.' }));
      expect(created.status).toBe(201);
      ids.push((await jsonOf(created)).id);
    }
    await openPetition('Not mine at all', 'r2');
    const page = (cursor?: string) =>
      api.call(`${base}/mine?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: tokens.pager as string });

    const first = await jsonOf(await page());
    const second = await jsonOf(await page(first.cursor));
    const foreign = await api.call(`${base}/mine?limit=2&cursor=${first.cursor}`, {
      token: tokens.r2 as string,
    });

    expect([...first.items, ...second.items].map((p: { id: string }) => p.id)).toEqual([...ids].reverse());
    expect(first.items).toHaveLength(2);
    expect(second.cursor).toBeUndefined();
    expect(foreign.status).toBe(400);
    expect(await jsonOf(foreign)).toMatchObject({ code: 'invalid_cursor' });
  });

  it('serves a petition with ETag and answers If-None-Match with 304', async () => {
    const petition = await openPetition('Free Wi-Fi in the town hall square');

    const first = await api.call(`${base}/${petition.id}`);
    const again = await api.call(`${base}/${petition.id}`, {
      headers: { 'if-none-match': first.headers.get('etag') as string },
    });

    expect(first.headers.get('cache-control')).toBe('public, max-age=10');
    expect(again.status).toBe(304);
  });
});
