import { describe, expect, it } from 'vitest';
import type { Community } from '../../../domain/communities/community';
import { CommunitySettingsSchema } from '../../../domain/communities/settings';
import { Role } from '../../../domain/identity/actor';
import {
  type DecisionRecord,
  ItemStatus,
  itemIdOf,
  type ModerationItem,
  newModerationItem,
  type SubjectSnapshot,
} from '../../../domain/moderation/item';
import type { CommandContext } from '../../../domain/shared/command';
import { moderationUseCases } from '../../../functions/moderation/use-cases';
import { CHANGE_ATTEMPTS } from '../../../functions/shared/use-case';
import { actor, fixedClock, sequentialIds } from '../../support/actors';
import { fakeModerationPort } from '../../support/fakes/moderation-port';

// The moderation centre's use cases through the runner, on the in-memory fake of its port.

const NOW = '2026-11-22T10:00:00.000Z';
const AUTHOR_KEY = 'a'.repeat(64);

const community: Community = {
  id: 'demo',
  settings: CommunitySettingsSchema.parse({ names: { uk: 'Громада', en: 'Hromada' }, reportsBeforeHide: 2 }),
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'admin',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};

const contextOf = (subject: string, overrides: Parameters<typeof actor>[0] = {}): CommandContext => ({
  actor: actor({ subject, signerKey: `${subject}-key`, ...overrides }),
  clock: fixedClock(NOW),
  ids: sequentialIds(),
});
const moderator = contextOf('moderator-a', { roles: new Set([Role.moderator]) });
const otherModerator = contextOf('moderator-b', { roles: new Set([Role.moderator]) });
const author = contextOf('author', { signerKey: AUTHOR_KEY, residency: { communityId: 'demo' } });
const resident = (subject: string) => contextOf(subject, { residency: { communityId: 'demo' } });

const snapshot: SubjectSnapshot = {
  type: 'petition',
  subjectId: '01P',
  title: 'Plant trees',
  excerpt: 'Plant trees on the square',
  authorKey: AUTHOR_KEY,
};
const ITEM_ID = itemIdOf('petition', '01P');

/** Runs without sleeping between tries: the fake's conflicts are injected, not raced. */
const noPause = { attempts: CHANGE_ATTEMPTS, pause: async () => {} };

/** A fake holding the petition (public or not) and, unless `item` is null, its stored item. */
function prepare(options: { isPublic?: boolean; item?: Partial<ModerationItem> | null } = {}) {
  const fake = fakeModerationPort();
  fake.seedSubject('demo', { snapshot, isPublic: options.isPublic ?? false });
  if (options.item !== null) {
    const item = newModerationItem(
      'demo',
      snapshot,
      new Date('2026-11-20T10:00:00.000Z'),
      ItemStatus.pending,
    );
    fake.seedItem({ ...item, version: 1, ...options.item });
  }
  return { fake, useCases: moderationUseCases(fake.port, noPause) };
}

const rejection: DecisionRecord = {
  decision: 'reject',
  reasonCode: 'duplicate',
  decidedBy: 'moderator-a',
  decidedAt: '2026-11-21T10:00:00.000Z',
  onAppeal: false,
  waitedSeconds: 86_400,
};

describe('claims on the runner', () => {
  it('lets a moderator claim a waiting item, in one save', async () => {
    const { fake, useCases } = prepare();

    const outcome = await useCases.claim(moderator, 'demo', ITEM_ID);

    expect(outcome.ok && outcome.value.claim?.by).toBe('moderator-a');
    expect((await fake.port.get('demo', ITEM_ID))?.claim?.by).toBe('moderator-a');
    expect(fake.saves).toBe(1);
  });

  it('refuses a resident before reading anything', async () => {
    const { fake, useCases } = prepare();

    const outcome = await useCases.claim(resident('r1'), 'demo', ITEM_ID);

    expect(!outcome.ok && outcome.error.code).toBe('forbidden');
    expect(fake.saves).toBe(0);
  });

  it('loads again and claims again when another change came first', async () => {
    const { fake, useCases } = prepare();
    fake.conflictNext(CHANGE_ATTEMPTS - 1);

    const outcome = await useCases.claim(moderator, 'demo', ITEM_ID);

    expect(outcome.ok).toBe(true);
    expect(fake.saves).toBe(CHANGE_ATTEMPTS);
    expect((await fake.port.get('demo', ITEM_ID))?.version).toBe(2);
  });

  it(`answers version_conflict after ${CHANGE_ATTEMPTS} lost races, writing nothing`, async () => {
    const { fake, useCases } = prepare();
    fake.conflictNext(CHANGE_ATTEMPTS);

    const outcome = await useCases.claim(moderator, 'demo', ITEM_ID);

    expect(!outcome.ok && outcome.error.code).toBe('version_conflict');
    expect(fake.saves).toBe(CHANGE_ATTEMPTS);
    expect((await fake.port.get('demo', ITEM_ID))?.claim).toBeUndefined();
  });

  it('finds the claim of another moderator when the race it lost was theirs', async () => {
    const { fake, useCases } = prepare();
    await useCases.claim(otherModerator, 'demo', ITEM_ID);

    const outcome = await useCases.claim(moderator, 'demo', ITEM_ID);

    expect(!outcome.ok && outcome.error.code).toBe('item_claimed');
    expect(fake.saves).toBe(1);
  });

  it('lets the holder release a claim', async () => {
    const { fake, useCases } = prepare();
    await useCases.claim(moderator, 'demo', ITEM_ID);

    const outcome = await useCases.release(moderator, 'demo', ITEM_ID);

    expect(outcome.ok && outcome.value.claim).toBeUndefined();
    expect((await fake.port.get('demo', ITEM_ID))?.version).toBe(3);
  });

  it('answers item_not_found for a subject that never entered the queue', async () => {
    const { fake, useCases } = prepare({ isPublic: true, item: null });

    const outcome = await useCases.claim(moderator, 'demo', ITEM_ID);

    expect(!outcome.ok && outcome.error.code).toBe('item_not_found');
    expect(fake.saves).toBe(0);
  });
});

describe('decisions on the runner', () => {
  it('saves the item, the subject made public, the decision log, the event and the audit intent together', async () => {
    const { fake, useCases } = prepare();

    const outcome = await useCases.decide(moderator, community, ITEM_ID, { decision: 'approve' });

    expect(outcome.ok && outcome.value.status).toBe(ItemStatus.decided);
    expect(fake.isPublic('demo', 'petition', '01P')).toBe(true);
    expect(fake.record.decisions.map((entry) => entry.decision)).toEqual(['approve']);
    expect(fake.record.events.map((event) => event.name)).toEqual(['moderation.decided.v1']);
    expect(fake.record.audits).toEqual([
      expect.objectContaining({
        action: 'moderation.decide',
        target: 'petition/01P',
        before: { status: 'pending', public: false },
        after: expect.objectContaining({ status: 'decided', decision: 'approve', public: true }),
      }),
    ]);
  });

  it('decides again after a lost race on which the item did not move, and saves once', async () => {
    const { fake, useCases } = prepare();
    fake.conflictNext(1);

    const outcome = await useCases.decide(moderator, community, ITEM_ID, { decision: 'approve' });

    expect(outcome.ok).toBe(true);
    expect(fake.saves).toBe(2);
    expect(fake.record.decisions).toHaveLength(1);
  });

  it('answers an identical decision already made by the same moderator with the item, writing nothing', async () => {
    const { fake, useCases } = prepare();
    const first = await useCases.decide(moderator, community, ITEM_ID, { decision: 'approve' });

    const again = await useCases.decide(moderator, community, ITEM_ID, { decision: 'approve' });

    expect(again).toEqual(first.ok && { ok: true, value: first.value, events: [] });
    expect(fake.saves).toBe(1);
    expect(fake.record.decisions).toHaveLength(1);
    expect(fake.record.events).toHaveLength(1);
    expect(fake.record.audits).toHaveLength(1);
  });

  it('answers the repeat, not a 409, when the race it lost was won by the same decision', async () => {
    const { fake } = prepare();
    const plain = moderationUseCases(fake.port, noPause);
    let raced = false;
    // The same request, sent twice at once: the twin's decision lands between this one's load and save.
    const racing = {
      ...fake.port,
      saveDecision: async (...args: Parameters<typeof fake.port.saveDecision>) => {
        if (!raced) {
          raced = true;
          expect((await plain.decide(moderator, community, ITEM_ID, { decision: 'approve' })).ok).toBe(true);
        }
        return fake.port.saveDecision(...args);
      },
    };

    const outcome = await moderationUseCases(racing, noPause).decide(moderator, community, ITEM_ID, {
      decision: 'approve',
      version: 1,
    });

    expect(outcome).toMatchObject({
      ok: true,
      value: { status: ItemStatus.decided, version: 2 },
      events: [],
    });
    expect(fake.record.decisions).toHaveLength(1);
    expect(fake.record.events).toHaveLength(1);
    expect(fake.record.audits).toHaveLength(1);
  });

  it('still answers version_conflict when the race it lost was won by another decision', async () => {
    const { fake } = prepare();
    const plain = moderationUseCases(fake.port, noPause);
    let raced = false;
    const racing = {
      ...fake.port,
      saveDecision: async (...args: Parameters<typeof fake.port.saveDecision>) => {
        if (!raced) {
          raced = true;
          await plain.decide(moderator, community, ITEM_ID, { decision: 'approve' });
        }
        return fake.port.saveDecision(...args);
      },
    };

    const outcome = await moderationUseCases(racing, noPause).decide(moderator, community, ITEM_ID, {
      decision: 'reject',
      reasonCode: 'duplicate',
    });

    expect(!outcome.ok && outcome.error.code).toBe('version_conflict');
    expect(fake.record.decisions.map((entry) => entry.decision)).toEqual(['approve']);
  });

  it(`answers version_conflict after ${CHANGE_ATTEMPTS} lost races`, async () => {
    const { fake, useCases } = prepare();
    fake.conflictNext(CHANGE_ATTEMPTS);

    const outcome = await useCases.decide(moderator, community, ITEM_ID, { decision: 'approve' });

    expect(!outcome.ok && outcome.error.code).toBe('version_conflict');
    expect(fake.saves).toBe(CHANGE_ATTEMPTS);
    expect(fake.record.decisions).toEqual([]);
  });

  it('answers version_conflict at once when the decider looked at an older version', async () => {
    const { fake, useCases } = prepare({ item: { version: 3 } });

    const outcome = await useCases.decide(moderator, community, ITEM_ID, { decision: 'approve', version: 2 });

    expect(!outcome.ok && outcome.error).toMatchObject({
      code: 'version_conflict',
      details: { itemId: ITEM_ID },
    });
    expect(fake.saves).toBe(0);
  });

  it('tells the decider who looked at an older version to look again, not to try again', async () => {
    const { useCases } = prepare({ item: { version: 3 } });

    const outcome = await useCases.decide(moderator, community, ITEM_ID, { decision: 'approve', version: 2 });

    expect(!outcome.ok && outcome.error.message).toEqual({
      uk: 'Запис щойно змінив хтось інший (рішення, взяття в роботу чи скарга). Перегляньте його ще раз.',
      en: 'Someone else changed this item just now (a decision, a claim or a report). Look at it again.',
    });
  });

  it("answers the tool's refusal, and writes nothing", async () => {
    const { fake, useCases } = prepare();
    fake.refuseSubjects();

    const outcome = await useCases.decide(moderator, community, ITEM_ID, { decision: 'approve' });

    expect(!outcome.ok && outcome.error.code).toBe('invalid_state');
    expect(fake.saves).toBe(0);
  });

  it('refuses a rejection without a reason before the tool is asked', async () => {
    const { fake, useCases } = prepare();
    fake.refuseSubjects();

    const outcome = await useCases.decide(moderator, community, ITEM_ID, { decision: 'reject' });

    expect(!outcome.ok && outcome.error.code).toBe('reason_required');
  });

  it('hides a published subject that never was in the queue: its item is stored at once', async () => {
    const { fake, useCases } = prepare({ isPublic: true, item: null });

    const outcome = await useCases.decide(moderator, community, ITEM_ID, {
      decision: 'hide',
      reasonCode: 'offensive',
    });

    expect(outcome.ok && outcome.value.version).toBe(1);
    expect(fake.isPublic('demo', 'petition', '01P')).toBe(false);
  });
});

describe('appeals on the runner', () => {
  const rejected = { status: ItemStatus.decided, decisions: [rejection], version: 2 };

  it('lets the author appeal a rejection: the item waits for the council', async () => {
    const { fake, useCases } = prepare({ item: rejected });

    const outcome = await useCases.appeal(author, 'demo', ITEM_ID, 'Not a duplicate: see the other one');

    expect(outcome.ok && outcome.value.status).toBe(ItemStatus.appeal);
    expect(fake.record.events.map((event) => event.name)).toEqual(['moderation.appealed.v1']);
  });

  it('answers item_not_found to anyone but the author, staff included', async () => {
    const { fake, useCases } = prepare({ item: rejected });

    const outcome = await useCases.appeal(moderator, 'demo', ITEM_ID, 'Let me');

    expect(!outcome.ok && outcome.error.code).toBe('item_not_found');
    expect(fake.saves).toBe(0);
  });

  it('appeals again after a lost race, and once only', async () => {
    const { fake, useCases } = prepare({ item: rejected });
    fake.conflictNext(2);

    const outcome = await useCases.appeal(author, 'demo', ITEM_ID, 'Not a duplicate');
    const again = await useCases.appeal(author, 'demo', ITEM_ID, 'Really not');

    expect(outcome.ok).toBe(true);
    expect(fake.saves).toBe(3);
    expect(!again.ok && again.error.code).toBe('already_appealed');
  });
});

describe('reports on the runner', () => {
  it('counts a report, and a second report of the same resident as already reported', async () => {
    const { fake, useCases } = prepare({ isPublic: true, item: { status: ItemStatus.decided } });

    const first = await useCases.report(resident('r1'), community, ITEM_ID, { reasonCode: 'spam' });
    const second = await useCases.report(resident('r1'), community, ITEM_ID, { reasonCode: 'spam' });

    expect(first.ok && first.value.alreadyReported).toBe(false);
    expect(second.ok && second.value.alreadyReported).toBe(true);
    expect((await fake.port.get('demo', ITEM_ID))?.reportsSinceDecision).toBe(1);
    expect(fake.record.reports.size).toBe(1);
  });

  it('writes reports made together in one save, and the one at reportsBeforeHide hides the subject', async () => {
    const { fake, useCases } = prepare({ isPublic: true, item: { status: ItemStatus.decided } });

    const answers = await Promise.all(
      ['r1', 'r2', 'r3'].map((who) =>
        useCases.report(resident(who), community, ITEM_ID, { reasonCode: 'spam' }),
      ),
    );

    expect(answers.map((answer) => answer.ok)).toEqual([true, true, false]);
    expect(answers.map((answer) => !answer.ok && answer.error.code)).toEqual([
      false,
      false,
      'not_reportable',
    ]);
    expect(fake.saves).toBe(1);
    expect(fake.isPublic('demo', 'petition', '01P')).toBe(false);
    expect(fake.record.events.map((event) => event.name)).toEqual(['moderation.auto-hidden.v1']);
  });

  it('tries a group again after a lost race, and counts each report once', async () => {
    const { fake, useCases } = prepare({ isPublic: true, item: { status: ItemStatus.decided } });
    fake.conflictNext(CHANGE_ATTEMPTS);

    const outcome = await useCases.report(resident('r1'), community, ITEM_ID, { reasonCode: 'spam' });

    expect(outcome.ok && outcome.value.alreadyReported).toBe(false);
    expect(fake.saves).toBe(CHANGE_ATTEMPTS + 1);
    expect((await fake.port.get('demo', ITEM_ID))?.reportsSinceDecision).toBe(1);
  });

  it(`answers version_conflict after ${CHANGE_ATTEMPTS * 2} lost races in a row`, async () => {
    const { fake, useCases } = prepare({ isPublic: true, item: { status: ItemStatus.decided } });
    fake.conflictNext(CHANGE_ATTEMPTS * 2);

    const outcome = await useCases.report(resident('r1'), community, ITEM_ID, { reasonCode: 'spam' });

    expect(!outcome.ok && outcome.error.code).toBe('version_conflict');
    expect(fake.saves).toBe(CHANGE_ATTEMPTS * 2);
    expect(fake.record.reports.size).toBe(0);
  });

  it('refuses a report of what the public does not see', async () => {
    const { fake, useCases } = prepare({ isPublic: false });

    const outcome = await useCases.report(resident('r1'), community, ITEM_ID, { reasonCode: 'spam' });

    expect(!outcome.ok && outcome.error.code).toBe('not_reportable');
    expect(fake.saves).toBe(0);
  });
});
