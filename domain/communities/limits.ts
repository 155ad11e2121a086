import { z } from 'zod';
import { text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';

/**
 * Per-resident limits on the writes that cost moderators' time or storage.
 * Signing and voting are not here: each person counts once there anyway, so
 * repeating them costs nothing. Names are `<subject>.<verb>`, as in events.
 */
export const LimitedAction = {
  petitionCreate: 'petition.create',
  /** Consultation comments, replies and edits alike: each costs a moderator as much as a comment. */
  commentCreate: 'comment.create',
  /** Moderation reports on any tool's subject (the centre has one report route). */
  reportCreate: 'report.create',
  /** Answering a consultation's survey, or replacing one's answers. */
  surveyAnswer: 'survey.answer',
  projectSubmit: 'project.submit',
} as const;
export type LimitedAction = (typeof LimitedAction)[keyof typeof LimitedAction];
export const LIMITED_ACTIONS = Object.values(LimitedAction);

/** How many times one resident may do an action in one fixed window. */
export interface RateLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A window may be from one minute to one week: longer would keep a resident out for too long after a burst. */
export const WINDOW_SECONDS_MIN = MINUTE;
export const WINDOW_SECONDS_MAX = 7 * DAY;
/** Above this a limit limits nothing a person could do by hand. */
export const LIMIT_MAX = 10_000;

/**
 * The defaults, chosen so that nobody acting by hand meets them and a script
 * meets them within seconds:
 * - petitions, 5 a day: each one waits for a moderator and gathers signatures
 *   for weeks; the busiest authors of UK and Ukrainian e-petitions start a few
 *   a month.
 * - comments, 30 an hour: one every two minutes for an hour is a very active
 *   debate; 200 in seconds (what the probe sent) is a flood.
 * - reports, 20 an hour: a resident reading a thread may flag several
 *   comments, but each report is one person's once per item, and every one
 *   lands in a moderator's queue.
 * - survey answers, 10 an hour: one answer per resident and consultation is
 *   what counts; replacing it a few times is a change of mind, not more.
 * - projects, 5 a day: a budget takes 500 projects in all; one resident filling
 *   it would crowd out everyone else.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<LimitedAction, RateLimit>> = {
  'petition.create': { limit: 5, windowSeconds: DAY },
  'comment.create': { limit: 30, windowSeconds: HOUR },
  'report.create': { limit: 20, windowSeconds: HOUR },
  'survey.answer': { limit: 10, windowSeconds: HOUR },
  'project.submit': { limit: 5, windowSeconds: DAY },
};

/** One action's limit, each field validated: positive whole numbers under sane maxima. */
const rateLimitFields = {
  limit: z.int().min(1).max(LIMIT_MAX),
  windowSeconds: z.int().min(WINDOW_SECONDS_MIN).max(WINDOW_SECONDS_MAX),
};

/** An action's limit with each field defaulted on its own: `{"limit": 100}` keeps the default window. */
const defaulted = (action: LimitedAction) => {
  const { limit, windowSeconds } = DEFAULT_RATE_LIMITS[action];
  return z
    .strictObject({
      limit: rateLimitFields.limit.default(limit),
      windowSeconds: rateLimitFields.windowSeconds.default(windowSeconds),
    })
    .default({ limit, windowSeconds });
};
const RateLimitPatch = z.object(rateLimitFields).partial().strict();

/** `limits` in a community's settings: every action, each defaulting to {@link DEFAULT_RATE_LIMITS}. */
export const RateLimitSettingsSchema = z.strictObject({
  'petition.create': defaulted('petition.create'),
  'comment.create': defaulted('comment.create'),
  'report.create': defaulted('report.create'),
  'survey.answer': defaulted('survey.answer'),
  'project.submit': defaulted('project.submit'),
});

/** A patch of `limits`: any action, and any field of it (`{"comment.create": {"limit": 100}}`). */
export const RateLimitPatchSchema = z
  .object({
    'petition.create': RateLimitPatch,
    'comment.create': RateLimitPatch,
    'report.create': RateLimitPatch,
    'survey.answer': RateLimitPatch,
    'project.submit': RateLimitPatch,
  })
  .partial()
  .strict();

export type RateLimitSettings = z.infer<typeof RateLimitSettingsSchema>;
export type RateLimitPatch = z.infer<typeof RateLimitPatchSchema>;

/** The limits after a patch: each action's fields replaced one by one, the rest kept. */
export function mergeRateLimits(
  current: RateLimitSettings,
  patch: RateLimitPatch | undefined,
): RateLimitSettings {
  return Object.fromEntries(
    LIMITED_ACTIONS.map((action) => [action, { ...current[action], ...patch?.[action] }]),
  ) as RateLimitSettings;
}

/** The fixed window a moment falls in: from its start (inclusive) to its end (exclusive). */
export interface RateWindow {
  /** Epoch seconds of the window's start: the same for every moment of the window, so it names the counter. */
  readonly startsAt: number;
  /** Epoch seconds of the window's end: the next window's start. */
  readonly endsAt: number;
  /** Whole seconds from `now` until the window ends, at least 1: the `Retry-After` of a refusal. */
  readonly retryAfterSeconds: number;
}

/**
 * The fixed window of `windowSeconds` that `now` falls in. Windows are aligned
 * on the epoch (a day is a UTC day), so every container, whatever its start
 * time, counts into the same window.
 * @example rateWindow(new Date('2026-12-03T17:20:00Z'), 3600) // → { startsAt: …17:00, endsAt: …18:00, retryAfterSeconds: 2400 }
 */
export function rateWindow(now: Date, windowSeconds: number): RateWindow {
  const nowMs = now.getTime();
  const windowMs = windowSeconds * 1000;
  const startMs = Math.floor(nowMs / windowMs) * windowMs;
  const endMs = startMs + windowMs;
  return {
    startsAt: startMs / 1000,
    endsAt: endMs / 1000,
    // Rounded up, so that a client waiting this long is always in the next window.
    retryAfterSeconds: Math.max(1, Math.ceil((endMs - nowMs) / 1000)),
  };
}

const ACTION_NAMES: Readonly<Record<LimitedAction, { readonly uk: string; readonly en: string }>> = {
  'petition.create': { uk: 'створювати петиції', en: 'start petitions' },
  'comment.create': { uk: 'коментувати', en: 'post comments' },
  'report.create': { uk: 'надсилати скарги', en: 'send reports' },
  'survey.answer': { uk: 'відповідати на опитування', en: 'answer surveys' },
  'project.submit': { uk: 'подавати проєкти', en: 'submit projects' },
};

/** English units: "hour", "7 days". */
const english = (count: number, unit: string): string => (count === 1 ? unit : `${count} ${unit}s`);

/** Days in Ukrainian, in the case "за …" asks for: 1 добу, 2–4 доби, 5 діб (21 добу, 12 діб). */
function ukrainianDays(count: number): string {
  const [one, few, many] = ['добу', 'доби', 'діб'];
  const lastTwo = count % 100;
  const last = count % 10;
  if (last === 1 && lastTwo !== 11) return count === 1 ? one : `${count} ${one}`;
  if (last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14)) return `${count} ${few}`;
  return `${count} ${many}`;
}

/** A window's length in words, in the largest whole unit: "1 год" / "hour", "7 діб" / "7 days". */
function windowInWords(seconds: number): { readonly uk: string; readonly en: string } {
  if (seconds % DAY === 0) return { uk: ukrainianDays(seconds / DAY), en: english(seconds / DAY, 'day') };
  if (seconds % HOUR === 0) return { uk: `${seconds / HOUR} год`, en: english(seconds / HOUR, 'hour') };
  if (seconds % MINUTE === 0)
    return { uk: `${seconds / MINUTE} хв`, en: english(seconds / MINUTE, 'minute') };
  return { uk: `${seconds} с`, en: english(seconds, 'second') };
}

/**
 * The refusal past a limit: what was limited, how much is allowed, and when
 * to try again (the HTTP layer also sends `Retry-After`).
 */
export function rateLimited(action: LimitedAction, rule: RateLimit, window: RateWindow): DomainError {
  const name = ACTION_NAMES[action];
  const per = windowInWords(rule.windowSeconds);
  const retryAt = new Date(window.endsAt * 1000).toISOString();
  return {
    code: 'rate_limited',
    message: text(
      `Ви можете ${name.uk} не більше ${rule.limit} разів за ${per.uk}. Спробуйте знову через ${window.retryAfterSeconds} с (після ${retryAt}).`,
      `You may ${name.en} at most ${rule.limit} times per ${per.en}. Try again in ${window.retryAfterSeconds} s (after ${retryAt}).`,
    ),
    details: {
      action,
      limit: rule.limit,
      windowSeconds: rule.windowSeconds,
      retryAfterSeconds: window.retryAfterSeconds,
      retryAt,
    },
  };
}

/** Where the table records what one resident has done in one window; the port the limiter implements. */
export interface RateCounter {
  /** Counts one more unless `limit` is reached: `true` when counted, `false` when refused. */
  consume(key: RateCounterKey, limit: number): Promise<boolean>;
  /** Gives back one counted unit (the write it was for was refused); never below zero. */
  release(key: RateCounterKey): Promise<void>;
}

/** One counter: a resident (their signer key in the community), an action and a window. */
export interface RateCounterKey {
  readonly communityId: string;
  readonly residentKey: string;
  readonly action: LimitedAction;
  readonly window: RateWindow;
}
