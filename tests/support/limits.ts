import { LIMIT_MAX, LIMITED_ACTIONS, WINDOW_SECONDS_MIN } from '../../domain/communities/limits';

/**
 * Per-resident limits no test meets: for the settings of a test community
 * whose few residents legitimately write more than the defaults allow (a
 * lifecycle test's author starting a dozen petitions, a budget's one proposer
 * of every project, the budgets benchmark's one author). The defaults stay
 * the defaults; the limits themselves are tested in
 * `tests/api/communities/rate-limits.test.ts`.
 */
export const ROOMY_LIMITS = Object.fromEntries(
  LIMITED_ACTIONS.map((action) => [action, { limit: LIMIT_MAX, windowSeconds: WINDOW_SECONDS_MIN }]),
);
