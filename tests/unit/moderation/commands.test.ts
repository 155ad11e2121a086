import { describe, expect, it } from 'vitest';
import { Role } from '../../../domain/identity/actor';
import { appealItem } from '../../../domain/moderation/commands/appeal-item';
import { claimItem, releaseClaim } from '../../../domain/moderation/commands/claim-item';
import {
  decideItem,
  decideWithSubject,
  repeatsLastDecision,
} from '../../../domain/moderation/commands/decide-item';
import { reportItem } from '../../../domain/moderation/commands/report-item';
import {
  type DecisionRecord,
  ItemStatus,
  isOverdue,
  itemIdOf,
  type ModerationItem,
  newModerationItem,
  parseItemId,
} from '../../../domain/moderation/item';
import type { CommandContext } from '../../../domain/shared/command';
import { text } from '../../../domain/shared/localized';
import { fail, ok } from '../../../domain/shared/outcome';
import { actor, fixedClock, sequentialIds } from '../../support/actors';

const NOW = '2026-11-22T10:00:00.000Z';
const AUTHOR_KEY = 'a'.repeat(64);

const contextOf = (
  subject: string,
  roles: Role[] = [],
  at = NOW,
  extra: Partial<Parameters<typeof actor>[0]> = {},
): CommandContext => ({
  actor: actor({ subject, roles: new Set(roles), signerKey: `${subject}-key`, ...extra }),
  clock: fixedClock(at),
  ids: sequentialIds(),
});

const moderatorA = contextOf('moderator-a', [Role.moderator]);
const moderatorB = contextOf('moderator-b', [Role.moderator]);
const council = contextOf('council-1', [Role.council]);
const author = contextOf('author', [], NOW, { signerKey: AUTHOR_KEY });
const resident = (subject: string) => contextOf(subject, [], NOW, { residency: { communityId: 'c1' } });

function pendingItem(overrides: Partial<ModerationItem> = {}): ModerationItem {
  const item = newModerationItem(
    'c1',
    { type: 'petition', subjectId: '01P', title: 'Trees', excerpt: 'Plant trees', authorKey: AUTHOR_KEY },
    new Date('2026-11-20T10:00:00.000Z'),
    ItemStatus.pending,
  );
  return { ...item, version: 1, ...overrides };
}

const rejection: DecisionRecord = {
  decision: 'reject',
  reasonCode: 'duplicate',
  decidedBy: 'moderator-a',
  decidedAt: '2026-11-21T10:00:00.000Z',
  onAppeal: false,
  waitedSeconds: 86_400,
};
const rejected = pendingItem({ status: ItemStatus.decided, decisions: [rejection], version: 2 });

describe('item ids', () => {
  it.each([
    ['petition.01JD0000000000000000000000', { type: 'petition', subjectId: '01JD0000000000000000000000' }],
    ['budget-project.p-17', { type: 'budget-project', subjectId: 'p-17' }],
    ['comment.c.1', { type: 'comment', subjectId: 'c.1' }],
    ['vote.01JD', undefined],
    ['petition.', undefined],
    ['.x', undefined],
    ['petition', undefined],
  ])('parses %s', (itemId, expected) => {
    expect(parseItemId(itemId)).toEqual(expected);
  });

  it('round-trips a subject through its item id', () => {
    expect(parseItemId(itemIdOf('budget-project', 'p1'))).toEqual({
      type: 'budget-project',
      subjectId: 'p1',
    });
  });
});

describe('overdue', () => {
  it.each([
    [ItemStatus.pending, '2026-11-17T10:00:01.000Z', false],
    [ItemStatus.pending, '2026-11-17T09:59:59.000Z', true],
    [ItemStatus.appeal, '2026-11-01T00:00:00.000Z', true],
    [ItemStatus.decided, '2026-11-01T00:00:00.000Z', false],
  ])('a %s item waiting since %s is overdue after 5 days: %s', (status, waitingSince, overdue) => {
    expect(isOverdue(pendingItem({ status, waitingSince }), 5, new Date(NOW))).toBe(overdue);
  });
});

describe('claimItem', () => {
  it('locks the item for 15 minutes to the moderator', () => {
    const outcome = claimItem(moderatorA, pendingItem());

    expect(outcome.ok && outcome.value.claim).toEqual({
      by: 'moderator-a',
      until: '2026-11-22T10:15:00.000Z',
    });
  });

  it('refuses a second moderator while the claim holds, naming who holds it', () => {
    const claimed = pendingItem({ claim: { by: 'moderator-a', until: '2026-11-22T10:15:00.000Z' } });

    const outcome = claimItem(moderatorB, claimed);

    expect(outcome).toMatchObject({
      ok: false,
      error: {
        code: 'item_claimed',
        details: { claimedBy: 'moderator-a', until: '2026-11-22T10:15:00.000Z' },
      },
    });
    expect(!outcome.ok && outcome.error.message.en).toContain('moderator-a');
  });

  it('lets another moderator take an expired claim', () => {
    const expired = pendingItem({ claim: { by: 'moderator-a', until: '2026-11-22T09:59:59.000Z' } });

    const outcome = claimItem(moderatorB, expired);

    expect(outcome.ok && outcome.value.claim?.by).toBe('moderator-b');
  });

  it.each([
    ['a resident', contextOf('r1'), pendingItem(), 'forbidden'],
    ['a moderator, on an appeal', moderatorA, pendingItem({ status: ItemStatus.appeal }), 'forbidden'],
    ['a moderator, on a decided item', moderatorA, rejected, 'nothing_to_decide'],
  ])('refuses %s', (_case, context, item, code) => {
    expect(claimItem(context, item)).toMatchObject({ ok: false, error: { code } });
  });

  it('releases only the holder’s live claim', () => {
    const claimed = pendingItem({ claim: { by: 'moderator-a', until: '2026-11-22T10:15:00.000Z' } });

    expect(releaseClaim(moderatorA, claimed)).toMatchObject({ ok: true, value: { version: 2 } });
    expect(releaseClaim(moderatorB, claimed)).toMatchObject({ ok: false, error: { code: 'item_claimed' } });
    expect(releaseClaim(moderatorA, pendingItem())).toMatchObject({
      ok: false,
      error: { code: 'not_claimed' },
    });
  });
});

describe('decideItem', () => {
  it('records the decision, releases the claim, settles the item and emits moderation.decided.v1', () => {
    const claimed = pendingItem({ claim: { by: 'moderator-a', until: '2026-11-22T10:15:00.000Z' } });

    const outcome = decideItem(moderatorA, claimed, {
      decision: 'reject',
      reasonCode: 'unclear',
      note: 'Say what.',
    });

    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value.item).toMatchObject({ status: 'decided', version: 2, reportsSinceDecision: 0 });
    expect(outcome.value.item.claim).toBeUndefined();
    expect(outcome.value.record).toEqual({
      decision: 'reject',
      reasonCode: 'unclear',
      note: 'Say what.',
      decidedBy: 'moderator-a',
      decidedAt: NOW,
      onAppeal: false,
      waitedSeconds: 2 * 86_400,
    });
    expect(outcome.events.map((event) => [event.name, event.subject])).toEqual([
      ['moderation.decided.v1', 'moderation/petition.01P'],
    ]);
  });

  it.each([
    [
      'reject without a reason',
      moderatorA,
      pendingItem(),
      { decision: 'reject' as const },
      'reason_required',
    ],
    ['hide without a reason', moderatorA, pendingItem(), { decision: 'hide' as const }, 'reason_required'],
    [
      'the system reason',
      moderatorA,
      pendingItem(),
      { decision: 'hide' as const, reasonCode: 'reported' as const },
      'reason_required',
    ],
    ['a resident', contextOf('r1'), pendingItem(), { decision: 'approve' as const }, 'forbidden'],
    [
      'a council member outside an appeal',
      council,
      pendingItem(),
      { decision: 'approve' as const },
      'forbidden',
    ],
    [
      'a moderator on an appeal',
      moderatorA,
      pendingItem({ status: ItemStatus.appeal }),
      { decision: 'approve' as const },
      'forbidden',
    ],
    [
      'a moderator changing what the council decided on appeal',
      moderatorA,
      { ...rejected, appeal: { text: 'x', appealedAt: NOW, decidedAt: NOW } },
      { decision: 'hide' as const, reasonCode: 'spam' as const },
      'forbidden',
    ],
    [
      'another moderator while the claim holds',
      moderatorB,
      pendingItem({ claim: { by: 'moderator-a', until: '2026-11-22T10:15:00.000Z' } }),
      { decision: 'approve' as const },
      'item_claimed',
    ],
  ])('refuses %s', (_case, context, item, input, code) => {
    expect(decideItem(context, item, input)).toMatchObject({ ok: false, error: { code } });
  });

  it('refuses a moderator their own submission, and the council its own appeal', () => {
    const ownModerator = contextOf('moderator-a', [Role.moderator], NOW, { signerKey: AUTHOR_KEY });
    const ownCouncil = contextOf('council-1', [Role.council], NOW, { signerKey: AUTHOR_KEY });
    const appealed = { ...rejected, status: ItemStatus.appeal, appeal: { text: 'Please', appealedAt: NOW } };

    expect(decideItem(ownModerator, pendingItem(), { decision: 'approve' })).toMatchObject({
      ok: false,
      error: { code: 'own_item' },
    });
    expect(claimItem(ownModerator, pendingItem())).toMatchObject({ ok: false, error: { code: 'own_item' } });
    expect(decideItem(ownCouncil, appealed, { decision: 'approve' })).toMatchObject({
      ok: false,
      error: { code: 'own_item' },
    });
  });

  it('sends reports on an item the council decided on appeal to the council, not the moderators', () => {
    const decidedOnAppeal = pendingItem({
      status: ItemStatus.decided,
      decisions: [rejection, { ...rejection, decision: 'approve', onAppeal: true }],
      appeal: { text: 'x', appealedAt: NOW, decidedAt: NOW },
    });

    const reported = reportItem(
      resident('r1'),
      decidedOnAppeal,
      { reasonCode: 'spam' },
      {
        reportsBeforeHide: 3,
        subjectPublic: true,
      },
    );

    expect(reported).toMatchObject({ ok: true, value: { item: { status: 'appeal' } } });
  });

  it('lets the council decide an appeal and marks the appeal decided', () => {
    const appealed = { ...rejected, status: ItemStatus.appeal, appeal: { text: 'Please', appealedAt: NOW } };

    const outcome = decideItem(council, appealed, { decision: 'approve' });

    expect(outcome).toMatchObject({
      ok: true,
      value: { item: { status: 'decided', appeal: { decidedAt: NOW } }, record: { onAppeal: true } },
    });
  });

  it('keeps the latest 20 decisions on the item', () => {
    const busy = pendingItem({ decisions: Array.from({ length: 20 }, () => rejection) });

    const outcome = decideItem(moderatorA, busy, { decision: 'approve' });

    expect(outcome.ok && outcome.value.item.decisions).toHaveLength(20);
    expect(outcome.ok && outcome.value.item.decisions.at(-1)?.decision).toBe('approve');
  });
});

describe('decideWithSubject', () => {
  const hidden = { before: { public: true }, after: { public: false }, events: [] };

  it("returns the decision's audit record: the status before, the decision and the subject's change after", () => {
    const outcome = decideWithSubject(
      moderatorA,
      pendingItem(),
      { decision: 'hide', reasonCode: 'offensive', note: 'Slur' },
      ok(hidden),
    );

    expect(outcome.ok && outcome.audit).toMatchObject({
      communityId: 'c1',
      action: 'moderation.decide',
      target: 'petition/01P',
      actor: { subject: 'moderator-a' },
      at: NOW,
      before: { status: 'pending', public: true },
      after: {
        status: 'decided',
        decision: 'hide',
        reasonCode: 'offensive',
        note: 'Slur',
        onAppeal: false,
        public: false,
      },
    });
    expect(outcome.ok && outcome.value.change).toBe(hidden);
    expect(outcome.ok && outcome.events.map((event) => event.name)).toEqual(['moderation.decided.v1']);
  });

  it("answers the centre's refusal before the tool's, and the tool's when the centre agrees", () => {
    const refused = fail('invalid_state', text('Ні.', 'No.'));

    const unreasoned = decideWithSubject(moderatorA, pendingItem(), { decision: 'reject' }, refused);
    const toolSaysNo = decideWithSubject(moderatorA, pendingItem(), { decision: 'approve' }, refused);

    expect(!unreasoned.ok && unreasoned.error.code).toBe('reason_required');
    expect(!toolSaysNo.ok && toolSaysNo.error.code).toBe('invalid_state');
  });
});

describe('a repeated decision', () => {
  const approval: DecisionRecord = { ...rejection, decision: 'approve', reasonCode: undefined };
  const { reasonCode: _none, ...plainApproval } = approval;
  const approved = pendingItem({ status: ItemStatus.decided, decisions: [plainApproval], version: 2 });
  const withNote = pendingItem({
    status: ItemStatus.decided,
    decisions: [{ ...rejection, note: 'Same as 01Q.' }],
    version: 2,
  });

  it.each([
    ['the same approval by the same moderator', moderatorA, approved, { decision: 'approve' as const }, true],
    [
      'the same rejection, reason and note',
      moderatorA,
      withNote,
      { decision: 'reject' as const, reasonCode: 'duplicate' as const, note: 'Same as 01Q.' },
      true,
    ],
    ['the same approval by another moderator', moderatorB, approved, { decision: 'approve' as const }, false],
    [
      'a rejection after the approval',
      moderatorA,
      approved,
      { decision: 'reject' as const, reasonCode: 'duplicate' as const },
      false,
    ],
    [
      'the same rejection with another reason',
      moderatorA,
      rejected,
      { decision: 'reject' as const, reasonCode: 'unclear' as const },
      false,
    ],
    [
      'the same rejection with another note',
      moderatorA,
      withNote,
      { decision: 'reject' as const, reasonCode: 'duplicate' as const, note: 'Same as 01R.' },
      false,
    ],
    [
      'the same rejection without its note',
      moderatorA,
      withNote,
      { decision: 'reject' as const, reasonCode: 'duplicate' as const },
      false,
    ],
    [
      'the same approval on an item reported since (waiting again)',
      moderatorA,
      { ...approved, status: ItemStatus.pending },
      { decision: 'approve' as const },
      false,
    ],
    [
      'an approval of an item never decided',
      moderatorA,
      pendingItem(),
      { decision: 'approve' as const },
      false,
    ],
  ])('%s', (_case, context, item, input, repeated) => {
    expect(repeatsLastDecision(item, context.actor.subject, input)).toBe(repeated);

    const outcome = decideItem(context, item, input);

    expect(outcome).toMatchObject({ ok: true, value: { repeated } });
    if (!outcome.ok) return;
    // A repeat answers the item as it is, with the record it repeats, and emits nothing.
    expect(outcome.value.item.version).toBe(repeated ? item.version : item.version + 1);
    expect(outcome.events).toHaveLength(repeated ? 0 : 1);
  });

  it('answers a repeat before asking the tool, without events or an audit record', () => {
    const refused = fail('invalid_state', text('Ні.', 'No.'));

    const outcome = decideWithSubject(moderatorA, approved, { decision: 'approve' }, refused);

    expect(outcome).toEqual({
      ok: true,
      value: { item: approved, record: plainApproval, repeated: true },
      events: [],
    });
  });

  it('still refuses a repeat by someone who may no longer decide', () => {
    const former = contextOf('moderator-a');

    expect(decideItem(former, approved, { decision: 'approve' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});

describe('reportItem', () => {
  const published = pendingItem({
    status: ItemStatus.decided,
    decisions: [{ ...rejection, decision: 'approve' }],
  });
  const rules = { reportsBeforeHide: 2, subjectPublic: true };

  it('counts by reason and puts a settled item back in the queue', () => {
    const outcome = reportItem(resident('r1'), published, { reasonCode: 'spam' }, rules);

    expect(outcome).toMatchObject({
      ok: true,
      value: {
        hide: false,
        item: { status: 'pending', waitingSince: NOW, reports: { spam: 1 }, reportsSinceDecision: 1 },
      },
      events: [],
    });
  });

  it('hides at reportsBeforeHide, once, and emits moderation.auto-hidden.v1', () => {
    const once = reportItem(resident('r1'), published, { reasonCode: 'spam' }, rules);
    if (!once.ok) throw new Error('first report refused');

    const twice = reportItem(resident('r2'), once.value.item, { reasonCode: 'offensive' }, rules);

    expect(twice).toMatchObject({
      ok: true,
      value: {
        hide: true,
        item: { autoHidden: true, reports: { spam: 1, offensive: 1 }, reportsSinceDecision: 2 },
      },
    });
    expect(twice.ok && twice.events.map((event) => event.name)).toEqual(['moderation.auto-hidden.v1']);
  });

  it.each([
    ['a non-resident', contextOf('visitor'), rules, 'not_eligible'],
    [
      'a subject the public does not see',
      resident('r1'),
      { ...rules, subjectPublic: false },
      'not_reportable',
    ],
  ])('refuses %s', (_case, context, reportRules, code) => {
    expect(reportItem(context, published, { reasonCode: 'spam' }, reportRules)).toMatchObject({
      ok: false,
      error: { code },
    });
  });
});

describe('appealItem', () => {
  it('sends a rejection back to the queue, for the council, once', () => {
    const outcome = appealItem(author, rejected, 'I disagree');

    expect(outcome).toMatchObject({
      ok: true,
      value: { status: 'appeal', waitingSince: NOW, appeal: { text: 'I disagree', appealedAt: NOW } },
    });
    expect(outcome.ok && outcome.events.map((event) => event.name)).toEqual(['moderation.appealed.v1']);
  });

  it.each([
    ['someone else', moderatorA, rejected, 'not_author'],
    [
      'a second time',
      author,
      { ...rejected, appeal: { text: 'x', appealedAt: NOW, decidedAt: NOW } },
      'already_appealed',
    ],
    [
      'an approval',
      author,
      { ...rejected, decisions: [{ ...rejection, decision: 'approve' as const }] },
      'not_appealable',
    ],
    ['an item still waiting', author, pendingItem(), 'not_appealable'],
  ])('refuses %s', (_case, context, item, code) => {
    expect(appealItem(context, item, 'Please')).toMatchObject({ ok: false, error: { code } });
  });
});
