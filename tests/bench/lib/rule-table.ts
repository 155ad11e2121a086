import type { InstanceFacts, Units } from '../budget-rules';
import type { BudgetRulesReport, RuleOutcome, RuleTiming } from './budget-rules-process';
import { verdict } from './format';

/**
 * How the result-rule timings read, in docs/benchmarks.md and on the
 * terminal: the same table in the `budget-rules` section and in the
 * `budgets` one.
 */

/** The budgets issue's goal for every rule on every instance, in both units. */
export const RULE_GOAL_SECONDS = 1;

/** A whole number with a comma every three digits: `8922` → `8,922`, whatever the locale. */
export const grouped = (value: number) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * The instance as a row names it: `Poland_Warszawa_2023_Praga-Poludnie.pb (approval, 8,922 × 81)`.
 * @example instanceLabel({ name: 'a.pb', voteType: 'cumulative', voters: 30375, projects: 44 }) // → 'a.pb (cumulative, 30,375 × 44)'
 */
export const instanceLabel = (facts: InstanceFacts) =>
  `${facts.name} (${facts.voteType}, ${grouped(facts.voters)} × ${grouped(facts.projects)})`;

/** `×1` for whole units, `×100` for minor units. */
export const unitsText = (units: Units) => `×${units}`;

/** Seconds with three decimals, or `> 120 s (stopped)` for a run stopped at the limit. */
export const secondsCell = (outcome: RuleOutcome) =>
  outcome.kind === 'timed' ? outcome.seconds.toFixed(3) : `> ${outcome.limitSeconds} s (stopped)`;

/** Whether a run met {@link RULE_GOAL_SECONDS}; a stopped run did not. */
export const meetsRuleGoal = (outcome: RuleOutcome) =>
  outcome.kind === 'timed' && outcome.seconds < RULE_GOAL_SECONDS;

/** The cells of one row: instance, units, rule, seconds, rule runs, heap MiB, goal, verdict. */
export function ruleRowCells(row: RuleTiming): string[] {
  const { outcome } = row;
  return [
    instanceLabel(row.instance),
    unitsText(row.units),
    row.rule,
    secondsCell(outcome),
    outcome.kind === 'timed' ? grouped(outcome.runs) : '–',
    outcome.kind === 'timed' ? outcome.heapMiB.toFixed(1) : '–',
    `< ${RULE_GOAL_SECONDS} s`,
    verdict(meetsRuleGoal(outcome)),
  ];
}

/** The timings as a Markdown table, one row per measurement; `|` in a cell is escaped. */
export function rulesTable(report: Pick<BudgetRulesReport, 'rows'>): string[] {
  return [
    '| Instance | Units | Rule | Seconds | Rule runs | Heap MiB | Goal | Result |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...report.rows.map(
      (row) =>
        `| ${ruleRowCells(row)
          .map((cell) => cell.replaceAll('|', '\\|'))
          .join(' | ')} |`,
    ),
  ];
}

/** One row as a progress line on the terminal. */
export function ruleProgressLine(row: RuleTiming): string {
  const [instance, units, rule, seconds, runs, heap, , result] = ruleRowCells(row);
  const figures =
    row.outcome.kind === 'timed'
      ? `${seconds} s, ${runs} ${row.outcome.runs === 1 ? 'run' : 'runs'}, heap ${heap} MiB`
      : (seconds as string);
  return `  ${instance} ${units} ${rule}: ${figures} — ${result}`;
}

/** How many rows met the goal, of how many, and how many were stopped. */
export function rulesSummary(report: Pick<BudgetRulesReport, 'rows'>): string {
  const passed = report.rows.filter((row) => meetsRuleGoal(row.outcome)).length;
  const stopped = report.rows.filter((row) => row.outcome.kind === 'stopped').length;
  return `${passed} of ${report.rows.length} under ${RULE_GOAL_SECONDS} s, ${stopped} stopped at the limit`;
}

/**
 * The paragraph that says how the timings are measured, for both sections.
 * @example rulesHowMeasured({ limitSeconds: 120, gcExposed: true }, '/work/shared/data/pabulib')
 */
export function rulesHowMeasured(
  report: Pick<BudgetRulesReport, 'limitSeconds' | 'gcExposed'>,
  dir: string,
): string[] {
  return [
    'How the rules are measured: `measureRuleTimings()` (tests/bench/lib/budget-rules-process.ts) times',
    'greedy/1 and equal shares with add1 on every approval and cumulative `.pb` file of `PABULIB_DIR`',
    `(\`${dir}\`), and on a generated 100,000-voter, 80-project approval election (seed 2026),`,
    'each in whole units (×1) and with every cost and the budget ×100 (×100, as the system stores money in',
    'kopiykas). Each measurement runs in a process of its own (`node --expose-gc`): the instance is loaded',
    `${report.gcExposed ? 'and garbage collected' : '(garbage could not be collected)'}, then the rule runs once from the instance on, as the results job runs`,
    'it: greedy on the projects’ scores, equal shares + add1 on `ballotProfile(instance)` (cumulative',
    'ballots: each voter’s points are their utility). Rule runs: how many times add1 ran equal shares',
    '(greedy: 1). Heap: the JS heap in use right after the run, the loaded instance included. A run still',
    `going after ${report.limitSeconds} s (\`BENCH_RULE_TIMEOUT_S\`) is stopped and counts as missing the goal of`,
    `< ${RULE_GOAL_SECONDS} s per run.`,
  ];
}
