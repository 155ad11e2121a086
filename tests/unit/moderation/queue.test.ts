import { describe, expect, it } from 'vitest';
import { ItemStatus, type ModerationItem, type SubjectSnapshot } from '../../../domain/moderation/item';
import { enterQueue, refreshQueueItem, unseenItem } from '../../../domain/moderation/queue';
import { REPORT_MAX_DAYS, reportPeriod } from '../../../domain/moderation/transparency';

// The one builder every tool's queue entry goes through, and the report's period.

const snapshot: SubjectSnapshot = {
  type: 'comment',
  subjectId: '01C',
  parentId: '01K',
  title: 'A consultation',
  excerpt: 'The first text',
  authorKey: 'a'.repeat(64),
};
const SINCE = '2026-11-22T10:00:00.000Z';
const entry = (excerpt = 'The first text') => ({
  communityId: 'demo',
  snapshot: { ...snapshot, excerpt },
  since: SINCE,
});

/** The item as stored after it entered on the 20th, with what happened to it since. */
const stored = (overrides: Partial<ModerationItem>): ModerationItem => ({
  ...enterQueue(undefined, { ...entry(), since: '2026-11-20T10:00:00.000Z' }),
  ...overrides,
});

describe('a subject entering the moderation queue', () => {
  it('is a new pending item, version 1, waiting since its submission', () => {
    const item = enterQueue(undefined, entry());

    expect(item).toMatchObject({
      id: 'comment.01C',
      communityId: 'demo',
      status: ItemStatus.pending,
      createdAt: SINCE,
      waitingSince: SINCE,
      reportsSinceDecision: 0,
      decisions: [],
      version: 1,
    });
  });

  it('comes back to wait when it was settled: the new text, waiting since the edit, one version on', () => {
    const item = enterQueue(stored({ status: ItemStatus.decided, version: 3 }), entry('Edited'));

    expect(item).toMatchObject({
      status: ItemStatus.pending,
      waitingSince: SINCE,
      createdAt: '2026-11-20T10:00:00.000Z',
      excerpt: 'Edited',
      version: 4,
    });
  });

  it.each([ItemStatus.pending, ItemStatus.appeal])(
    'keeps its place and status when it is %s already, showing the new text',
    (status) => {
      const item = enterQueue(stored({ status, version: 2 }), entry('Edited'));

      expect(item).toMatchObject({
        status,
        waitingSince: '2026-11-20T10:00:00.000Z',
        excerpt: 'Edited',
        version: 3,
      });
    },
  );

  it('only shows the new text when the subject changed without waiting (post-moderation, deleted)', () => {
    const item = refreshQueueItem(stored({ status: ItemStatus.decided, version: 5 }), {
      ...snapshot,
      excerpt: '',
    });

    expect(item).toMatchObject({ status: ItemStatus.decided, excerpt: '', version: 6 });
  });

  it.each([
    [false, ItemStatus.pending],
    [true, ItemStatus.decided],
  ])('is found unsaved (version 0) when the centre has not seen it: public %s, so %s', (isPublic, status) => {
    const item = unseenItem(entry(), isPublic);

    expect(item).toMatchObject({
      id: 'comment.01C',
      communityId: 'demo',
      status,
      createdAt: SINCE,
      waitingSince: SINCE,
      reports: {},
      decisions: [],
      version: 0,
    });
  });
});

describe('the period of a transparency report', () => {
  const now = new Date('2026-11-22T10:00:00.000Z');

  it('is the 365 days before now by default', () => {
    expect(reportPeriod({}, now)).toMatchObject({
      ok: true,
      value: { from: '2025-11-22T10:00:00.000Z', to: '2026-11-22T10:00:00.000Z' },
    });
  });

  it('reads calendar dates as their first moment (UTC)', () => {
    expect(reportPeriod({ from: '2026-01-01', to: '2026-02-01' }, now)).toMatchObject({
      ok: true,
      value: { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' },
    });
  });

  it.each([
    ['ends before it starts', { from: '2026-02-01', to: '2026-01-01' }],
    ['starts after now, with no end', { from: '2026-12-01' }],
    [`is longer than ${REPORT_MAX_DAYS} days`, { from: '2020-01-01', to: '2021-01-02' }],
  ])('is refused with a pointer at from when it %s', (_case, query) => {
    const period = reportPeriod(query, now);

    expect(!period.ok && period.error).toMatchObject({
      code: 'validation_failed',
      details: { errors: [{ pointer: '/query/from' }] },
    });
  });
});
