import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOMY_LIMITS } from '../../support/limits';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

/**
 * What the independent probe found in the moderation centre: five identical
 * approvals sent at once by one moderator without `version` gave three 200s
 * and three decision-log lines, which the transparency report counted (a
 * repeat of the decision an item stands by is now answered as it is); and a
 * petition hidden for personal data kept its title and the moderator's note
 * public (now withheld from all but the author and the staff).
 */

let api: TestRuntime;
const COMMUNITY = 'repeats';
const tokens: Record<string, string> = {};
const petitions = `/v1/communities/${COMMUNITY}/petitions`;
const moderation = `/v1/communities/${COMMUNITY}/moderation`;
const itemPath = (petitionId: string) => `${moderation}/items/petition.${petitionId}`;

const call = (token: string | undefined, method: string, body?: unknown) => ({
  method,
  ...(token ? { token } : {}),
  headers: { 'content-type': 'application/json', 'accept-language': 'en' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const resident = (sub: string) =>
  api.token({ sub, community: COMMUNITY, district: 'north', birthdate: '1990-05-05' });

const decide = (petitionId: string, token: string, body: Record<string, unknown>) =>
  api.call(`${itemPath(petitionId)}/decisions`, call(token, 'POST', body));

/** A petition created and submitted by the author: with pre-moderation it waits in the queue. */
async function submittedPetition(title: string): Promise<string> {
  const created = await jsonOf(
    await api.call(petitions, call(tokens.author, 'POST', { title, text: 'Please, do it.' })),
  );
  expect((await api.call(`${petitions}/${created.id}/submit`, call(tokens.author, 'POST'))).status).toBe(200);
  return created.id as string;
}

/** What the decision wrote, once the stream has settled: its log lines, events and audit entries. */
async function writtenFor(petitionId: string) {
  const items = await api.settledItems();
  const ofCommunity = items.filter((item) => String(item.PK).startsWith(`C#${COMMUNITY}`));
  const itemId = `petition.${petitionId}`;
  return {
    logLines: ofCommunity.filter(
      (item) => item.entity === 'moderation-decision' && String(item.SK).endsWith(itemId),
    ),
    decidedEvents: ofCommunity.filter((item) => {
      const event = item.event as { name: string; subject: string } | undefined;
      return (
        item.entity === 'outbox' && event?.name === 'moderation.decided.v1' && event.subject.endsWith(itemId)
      );
    }),
    auditEntries: ofCommunity.filter(
      (item) =>
        item.entity === 'audit-entry' &&
        (item.entry as { action: string; target: string }).action === 'moderation.decide' &&
        (item.entry as { target: string }).target === `petition/${petitionId}`,
    ),
  };
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
        names: { uk: 'Повтори', en: 'Repeats' },
        districts: [{ id: 'north', names: { uk: 'Північ', en: 'North' } }],
        petitions: { sponsorsNeeded: 0, thresholds: [{ name: 'response', signatures: 100 }] },
        // One author starts a petition for nearly every test here.
        limits: ROOMY_LIMITS,
      },
      council: [{ subject: 'council-r' }],
    }),
  );
  expect(created.status).toBe(201);
  tokens.council = await resident('council-r');
  for (const name of ['moderator-a', 'moderator-b']) {
    tokens[name] = await resident(name);
    const appointed = await api.call(
      `/v1/communities/${COMMUNITY}/members/${name}`,
      call(tokens.council, 'PUT', { roles: ['moderator'] }),
    );
    expect(appointed.status).toBe(201);
  }
  tokens.author = await resident('author');
});

afterAll(async () => {
  await api.stop();
});

describe('the same decision sent again', () => {
  it('five identical approvals at once: all 200 with the same item, one log line, one event, one audit entry', async () => {
    const petitionId = await submittedPetition('Light the path to the station');

    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        decide(petitionId, tokens['moderator-a'] as string, { decision: 'approve' }),
      ),
    );

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const views = await Promise.all(answers.map((answer) => jsonOf(answer)));
    expect(new Set(views.map((view) => JSON.stringify(view))).size).toBe(1);
    expect(views[0]).toMatchObject({ status: 'decided', version: 2, decisions: [{ decision: 'approve' }] });
    const written = await writtenFor(petitionId);
    expect(written.logLines).toHaveLength(1);
    expect(written.decidedEvents).toHaveLength(1);
    expect(written.auditEntries).toHaveLength(1);
    const report = await jsonOf(await api.call(`${moderation}/report`));
    expect(report.decisions).toBe(1);
    expect(report.byTool.petition).toEqual({ approve: 1 });
  });

  it('a repeat with the version first seen is the same answer, not a 409', async () => {
    const petitionId = await submittedPetition('Paint the crossing near school 4');
    const seen = await jsonOf(await api.call(itemPath(petitionId), call(tokens['moderator-a'], 'GET')));
    const body = { decision: 'reject', reasonCode: 'duplicate', note: 'See the petition on crossings.' };
    const first = await decide(petitionId, tokens['moderator-a'] as string, {
      ...body,
      version: seen.version,
    });

    const again = await decide(petitionId, tokens['moderator-a'] as string, {
      ...body,
      version: seen.version,
    });

    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await jsonOf(again)).toEqual(await jsonOf(first));
    expect((await writtenFor(petitionId)).logLines).toHaveLength(1);
  });

  it('a different decision still follows the rules: a rejection after the approval is a new decision', async () => {
    const petitionId = await submittedPetition('Move the bus stop closer to the clinic');
    expect((await decide(petitionId, tokens['moderator-a'] as string, { decision: 'approve' })).status).toBe(
      200,
    );

    const rejected = await decide(petitionId, tokens['moderator-a'] as string, {
      decision: 'hide',
      reasonCode: 'spam',
    });
    const stale = await decide(petitionId, tokens['moderator-b'] as string, {
      decision: 'approve',
      version: 2,
    });

    expect(rejected.status).toBe(200);
    expect(await jsonOf(rejected)).toMatchObject({
      version: 3,
      decisions: [{ decision: 'approve' }, { decision: 'hide' }],
    });
    // Another moderator who looked at the approved item is told to look again, as before.
    expect(stale.status).toBe(409);
    expect((await writtenFor(petitionId)).logLines).toHaveLength(2);
  });
});

describe('what a petition withheld for its content shows', () => {
  const NOTE = 'Names a neighbour and his address.';
  const TITLE = 'Complaint about Ivan Petrenko of Sadova 12';
  const get = (petitionId: string, token?: string) =>
    api.call(`${petitions}/${petitionId}`, token ? { token } : {});

  /** A petition opened by a moderator, then hidden by another for personal data, with a note. */
  async function hiddenPetition(): Promise<string> {
    const petitionId = await submittedPetition(TITLE);
    expect((await decide(petitionId, tokens['moderator-a'] as string, { decision: 'approve' })).status).toBe(
      200,
    );
    const hidden = await decide(petitionId, tokens['moderator-b'] as string, {
      decision: 'hide',
      reasonCode: 'personal_data',
      note: NOTE,
    });
    expect(hidden.status).toBe(200);
    return petitionId;
  }

  it('withholds title, text and note from anyone, signed in or not; the author and the staff read them', async () => {
    const petitionId = await hiddenPetition();
    tokens.other ??= await resident('other-resident');

    const anonymous = await jsonOf(await get(petitionId));
    const other = await jsonOf(await get(petitionId, tokens.other));
    const mine = await jsonOf(await api.call(`${petitions}/mine`, { token: tokens.author as string }));
    const authorsItem = await jsonOf(await api.call(itemPath(petitionId), call(tokens.author, 'GET')));
    const moderatorsItem = await jsonOf(
      await api.call(itemPath(petitionId), call(tokens['moderator-a'], 'GET')),
    );

    for (const answer of [anonymous, other]) {
      expect(answer).toMatchObject({ state: 'hidden', textHidden: true, title: null, text: null });
      expect(answer.moderation).toEqual({
        decision: 'hide',
        reasonCode: 'personal_data',
        reason: { uk: 'Текст містить персональні дані.', en: 'The text contains personal data.' },
        decidedAt: expect.any(String),
      });
    }
    // The author's own list, and the moderation item for the author (who may appeal) and for the staff.
    expect(mine.items.find((item: { id: string }) => item.id === petitionId)).toMatchObject({
      title: TITLE,
      text: 'Please, do it.',
      textHidden: true,
      moderation: { reasonCode: 'personal_data', note: NOTE },
    });
    for (const item of [authorsItem, moderatorsItem]) {
      expect(item).toMatchObject({ title: TITLE, excerpt: 'Please, do it.' });
      expect(item.decisions.at(-1)).toMatchObject({
        decision: 'hide',
        reasonCode: 'personal_data',
        note: NOTE,
      });
    }
  });

  it('withholds them in the public list too, and its search does not find the petition by its words', async () => {
    const petitionId = await hiddenPetition();

    const listed = await jsonOf(await api.call(`${petitions}?state=hidden&limit=100`));
    const searched = await jsonOf(await api.call(`${petitions}?state=hidden&q=Petrenko`));

    const entry = listed.items.find((item: { id: string }) => item.id === petitionId);
    expect(entry).toMatchObject({ title: null, text: null });
    expect(entry.moderation.note).toBeUndefined();
    expect(searched.items).toEqual([]);
  });

  it('withholds a petition rejected as spam alike, but not one rejected as a duplicate', async () => {
    const spam = await submittedPetition('Buy cheap watches at example.shop today');
    const duplicate = await submittedPetition('Repair the road to the cemetery');
    await decide(spam, tokens['moderator-a'] as string, {
      decision: 'reject',
      reasonCode: 'spam',
      note: 'Ads.',
    });
    await decide(duplicate, tokens['moderator-a'] as string, {
      decision: 'reject',
      reasonCode: 'duplicate',
      note: 'See the petition on the cemetery road.',
    });

    const spamView = await jsonOf(await get(spam));
    const duplicateView = await jsonOf(await get(duplicate));

    expect(spamView).toMatchObject({ state: 'rejected', title: null, text: null, textHidden: true });
    expect(spamView.moderation.note).toBeUndefined();
    expect(duplicateView).toMatchObject({
      state: 'rejected',
      title: 'Repair the road to the cemetery',
      textHidden: false,
      moderation: { reasonCode: 'duplicate', note: 'See the petition on the cemetery road.' },
    });
  });
});
