import { describe, expect, it } from 'vitest';
import { type Appeal, type AppealStatus, CLOSED, OPEN } from '../../../domain/appeals/appeal';
import type { SubmitAppealInput } from '../../../domain/appeals/commands/submit-appeal';
import { type Actor, Role } from '../../../domain/identity/actor';
import type { Outcome } from '../../../domain/shared/outcome';
import { EVENT_DETAIL_SCHEMAS } from '../../../events/registry';
import { appealUseCases } from '../../../functions/appeals/use-cases';
import { CHANGE_ATTEMPTS } from '../../../functions/shared/use-case';
import { actor, communityAt, contextFor, fixedClock, sequentialIds } from '../../support/actors';
import { fakeAppealStore } from '../../support/fakes/appeal-store';

// The reception's use cases through the runner, on the in-memory fake of the port.

const ISSUER = 'https://issuer.test';
const community = communityAt('2026-01-01T00:00:00.000Z', {
  appeals: {
    units: [
      { id: 'roads', names: { uk: 'Дороги', en: 'Roads' }, head: { issuer: ISSUER, subject: 'head-roads' } },
      { id: 'parks', names: { uk: 'Парки', en: 'Parks' }, head: { issuer: ISSUER, subject: 'head-parks' } },
    ],
    categories: [
      {
        id: 'potholes',
        names: { uk: 'Ями', en: 'Potholes' },
        unitId: 'roads',
        kinds: ['appeal', 'issue_report'],
      },
      {
        id: 'roads-info',
        names: { uk: 'Інфо', en: 'Info' },
        unitId: 'roads',
        kinds: ['information_request'],
      },
      { id: 'trees', names: { uk: 'Дерева', en: 'Trees' }, unitId: 'parks', kinds: ['appeal'] },
    ],
    bounds: { west: 30, south: 50, east: 31, north: 51 },
  },
});

const resident = (subject: string): Actor =>
  actor({ subject, signerKey: subject.padEnd(64, '0'), residency: { communityId: community.id } });
const author = resident('author');
const stranger = resident('stranger');
const council = actor({ subject: 'council', roles: new Set([Role.council]) });
const headRoads = actor({ subject: 'head-roads' });
const headParks = actor({ subject: 'head-parks' });
const officerRoads = actor({
  subject: 'officer-roads',
  roles: new Set([Role.officer]),
  units: new Set(['roads']),
});
const officerParks = actor({
  subject: 'officer-parks',
  roles: new Set([Role.officer]),
  units: new Set(['parks']),
});

/** Runs without sleeping between tries: the fake's conflicts are injected, not raced. */
const noPause = { attempts: CHANGE_ATTEMPTS, pause: async () => {} };

const anAppeal: SubmitAppealInput = {
  kind: 'appeal',
  categoryId: 'potholes',
  title: 'A pothole on Shevchenka street',
  text: 'Please fix it.',
  appealType: 'complaint',
};

function setUp() {
  const fake = fakeAppealStore();
  return { fake, useCases: appealUseCases(fake.store, noPause, noPause) };
}

const value = <T>(outcome: Outcome<T>): T => {
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message.en}`);
  return outcome.value;
};
const codeOf = (outcome: Outcome<unknown>) => (outcome.ok ? 'ok' : outcome.error.code);

async function submitted(input: SubmitAppealInput = anAppeal, who: Actor = author) {
  const prepared = setUp();
  const appeal = value(await prepared.useCases.submit(contextFor(who), community, input));
  return { ...prepared, appeal };
}

describe('submitting: registered and routed by category in one write', () => {
  it('numbers the year gaplessly, assigns the category’s unit and counts the due day from registration', async () => {
    const { useCases, fake, appeal } = await submitted();
    expect(appeal).toMatchObject({
      number: '2026-000001',
      status: 'assigned',
      unitId: 'roads',
      registeredOn: '2026-11-22',
      dueOn: '2026-12-22',
      authorKey: author.signerKey,
    });
    expect(appeal.timeline.map((entry) => entry.status)).toEqual(['submitted', 'registered', 'assigned']);
    expect(fake.record.events.map((event) => event.name)).toEqual([
      'appeal.registered.v1',
      'appeal.assigned.v1',
    ]);
    const second = value(await useCases.submit(contextFor(stranger), community, anAppeal));
    expect(second.number).toBe('2026-000002');
  });

  it('starts a new year at 000001 by Kyiv’s calendar (22:30 UTC on 31 December is already 2027 there)', async () => {
    const { useCases } = await submitted();
    const context = { actor: author, clock: fixedClock('2026-12-31T22:30:00.000Z'), ids: sequentialIds() };
    const next = value(await useCases.submit(context, community, anAppeal));
    expect(next.number).toBe('2027-000001');
    expect(next.registeredOn).toBe('2027-01-01');
  });

  it('reads the counter again when another registration took the number first', async () => {
    const { fake, useCases } = setUp();
    fake.conflictNext(2);
    const appeal = value(await useCases.submit(contextFor(author), community, anAppeal));
    expect(appeal.number).toBe('2026-000001');
    expect(fake.writes()).toBe(3);
  });

  it('emits the issue report’s status change, and keeps its location and photo', async () => {
    const { fake, appeal } = await submitted({
      kind: 'issue_report',
      categoryId: 'potholes',
      title: 'Pothole',
      text: 'Deep one',
      location: { lat: 50.45, lon: 30.52 },
      photoUrl: 'https://example.org/p.jpg',
    });
    expect(appeal.location).toEqual({ lat: 50.45, lon: 30.52 });
    expect(fake.record.events.map((event) => event.name)).toContain('issue-report.status-changed.v1');
  });

  it.each([
    ['a non-resident', { ...anAppeal }, actor({ subject: 'visitor' }), 'not_eligible'],
    ['an unknown category', { ...anAppeal, categoryId: 'nope' }, author, 'unknown_category'],
    [
      'a category not for the kind',
      { ...anAppeal, kind: 'information_request' },
      author,
      'category_not_for_kind',
    ],
    [
      'an issue report outside the bounds',
      {
        kind: 'issue_report',
        categoryId: 'potholes',
        title: 'T',
        text: 'x',
        location: { lat: 48, lon: 30.5 },
      },
      author,
      'location_out_of_bounds',
    ],
  ] as const)('refuses %s', async (_, input, who, code) => {
    const { useCases, fake } = setUp();
    expect(codeOf(await useCases.submit(contextFor(who), community, input as SubmitAppealInput))).toBe(code);
    expect(fake.record.counters.size).toBe(0);
  });

  it('emits only registered events whose details match their schemas', async () => {
    const { useCases, appeal, fake } = await submitted();
    for (const action of ['assign', 'start', 'extend', 'answer'] as const)
      value(await act(useCases, headRoads, appeal.id, action));
    const other = value(await useCases.submit(contextFor(author), community, anAppeal));
    value(await act(useCases, council, other.id, 'refuse'));
    const third = value(await useCases.submit(contextFor(author), community, anAppeal));
    value(await act(useCases, council, third.id, 'forward'));
    const names = new Set(fake.record.events.map((event) => event.name));
    expect(names.size).toBe(7);
    for (const event of fake.record.events) {
      const schema = EVENT_DETAIL_SCHEMAS[event.name];
      expect(schema, event.name).toBeDefined();
      expect(schema?.safeParse(event.detail).success, event.name).toBe(true);
    }
  });

  it('keeps no identity or text in the events', async () => {
    const { fake } = await submitted();
    const serialized = JSON.stringify(fake.record.events.map((event) => event.detail));
    expect(serialized).not.toContain(author.subject);
    expect(serialized).not.toContain(author.signerKey);
    expect(serialized).not.toContain('Shevchenka');
  });
});

type Action = 'assign' | 'start' | 'extend' | 'answer' | 'refuse' | 'forward';
const ACTIONS: readonly Action[] = ['assign', 'start', 'extend', 'answer', 'refuse', 'forward'];

const act = (
  useCases: ReturnType<typeof setUp>['useCases'],
  who: Actor,
  appealId: string,
  action: Action,
) => {
  const context = contextFor(who);
  switch (action) {
    case 'assign':
      return useCases.assign(context, community, appealId, {
        officer: { issuer: ISSUER, subject: 'officer-roads' },
      });
    case 'start':
      return useCases.start(context, community, appealId, {});
    case 'extend':
      return useCases.extend(context, community, appealId, { reason: 'Needs a site visit' });
    case 'answer':
      return useCases.answer(context, community, appealId, { text: 'Fixed on Monday.' });
    case 'refuse':
      return useCases.refuse(context, community, appealId, {
        reasonCode: 'no_content',
        text: 'Nothing asked.',
      });
    case 'forward':
      return useCases.forward(context, community, appealId, { body: 'Oblast road service' });
  }
};

/** Where each action takes an item from each status: the transition table as the commands apply it. */
const EXPECTED: Record<Action, (status: AppealStatus) => string> = {
  assign: (s) => (OPEN.has(s) ? 'assigned' : 'appeal_closed'),
  start: (s) =>
    CLOSED.has(s)
      ? 'appeal_closed'
      : s === 'registered' || s === 'assigned'
        ? 'in_progress'
        : 'invalid_state',
  extend: (s) => (CLOSED.has(s) ? 'appeal_closed' : s === 'extended' ? 'extension_refused' : 'extended'),
  answer: (s) => (OPEN.has(s) ? 'answered' : 'appeal_closed'),
  refuse: (s) => (OPEN.has(s) ? 'refused' : 'appeal_closed'),
  forward: (s) => (OPEN.has(s) ? 'forwarded' : 'appeal_closed'),
};

const STATUSES = [...OPEN, ...CLOSED];

describe('the transition table, walked: every action from every status', () => {
  const cases = ACTIONS.flatMap((action) => STATUSES.map((status) => [action, status] as const));
  it.each(cases)('%s from %s', async (action, status) => {
    const { appeal: registered } = await submitted();
    const inStatus: Appeal = {
      ...registered,
      status,
      ...(status === 'extended'
        ? {
            extension: {
              reason: 'r',
              previousDue: registered.dueOn,
              dueOn: '2027-01-05',
              at: registered.registeredAt,
            },
          }
        : {}),
    };
    const fake = fakeAppealStore([inStatus]);
    const useCases = appealUseCases(fake.store, noPause, noPause);
    const outcome = await act(useCases, headRoads, inStatus.id, action);
    const expected = EXPECTED[action](status);
    expect(outcome.ok ? outcome.value.status : outcome.error.code).toBe(expected);
    if (outcome.ok) {
      expect(outcome.value.version).toBe(inStatus.version + 1);
      expect(outcome.value.timeline.at(-1)?.status).toBe(expected);
    } else {
      expect(fake.appeals.get(`${community.id}|${inStatus.id}`)).toEqual(inStatus);
    }
  });
});

describe('who may act: the unit’s officers, its head and the council; others do not even see it', () => {
  const who: readonly (readonly [string, Actor, string])[] = [
    ['an officer of the unit', officerRoads, 'ok'],
    ['the unit’s head', headRoads, 'ok'],
    ['the council', council, 'ok'],
    ['the author', author, 'not_unit_officer'],
    ['another resident', stranger, 'appeal_not_found'],
    ['an officer of another unit', officerParks, 'appeal_not_found'],
    ['the head of another unit', headParks, 'appeal_not_found'],
    ['an officer with no units', actor({ subject: 'o', roles: new Set([Role.officer]) }), 'appeal_not_found'],
  ];
  const cases = ACTIONS.flatMap((action) =>
    who.map(([name, person, code]) => [action, name, person, code] as const),
  );
  it.each(cases)('%s by %s', async (action, _, person, code) => {
    const { useCases, appeal, fake } = await submitted();
    const outcome = await act(useCases, person, appeal.id, action);
    // Assigning is the head's or the council's, not every officer's.
    const expected = action === 'assign' && person === officerRoads ? 'forbidden' : code;
    expect(codeOf(outcome)).toBe(expected);
    if (expected === 'ok') expect(fake.record.events.length).toBeGreaterThan(2);
  });

  it('reads: the author and the unit’s staff see it; anyone else hears 404', async () => {
    const { useCases, appeal } = await submitted();
    for (const person of [author, officerRoads, headRoads, council]) {
      expect(codeOf(await useCases.visible(person, community, appeal.id))).toBe('ok');
    }
    for (const person of [stranger, officerParks, headParks, undefined]) {
      expect(codeOf(await useCases.visible(person, community, appeal.id))).toBe('appeal_not_found');
    }
  });

  it('lets the assigned officer act although their units are not on their membership yet', async () => {
    const { useCases, appeal } = await submitted();
    value(await act(useCases, headRoads, appeal.id, 'assign'));
    const assignee = actor({ subject: 'officer-roads', roles: new Set([Role.officer]) });
    expect(value(await useCases.start(contextFor(assignee), community, appeal.id, {})).status).toBe(
      'in_progress',
    );
  });

  it('moves an item to another unit only by the council, and then it waits for that unit’s officer', async () => {
    const { useCases, appeal } = await submitted();
    value(await act(useCases, headRoads, appeal.id, 'assign'));
    const byHead = await useCases.assign(contextFor(headRoads), community, appeal.id, { unitId: 'parks' });
    expect(codeOf(byHead)).toBe('forbidden');
    const moved = value(
      await useCases.assign(contextFor(council), community, appeal.id, { unitId: 'parks' }),
    );
    expect(moved).toMatchObject({ unitId: 'parks', status: 'assigned' });
    expect(moved.assignee).toBeUndefined();
    expect(codeOf(await useCases.visible(officerRoads, community, appeal.id))).toBe('appeal_not_found');
    expect(codeOf(await useCases.visible(officerParks, community, appeal.id))).toBe('ok');
    const unknown = await useCases.assign(contextFor(council), community, appeal.id, { unitId: 'nowhere' });
    expect(codeOf(unknown)).toBe('unknown_unit');
  });

  it('records an audit intent for every assignment, extension, answer, refusal and forward', async () => {
    for (const action of ['assign', 'extend', 'answer', 'refuse', 'forward'] as const) {
      const { useCases, appeal, fake } = await submitted();
      value(await act(useCases, council, appeal.id, action));
      expect(fake.record.audits.map((audit) => audit.action)).toEqual([`appeal.${action}`]);
    }
  });
});

describe('deadlines: the shorter rule, and one extension within the law', () => {
  it('moves an appeal needing no further study to 15 days from registration', async () => {
    const { useCases, appeal } = await submitted();
    const started = value(
      await useCases.start(contextFor(officerRoads), community, appeal.id, { noFurtherStudy: true }),
    );
    expect(started.dueOn).toBe('2026-12-07');
    const info = await submitted({
      kind: 'information_request',
      categoryId: 'roads-info',
      title: 'Budget',
      text: 'x',
    });
    const refused = await info.useCases.start(contextFor(officerRoads), community, info.appeal.id, {
      noFurtherStudy: true,
    });
    expect(codeOf(refused)).toBe('validation_failed');
  });

  it('extends an appeal once, to 45 days at most', async () => {
    const { useCases, appeal } = await submitted();
    const beyond = await useCases.extend(contextFor(officerRoads), community, appeal.id, {
      reason: 'Site visit',
      dueOn: '2027-01-20',
    });
    expect(beyond.ok ? 'ok' : beyond.error.details).toMatchObject({
      reason: 'beyond_limit',
      limit: '2027-01-06',
    });
    const extended = value(
      await useCases.extend(contextFor(officerRoads), community, appeal.id, { reason: 'Site visit' }),
    );
    expect(extended).toMatchObject({ status: 'extended', dueOn: '2027-01-06' });
    expect(extended.extension).toMatchObject({
      reason: 'Site visit',
      previousDue: '2026-12-22',
      dueOn: '2027-01-06',
    });
    expect(extended.timeline.at(-1)?.note?.en).toContain('Site visit');
    const again = await useCases.extend(contextFor(officerRoads), community, appeal.id, { reason: 'More' });
    expect(again.ok ? 'ok' : again.error.details).toMatchObject({ reason: 'already_extended' });
  });

  it('extends an information request only within its first 5 working days', async () => {
    const info = await submitted({
      kind: 'information_request',
      categoryId: 'roads-info',
      title: 'Budget',
      text: 'x',
    });
    expect(info.appeal.dueOn).toBe('2026-11-27');
    const late = { actor: officerRoads, clock: fixedClock('2026-11-28T10:00:00.000Z'), ids: sequentialIds() };
    const refused = await info.useCases.extend(late, community, info.appeal.id, { reason: 'Large' });
    expect(refused.ok ? 'ok' : refused.error.details).toMatchObject({
      reason: 'too_late',
      firstDue: '2026-11-27',
    });
    const extended = value(
      await info.useCases.extend(contextFor(officerRoads), community, info.appeal.id, { reason: 'Large' }),
    );
    expect(extended.dueOn).toBe('2026-12-18');
  });
});

describe('refusals: lawful reasons per kind', () => {
  it('refuses a repeated appeal only with a link to an answered appeal of the same author', async () => {
    const { useCases, appeal: first, fake } = await submitted();
    const second = value(await useCases.submit(contextFor(author), community, anAppeal));
    const repeated = { reasonCode: 'repeated', text: 'Answered before.', previousAppealId: first.id };
    const unanswered = await useCases.refuse(contextFor(officerRoads), community, second.id, repeated);
    expect(codeOf(unanswered)).toBe('invalid_previous_appeal');
    const missing = await useCases.refuse(contextFor(officerRoads), community, second.id, {
      reasonCode: 'repeated',
      text: 'Answered before.',
    });
    expect(codeOf(missing)).toBe('invalid_previous_appeal');
    value(await useCases.answer(contextFor(officerRoads), community, first.id, { text: 'Done.' }));
    const refused = value(await useCases.refuse(contextFor(officerRoads), community, second.id, repeated));
    expect(refused.refusal).toMatchObject({ reasonCode: 'repeated', previousAppealId: first.id });
    expect(refused.timeline.at(-1)?.note?.uk).toContain('Повторне звернення');
    const other = value(await useCases.submit(contextFor(stranger), community, anAppeal));
    const notTheirs = await useCases.refuse(contextFor(officerRoads), community, other.id, repeated);
    expect(codeOf(notTheirs)).toBe('invalid_previous_appeal');
    expect(fake.record.events.filter((event) => event.name === 'appeal.refused.v1')).toHaveLength(1);
  });

  it('refuses only with a reason of the item’s kind', async () => {
    const { useCases, appeal } = await submitted();
    const outcome = await useCases.refuse(contextFor(officerRoads), community, appeal.id, {
      reasonCode: 'not_holder',
      text: 'x',
    });
    expect(outcome.ok ? 'ok' : outcome.error.details).toMatchObject({
      reasonCode: 'not_holder',
      reasonCodes: ['repeated', 'no_content', 'not_competent'],
    });
  });
});

describe('public information', () => {
  it('publishes an answered information request, not a refused one and never an appeal', async () => {
    const info = await submitted({
      kind: 'information_request',
      categoryId: 'roads-info',
      title: 'Budget',
      text: 'x',
    });
    const { useCases } = info;
    expect(codeOf(await useCases.publicOne(community, info.appeal.id))).toBe('appeal_not_found');
    value(
      await useCases.answer(contextFor(officerRoads), community, info.appeal.id, { text: 'Here it is.' }),
    );
    expect(codeOf(await useCases.publicOne(community, info.appeal.id))).toBe('ok');
    const appeal = value(await useCases.submit(contextFor(author), community, anAppeal));
    value(await useCases.answer(contextFor(officerRoads), community, appeal.id, { text: 'Done.' }));
    expect(codeOf(await useCases.publicOne(community, appeal.id))).toBe('appeal_not_found');
  });

  it('retries a save that lost its race, then answers version_conflict', async () => {
    const { useCases, appeal, fake } = await submitted();
    fake.conflictNext(CHANGE_ATTEMPTS);
    expect(codeOf(await useCases.answer(contextFor(officerRoads), community, appeal.id, { text: 'x' }))).toBe(
      'version_conflict',
    );
  });
});
