import type { Anonymisation } from '../retention/retention';
import type { Localized } from '../shared/localized';
import type { ResultsFailureCode } from './results-failure';
import type { BudgetRule, Completion } from './rules/results';

/**
 * A participatory budget's cycle, in order. The council moves it on (or the
 * scheduled job, by the dates of its schedule); it never goes back, so that a
 * result once computed is computed from ballots that can no longer change.
 */
export const BudgetPhase = {
  submission: 'submission',
  review: 'review',
  voting: 'voting',
  tallying: 'tallying',
  published: 'published',
  implementation: 'implementation',
} as const;
export type BudgetPhase = (typeof BudgetPhase)[keyof typeof BudgetPhase];
export const BUDGET_PHASES = Object.values(BudgetPhase) as [BudgetPhase, ...BudgetPhase[]];

/** Every legal move, in one table: each phase leads to the next. */
export const PHASE_TRANSITIONS: readonly (readonly [BudgetPhase, BudgetPhase])[] = BUDGET_PHASES.slice(1).map(
  (to, index) => [BUDGET_PHASES[index] as BudgetPhase, to] as const,
);

export const canMovePhase = (from: BudgetPhase, to: BudgetPhase): boolean =>
  PHASE_TRANSITIONS.some(([legalFrom, legalTo]) => legalFrom === from && legalTo === to);

/** The phase after `phase`, if there is one. */
export const nextPhase = (phase: BudgetPhase): BudgetPhase | undefined =>
  PHASE_TRANSITIONS.find(([from]) => from === phase)?.[1];

/** How residents vote; each type has its own limits (see {@link BallotRules}). */
export const BallotType = {
  approval: 'approval',
  knapsack: 'knapsack',
  cumulative: 'cumulative',
  ordinal: 'ordinal',
} as const;
export type BallotType = (typeof BallotType)[keyof typeof BallotType];
export const BALLOT_TYPES = Object.values(BallotType) as [BallotType, ...BallotType[]];

/** The limits of a ballot; which apply depends on the type. */
export interface BallotRules {
  readonly type: BallotType;
  /** approval: at least this many projects (default 1). */
  readonly minProjects?: number;
  /** approval: at most this many projects. */
  readonly maxProjects?: number;
  /** knapsack: the chosen projects must cost at least this percentage of the pot (0–100). */
  readonly minSharePercent?: number;
  /** cumulative: at most this many points in all. */
  readonly maxPoints?: number;
  /** cumulative: at most this many points on one project. */
  readonly maxPerProject?: number;
  /** ordinal: at most this many projects ranked. */
  readonly maxRanked?: number;
}

/**
 * How long after the council closes voting by hand ballots still count: the
 * ballot box reads budgets through a cache up to this old (see the ballot
 * route), and a ballot it accepts must be counted. The schedule's own close
 * is checked against the clock and needs no grace.
 */
export const BALLOT_BOX_GRACE_MS = 2_000;

/** Submissions a budget takes when it does not set `maxProjects`: more than any Ukrainian city's budget has had. */
export const DEFAULT_MAX_PROJECTS = 500;

/** The highest `maxProjects` a budget may set, and the most projects an import may bring. */
export const MAX_PROJECTS_LIMIT = 2_000;

/** The most projects a budget takes. */
export const maxProjectsOf = (budget: Pick<Budget, 'maxProjects'>): number =>
  budget.maxProjects ?? DEFAULT_MAX_PROJECTS;

/** The id of the pot every voter votes in; district pots are named by their district id. */
export const CITY_POT = 'city';

export interface Pot {
  /** {@link CITY_POT} or a district id. */
  readonly id: string;
  /** Money in minor units (kopiykas). */
  readonly amount: number;
}

export interface BudgetSchedule {
  readonly reviewStartsAt?: string;
  readonly votingStartsAt?: string;
  readonly votingEndsAt?: string;
}

/** What the results job produced, in short; the result documents are items of their own. */
export interface ResultsSummary {
  readonly jobId: string;
  readonly status: 'running' | 'done' | 'failed';
  readonly requestedAt: string;
  readonly computedAt?: string;
  /** Why a `failed` job failed; the council reads it in its language (`resultsFailureText`). */
  readonly errorCode?: ResultsFailureCode;
  /** What went wrong, technically (an error's message), when there is more to say than the code. */
  readonly errorDetail?: string;
  /**
   * The failure in English, as the budget's view has always carried it, and
   * all that a job failed before codes has.
   */
  readonly error?: string;
}

export interface Budget {
  readonly id: string;
  readonly communityId: string;
  readonly names: Localized;
  /** ISO 4217, e.g. `UAH`; every amount is in its minor unit. */
  readonly currency: string;
  /** The whole budget: the city-wide pot plus every district pot. */
  readonly totalAmount: number;
  /** The city-wide pot first, then one per district that has its own amount. */
  readonly pots: readonly Pot[];
  readonly ballot: BallotRules;
  readonly rule: BudgetRule;
  readonly completion: Completion;
  /** Voters must be at least this old on the day they vote (the token's birth date). */
  readonly minimumAge: number;
  /**
   * How many projects may be submitted, every state counted (budgets made
   * before this setting: {@link DEFAULT_MAX_PROJECTS}). Ballots, the ballot
   * box and the results job hold every project of a budget at once.
   */
  readonly maxProjects?: number;
  readonly phase: BudgetPhase;
  readonly schedule: BudgetSchedule;
  /** When voting ended: only ballots cast before this count. */
  readonly votingClosedAt?: string;
  readonly results?: ResultsSummary;
  /** When the council published the results: the retention of voters' data counts from here. */
  readonly resultsPublishedAt?: string;
  /** Set once the retention job has erased its personal data (see `domain/retention`). */
  readonly anonymised?: Anonymisation;
  /** Imported from a pabulib file: its ballots came with it, nobody votes here. */
  readonly imported: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly version: number;
}

/** The pots a resident votes in: the city-wide one, and their district's if it has one. */
export function potsOf(budget: Budget, districtId: string | undefined): Pot[] {
  return budget.pots.filter((pot) => pot.id === CITY_POT || pot.id === districtId);
}

/** When the budget's schedule moves it out of its current phase, if it does. */
export function scheduledChangeAt(budget: Pick<Budget, 'phase' | 'schedule'>): string | undefined {
  const { reviewStartsAt, votingStartsAt, votingEndsAt } = budget.schedule;
  const leaving: Partial<Record<BudgetPhase, string | undefined>> = {
    [BudgetPhase.submission]: reviewStartsAt,
    [BudgetPhase.review]: votingStartsAt,
    [BudgetPhase.voting]: votingEndsAt,
  };
  return leaving[budget.phase];
}
