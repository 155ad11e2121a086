import { describe, expect, it } from 'vitest';
import type { Appeal } from '../../../domain/appeals/appeal';
import { markOverdue } from '../../../domain/appeals/commands/mark-overdue';
import { awaitsOverdueMark } from '../../../domain/appeals/overdue';
import { bucketKey, contribution, statsRows } from '../../../domain/appeals/stats';
import { Role } from '../../../domain/identity/actor';
import type { Outcome } from '../../../domain/shared/outcome';
import { AppealEvents } from '../../../events/appeals';
import { EVENT_DETAIL_SCHEMAS } from '../../../events/registry';
import { appealUseCases } from '../../../functions/appeals/use-cases';
import { CHANGE_ATTEMPTS, found, runChange } from '../../../functions/shared/use-case';
import { actor, communityAt, fixedClock, sequentialIds } from '../../support/actors';
import { fakeAppealStore } from '../../support/fakes/appeal-store';

// The overdue mark: the pure command, and the command through the runner on the fake store.

const community = communityAt('2026-01-01T00:00:00.000Z', {
  appeals: {
    units: [{ id: 'roads', names: { uk: 'Дороги', en: 'Roads' }, head: { issuer: 'i', subject: 'head' } }],
    categories: [
      { id: 'potholes', names: { uk: 'Ями', en: 'Potholes' }, unitId: 'roads', kinds: ['appeal'] },
    ],
  },
});
const council = actor({ subject: 'council', roles: new Set([Role.council]) });
const author = actor({ subject: 'author', signerKey: 'a'.repeat(64), residency: { communityId: 'c1' } });
const noPause = { attempts: CHANGE_ATTEMPTS, pause: async () => {} };
/** Kyiv noon of `day`. */
const at = (day: string) => fixedClock(`${day}T10:00:00.000Z`);
const codeOf = (outcome: Outcome<unknown>) => (outcome.ok ? 'ok' : outcome.error.code);

/** An appeal registered on 2026-03-02, due 2026-04-01 (30 days; a Wednesday). */
async function registered() {
  const fake = fakeAppealStore();
  const useCases = appealUseCases(fake.store, noPause, noPause);
  const outcome = await useCases.submit(
    { actor: author, clock: at('2026-03-02'), ids: sequentialIds() },
    community,
    {
      kind: 'appeal',
      categoryId: 'potholes',
      title: 'Pothole',
      text: 'Fix it',
      appealType: 'complaint',
    },
  );
  if (!outcome.ok) throw new Error(outcome.error.code);
  return { fake, useCases, appeal: outcome.value };
}

/** The job's use of the runner, on the fake. */
const mark = (fake: ReturnType<typeof fakeAppealStore>, appeal: Appeal, day: string) =>
  runChange(
    {
      load: async () =>
        found(await fake.store.get(appeal.communityId, appeal.id), () => {
          throw new Error('gone');
        }),
      decide: (current) => markOverdue(at(day), sequentialIds(), current),
      save: (current, done) => fake.store.save(current, done.value, done.events, done.audit),
    },
    { policy: noPause },
  );

describe('marking an item overdue', () => {
  it.each([
    ['on its due day', '2026-04-01', 'not_due'],
    ['the day after its due day', '2026-04-02', 'ok'],
    ['a month later', '2026-05-01', 'ok'],
  ])('%s: %s', async (_case, day, code) => {
    const { appeal } = await registered();
    expect(appeal.dueOn).toBe('2026-04-01');
    expect(codeOf(markOverdue(at(day), sequentialIds(), appeal))).toBe(code);
  });

  it('sets the day, takes it off the schedule, emits appeal.overdue.v1 and audits the job as the actor', async () => {
    const { appeal } = await registered();
    const outcome = markOverdue(at('2026-04-02'), sequentialIds(), appeal);
    if (!outcome.ok) throw new Error(outcome.error.code);
    expect(outcome.value).toMatchObject({ overdueSince: '2026-04-02', status: appeal.status, version: 2 });
    expect(awaitsOverdueMark(appeal)).toBe(true);
    expect(awaitsOverdueMark(outcome.value)).toBe(false);
    const [event] = outcome.events;
    expect(event?.name).toBe(AppealEvents.overdue);
    expect(EVENT_DETAIL_SCHEMAS[AppealEvents.overdue]?.parse(event?.detail)).toEqual({
      communityId: 'c1',
      appealId: appeal.id,
      number: appeal.number,
      kind: 'appeal',
      categoryId: 'potholes',
      unitId: 'roads',
      dueOn: '2026-04-01',
      markedOn: '2026-04-02',
    });
    expect(outcome.audit).toMatchObject({
      actor: { subject: 'system:appeals-overdue', roles: ['system'] },
      action: 'appeal.mark-overdue',
      target: `appeal/${appeal.id}`,
      after: { overdueSince: '2026-04-02' },
    });
  });

  it('never marks a closed item, nor one marked for its due day already', async () => {
    const { useCases, appeal } = await registered();
    const answered = await useCases.answer(
      { actor: council, clock: at('2026-04-05'), ids: sequentialIds() },
      community,
      appeal.id,
      { text: 'Done' },
    );
    if (!answered.ok) throw new Error(answered.error.code);
    expect(codeOf(markOverdue(at('2026-04-06'), sequentialIds(), answered.value))).toBe('appeal_closed');
    const marked = { ...appeal, overdueSince: '2026-04-02' };
    expect(codeOf(markOverdue(at('2026-04-03'), sequentialIds(), marked))).toBe('not_due');
  });

  it('marks again once an extension granted after the mark has passed too, and puts it back on the schedule between', async () => {
    const { fake, useCases, appeal } = await registered();
    expect((await mark(fake, appeal, '2026-04-02')).ok).toBe(true);
    const extended = await useCases.extend(
      { actor: council, clock: at('2026-04-03'), ids: sequentialIds() },
      community,
      appeal.id,
      { reason: 'A site visit', dueOn: '2026-04-10' },
    );
    if (!extended.ok) throw new Error(extended.error.code);
    expect(awaitsOverdueMark(extended.value)).toBe(true);
    expect(codeOf(await mark(fake, extended.value, '2026-04-10'))).toBe('not_due');
    const again = await mark(fake, extended.value, '2026-04-11');
    expect(again.ok && again.value.overdueSince).toBe('2026-04-11');
    expect(fake.record.events.filter((event) => event.name === AppealEvents.overdue)).toHaveLength(2);
  });

  it('marks once when two runs race: the loser reads it again, marked, and emits nothing', async () => {
    const { fake, appeal } = await registered();
    // The first run's write lands between the second run's read and write.
    const first = mark(fake, appeal, '2026-04-02');
    const second = mark(fake, appeal, '2026-04-02');
    expect([codeOf(await first), codeOf(await second)].sort()).toEqual(['not_due', 'ok']);
    expect(fake.record.events.filter((event) => event.name === AppealEvents.overdue)).toHaveLength(1);
  });

  it('keeps the statistics equal to the items through registration, the mark and a late answer', async () => {
    const { fake, useCases, appeal } = await registered();
    await mark(fake, appeal, '2026-04-02');
    const overdue = statsRows([...fake.record.stats.values()]);
    expect(overdue).toMatchObject([{ received: 1, overdueNow: 1, answered: 0 }]);
    await useCases.answer(
      { actor: council, clock: at('2026-04-07'), ids: sequentialIds() },
      community,
      appeal.id,
      { text: 'Done' },
    );
    const [row] = statsRows([...fake.record.stats.values()]);
    expect(row).toMatchObject({
      received: 1,
      answered: 1,
      answeredOnTime: 0,
      answeredAfterOverdue: 1,
      overdueNow: 0,
      medianDaysToAnswer: 36,
    });
    const final = (await fake.store.get('c1', appeal.id)) as Appeal;
    const stored = fake.record.stats.get(`c1|${bucketKey(contribution(final))}`);
    const nonZero = Object.fromEntries(Object.entries(stored?.counters ?? {}).filter(([, n]) => n !== 0));
    expect(nonZero).toEqual(contribution(final).counters);
  });
});
