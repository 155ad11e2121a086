import { describe, expect, it } from 'vitest';
import type { Appeal } from '../../../domain/appeals/appeal';
import {
  autoHideIssueReport,
  moderateIssueReport,
} from '../../../domain/appeals/commands/moderate-issue-report';
import type { SubmitAppealInput } from '../../../domain/appeals/commands/submit-appeal';
import { isPublic, mayRead } from '../../../domain/appeals/permissions';
import { VISIBILITIES, type Visibility } from '../../../domain/appeals/publication';
import { CommunitySettingsPatchSchema } from '../../../domain/communities/settings';
import { type Actor, Role } from '../../../domain/identity/actor';
import { DECISIONS, type Decision } from '../../../domain/moderation/item';
import type { Outcome } from '../../../domain/shared/outcome';
import { EVENT_DETAIL_SCHEMAS } from '../../../events/registry';
import { appealUseCases } from '../../../functions/appeals/use-cases';
import { CHANGE_ATTEMPTS } from '../../../functions/shared/use-case';
import { actor, communityAt, contextFor, fixedClock, sequentialIds } from '../../support/actors';
import { fakeAppealStore } from '../../support/fakes/appeal-store';

// Issue reports and their moderation: the visibility table walked, the public list following each
// status change, on the reception's use cases over the in-memory fake.

const ISSUER = 'https://issuer.test';
const settingsWith = (issueReports: 'pre' | 'post') => ({
  moderation: { issueReports },
  appeals: {
    units: [
      { id: 'roads', names: { uk: 'Дороги', en: 'Roads' }, head: { issuer: ISSUER, subject: 'head-roads' } },
    ],
    categories: [
      {
        id: 'potholes',
        names: { uk: 'Ями', en: 'Potholes' },
        unitId: 'roads',
        kinds: ['appeal', 'issue_report'],
      },
    ],
    bounds: { west: 30, south: 50, east: 31, north: 51 },
  },
});
const preModerated = communityAt('2026-01-01T00:00:00.000Z', settingsWith('pre'));
const postModerated = communityAt('2026-01-01T00:00:00.000Z', settingsWith('post'));

const author = actor({
  subject: 'author',
  signerKey: 'author'.padEnd(64, '0'),
  residency: { communityId: preModerated.id },
});
const moderator = actor({ subject: 'moderator', roles: new Set([Role.moderator]) });
const stranger = actor({ subject: 'stranger', signerKey: 's'.repeat(64) });
const headRoads = actor({ subject: 'head-roads' });

const aReport: SubmitAppealInput = {
  kind: 'issue_report',
  categoryId: 'potholes',
  title: 'Broken street light',
  text: 'The light at the bus stop is out.',
  location: { lat: 50.45, lon: 30.52 },
};

const noPause = { attempts: CHANGE_ATTEMPTS, pause: async () => {} };

const value = <T>(outcome: Outcome<T>): T => {
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message.en}`);
  return outcome.value;
};
const codeOf = (outcome: Outcome<unknown>) => (outcome.ok ? 'ok' : outcome.error.code);

async function submitted(community = preModerated, input: SubmitAppealInput = aReport) {
  const fake = fakeAppealStore();
  const useCases = appealUseCases(fake.store, noPause, noPause);
  const report = value(await useCases.submit(contextFor(author), community, input));
  return { fake, useCases, report };
}

/** The report as the moderators left it, `visibility` given (first published at 10:00 when it ever was). */
const withVisibility = (report: Appeal, visibility: Visibility): Appeal => ({
  ...report,
  publication: {
    visibility,
    ...(visibility === 'pending' ? {} : { publishedAt: '2026-11-22T10:00:00.000Z' }),
  },
});

describe('submission: the moderation mode decides who sees a new report', () => {
  it('waits for the moderators under pre-moderation (the default): not public', async () => {
    const { report, useCases } = await submitted();
    expect(report.publication).toEqual({ visibility: 'pending' });
    expect(isPublic(report)).toBe(false);
    expect(codeOf(await useCases.publicOne(preModerated, report.id))).toBe('appeal_not_found');
    expect((await useCases.published(preModerated, 'issue_report', { limit: 10 })).items).toEqual([]);
  });

  it('is public at once under post-moderation, first published when registered', async () => {
    const { report, useCases } = await submitted(postModerated);
    expect(report.publication).toEqual({ visibility: 'published', publishedAt: report.registeredAt });
    expect(codeOf(await useCases.publicOne(postModerated, report.id))).toBe('ok');
  });

  it('takes the mode as a settings change, pre by default', () => {
    expect(preModerated.settings.moderation.issueReports).toBe('pre');
    expect(communityAt('2026-01-01T00:00:00.000Z').settings.moderation.issueReports).toBe('pre');
    expect(CommunitySettingsPatchSchema.parse({ moderation: { issueReports: 'post' } })).toEqual({
      moderation: { issueReports: 'post' },
    });
  });

  it('gives no publication to an appeal, which is never public', async () => {
    const { report } = await submitted(preModerated, {
      kind: 'appeal',
      categoryId: 'potholes',
      title: 'A pothole',
      text: 'Fix it.',
      appealType: 'complaint',
    });
    expect(report.publication).toBeUndefined();
    expect(codeOf(moderateIssueReport(contextFor(moderator), report, { decision: 'approve' }))).toBe(
      'invalid_state',
    );
  });
});

/** What each decision makes of each visibility: the table in `publication.ts`, as the command applies it. */
const EXPECTED: Record<Decision, (from: Visibility) => Visibility | 'invalid_state'> = {
  approve: () => 'published',
  restore: () => 'published',
  reject: (from) => (from === 'pending' || from === 'rejected' ? 'rejected' : 'invalid_state'),
  hide: (from) => (from === 'published' || from === 'hidden' ? 'hidden' : 'invalid_state'),
};

describe('the visibility table, walked: every decision from every visibility', () => {
  const cases = DECISIONS.flatMap((decision) => VISIBILITIES.map((from) => [decision, from] as const));

  it.each(cases)('%s from %s', async (decision, from) => {
    const { report } = await submitted();
    const before = withVisibility(report, from);
    const outcome = moderateIssueReport(contextFor(moderator), before, {
      decision,
      ...(decision === 'reject' || decision === 'hide' ? { reasonCode: 'spam' as const } : {}),
    });
    const expected = EXPECTED[decision](from);
    if (expected === 'invalid_state') {
      expect(codeOf(outcome)).toBe('invalid_state');
      return;
    }
    const next = value(outcome);
    expect(next.publication?.visibility).toBe(expected);
    expect(next.publication?.decision).toMatchObject({ decision, decidedBy: 'moderator' });
    expect(next.version).toBe(before.version + 1);
    // The handling is the unit's, whatever the moderators decide.
    expect(next.status).toBe(before.status);
    expect(next.timeline).toEqual(before.timeline);
    const events = outcome.ok ? outcome.events : [];
    expect(events.map((event) => event.name)).toEqual(
      expected === from ? [] : ['issue-report.visibility-changed.v1'],
    );
    for (const event of events) {
      expect(EVENT_DETAIL_SCHEMAS[event.name]?.safeParse(event.detail).success).toBe(true);
      expect(event.detail).toMatchObject({ visibility: expected, previousVisibility: from, decision });
      expect(JSON.stringify(event.detail)).not.toContain(author.signerKey);
    }
  });

  it('first publishes on approval, and keeps that place through a hide and a restore', async () => {
    const { report } = await submitted();
    const at = (iso: string) => ({ actor: moderator, clock: fixedClock(iso), ids: sequentialIds() });
    const approved = value(
      moderateIssueReport(at('2026-11-23T08:00:00.000Z'), report, { decision: 'approve' }),
    );
    expect(approved.publication?.publishedAt).toBe('2026-11-23T08:00:00.000Z');
    const hidden = value(
      moderateIssueReport(at('2026-11-24T08:00:00.000Z'), approved, { decision: 'hide', reasonCode: 'spam' }),
    );
    expect(isPublic(hidden)).toBe(false);
    const restored = value(
      moderateIssueReport(at('2026-11-25T08:00:00.000Z'), hidden, { decision: 'restore' }),
    );
    expect(restored.publication).toMatchObject({
      visibility: 'published',
      publishedAt: '2026-11-23T08:00:00.000Z',
    });
  });

  it('hides on reports only what is published, as the system', async () => {
    const { report } = await submitted();
    expect(codeOf(autoHideIssueReport(contextFor(stranger), report))).toBe('invalid_state');
    const hidden = value(autoHideIssueReport(contextFor(stranger), withVisibility(report, 'published')));
    expect(hidden.publication).toMatchObject({
      visibility: 'hidden',
      decision: { decision: 'hide', reasonCode: 'reported', decidedBy: 'system' },
    });
  });
});

describe('following a published report: the public view moves with every status change', () => {
  it('lists the report with its current status, and emits a status change at each step', async () => {
    const { fake, useCases, report } = await submitted();
    const approved = value(moderateIssueReport(contextFor(moderator), report, { decision: 'approve' }));
    expect(await fake.store.save(report, approved, [])).toBe('saved');
    expect((await useCases.published(preModerated, 'issue_report', { limit: 10 })).items).toHaveLength(1);

    value(await useCases.start(contextFor(headRoads), preModerated, report.id, {}));
    expect(value(await useCases.publicOne(preModerated, report.id)).status).toBe('in_progress');
    value(await useCases.answer(contextFor(headRoads), preModerated, report.id, { text: 'Replaced.' }));
    const [listed] = (await useCases.published(preModerated, 'issue_report', { limit: 10 })).items;
    expect(listed?.status).toBe('answered');

    const changes = fake.record.events.filter((event) => event.name === 'issue-report.status-changed.v1');
    expect(changes.map((event) => [event.detail.previousStatus, event.detail.status])).toEqual([
      ['submitted', 'assigned'],
      ['assigned', 'in_progress'],
      ['in_progress', 'answered'],
    ]);
  });

  it('keeps a hidden report handled by its unit, and private', async () => {
    const { fake, useCases, report } = await submitted(postModerated);
    const hidden = value(
      moderateIssueReport(contextFor(moderator), report, { decision: 'hide', reasonCode: 'offensive' }),
    );
    expect(await fake.store.save(report, hidden, [])).toBe('saved');
    expect(
      codeOf(await useCases.answer(contextFor(headRoads), postModerated, report.id, { text: 'Done.' })),
    ).toBe('ok');
    expect(codeOf(await useCases.publicOne(postModerated, report.id))).toBe('appeal_not_found');
    expect(codeOf(await useCases.visible(author, postModerated, report.id))).toBe('ok');
  });
});

describe('who reads an issue report through the private routes', () => {
  it('lets the moderators read a report they judge, but not an appeal; others still hear 404', async () => {
    const { report } = await submitted();
    const settings = preModerated.settings.appeals;
    const anAppeal: Appeal = { ...report, kind: 'appeal' };
    const reader = (who: Actor, item: Appeal) => mayRead(who, settings, item);
    expect(reader(moderator, report)).toBe(true);
    expect(reader(moderator, anAppeal)).toBe(false);
    expect(reader(stranger, report)).toBe(false);
    expect(reader(author, report)).toBe(true);
  });
});
