import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOMY_LIMITS } from '../../support/limits';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

/**
 * The moderation centre over HTTP, with petitions plugged in: the queue,
 * claims, decisions, reports, appeals, the author's view, the transparency
 * report, and that one community's staff can do nothing in another's.
 */

let api: TestRuntime;
const tokens: Record<string, string> = {};
const COMMUNITY = 'modr';
const OTHER = 'other';
const petitions = `/v1/communities/${COMMUNITY}/petitions`;
const moderation = (community = COMMUNITY) => `/v1/communities/${community}/moderation`;
const itemPath = (petitionId: string, community = COMMUNITY) =>
  `${moderation(community)}/items/petition.${petitionId}`;

const call = (token: string | undefined, method: string, body?: unknown, language = 'en') => ({
  method,
  ...(token ? { token } : {}),
  headers: { 'content-type': 'application/json', 'accept-language': language },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const resident = (sub: string, community = COMMUNITY) =>
  api.token({ sub, community, district: 'north', birthdate: '1990-05-05' });

async function createCommunity(id: string, settings: Record<string, unknown> = {}) {
  const created = await api.call(
    '/v1/communities',
    call(tokens.admin, 'POST', {
      id,
      settings: {
        names: { uk: 'Модерація', en: 'Moderation' },
        districts: [{ id: 'north', names: { uk: 'Північ', en: 'North' } }],
        petitions: { sponsorsNeeded: 0, thresholds: [{ name: 'response', signatures: 100 }] },
        // One author submits, and a few residents report, something for nearly every test here.
        limits: ROOMY_LIMITS,
        ...settings,
      },
      council: [{ subject: `council-${id}` }],
    }),
  );
  expect(created.status).toBe(201);
}

async function appoint(community: string, council: string, subject: string) {
  const response = await api.call(
    `/v1/communities/${community}/members/${subject}`,
    call(council, 'PUT', { roles: ['moderator'] }),
  );
  expect(response.status).toBe(201);
}

/** A petition created and submitted by `author`: with pre-moderation it now waits in the queue. */
async function submittedPetition(title: string, author = tokens.author as string, base = petitions) {
  const created = await jsonOf(await api.call(base, call(author, 'POST', { title, text: 'Please, do it.' })));
  const submitted = await api.call(`${base}/${created.id}/submit`, call(author, 'POST'));
  expect(submitted.status).toBe(200);
  return created.id as string;
}

const decide = (petitionId: string, token: string, body: Record<string, unknown>) =>
  api.call(`${itemPath(petitionId)}/decisions`, call(token, 'POST', body));

beforeAll(async () => {
  // The demo data brings the platform admin `admin`.
  api = await startTestRuntime();
  tokens.admin = await api.token({ sub: 'admin' });
  await createCommunity(COMMUNITY);
  await createCommunity(OTHER, { moderation: { petitions: 'post' } });
  tokens.council = await resident(`council-${COMMUNITY}`);
  tokens.otherCouncil = await resident(`council-${OTHER}`, OTHER);
  for (const name of ['moderator-a', 'moderator-b']) {
    tokens[name] = await resident(name);
    await appoint(COMMUNITY, tokens.council, name);
  }
  tokens.otherModerator = await resident('moderator-x', OTHER);
  await appoint(OTHER, tokens.otherCouncil, 'moderator-x');
  for (const name of ['author', 'r1', 'r2', 'r3']) tokens[name] = await resident(name);
  tokens.otherAuthor = await resident('author-x', OTHER);
  tokens.otherResident = await resident('r-x', OTHER);
});

afterAll(async () => {
  await api.stop();
});

describe('a petition through the moderation centre', () => {
  it('enters the queue, is claimed, rejected, appealed and approved by the council; the author reads why', async () => {
    const petitionId = await submittedPetition('Plant lime trees along the river');
    const moderatorA = tokens['moderator-a'] as string;
    const moderatorB = tokens['moderator-b'] as string;

    const queue = await jsonOf(await api.call(`${moderation()}/queue`, call(moderatorA, 'GET')));
    const queued = queue.items.find((item: { subjectId: string }) => item.subjectId === petitionId);
    expect(queued).toMatchObject({
      id: `petition.${petitionId}`,
      type: 'petition',
      title: 'Plant lime trees along the river',
      status: 'pending',
      overdue: false,
      reports: { byReason: {}, total: 0, sinceDecision: 0 },
      version: 1,
    });
    expect(queued.waitingSince).toEqual(expect.any(String));

    const claimed = await api.call(`${itemPath(petitionId)}/claim`, call(moderatorA, 'POST'));
    expect(claimed.status).toBe(200);
    expect((await jsonOf(claimed)).claim).toMatchObject({ by: 'moderator-a' });

    const secondClaim = await api.call(`${itemPath(petitionId)}/claim`, call(moderatorB, 'POST'));
    const secondDecision = await decide(petitionId, moderatorB, { decision: 'approve' });
    expect(secondClaim.status).toBe(409);
    expect(await jsonOf(secondClaim)).toMatchObject({ code: 'item_claimed', claimedBy: 'moderator-a' });
    expect((await jsonOf(secondClaim)).detail).toContain('moderator-a');
    expect(secondDecision.status).toBe(409);

    const rejected = await decide(petitionId, moderatorA, {
      decision: 'reject',
      reasonCode: 'not_in_competence',
      note: 'The river bank belongs to the region.',
    });
    expect(rejected.status).toBe(200);
    expect(await jsonOf(rejected)).toMatchObject({ status: 'decided', decisions: [{ decision: 'reject' }] });
    expect((await jsonOf(rejected)).claim).toBeUndefined();

    const authorView = await jsonOf(await api.call(itemPath(petitionId), call(tokens.author, 'GET')));
    expect(authorView).toMatchObject({
      status: 'decided',
      mayAppeal: true,
      decisions: [
        {
          decision: 'reject',
          reasonCode: 'not_in_competence',
          reason: {
            uk: 'Питання поза повноваженнями громади.',
            en: 'The matter is outside the community’s powers.',
          },
          note: 'The river bank belongs to the region.',
        },
      ],
    });
    expect(authorView.decisions[0].decidedBy).toBeUndefined();
    expect(authorView.reports).toBeUndefined();
    const mine = await jsonOf(await api.call(`${moderation()}/mine`, call(tokens.author, 'GET')));
    expect(mine.items.map((item: { id: string }) => item.id)).toContain(`petition.${petitionId}`);

    const byOther = await api.call(
      `${itemPath(petitionId)}/appeal`,
      call(tokens.r1, 'POST', { text: 'Me too' }),
    );
    expect(byOther.status).toBe(404);
    const appealed = await api.call(
      `${itemPath(petitionId)}/appeal`,
      call(tokens.author, 'POST', { text: 'The community owns the bank: see decision 12/2024.' }),
    );
    expect(appealed.status).toBe(200);
    expect(await jsonOf(appealed)).toMatchObject({ status: 'appeal', mayAppeal: false });

    const appeals = await jsonOf(
      await api.call(`${moderation()}/queue?status=appeal`, call(tokens.council, 'GET')),
    );
    expect(appeals.items.map((item: { id: string }) => item.id)).toContain(`petition.${petitionId}`);
    const byModerator = await decide(petitionId, moderatorA, { decision: 'approve' });
    expect(byModerator.status).toBe(403);
    expect(await jsonOf(byModerator)).toMatchObject({ code: 'forbidden', required: 'council' });

    const overturned = await decide(petitionId, tokens.council as string, {
      decision: 'approve',
      note: 'Checked.',
    });
    expect(overturned.status).toBe(200);
    expect(await jsonOf(overturned)).toMatchObject({
      status: 'decided',
      appeal: { decidedAt: expect.any(String) },
      decisions: [{ decision: 'reject' }, { decision: 'approve', onAppeal: true }],
    });
    const petition = await jsonOf(await api.call(`${petitions}/${petitionId}`));
    expect(petition).toMatchObject({ state: 'open', moderation: { decision: 'approve' } });

    const again = await api.call(
      `${itemPath(petitionId)}/appeal`,
      call(tokens.author, 'POST', { text: 'Again' }),
    );
    expect(again.status).toBe(409);
    expect(await jsonOf(again)).toMatchObject({ code: 'already_appealed' });

    await api.runtime.drain();
    const names = api.runtime.bus.published
      .filter((event) => event.subject === `moderation/petition.${petitionId}`)
      .map((event) => event.name);
    expect(names).toEqual(['moderation.decided.v1', 'moderation.appealed.v1', 'moderation.decided.v1']);
    const council = await api.token({ sub: `council-${COMMUNITY}`, community: COMMUNITY });
    const trail = await jsonOf(await api.call(`/v1/communities/${COMMUNITY}/audit`, call(council, 'GET')));
    expect(
      trail.items
        .filter((entry: { target: string }) => entry.target === `petition/${petitionId}`)
        .map(
          (entry: { action: string; actor: { subject: string } }) => `${entry.action} ${entry.actor.subject}`,
        ),
    ).toEqual(['moderation.decide moderator-a', `moderation.decide council-${COMMUNITY}`]);
  });

  it('gives the author the reason text in Ukrainian too', async () => {
    const petitionId = await submittedPetition('A petition that is offensive, say');
    await decide(petitionId, tokens['moderator-a'] as string, {
      decision: 'reject',
      reasonCode: 'offensive',
    });

    const view = await jsonOf(
      await api.call(itemPath(petitionId), call(tokens.author, 'GET', undefined, 'uk')),
    );

    expect(view.decisions[0].reason).toEqual({ uk: 'Текст містить образи.', en: 'The text is offensive.' });
  });

  it('lets exactly one of two moderators deciding the same item at once succeed; the other gets 409', async () => {
    const petitionId = await submittedPetition('Repair the footbridge before winter');
    const item = await jsonOf(await api.call(itemPath(petitionId), call(tokens['moderator-a'], 'GET')));

    const answers = await Promise.all([
      decide(petitionId, tokens['moderator-a'] as string, { decision: 'approve', version: item.version }),
      decide(petitionId, tokens['moderator-b'] as string, {
        decision: 'reject',
        reasonCode: 'duplicate',
        version: item.version,
      }),
    ]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const loser = answers.find((answer) => answer.status === 409) as Response;
    expect(await jsonOf(loser)).toMatchObject({ code: 'version_conflict' });
    const decided = await jsonOf(await api.call(itemPath(petitionId), call(tokens['moderator-a'], 'GET')));
    expect(decided.decisions).toHaveLength(1);
  });

  it('answers 409 nothing_to_decide for a claim on a decided item and not_claimed for a release nobody holds', async () => {
    const petitionId = await submittedPetition('Open a second kindergarten group');
    await decide(petitionId, tokens['moderator-a'] as string, { decision: 'approve' });

    const claimed = await api.call(`${itemPath(petitionId)}/claim`, call(tokens['moderator-a'], 'POST'));
    const released = await api.call(`${itemPath(petitionId)}/claim`, call(tokens['moderator-a'], 'DELETE'));

    expect(claimed.status).toBe(409);
    expect(await jsonOf(claimed)).toMatchObject({ code: 'nothing_to_decide', itemStatus: 'decided' });
    expect(released.status).toBe(409);
    expect(await jsonOf(released)).toMatchObject({ code: 'not_claimed' });
  });

  it.each([
    ['reject without a reason', { decision: 'reject' }, 400, 'reason_required'],
    ['the system-only reason', { decision: 'hide', reasonCode: 'reported' }, 400, 'validation_failed'],
    ['an unknown decision', { decision: 'ban' }, 400, 'validation_failed'],
  ])('refuses %s', async (_case, body, status, code) => {
    const petitionId = await submittedPetition(`A petition to refuse: ${_case}`);

    const response = await decide(petitionId, tokens['moderator-a'] as string, body);

    expect(response.status).toBe(status);
    expect(await jsonOf(response)).toMatchObject({ code });
  });

  it('does not let a moderator decide a draft its author has not submitted', async () => {
    const draft = await jsonOf(
      await api.call(
        petitions,
        call(tokens.author, 'POST', { title: 'A draft still being written', text: 'x' }),
      ),
    );

    const approved = await decide(draft.id, tokens['moderator-a'] as string, { decision: 'approve' });
    const mine = await jsonOf(await api.call(`${petitions}/mine`, call(tokens.author, 'GET')));

    expect(approved.status).toBe(404);
    expect(await jsonOf(approved)).toMatchObject({ code: 'item_not_found' });
    expect(mine.items.find((petition: { id: string }) => petition.id === draft.id).state).toBe('draft');
  });

  it('answers 404 for an item id that names nothing', async () => {
    const response = await api.call(
      `${moderation()}/items/petition.01ARZ3NDEKTSV4RRFFQ69G5FAV/decisions`,
      call(tokens['moderator-a'], 'POST', { decision: 'approve' }),
    );
    const malformed = await api.call(
      `${moderation()}/items/nothing-here`,
      call(tokens['moderator-a'], 'GET'),
    );

    expect(response.status).toBe(404);
    expect(await jsonOf(response)).toMatchObject({ code: 'item_not_found' });
    expect(malformed.status).toBe(400);
  });
});

describe('reports', () => {
  it('counts one report per resident, hides at reportsBeforeHide, and a moderator restores', async () => {
    const petitionId = await submittedPetition('Ban fireworks in the old town');
    await decide(petitionId, tokens['moderator-a'] as string, { decision: 'approve' });
    const before = await jsonOf(await api.call(`${petitions}/${petitionId}`));
    const report = (token: string, reasonCode = 'offensive') =>
      api.call(`${itemPath(petitionId)}/reports`, call(token, 'POST', { reasonCode }));

    const first = await report(tokens.r1 as string);
    const repeated = await report(tokens.r1 as string, 'spam');
    const second = await report(tokens.r2 as string, 'spam');
    const visible = await jsonOf(await api.call(`${petitions}/${petitionId}`));
    const third = await report(tokens.r3 as string);
    const hidden = await jsonOf(await api.call(`${petitions}/${petitionId}`));
    const fourth = await report(tokens.author as string);

    expect([first.status, repeated.status, second.status, third.status]).toEqual([201, 200, 201, 201]);
    expect(await jsonOf(repeated)).toEqual({ alreadyReported: true, itemId: `petition.${petitionId}` });
    expect(visible.state).toBe('open');
    expect(hidden).toMatchObject({ state: 'hidden', textHidden: true, text: null });
    expect(hidden.moderation.reason.en).toBe("Hidden after residents' reports until a moderator decides.");
    expect(fourth.status).toBe(409);
    expect(await jsonOf(fourth)).toMatchObject({ code: 'not_reportable' });
    const item = await jsonOf(await api.call(itemPath(petitionId), call(tokens['moderator-b'], 'GET')));
    expect(item).toMatchObject({
      status: 'pending',
      autoHidden: true,
      reports: { byReason: { offensive: 2, spam: 1 }, total: 3, sinceDecision: 3 },
    });

    const restored = await decide(petitionId, tokens['moderator-b'] as string, { decision: 'restore' });
    const after = await jsonOf(await api.call(`${petitions}/${petitionId}`));

    expect(restored.status).toBe(200);
    expect(after).toMatchObject({ state: 'open', textHidden: false, closesAt: before.closesAt });
    await api.runtime.drain();
    expect(
      api.runtime.bus.published
        .filter((event) => event.subject === `moderation/petition.${petitionId}`)
        .map((event) => event.name),
    ).toEqual(['moderation.decided.v1', 'moderation.auto-hidden.v1', 'moderation.decided.v1']);
  });

  it('refuses reports from non-residents and on what is not public', async () => {
    const pending = await submittedPetition('Still waiting for moderation');

    const outsider = await api.call(
      `${itemPath(pending)}/reports`,
      call(await api.token({ sub: 'visitor' }), 'POST', { reasonCode: 'spam' }),
    );
    const notPublic = await api.call(
      `${itemPath(pending)}/reports`,
      call(tokens.r1, 'POST', { reasonCode: 'spam' }),
    );

    expect(outsider.status).toBe(403);
    expect(await jsonOf(outsider)).toMatchObject({ code: 'not_eligible' });
    expect(notPublic.status).toBe(409);
    expect(await jsonOf(notPublic)).toMatchObject({ code: 'not_reportable' });
  });

  it('takes a storm of reports on one item at once: each resident counted once, nobody refused for the race', async () => {
    const storm = 'rstorm';
    await createCommunity(storm, { reportsBeforeHide: 100, moderation: { petitions: 'post' } });
    const author = await resident('storm-author', storm);
    const petitionId = await submittedPetition(
      'A storm of reports',
      author,
      `/v1/communities/${storm}/petitions`,
    );
    const residents = Array.from({ length: 40 }, (_, index) => `storm-r${index}`);
    const residentTokens = await Promise.all(residents.map((sub) => resident(sub, storm)));
    const reasonOf = (index: number) => (index % 4 === 0 ? 'spam' : 'offensive');
    // The first 8 residents report twice, at the same time as everyone else.
    const calls = [...residents.keys(), ...residents.keys()].slice(0, residents.length + 8);

    const answers = await Promise.all(
      calls.map((index) =>
        api.call(
          `${itemPath(petitionId, storm)}/reports`,
          call(residentTokens[index], 'POST', { reasonCode: reasonOf(index) }),
        ),
      ),
    );

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(40);
    expect(statuses.filter((status) => status === 200)).toHaveLength(8);
    for (const index of residents.keys()) {
      const own = calls.flatMap((called, position) => (called === index ? [statuses[position]] : []));
      expect(own.filter((status) => status === 201)).toHaveLength(1);
    }
    const council = await resident(`council-${storm}`, storm);
    const item = await jsonOf(await api.call(itemPath(petitionId, storm), call(council, 'GET')));
    expect(item.reports).toEqual({ byReason: { spam: 10, offensive: 30 }, total: 40, sinceDecision: 40 });
  });

  it('hides once when a storm of reports crosses reportsBeforeHide; later reports find it no longer public', async () => {
    const storm = 'hstorm';
    await createCommunity(storm, { reportsBeforeHide: 5, moderation: { petitions: 'post' } });
    const author = await resident('hstorm-author', storm);
    const base = `/v1/communities/${storm}/petitions`;
    const petitionId = await submittedPetition('Hidden by a storm', author, base);
    const residentTokens = await Promise.all(
      Array.from({ length: 20 }, (_, index) => resident(`hstorm-r${index}`, storm)),
    );

    const answers = await Promise.all(
      residentTokens.map((token) =>
        api.call(`${itemPath(petitionId, storm)}/reports`, call(token, 'POST', { reasonCode: 'spam' })),
      ),
    );
    await api.runtime.drain();

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(5);
    expect(statuses.filter((status) => status === 409)).toHaveLength(15);
    for (const answer of answers.filter((one) => one.status === 409)) {
      expect(await jsonOf(answer)).toMatchObject({ code: 'not_reportable' });
    }
    expect(await jsonOf(await api.call(`${base}/${petitionId}`))).toMatchObject({ state: 'hidden' });
    const council = await resident(`council-${storm}`, storm);
    const item = await jsonOf(await api.call(itemPath(petitionId, storm), call(council, 'GET')));
    expect(item).toMatchObject({ autoHidden: true, reports: { total: 5, sinceDecision: 5 } });
    const hidden = api.runtime.bus.published.filter(
      (event) =>
        event.subject === `moderation/petition.${petitionId}` && event.name === 'moderation.auto-hidden.v1',
    );
    expect(hidden).toHaveLength(1);
  });

  it('lets a moderator hide a published petition that never was in the queue', async () => {
    const base = `/v1/communities/${OTHER}/petitions`;
    const petitionId = await submittedPetition('Post-moderated: open at once', tokens.otherAuthor, base);
    expect((await jsonOf(await api.call(`${base}/${petitionId}`))).state).toBe('open');

    const hidden = await api.call(
      `${itemPath(petitionId, OTHER)}/decisions`,
      call(tokens.otherModerator, 'POST', { decision: 'hide', reasonCode: 'personal_data' }),
    );

    expect(hidden.status).toBe(200);
    expect((await jsonOf(await api.call(`${base}/${petitionId}`))).state).toBe('hidden');
  });
});

describe('the transparency report', () => {
  it('counts decisions by tool, reason and month, with the median time to decision, for anyone', async () => {
    const response = await api.call(`${moderation()}/report`);
    const report = await jsonOf(response);
    const month = new Date().toISOString().slice(0, 7);

    expect(response.status).toBe(200);
    // The decisions the tests above made in this community (the race's winner approved or rejected).
    expect(report.decisions).toBe(7);
    expect(report.byTool.petition.approve).toBeGreaterThanOrEqual(3);
    expect(report.byTool.petition.reject).toBeGreaterThanOrEqual(2);
    expect(report.byTool.petition.restore).toBe(1);
    expect(report.byReasonCode).toMatchObject({ not_in_competence: 1, offensive: 1 });
    expect(report.byMonth[month]).toBe(report.decisions);
    expect(report.medianSecondsToDecision).toBeGreaterThanOrEqual(0);
    expect(report.appeals).toEqual({ decided: 1, overturned: 1 });
  });

  it('answers a period that ends before it starts with 400', async () => {
    const response = await api.call(`${moderation()}/report?from=2026-02-01&to=2026-01-01`);

    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({
      code: 'validation_failed',
      errors: [{ pointer: '/query/from' }],
    });
  });

  it('lists the shared reason codes with their uk/en texts', async () => {
    const body = await jsonOf(await api.call(`${moderation()}/reasons`));

    expect(body.reasons).toContainEqual({
      code: 'personal_data',
      hidesText: true,
      text: { uk: 'Текст містить персональні дані.', en: 'The text contains personal data.' },
      choosable: true,
    });
    expect(body.reasons.find((reason: { code: string }) => reason.code === 'reported').choosable).toBe(false);
  });
});

describe('one community cannot reach into another', () => {
  let petitionId: string;

  beforeAll(async () => {
    petitionId = await submittedPetition('Only this community may moderate me');
    const rejected = await decide(petitionId, tokens['moderator-a'] as string, {
      decision: 'reject',
      reasonCode: 'unclear',
    });
    expect(rejected.status).toBe(200);
  });

  it.each([
    ['the queue', 'GET', () => `${moderation()}/queue`, undefined],
    ['an item', 'GET', () => itemPath(petitionId), undefined],
    ['a claim', 'POST', () => `${itemPath(petitionId)}/claim`, undefined],
    ['a release', 'DELETE', () => `${itemPath(petitionId)}/claim`, undefined],
    ['a decision', 'POST', () => `${itemPath(petitionId)}/decisions`, { decision: 'approve' }],
    ['an appeal', 'POST', () => `${itemPath(petitionId)}/appeal`, { text: 'Let me in' }],
    ['a report', 'POST', () => `${itemPath(petitionId)}/reports`, { reasonCode: 'spam' }],
  ])("refuses %s to another community's moderator", async (_route, method, path, body) => {
    const response = await api.call(path(), call(tokens.otherModerator, method, body));

    expect([403, 404]).toContain(response.status);
  });

  it.each([
    ['an item', 'GET', '', undefined],
    ['a claim', 'POST', '/claim', undefined],
    ['a release', 'DELETE', '/claim', undefined],
    ['a decision', 'POST', '/decisions', { decision: 'approve' }],
    ['an appeal', 'POST', '/appeal', { text: 'Let me in' }],
    ['a report', 'POST', '/reports', { reasonCode: 'spam' }],
  ])(
    "answers %s on this community's item through another community's path with 404",
    async (_route, method, suffix, body) => {
      const response = await api.call(
        `${itemPath(petitionId, OTHER)}${suffix}`,
        call(tokens.otherModerator, method, body),
      );

      expect(response.status).toBe(404);
      expect(await jsonOf(response)).toMatchObject({ code: 'item_not_found' });
    },
  );

  it("keeps another community's items out of its own queue and item routes", async () => {
    const viaOwnCommunity = await api.call(itemPath(petitionId, OTHER), call(tokens.otherModerator, 'GET'));
    const queue = await jsonOf(
      await api.call(`${moderation(OTHER)}/queue`, call(tokens.otherModerator, 'GET')),
    );
    const decided = await jsonOf(
      await api.call(`${moderation(OTHER)}/queue?status=decided`, call(tokens.otherModerator, 'GET')),
    );

    expect(viaOwnCommunity.status).toBe(404);
    expect([...queue.items, ...decided.items].map((item: { id: string }) => item.id)).not.toContain(
      `petition.${petitionId}`,
    );
    const item = await jsonOf(await api.call(itemPath(petitionId), call(tokens['moderator-a'], 'GET')));
    expect(item).toMatchObject({ status: 'decided', version: 2 });
  });
});

describe("an author's own items", () => {
  it('page newest first with a cursor that belongs to that author only', async () => {
    const pager = await resident('pager');
    const ids: string[] = [];
    for (const title of [
      'The first petition of mine',
      'The second petition of mine',
      'The third petition of mine',
    ])
      ids.push(await submittedPetition(title, pager));
    const page = (token: string, cursor?: string) =>
      api.call(`${moderation()}/mine?limit=2${cursor ? `&cursor=${cursor}` : ''}`, call(token, 'GET'));

    const first = await jsonOf(await page(pager));
    const second = await jsonOf(await page(pager, first.cursor));
    const foreign = await page(tokens.author as string, first.cursor);

    expect([...first.items, ...second.items].map((item: { id: string }) => item.id)).toEqual(
      [...ids].reverse().map((id) => `petition.${id}`),
    );
    expect(second.cursor).toBeUndefined();
    expect(foreign.status).toBe(400);
    expect(await jsonOf(foreign)).toMatchObject({ code: 'invalid_cursor' });
  });
});
