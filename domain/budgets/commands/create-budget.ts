import { BudgetEvents } from '../../../events/budgets';
import { AuditAction } from '../../audit/intent';
import type { Community } from '../../communities/community';
import { forbidden } from '../../communities/permissions';
import type { CommandContext } from '../../shared/command';
import { type Localized, text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { budgetAudit } from '../audit';
import {
  type BallotRules,
  BallotType,
  type Budget,
  BudgetPhase,
  type BudgetSchedule,
  CITY_POT,
  DEFAULT_MAX_PROJECTS,
  type Pot,
} from '../budget';
import { budgetEvent } from '../events';
import { mayManageBudget } from '../permissions';
import { BudgetRule, Completion, DEFAULT_COMPLETION } from '../rules/results';

export interface CreateBudgetInput {
  readonly names: Localized;
  readonly currency: string;
  readonly totalAmount: number;
  /** District pots, carved out of the total; the rest is the city-wide pot. */
  readonly districts?: readonly { readonly districtId: string; readonly amount: number }[];
  readonly ballot: BallotRules;
  readonly rule: BudgetRule;
  readonly completion?: Completion;
  readonly minimumAge?: number;
  /** How many projects the budget takes; {@link DEFAULT_MAX_PROJECTS} when absent. */
  readonly maxProjects?: number;
  readonly schedule?: BudgetSchedule;
}

/** The voting age when a budget does not set its own: the age most Ukrainian PB rules use. */
export const DEFAULT_MINIMUM_AGE = 16;

const invalid = (pointer: string, uk: string, en: string, details: Record<string, unknown> = {}) =>
  fail('validation_failed', text(uk, en), { ...details, errors: [{ pointer, detail: en }] });

/** Limits that only make sense together (zod checks each on its own). */
function ballotProblem(
  ballot: BallotRules,
  rule: BudgetRule,
  completion: Completion,
): Outcome<Budget> | undefined {
  if (rule === BudgetRule.greedy && completion !== Completion.none) {
    return invalid(
      '/body/completion',
      'Доповнення add1 буває лише в методі рівних часток; для greedy не вказуйте completion.',
      'The add1 completion belongs to equal shares; leave completion out for greedy.',
    );
  }
  if (
    ballot.minProjects !== undefined &&
    ballot.maxProjects !== undefined &&
    ballot.minProjects > ballot.maxProjects
  ) {
    return invalid(
      '/body/ballot/minProjects',
      'minProjects не може перевищувати maxProjects.',
      'minProjects cannot exceed maxProjects.',
    );
  }
  if (ballot.type === BallotType.cumulative && ballot.maxPoints === undefined) {
    return invalid(
      '/body/ballot/maxPoints',
      'Кумулятивний бюлетень потребує maxPoints.',
      'A cumulative ballot needs maxPoints.',
    );
  }
  if (ballot.type === BallotType.ordinal && ballot.maxRanked === undefined) {
    return invalid(
      '/body/ballot/maxRanked',
      'Рейтинговий бюлетень потребує maxRanked.',
      'An ordinal ballot needs maxRanked.',
    );
  }
  // Ranked ballots give equal shares no utilities; approval and knapsack sets and cumulative points do.
  if (rule === BudgetRule.equalShares && ballot.type === BallotType.ordinal) {
    return fail(
      'rule_needs_approval_ballots',
      text(
        'Метод рівних часток рахує бюлетені approval, knapsack або cumulative; для ранжованих (ordinal) оберіть greedy.',
        'Equal shares counts approval, knapsack or cumulative ballots; choose greedy for ranked (ordinal) ones.',
      ),
      {
        errors: [
          { pointer: '/body/rule', detail: 'equal-shares needs approval, knapsack or cumulative ballots' },
        ],
      },
    );
  }
  return undefined;
}

/** District pots: each district once, and none named like the city-wide pot. */
function districtProblem(districts: CreateBudgetInput['districts'] = []): Outcome<Budget> | undefined {
  const seen = new Set<string>([CITY_POT]);
  for (const [index, district] of districts.entries()) {
    if (seen.has(district.districtId)) {
      return invalid(
        `/body/districts/${index}/districtId`,
        `Кошик округу ${district.districtId} вказано двічі (або він збігається з «${CITY_POT}»).`,
        `The pot of district ${district.districtId} is given twice (or is named "${CITY_POT}").`,
      );
    }
    seen.add(district.districtId);
  }
  return undefined;
}

/** The schedule's dates, in order: review starts, voting starts, voting ends. */
function scheduleProblem(schedule: BudgetSchedule = {}): Outcome<Budget> | undefined {
  const dates = (['reviewStartsAt', 'votingStartsAt', 'votingEndsAt'] as const).flatMap((name) =>
    schedule[name] ? [{ name, at: schedule[name] as string }] : [],
  );
  for (const [index, date] of dates.entries()) {
    const before = dates[index - 1];
    if (before && before.at >= date.at) {
      return invalid(
        `/body/schedule/${date.name}`,
        `${date.name} має бути пізніше за ${before.name}.`,
        `${date.name} must come after ${before.name}.`,
      );
    }
  }
  return undefined;
}

/**
 * The council opens a participatory budget: its pots, its ballot and its
 * result rule, fixed from the start so that nobody can change the rules once
 * ballots are in. It starts in `submission`.
 *
 * Outcomes: ok (emits `budget.created.v1`, audited); `forbidden` (not council);
 * `unknown_district` (a district pot the community does not have);
 * `validation_failed` (district pots over the total or given twice, schedule
 * dates out of order, inconsistent ballot limits, a completion with greedy); `rule_needs_approval_ballots` (equal shares with ranked ballots).
 */
export function createBudget(
  context: CommandContext,
  community: Community,
  input: CreateBudgetInput,
): Outcome<Budget> {
  const { actor, clock, ids } = context;
  if (!mayManageBudget(actor)) return reject(forbidden('council'));
  const known = new Set(community.settings.districts.map((district) => district.id));
  const districts = input.districts ?? [];
  const unknown = districts.find((district) => !known.has(district.districtId));
  if (unknown) {
    return fail(
      'unknown_district',
      text('У громади немає такого округу.', 'The community has no such district.'),
      {
        districts: [...known],
        districtId: unknown.districtId,
      },
    );
  }
  const carved = districts.reduce((sum, district) => sum + district.amount, 0);
  if (carved > input.totalAmount) {
    return invalid(
      '/body/districts',
      `Окружні кошики (${carved}) перевищують загальну суму (${input.totalAmount}).`,
      `The district pots (${carved}) exceed the total amount (${input.totalAmount}).`,
    );
  }
  const completion = input.completion ?? DEFAULT_COMPLETION[input.rule];
  const problem =
    districtProblem(input.districts) ??
    scheduleProblem(input.schedule) ??
    ballotProblem(input.ballot, input.rule, completion);
  if (problem) return problem;

  const now = clock.now();
  const pots: Pot[] = [
    { id: CITY_POT, amount: input.totalAmount - carved },
    ...districts.map((district) => ({ id: district.districtId, amount: district.amount })),
  ];
  const budget: Budget = {
    id: ids.next(),
    communityId: community.id,
    names: input.names,
    currency: input.currency,
    totalAmount: input.totalAmount,
    pots,
    ballot: input.ballot,
    rule: input.rule,
    completion,
    minimumAge: input.minimumAge ?? DEFAULT_MINIMUM_AGE,
    maxProjects: input.maxProjects ?? DEFAULT_MAX_PROJECTS,
    phase: BudgetPhase.submission,
    schedule: input.schedule ?? {},
    imported: false,
    createdAt: now.toISOString(),
    createdBy: actor.subject,
    version: 1,
  };
  const events = [
    budgetEvent(ids, now, budget, BudgetEvents.created, {
      totalAmount: budget.totalAmount,
      currency: budget.currency,
      imported: false,
    }),
  ];
  return ok(
    budget,
    events,
    budgetAudit(context, AuditAction.budgetCreate, budget, {
      after: {
        totalAmount: budget.totalAmount,
        pots: budget.pots.length,
        rule: budget.rule,
        ballot: budget.ballot.type,
      },
    }),
  );
}
