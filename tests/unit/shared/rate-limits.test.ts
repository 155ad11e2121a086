import { describe, expect, it } from 'vitest';
import type { Community } from '../../../domain/communities/community';
import { LimitedAction } from '../../../domain/communities/limits';
import { Role } from '../../../domain/identity/actor';
import { loadConfig } from '../../../functions/shared/config';
import { limitedBy } from '../../../functions/shared/rate-limits';
import type { RouteReply, RouteRequest } from '../../../functions/shared/routes';
import { actor, communityAt, fixedClock } from '../../support/actors';
import { fakeRateCounter } from '../../support/fakes/rate-counter';

// The one way a limited route counts, on the in-memory counter: what is counted, refused and given back.

const NOW = '2026-12-03T17:20:00.000Z';
const community = communityAt(NOW, { limits: { 'comment.create': { limit: 2 } } });

function requestOf(
  who = actor({ subject: 'resident' }),
  at = NOW,
  where: Community = community,
): RouteRequest {
  return {
    params: {},
    query: {},
    body: {},
    actor: who,
    community: where,
    locale: 'en',
    headers: {},
    requestId: 'r',
    config: loadConfig({ TABLE_NAME: 'unused' }),
    clock: fixedClock(at),
  };
}

/** A handler that writes (201) or refuses (409), counting how often it ran. */
function handler(reply: RouteReply = { status: 201 }) {
  const ran = { times: 0 };
  const handle = async (): Promise<RouteReply> => {
    ran.times += 1;
    return reply;
  };
  return { ran, handle };
}

describe('limitedBy', () => {
  it("counts each write up to the community's limit, then answers 429 with Retry-After without running the handler", async () => {
    const { counter } = fakeRateCounter();
    const { ran, handle } = handler();
    const limited = limitedBy(LimitedAction.commentCreate, handle, { counterFor: () => counter });

    const replies = [await limited(requestOf()), await limited(requestOf()), await limited(requestOf())];

    expect(replies.slice(0, 2)).toEqual([{ status: 201 }, { status: 201 }]);
    expect(replies[2]).toMatchObject({
      error: {
        code: 'rate_limited',
        details: { action: 'comment.create', limit: 2, retryAfterSeconds: 2400 },
      },
      headers: { 'retry-after': '2400' },
    });
    expect(ran.times).toBe(2);
  });

  it('keeps residents, actions and communities apart', async () => {
    const { counter } = fakeRateCounter();
    const limited = limitedBy(LimitedAction.commentCreate, handler().handle, { counterFor: () => counter });
    const reports = limitedBy(LimitedAction.reportCreate, handler().handle, { counterFor: () => counter });
    const other = communityAt(NOW, { limits: { 'comment.create': { limit: 2 } } }, 'c2');
    await limited(requestOf());
    await limited(requestOf());

    const replies = [
      await limited(requestOf(actor({ subject: 'neighbour', signerKey: 'n'.repeat(64) }))),
      await reports(requestOf()),
      await limited(requestOf(actor({ subject: 'resident' }), NOW, other)),
    ];

    expect(replies).toEqual([{ status: 201 }, { status: 201 }, { status: 201 }]);
  });

  it('starts afresh in the next window', async () => {
    const { counter } = fakeRateCounter();
    const limited = limitedBy(LimitedAction.commentCreate, handler().handle, { counterFor: () => counter });
    await limited(requestOf());
    await limited(requestOf());

    const inTheNextHour = await limited(
      requestOf(actor({ subject: 'resident' }), '2026-12-03T18:00:00.000Z'),
    );

    expect(inTheNextHour).toEqual({ status: 201 });
  });

  it('gives the unit back when the handler refuses the write', async () => {
    const { counter, counts } = fakeRateCounter();
    const refusing = limitedBy(
      LimitedAction.commentCreate,
      handler({ error: { code: 'consultation_not_open', message: { uk: 'x', en: 'x' } } }).handle,
      { counterFor: () => counter },
    );
    const writing = limitedBy(LimitedAction.commentCreate, handler().handle, { counterFor: () => counter });

    for (let index = 0; index < 5; index += 1) await refusing(requestOf());
    const afterRefusals = [...counts.values()];
    const written = [await writing(requestOf()), await writing(requestOf())];

    expect(afterRefusals).toEqual([0]);
    expect(written).toEqual([{ status: 201 }, { status: 201 }]);
  });

  it('gives the unit back when the route says its reply wrote nothing (a repeated report)', async () => {
    const { counter, counts } = fakeRateCounter();
    const repeated = limitedBy(LimitedAction.reportCreate, handler({ status: 200 }).handle, {
      counterFor: () => counter,
      wrote: (reply) => 'status' in reply && reply.status === 201,
    });
    const fresh = limitedBy(LimitedAction.reportCreate, handler({ status: 201 }).handle, {
      counterFor: () => counter,
      wrote: (reply) => 'status' in reply && reply.status === 201,
    });

    for (let index = 0; index < 30; index += 1) await repeated(requestOf());
    const afterRepeats = [...counts.values()];
    const reported = await fresh(requestOf());

    expect(afterRepeats).toEqual([0]);
    expect(reported).toEqual({ status: 201 });
    expect([...counts.values()]).toEqual([1]);
  });

  it.each([
    ['a moderator', Role.moderator],
    ['the council', Role.council],
  ])('does not limit %s', async (_who, role) => {
    const { counter, counts } = fakeRateCounter();
    const { ran, handle } = handler();
    const limited = limitedBy(LimitedAction.commentCreate, handle, { counterFor: () => counter });
    const staff = actor({ subject: 'staff', roles: new Set([role]) });

    for (let index = 0; index < 5; index += 1) await limited(requestOf(staff));

    expect(ran.times).toBe(5);
    expect(counts.size).toBe(0);
  });
});
