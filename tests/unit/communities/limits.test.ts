import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RATE_LIMITS,
  LIMIT_MAX,
  LIMITED_ACTIONS,
  rateLimited,
  rateWindow,
  WINDOW_SECONDS_MAX,
  WINDOW_SECONDS_MIN,
} from '../../../domain/communities/limits';
import {
  CommunitySettingsPatchSchema,
  CommunitySettingsSchema,
  mergeSettings,
} from '../../../domain/communities/settings';
import { localizeMessage } from '../../../domain/shared/localized';

const names = { uk: 'Громада', en: 'Hromada' };
const HOUR = 3600;
const DAY = 24 * HOUR;

describe('fixed windows', () => {
  it.each([
    ['the first second of an hour', '2026-12-03T17:00:00.000Z', HOUR, '2026-12-03T17:00:00.000Z', 3600],
    ['the middle of an hour', '2026-12-03T17:20:00.000Z', HOUR, '2026-12-03T17:00:00.000Z', 2400],
    ['a millisecond before its end', '2026-12-03T17:59:59.999Z', HOUR, '2026-12-03T17:00:00.000Z', 1],
    [
      'a fraction of a second in, rounded up',
      '2026-12-03T17:00:00.400Z',
      HOUR,
      '2026-12-03T17:00:00.000Z',
      3600,
    ],
    ['a UTC day', '2026-12-03T22:30:00.000Z', DAY, '2026-12-03T00:00:00.000Z', 5400],
    [
      'a week, from Thursday (the epoch was one)',
      '2026-12-06T12:00:00.000Z',
      7 * DAY,
      '2026-12-03T00:00:00.000Z',
      302400,
    ],
    ['a minute', '2026-12-03T17:20:45.000Z', 60, '2026-12-03T17:20:00.000Z', 15],
  ])('places %s', (_what, now, windowSeconds, start, retryAfter) => {
    const window = rateWindow(new Date(now), windowSeconds);

    expect(new Date(window.startsAt * 1000).toISOString()).toBe(start);
    expect(window.endsAt - window.startsAt).toBe(windowSeconds);
    expect(window.retryAfterSeconds).toBe(retryAfter);
  });

  it('gives every moment of a window the same start, and waiting Retry-After always reaches the next', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: WINDOW_SECONDS_MIN, max: WINDOW_SECONDS_MAX }),
        (nowMs, windowSeconds) => {
          const window = rateWindow(new Date(nowMs), windowSeconds);
          const later = rateWindow(new Date(nowMs + window.retryAfterSeconds * 1000), windowSeconds);
          const lastMoment = rateWindow(new Date(window.endsAt * 1000 - 1), windowSeconds);

          expect(window.startsAt * 1000).toBeLessThanOrEqual(nowMs);
          expect(nowMs).toBeLessThan(window.endsAt * 1000);
          expect(window.retryAfterSeconds).toBeGreaterThanOrEqual(1);
          expect(window.retryAfterSeconds).toBeLessThanOrEqual(windowSeconds);
          expect(lastMoment.startsAt).toBe(window.startsAt);
          expect(later.startsAt).toBe(window.endsAt);
        },
      ),
    );
  });
});

describe('the limits in settings', () => {
  it('defaults every limited action, and nothing else', () => {
    const settings = CommunitySettingsSchema.parse({ names });

    expect(settings.limits).toEqual({
      'petition.create': { limit: 5, windowSeconds: DAY },
      'comment.create': { limit: 30, windowSeconds: HOUR },
      'report.create': { limit: 20, windowSeconds: HOUR },
      'survey.answer': { limit: 10, windowSeconds: HOUR },
      'project.submit': { limit: 5, windowSeconds: DAY },
    });
    expect(Object.keys(settings.limits).sort()).toEqual([...LIMITED_ACTIONS].sort());
    expect(settings.limits).toEqual(DEFAULT_RATE_LIMITS);
  });

  it('fills a field left out from the default of its action', () => {
    const settings = CommunitySettingsSchema.parse({ names, limits: { 'comment.create': { limit: 100 } } });

    expect(settings.limits['comment.create']).toEqual({ limit: 100, windowSeconds: HOUR });
    expect(settings.limits['petition.create']).toEqual(DEFAULT_RATE_LIMITS['petition.create']);
  });

  it.each([
    ['a zero limit', { 'comment.create': { limit: 0 } }, 'limits.comment.create.limit'],
    ['a fractional limit', { 'comment.create': { limit: 2.5 } }, 'limits.comment.create.limit'],
    ['a limit over the maximum', { 'report.create': { limit: LIMIT_MAX + 1 } }, 'limits.report.create.limit'],
    [
      'a window under a minute',
      { 'survey.answer': { windowSeconds: WINDOW_SECONDS_MIN - 1 } },
      'limits.survey.answer.windowSeconds',
    ],
    [
      'a window over a week',
      { 'project.submit': { windowSeconds: WINDOW_SECONDS_MAX + 1 } },
      'limits.project.submit.windowSeconds',
    ],
    ['a limit given as text', { 'petition.create': { limit: '5' } }, 'limits.petition.create.limit'],
  ])('refuses %s in a patch', (_what, limits, path) => {
    const result = CommunitySettingsPatchSchema.safeParse({ limits });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it.each([
    ['an action that is not limited', { 'vote.cast': { limit: 1 } }],
    ['a field that is not a limit', { 'comment.create': { burst: 3 } }],
  ])('refuses %s in a patch', (_what, limits) => {
    expect(CommunitySettingsPatchSchema.safeParse({ limits }).success).toBe(false);
  });

  it('refuses unknown keys in the limits of new settings too', () => {
    expect(CommunitySettingsSchema.safeParse({ names, limits: { 'vote.cast': { limit: 1 } } }).success).toBe(
      false,
    );
    expect(
      CommunitySettingsSchema.safeParse({ names, limits: { 'comment.create': { limit: 1, burst: 3 } } })
        .success,
    ).toBe(false);
  });

  it('merges a patch field by field, keeping the other actions and fields', () => {
    const current = CommunitySettingsSchema.parse({ names, limits: { 'report.create': { limit: 7 } } });
    const patch = CommunitySettingsPatchSchema.parse({ limits: { 'comment.create': { limit: 3 } } });

    const merged = CommunitySettingsSchema.parse(mergeSettings(current, patch));

    expect(merged.limits).toEqual({
      ...DEFAULT_RATE_LIMITS,
      'comment.create': { limit: 3, windowSeconds: HOUR },
      'report.create': { limit: 7, windowSeconds: HOUR },
    });
  });
});

describe('the refusal', () => {
  it('says in both languages what was limited, how much is allowed and when to retry', () => {
    const window = rateWindow(new Date('2026-12-03T17:20:00.000Z'), HOUR);

    const error = rateLimited('comment.create', { limit: 30, windowSeconds: HOUR }, window);

    expect(error.code).toBe('rate_limited');
    expect(error.details).toEqual({
      action: 'comment.create',
      limit: 30,
      windowSeconds: HOUR,
      retryAfterSeconds: 2400,
      retryAt: '2026-12-03T18:00:00.000Z',
    });
    expect(error.message.en).toBe(
      'You may post comments at most 30 times per hour. Try again in 2400 s (after 2026-12-03T18:00:00.000Z).',
    );
    expect(error.message.uk).toBe(
      'Ви можете коментувати не більше 30 разів за 1 год. Спробуйте знову через 2400 с (після 2026-12-03T18:00:00.000Z).',
    );
  });

  it.each([
    [60, 'per minute', 'за 1 хв'],
    [90, 'per 90 seconds', 'за 90 с'],
    [2 * HOUR, 'per 2 hours', 'за 2 год'],
    [DAY, 'per day', 'за добу'],
    [2 * DAY, 'per 2 days', 'за 2 доби'],
    [7 * DAY, 'per 7 days', 'за 7 діб'],
  ])('names a window of %i seconds in the largest whole unit', (windowSeconds, en, uk) => {
    const error = rateLimited(
      'report.create',
      { limit: 3, windowSeconds },
      rateWindow(new Date(0), windowSeconds),
    );

    expect(error.message.en).toContain(`at most 3 times ${en}.`);
    expect(error.message.uk).toContain(`не більше 3 разів ${uk}.`);
  });

  it.each(LIMITED_ACTIONS)('names %s in both languages', (action) => {
    const error = rateLimited(action, DEFAULT_RATE_LIMITS[action], rateWindow(new Date(0), HOUR));

    expect(localizeMessage(error.message.uk, 'uk')).toMatch(/^Ви можете \S/);
    expect(error.message.en).toMatch(/^You may \S/);
  });
});
