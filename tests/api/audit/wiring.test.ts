import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../../domain/audit/chain';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

/**
 * The staff actions that exist today write their audit intent in the same
 * transaction as the change: settings, roles, petition moderation, answers and
 * paper signatures all end up in the community's chain, in order, verifiable.
 */
let api: TestRuntime;

const call = (token: string, method: string, body?: unknown) => ({
  method,
  token,
  headers: { 'content-type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

beforeAll(async () => {
  api = await startTestRuntime();
});

afterAll(async () => {
  await api.stop();
});

describe('the audit trail of staff actions', () => {
  it('records settings, roles, moderation, answers and paper signatures, and the chain verifies', async () => {
    const council = await api.token({ sub: 'council-1', community: 'demo', birthdate: '1980-04-12' });
    const moderator = await api.token({ sub: 'moderator-1', community: 'demo', birthdate: '1980-04-12' });
    const author = await api.token({ sub: 'author-9', community: 'demo', birthdate: '1980-04-12' });
    const demo = '/v1/communities/demo';
    await api.runtime.drain();

    expect(
      (
        await api.call(
          `${demo}/settings`,
          call(council, 'PATCH', { reportsBeforeHide: 4, petitions: { sponsorsNeeded: 0 } }),
        )
      ).status,
    ).toBe(200);
    expect(
      (await api.call(`${demo}/members/helper-1`, call(council, 'PUT', { roles: ['moderator'] }))).status,
    ).toBe(201);
    const petition = await jsonOf(
      await api.call(
        `${demo}/petitions`,
        call(author, 'POST', { title: 'Audit me, please, kindly', text: 'x' }),
      ),
    );
    await api.call(`${demo}/petitions/${petition.id}/submit`, call(author, 'POST'));
    expect(
      (
        await api.call(
          `${demo}/moderation/items/petition.${petition.id}/decisions`,
          call(moderator, 'POST', { decision: 'approve' }),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await api.call(`${demo}/petitions/${petition.id}/offline-signatures`, {
          ...call(council, 'POST', { count: 7 }),
          headers: { 'content-type': 'application/json', 'idempotency-key': 'paper-batch-1' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api.call(
          `${demo}/petitions/${petition.id}/response`,
          call(council, 'POST', { text: 'Yes.', decision: 'supported' }),
        )
      ).status,
    ).toBe(200);
    expect((await api.call(`${demo}/members/helper-1`, call(council, 'DELETE'))).status).toBe(204);
    await api.runtime.drain();
    await api.runtime.drain();

    const exported = await api.call(`${demo}/audit/export`, { token: council });
    const lines = (await exported.text()).split('\n').filter(Boolean);
    // The demo data's own staff actions come first; this test's six follow them.
    const entries = lines.map((line) => JSON.parse(line)).slice(-6);

    expect(verifyChain(lines)).toMatchObject({ ok: true });
    expect(entries.map((entry) => `${entry.action} ${entry.target}`)).toEqual([
      'community.settings.update community/demo',
      'community.member.set member/helper-1',
      `moderation.decide petition/${petition.id}`,
      `petition.offline-signatures petition/${petition.id}`,
      `petition.answer petition/${petition.id}`,
      'community.member.set member/helper-1',
    ]);
    expect(entries[0]).toMatchObject({
      actor: { subject: 'council-1', roles: ['council'] },
      before: { reportsBeforeHide: 3, petitions: { sponsorsNeeded: 3 } },
      after: { reportsBeforeHide: 4, petitions: { sponsorsNeeded: 0 } },
    });
    expect(entries[2]).toMatchObject({
      actor: { subject: 'moderator-1', roles: ['moderator'] },
      before: { status: 'pending', state: 'in_moderation' },
      after: { status: 'decided', decision: 'approve', state: 'open' },
    });
    expect(entries[5]).toMatchObject({ before: { roles: ['moderator'] }, after: { roles: [] } });
  });

  it('writes nothing to the trail for a refused action', async () => {
    const resident = await api.token({ sub: 'resident-1', community: 'demo', birthdate: '1990-01-01' });
    const council = await api.token({ sub: 'council-1', community: 'demo' });
    await api.runtime.drain();
    const before = (await jsonOf(await api.call('/v1/communities/demo/audit', { token: council }))).head;

    expect(
      (await api.call('/v1/communities/demo/settings', call(resident, 'PATCH', { reportsBeforeHide: 9 })))
        .status,
    ).toBe(403);
    await api.runtime.drain();

    expect((await jsonOf(await api.call('/v1/communities/demo/audit', { token: council }))).head).toEqual(
      before,
    );
  });
});
