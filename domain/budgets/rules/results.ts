import { text } from '../../shared/localized';
import { fail, type Outcome, ok } from '../../shared/outcome';
import { pabulibSha256 } from '../pabulib/hash';
import { type PabulibInstance, VoteType } from '../pabulib/instance';
import { writePabulib } from '../pabulib/write';
import { ADD1_VERSION, equalSharesAdd1 } from './add1';
import { ballotProfile } from './ballot-profile';
import { EQUAL_SHARES_VERSION, equalShares } from './equal-shares';
import { GREEDY_VERSION, greedy } from './greedy';
import { projectScores } from './scores';

/** The result rules a community can choose for a participatory budget. */
export const BudgetRule = { greedy: 'greedy', equalShares: 'equal-shares' } as const;
export type BudgetRule = (typeof BudgetRule)[keyof typeof BudgetRule];
export const BUDGET_RULES = Object.values(BudgetRule);

/** How equal shares spends what it leaves over; greedy spends all it can by itself. */
export const Completion = { none: 'none', add1: 'add1' } as const;
export type Completion = (typeof Completion)[keyof typeof Completion];
export const COMPLETIONS = Object.values(Completion);

/** The completion a rule gets when none is asked for: equal shares is meant to be completed. */
export const DEFAULT_COMPLETION: Readonly<Record<BudgetRule, Completion>> = {
  [BudgetRule.greedy]: Completion.none,
  [BudgetRule.equalShares]: Completion.add1,
};

export interface ResultOptions {
  readonly rule: BudgetRule;
  /** {@link DEFAULT_COMPLETION} of the rule when left out. */
  readonly completion?: Completion;
  /**
   * How much add1 raises each voter's share from one budget tried to the
   * next, in the budget's unit (kopiykas for a budget of the API): 1 when left
   * out, at least 1. Part of the published rule: the result says which was used.
   */
  readonly add1Step?: bigint;
  /**
   * The exact text the instance was read from, for the input hash. Without
   * it the hash is over `writePabulib(instance)`, which differs from the file's.
   */
  readonly sourceText?: string;
}

export interface ProjectResult {
  readonly id: string;
  readonly cost: bigint;
  /** What the ballots gave it (see `projectScores`); equal shares ranks by approvals as well. */
  readonly score: bigint;
  readonly selected: boolean;
}

/**
 * The add1 completion as it ran, in the budget's unit (kopiykas for a budget
 * of the API), per voter: each voter's share grew by `step` from one budget
 * tried to the next, and the outcome kept is equal shares with each share
 * `increment` above B / n. Anyone recomputing the result needs the step.
 */
export interface Add1Result {
  readonly step: bigint;
  readonly increment: bigint;
}

/** The outcome of a rule on an instance, with what anyone needs to check it. */
export interface BudgetResults {
  readonly rule: BudgetRule;
  readonly completion: Completion;
  /** The versions of the rule and its completion, e.g. `equal-shares/1+add1/1`. */
  readonly version: string;
  /** SHA-256 (hex) of the input, see {@link ResultOptions.sourceText}. */
  readonly inputSha256: string;
  /** What add1 did; absent when there is no completion (greedy, or equal shares alone). */
  readonly add1?: Add1Result;
  readonly voteType: VoteType;
  readonly budget: bigint;
  readonly spent: bigint;
  /** The funded project ids, in the order the rule funded them. */
  readonly selected: readonly string[];
  /** Every project, in the instance's order. */
  readonly projects: readonly ProjectResult[];
}

/**
 * Runs a result rule on an instance. Equal shares takes approval ballots
 * (cost utilities) and cumulative or scoring ballots (each voter's points are
 * their utility, see `BallotProfile`). Error codes:
 * - `rule_needs_approval_ballots`: equal shares was asked for on ranked (ordinal) ballots,
 *   which give it no utilities (the code is older than point ballots' support and is kept for clients);
 * - `completion_needs_equal_shares`: a completion was asked for with greedy, which has none;
 * - `invalid_add1_step`: an add1 step below 1.
 * @example computeResults(parsePabulib(text), { rule: 'equal-shares', sourceText: text })
 */
export function computeResults(instance: PabulibInstance, options: ResultOptions): Outcome<BudgetResults> {
  const { rule, sourceText } = options;
  const completion = options.completion ?? DEFAULT_COMPLETION[rule];
  const add1Step = options.add1Step ?? 1n;
  if (rule === BudgetRule.equalShares && instance.voteType === VoteType.ordinal) {
    return fail(
      'rule_needs_approval_ballots',
      text(
        'Метод рівних часток рахує голосування approval, cumulative або scoring, а тут ранжовані (ordinal): для них оберіть greedy.',
        'Equal shares counts approval, cumulative or scoring ballots, and these are ranked (ordinal): choose greedy for them.',
      ),
      { voteType: instance.voteType },
    );
  }
  if (add1Step < 1n) {
    return fail(
      'invalid_add1_step',
      text(
        `Крок add1 має бути щонайменше 1 (одиниця бюджету на виборця), а не ${add1Step}.`,
        `The add1 step must be at least 1 (a unit of the budget per voter), not ${add1Step}.`,
      ),
      { add1Step: add1Step.toString() },
    );
  }
  if (rule === BudgetRule.greedy && completion !== Completion.none) {
    return fail(
      'completion_needs_equal_shares',
      text(
        'Доповнення add1 буває лише в методі рівних часток; greedy витрачає бюджет сам.',
        'The add1 completion belongs to equal shares; greedy spends the budget by itself.',
      ),
      { completion },
    );
  }
  const scores = projectScores(instance);
  const { outcome, add1 } = run(instance, rule, completion, add1Step, scores);
  const selected = new Set(outcome.selected);
  return ok({
    rule,
    completion,
    version: versionOf(rule, completion),
    inputSha256: pabulibSha256(sourceText ?? writePabulib(instance)),
    ...(add1 ? { add1 } : {}),
    voteType: instance.voteType,
    budget: instance.budget,
    spent: outcome.cost,
    selected: outcome.selected,
    projects: instance.projects.map(({ id, cost }) => ({
      id,
      cost,
      score: scores.get(id) ?? 0n,
      selected: selected.has(id),
    })),
  });
}

/** The rule's outcome and, with add1, the step it took and the increment it settled on. */
function run(
  instance: PabulibInstance,
  rule: BudgetRule,
  completion: Completion,
  step: bigint,
  scores: ReadonlyMap<string, bigint>,
): { outcome: { selected: readonly string[]; cost: bigint }; add1?: Add1Result } {
  if (rule === BudgetRule.greedy) {
    const projects = instance.projects.map(({ id, cost }) => ({ id, cost, score: scores.get(id) ?? 0n }));
    return { outcome: greedy(projects, instance.budget) };
  }
  const profile = ballotProfile(instance);
  if (completion === Completion.none) return { outcome: equalShares(profile, instance.budget) };
  const outcome = equalSharesAdd1(profile, instance.budget, step);
  return { outcome, add1: { step: outcome.step, increment: outcome.increment } };
}

function versionOf(rule: BudgetRule, completion: Completion): string {
  if (rule === BudgetRule.greedy) return GREEDY_VERSION;
  return completion === Completion.add1 ? `${EQUAL_SHARES_VERSION}+${ADD1_VERSION}` : EQUAL_SHARES_VERSION;
}

/** {@link BudgetResults} as JSON can carry it: amounts as decimal strings, which no parser rounds. */
export interface ResultDocument {
  readonly rule: BudgetRule;
  readonly completion: Completion;
  readonly version: string;
  readonly inputSha256: string;
  /**
   * add1's step and the increment it settled on, per voter, in the budget's
   * unit (kopiykas for a budget of the API), as decimal strings, e.g.
   * `{ step: '1', increment: '35900' }`; absent without add1 (greedy, or completion none).
   */
  readonly add1?: { readonly step: string; readonly increment: string };
  readonly voteType: VoteType;
  readonly totals: { readonly budget: string; readonly spent: string; readonly left: string };
  readonly selected: readonly string[];
  readonly projects: readonly {
    readonly id: string;
    readonly cost: string;
    readonly score: string;
    readonly selected: boolean;
  }[];
}

/**
 * The result document a council publishes: rule, versions, input hash, totals and every project.
 * @example JSON.stringify(resultDocument(results), null, 2)
 */
export function resultDocument(results: BudgetResults): ResultDocument {
  return {
    rule: results.rule,
    completion: results.completion,
    version: results.version,
    inputSha256: results.inputSha256,
    ...(results.add1 ? { add1: add1Document(results.add1) } : {}),
    voteType: results.voteType,
    totals: {
      budget: results.budget.toString(),
      spent: results.spent.toString(),
      left: (results.budget - results.spent).toString(),
    },
    selected: results.selected,
    projects: results.projects.map((project) => ({
      ...project,
      cost: project.cost.toString(),
      score: project.score.toString(),
    })),
  };
}

/**
 * add1's step and increment as the result document and the API carry them: decimal strings.
 * @example add1Document({ step: 1n, increment: 35_900n }) // { step: '1', increment: '35900' }
 */
export const add1Document = (add1: Add1Result): { readonly step: string; readonly increment: string } => ({
  step: add1.step.toString(),
  increment: add1.increment.toString(),
});
