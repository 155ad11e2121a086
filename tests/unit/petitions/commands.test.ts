import { describe, expect, it } from 'vitest';
import type { Community } from '../../../domain/communities/community';
import { CommunitySettingsSchema } from '../../../domain/communities/settings';
import { Role } from '../../../domain/identity/actor';
import { addOfflineSignatures } from '../../../domain/petitions/commands/add-offline-signatures';
import { answerPetition } from '../../../domain/petitions/commands/answer-petition';
import { closePetition } from '../../../domain/petitions/commands/close-petition';
import { createPetition } from '../../../domain/petitions/commands/create-petition';
import { autoHidePetition, moderatePetition } from '../../../domain/petitions/commands/moderate-petition';
import { signPetition } from '../../../domain/petitions/commands/sign-petition';
import { sponsorPetition } from '../../../domain/petitions/commands/sponsor-petition';
import { submitPetition } from '../../../domain/petitions/commands/submit-petition';
import type { Petition } from '../../../domain/petitions/petition';
import { EventEnvelopeSchema } from '../../../events/envelope';
import { EVENT_DETAIL_SCHEMAS } from '../../../events/registry';
import { actor, contextFor, fixedClock } from '../../support/actors';

const community = (
  petitions: Record<string, unknown> = {},
  moderation: Record<string, unknown> = {},
): Community => ({
  id: 'demo',
  settings: CommunitySettingsSchema.parse({
    names: { uk: 'Громада', en: 'Hromada' },
    districts: [{ id: 'd1', names: { uk: 'О', en: 'D' } }],
    petitions: { thresholds: [{ name: 'response', signatures: 10 }], ...petitions },
    moderation,
  }),
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'admin',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
});

const resident = (key: string, birthdate = '1990-01-01') =>
  actor({
    subject: key,
    signerKey: key.padEnd(64, '0'),
    residency: { communityId: 'demo', districtId: 'd1' },
    birthdate,
  });
const author = resident('author');
const moderator = actor({ subject: 'mod', roles: new Set([Role.moderator]) });
const council = actor({ subject: 'council', roles: new Set([Role.council]) });

function draft(settings: Record<string, unknown> = {}): Petition {
  const outcome = createPetition(contextFor(author), community(settings), {
    title: 'A petition title',
    text: 'Text',
  });
  if (!outcome.ok) throw new Error(outcome.error.code);
  return outcome.value;
}

function open(): Petition {
  const submitted = submitPetition(contextFor(author), community(), draft());
  if (!submitted.ok) throw new Error(submitted.error.code);
  const approved = moderatePetition(contextFor(moderator), submitted.value, { decision: 'approve' });
  if (!approved.ok) throw new Error(approved.error.code);
  return approved.value;
}

function expectValidEvents(events: readonly unknown[]) {
  for (const event of events) {
    const parsed = EventEnvelopeSchema.parse(event);
    expect(EVENT_DETAIL_SCHEMAS[parsed.name]?.safeParse(parsed.detail).success, parsed.name).toBe(true);
  }
}

describe('petition commands', () => {
  it('creates a draft that carries the community’s rules at that moment', () => {
    const outcome = createPetition(contextFor(author), community({ durationDays: 30, sponsorsNeeded: 2 }), {
      title: 'A petition title',
      text: 'Text',
      districtId: 'd1',
    });

    expect(outcome.ok && outcome.value).toMatchObject({
      state: 'draft',
      durationDays: 30,
      sponsorsNeeded: 2,
      thresholds: [{ name: 'response', signatures: 10 }],
      authorKey: author.signerKey,
    });
    if (outcome.ok) expectValidEvents(outcome.events);
  });

  it.each([
    ['pre-moderation', {}, 'in_moderation', 'petition.submitted.v1'],
    ['post-moderation', { petitions: 'post' }, 'open', 'petition.published.v1'],
  ])('submits under %s to %s', (_mode, moderation, state, event) => {
    const outcome = submitPetition(contextFor(author), community({}, moderation), draft());

    expect(outcome.ok && outcome.value.state).toBe(state);
    expect(outcome.ok && outcome.events.map((e) => e.name)).toEqual([event]);
    if (outcome.ok) expectValidEvents(outcome.events);
  });

  it('gathers sponsors first when the community asks for them, and moves on with the last one', () => {
    const gathering = submitPetition(
      contextFor(author),
      community({ sponsorsNeeded: 2 }),
      draft({ sponsorsNeeded: 2 }),
    );
    if (!gathering.ok) throw new Error('fixture');
    const link = (token: string) => (stored: string) => stored === token;
    const one = sponsorPetition(
      contextFor(resident('s1')),
      community(),
      gathering.value,
      link(gathering.value.sponsorToken),
    );
    if (!one.ok) throw new Error('fixture');
    const two = sponsorPetition(
      contextFor(resident('s2')),
      community(),
      one.value,
      link(one.value.sponsorToken),
    );

    expect(gathering.value.state).toBe('gathering_sponsors');
    expect(one.value).toMatchObject({ state: 'gathering_sponsors', sponsorCount: 1 });
    expect(one.events).toEqual([]);
    expect(two.ok && two.value).toMatchObject({ state: 'in_moderation', sponsorCount: 2 });
  });

  it('opens on approval with closesAt = openedAt + durationDays', () => {
    const petition = open();

    expect(petition.state).toBe('open');
    expect(Date.parse(petition.closesAt ?? '') - Date.parse(petition.openedAt ?? '')).toBe(90 * 86_400_000);
  });

  it('hides the text for the reason codes that say so', () => {
    const hidden = moderatePetition(contextFor(moderator), open(), {
      decision: 'hide',
      reasonCode: 'offensive',
    });
    const rejectedUnclear = moderatePetition(
      contextFor(moderator),
      (submitPetition(contextFor(author), community(), draft()) as { value: Petition }).value,
      { decision: 'reject', reasonCode: 'unclear' },
    );

    expect(hidden.ok && hidden.value).toMatchObject({ state: 'hidden', textHidden: true });
    expect(rejectedUnclear.ok && rejectedUnclear.value).toMatchObject({
      state: 'rejected',
      textHidden: false,
    });
  });

  describe('the four moderation decisions on a petition', () => {
    const at = (iso: string) => ({
      actor: moderator,
      clock: fixedClock(iso),
      ids: contextFor(moderator).ids,
    });
    const inModeration = () =>
      (submitPetition(contextFor(author), community(), draft()) as { value: Petition }).value;

    it.each([
      ['approve', 'in_moderation', 'open', 'petition.published.v1'],
      ['reject', 'in_moderation', 'rejected', 'petition.rejected.v1'],
      ['hide', 'in_moderation', 'hidden', 'petition.hidden.v1'],
      ['hide', 'open', 'hidden', 'petition.hidden.v1'],
      ['restore', 'hidden', 'open', 'petition.restored.v1'],
      ['approve', 'rejected', 'open', 'petition.published.v1'],
    ] as const)('%s takes %s to %s and emits %s', (decision, from, to, event) => {
      const start: Record<string, () => Petition> = {
        in_moderation: inModeration,
        open,
        hidden: () => ({ ...open(), state: 'hidden', textHidden: true }),
        rejected: () => ({ ...inModeration(), state: 'rejected' }),
      };
      const reasonCode = decision === 'reject' || decision === 'hide' ? ('spam' as const) : undefined;

      const outcome = moderatePetition(contextFor(moderator), (start[from] as () => Petition)(), {
        decision,
        ...(reasonCode ? { reasonCode } : {}),
      });

      expect(outcome.ok && outcome.value.state).toBe(to);
      expect(outcome.ok && outcome.events.map((e) => e.name)).toEqual([event]);
    });

    it('restores a hidden petition with its original dates, and opens one hidden before it ever opened', () => {
      const wasOpen = { ...open(), state: 'hidden' as const, textHidden: true };
      const neverOpened = { ...inModeration(), state: 'hidden' as const };

      const restored = moderatePetition(at('2027-01-01T00:00:00.000Z'), wasOpen, { decision: 'restore' });
      const opened = moderatePetition(at('2027-01-01T00:00:00.000Z'), neverOpened, { decision: 'restore' });

      expect(restored.ok && restored.value).toMatchObject({
        state: 'open',
        textHidden: false,
        openedAt: wasOpen.openedAt,
        closesAt: wasOpen.closesAt,
      });
      expect(opened.ok && opened.value).toMatchObject({
        state: 'open',
        openedAt: '2027-01-01T00:00:00.000Z',
      });
    });

    it('changes only the record when the decision is what already is (the council upholding)', () => {
      const hidden = { ...open(), state: 'hidden' as const, textHidden: false };

      const upheld = moderatePetition(contextFor(moderator), hidden, {
        decision: 'hide',
        reasonCode: 'offensive',
      });

      expect(upheld).toMatchObject({ ok: true, events: [], value: { state: 'hidden', textHidden: true } });
    });

    it.each([
      ['restore', 'closed'],
      ['reject', 'open'],
    ] as const)('refuses to %s a %s petition with invalid_state', (decision, state) => {
      const petition = { ...open(), state };

      expect(
        moderatePetition(contextFor(moderator), petition, {
          decision,
          ...(decision === 'reject' ? { reasonCode: 'spam' as const } : {}),
        }),
      ).toMatchObject({ ok: false, error: { code: 'invalid_state', details: { currentState: state } } });
    });

    it('hides an open petition on reports, text too, with the system reason', () => {
      const outcome = autoHidePetition(contextFor(moderator), open());

      expect(outcome.ok && outcome.value).toMatchObject({
        state: 'hidden',
        textHidden: true,
        moderation: { decision: 'hide', reasonCode: 'reported', decidedBy: 'system' },
      });
      expect(autoHidePetition(contextFor(moderator), inModeration())).toMatchObject({ ok: false });
    });
  });

  it('signs an open petition, and refuses once its period is over even before the job closes it', () => {
    const petition = open();
    const signed = signPetition(contextFor(resident('r1')), community(), petition);
    const late = signPetition(
      { actor: resident('r1'), clock: fixedClock(petition.closesAt), ids: contextFor(author).ids },
      community(),
      petition,
    );

    expect(signed.ok && signed.value).toMatchObject({ petitionId: petition.id, districtId: 'd1' });
    expect(late).toMatchObject({
      ok: false,
      error: { code: 'petition_not_open', details: { currentState: 'closed' } },
    });
  });

  it('fires each threshold once from paper signatures', () => {
    const petition = open();
    const first = addOfflineSignatures(contextFor(council), petition, { id: 'batch-0001', count: 9 });
    if (!first.ok) throw new Error('fixture');
    const second = addOfflineSignatures(contextFor(council), first.value.petition, {
      id: 'batch-0002',
      count: 5,
    });
    if (!second.ok) throw new Error('fixture');
    const third = addOfflineSignatures(contextFor(council), second.value.petition, {
      id: 'batch-0003',
      count: 5,
    });

    expect(first.value.crossed).toEqual([]);
    expect(second.value.crossed).toEqual([{ name: 'response', signatures: 10 }]);
    expect(second.events.map((event) => event.name)).toEqual(['petition.threshold-reached.v1']);
    expectValidEvents(second.events);
    expect(third.ok && third.value.crossed).toEqual([]);
  });

  it('closes after the period, awaiting the answer when the response threshold was reached', () => {
    const petition = open();
    const reached = {
      ...petition,
      thresholdsReached: { response: { signatures: 10, reachedAt: '2026-11-23T00:00:00Z' } },
    };
    const after = fixedClock(new Date(Date.parse(petition.closesAt ?? '') + 1).toISOString());
    const before = fixedClock(new Date(Date.parse(petition.closesAt ?? '') - 1).toISOString());

    const closed = closePetition(after, contextFor(author).ids, reached);
    const quiet = closePetition(after, contextFor(author).ids, petition);

    expect(closed.ok && closed.value).toMatchObject({ state: 'closed', responseState: 'awaiting_response' });
    expect(quiet.ok && quiet.value.responseState).toBe('none');
    expect(closePetition(before, contextFor(author).ids, petition)).toMatchObject({
      ok: false,
      error: { code: 'not_due' },
    });
    if (closed.ok) expectValidEvents(closed.events);
  });

  it('takes the council’s answer once', () => {
    const answered = answerPetition(contextFor(council), open(), { text: 'Yes.', decision: 'supported' });
    if (!answered.ok) throw new Error('fixture');

    expect(answered.value.responseState).toBe('answered');
    expectValidEvents(answered.events);
    expect(
      answerPetition(contextFor(council), answered.value, { text: 'Again.', decision: 'supported' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'already_answered' },
    });
    expect(answerPetition(contextFor(moderator), open(), { text: 'x', decision: 'supported' })).toMatchObject(
      {
        ok: false,
        error: { code: 'forbidden' },
      },
    );
  });
});

describe('paper signatures, one batch once', () => {
  const counted = (() => {
    const outcome = addOfflineSignatures(contextFor(council), open(), {
      id: 'batch-0001',
      count: 5,
      note: 'Box 1',
    });
    if (!outcome.ok) throw new Error('fixture');
    return outcome.value;
  })();

  it.each([
    ['the same batch again', { id: 'batch-0001', count: 5, note: 'Box 1' }, { replayed: true }],
    [
      'another count under the same key',
      { id: 'batch-0001', count: 6, note: 'Box 1' },
      'idempotency_key_reused',
    ],
    [
      'another note under the same key',
      { id: 'batch-0001', count: 5, note: 'Box 2' },
      'idempotency_key_reused',
    ],
    ['no note under the same key', { id: 'batch-0001', count: 5 }, 'idempotency_key_reused'],
  ])('%s', (_case, input, expected) => {
    const outcome = addOfflineSignatures(contextFor(council), counted.petition, input, counted.batch);

    if (typeof expected === 'string') {
      expect(outcome).toMatchObject({ ok: false, error: { code: expected, details: { recordedCount: 5 } } });
      return;
    }
    // A replay answers the petition as it is, counts nothing, emits nothing and audits nothing.
    expect(outcome).toEqual({
      ok: true,
      value: { petition: counted.petition, crossed: [], batch: counted.batch, replayed: true },
      events: [],
    });
  });

  it('records the batch it counts: key, count, note, who and when', () => {
    expect(counted.replayed).toBe(false);
    expect(counted.petition.offlineSignatureCount).toBe(5);
    expect(counted.batch).toEqual({
      id: 'batch-0001',
      count: 5,
      note: 'Box 1',
      petitionId: counted.petition.id,
      addedAt: expect.any(String),
      addedBy: 'council',
    });
  });

  it('refuses a resident before telling them anything about a batch', () => {
    const outcome = addOfflineSignatures(contextFor(author), counted.petition, counted.batch, counted.batch);

    expect(outcome).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
