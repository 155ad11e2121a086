import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';
import { call, consultationsOf, createCommunity, createConsultation, residentOf } from './support';

/**
 * A comment through the moderation centre, under pre-moderation: it waits in
 * the queue, is claimed, rejected, appealed and approved by the council; its
 * author reads the reason in both languages; an edit sends it back to the queue.
 */

let api: TestRuntime;
const COMMUNITY = 'cmod';
const base = consultationsOf(COMMUNITY);
const moderation = `/v1/communities/${COMMUNITY}/moderation`;
let council: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  api = await startTestRuntime();
  ({ council } = await createCommunity(api, COMMUNITY, { moderation: { consultations: 'pre' } }));
  for (const name of ['moderator-a', 'moderator-b']) {
    tokens[name] = await residentOf(api, COMMUNITY, name);
    const appointed = await api.call(
      `/v1/communities/${COMMUNITY}/members/${name}`,
      call(council, 'PUT', { roles: ['moderator'] }),
    );
    expect(appointed.status).toBe(201);
  }
  tokens.author = await residentOf(api, COMMUNITY, 'author');
});

afterAll(async () => {
  await api.stop();
});

const itemOf = (commentId: string) => `${moderation}/items/comment.${commentId}`;

describe('a comment under pre-moderation', () => {
  it('waits in the queue, is claimed, rejected, appealed and approved by the council; the author reads why', async () => {
    // Prepare
    const consultation = await createConsultation(api, COMMUNITY, council, { open: true });
    const item = `${base}/${consultation.id}`;
    const moderatorA = tokens['moderator-a'] as string;
    const moderatorB = tokens['moderator-b'] as string;

    // Act: post, and find it waiting.
    const posted = await api.call(
      `${item}/comments`,
      call(tokens.author, 'POST', { stance: 'against', text: 'Parking fees are too high.' }),
    );
    const comment = await jsonOf(posted);
    expect(posted.status).toBe(201);
    expect(comment).toMatchObject({ state: 'pending', text: 'Parking fees are too high.' });
    expect(await jsonOf(await api.call(`${item}/comments/${comment.id}`))).toMatchObject({
      state: 'pending',
      text: null,
    });
    expect((await jsonOf(await api.call(`${item}/comments`))).items).toEqual([]);

    const queue = await jsonOf(await api.call(`${moderation}/queue?type=comment`, call(moderatorA, 'GET')));
    expect(queue.items).toContainEqual(
      expect.objectContaining({
        id: `comment.${comment.id}`,
        type: 'comment',
        subjectId: comment.id,
        parentId: consultation.id,
        title: 'Mobility plan for the centre',
        excerpt: 'Parking fees are too high.',
        status: 'pending',
      }),
    );

    // Claimed by one moderator; the other is kept off.
    expect((await api.call(`${itemOf(comment.id)}/claim`, call(moderatorA, 'POST'))).status).toBe(200);
    const secondClaim = await api.call(`${itemOf(comment.id)}/claim`, call(moderatorB, 'POST'));
    expect(secondClaim.status).toBe(409);
    expect(await jsonOf(secondClaim)).toMatchObject({ code: 'item_claimed', claimedBy: 'moderator-a' });

    // Rejected, with a reason the author is shown in both languages.
    const rejected = await api.call(
      `${itemOf(comment.id)}/decisions`,
      call(moderatorA, 'POST', {
        decision: 'reject',
        reasonCode: 'off_topic',
        note: 'About another street.',
      }),
    );
    expect(rejected.status).toBe(200);
    expect(await jsonOf(await api.call(`${item}/comments/${comment.id}`))).toMatchObject({
      state: 'rejected',
      text: null,
      moderation: { decision: 'reject', reasonCode: 'off_topic' },
    });
    const reason = {
      uk: 'Текст не стосується предмета обговорення.',
      en: 'The text is not about the matter discussed.',
    };
    for (const language of ['uk', 'en']) {
      const view = await api.call(itemOf(comment.id), call(tokens.author, 'GET', undefined, language));
      expect(view.headers.get('content-language')).toBe(language);
      expect(await jsonOf(view)).toMatchObject({
        status: 'decided',
        mayAppeal: true,
        decisions: [{ decision: 'reject', reasonCode: 'off_topic', reason, note: 'About another street.' }],
      });
    }

    // Appealed by the author; only the council decides an appeal.
    const appealed = await api.call(
      `${itemOf(comment.id)}/appeal`,
      call(tokens.author, 'POST', { text: 'It is about the centre, where the fees apply.' }),
    );
    expect(appealed.status).toBe(200);
    expect(await jsonOf(appealed)).toMatchObject({ status: 'appeal', mayAppeal: false });
    const byModerator = await api.call(
      `${itemOf(comment.id)}/decisions`,
      call(moderatorA, 'POST', { decision: 'approve' }),
    );
    expect(byModerator.status).toBe(403);
    const approved = await api.call(
      `${itemOf(comment.id)}/decisions`,
      call(council, 'POST', { decision: 'approve', note: 'On topic after all.' }),
    );

    // Assess
    expect(approved.status).toBe(200);
    expect(await jsonOf(approved)).toMatchObject({
      status: 'decided',
      decisions: [{ decision: 'reject' }, { decision: 'approve', onAppeal: true }],
    });
    const listed = await jsonOf(await api.call(`${item}/comments`));
    expect(listed.items).toEqual([
      expect.objectContaining({ id: comment.id, state: 'visible', text: 'Parking fees are too high.' }),
    ]);
    await api.runtime.drain();
    expect(
      api.runtime.bus.published
        .filter((event) => event.subject === `comment/${comment.id}`)
        .map((event) => [event.name, event.detail.to]),
    ).toEqual([
      ['consultation.comment-posted.v1', undefined],
      ['consultation.comment-moderated.v1', 'rejected'],
      ['consultation.comment-moderated.v1', 'visible'],
    ]);
    const trail = await jsonOf(await api.call(`/v1/communities/${COMMUNITY}/audit`, call(council, 'GET')));
    expect(
      trail.items
        .filter((entry: { target: string }) => entry.target === `comment/${comment.id}`)
        .map(
          (entry: { action: string; actor: { subject: string } }) => `${entry.action} ${entry.actor.subject}`,
        ),
    ).toEqual(['moderation.decide moderator-a', `moderation.decide council-${COMMUNITY}`]);
  });

  it('sends an approved comment back to the queue when its author edits it', async () => {
    const consultation = await createConsultation(api, COMMUNITY, council, { open: true });
    const item = `${base}/${consultation.id}`;
    const comment = await jsonOf(
      await api.call(`${item}/comments`, call(tokens.author, 'POST', { stance: 'for', text: 'Good plan.' })),
    );
    await api.call(
      `${itemOf(comment.id)}/decisions`,
      call(tokens['moderator-a'], 'POST', { decision: 'approve' }),
    );

    const edited = await api.call(
      `${item}/comments/${comment.id}`,
      call(tokens.author, 'PATCH', { text: 'Good plan, with more buses.' }),
    );

    expect(edited.status).toBe(200);
    expect(await jsonOf(edited)).toMatchObject({ state: 'pending', text: 'Good plan, with more buses.' });
    const queued = await jsonOf(await api.call(itemOf(comment.id), call(tokens['moderator-b'], 'GET')));
    expect(queued).toMatchObject({
      status: 'pending',
      excerpt: 'Good plan, with more buses.',
      decisions: [{ decision: 'approve' }],
    });
  });

  it('keeps no deleted text in the queue: the item shows the comment as it is now', async () => {
    const consultation = await createConsultation(api, COMMUNITY, council, { open: true });
    const item = `${base}/${consultation.id}`;
    const comment = await jsonOf(
      await api.call(
        `${item}/comments`,
        call(tokens.author, 'POST', { stance: 'against', text: 'Something I regret.' }),
      ),
    );
    await api.call(
      `${itemOf(comment.id)}/decisions`,
      call(tokens['moderator-a'], 'POST', { decision: 'approve' }),
    );

    const deleted = await api.call(`${item}/comments/${comment.id}`, call(tokens.author, 'DELETE'));
    const queued = await jsonOf(await api.call(itemOf(comment.id), call(tokens['moderator-b'], 'GET')));

    expect(deleted.status).toBeLessThan(300);
    expect(queued.excerpt).toBe('');
  });

  it('answers 404 for the comment item of another community', async () => {
    const other = 'cmod-other';
    const { council: otherCouncil } = await createCommunity(api, other);
    const consultation = await createConsultation(api, COMMUNITY, council, { open: true });
    const comment = await jsonOf(
      await api.call(
        `${base}/${consultation.id}/comments`,
        call(tokens.author, 'POST', { stance: 'for', text: 'Mine.' }),
      ),
    );

    const viaOther = await api.call(
      `/v1/communities/${other}/moderation/items/comment.${comment.id}/decisions`,
      call(otherCouncil, 'POST', { decision: 'approve' }),
    );

    expect(viaOther.status).toBe(404);
    expect(await jsonOf(viaOther)).toMatchObject({ code: 'item_not_found' });
  });
});
