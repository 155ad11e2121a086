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

/** The outcome of a rule on an instance, with what anyone needs to check it. */
export interface BudgetResults {
  readonly rule: BudgetRule;
  readonly completion: Completion;
  /** The versions of the rule and its completion, e.g. `equal-shares/1+add1/1`. */
  readonly version: string;
  /** SHA-256 (hex) of the input, see {@link ResultOptions.sourceText}. */
  readonly inputSha256: string;
  readonly voteType: VoteType;
  readonly budget: bigint;
  readonly spent: bigint;
  /** The funded project ids, in the order the rule funded them. */
  readonly selected: readonly string[];
  /** Every project, in the instance's order. */
  readonly projects: readonly ProjectResult[];
}

/**
 * Runs a result rule on an instance. Error codes:
 * - `rule_needs_approval_ballots`: equal shares was asked for on ballots that are not approval ballots;
 * - `completion_needs_equal_shares`: a completion was asked for with greedy, which has none.
 * @example computeResults(parsePabulib(text), { rule: 'equal-shares', sourceText: text })
 */
export function computeResults(instance: PabulibInstance, options: ResultOptions): Outcome<BudgetResults> {
  const { rule, sourceText } = options;
  const completion = options.completion ?? DEFAULT_COMPLETION[rule];
  if (rule === BudgetRule.equalShares && instance.voteType !== VoteType.approval) {
    return fail(
      'rule_needs_approval_ballots',
      text(
        `Метод рівних часток рахує лише голосування approval, а тут ${instance.voteType}: оберіть greedy.`,
        `Equal shares counts approval ballots only, and these are ${instance.voteType}: choose greedy.`,
      ),
      { voteType: instance.voteType },
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
  const outcome =
    rule === BudgetRule.greedy
      ? greedy(
          instance.projects.map(({ id, cost }) => ({ id, cost, score: scores.get(id) ?? 0n })),
          instance.budget,
        )
      : (completion === Completion.add1 ? equalSharesAdd1 : equalShares)(
          ballotProfile(instance),
          instance.budget,
        );
  const selected = new Set(outcome.selected);
  return ok({
    rule,
    completion,
    version: versionOf(rule, completion),
    inputSha256: pabulibSha256(sourceText ?? writePabulib(instance)),
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
