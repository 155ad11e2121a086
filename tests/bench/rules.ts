import { join, relative } from 'node:path';
import { PABULIB_DIR } from '../support/pabulib';
import { GENERATED_NAME } from './budget-rules';
import type { Benchmark } from './lib/benchmark';
import {
  type BudgetRulesReport,
  DEFAULT_RULE_LIMIT_SECONDS,
  measureRuleTimings,
  RULE_LIMIT_VARIABLE,
  ruleLimitFromEnv,
} from './lib/budget-rules-process';
import { ROOT } from './lib/child-runtime';
import { markdownTable, verdict } from './lib/format';
import { describeHost, loadBefore, machineRows, writeSection } from './lib/report';
import {
  meetsRuleGoal,
  RULE_GOAL_SECONDS,
  ruleProgressLine,
  rulesHowMeasured,
  rulesSummary,
  rulesTable,
} from './lib/rule-table';
import { type MachineLoad, machineLoadBefore } from './lib/session';

/**
 * `npm run bench -- budget-rules`: the result-rule timings alone (no local
 * runtime, no DynamoDB), greedy and equal shares with add1 on every shared
 * approval and cumulative pabulib file and on a generated city, in whole and
 * minor units, against the budgets issue's goal of < 1 s each.
 */

const DOCS_FILE = join(ROOT, 'docs/benchmarks.md');
const say = (line: string) => process.stdout.write(`${line}\n`);

interface Results {
  readonly date: string;
  readonly host: ReturnType<typeof describeHost>;
  readonly before: MachineLoad;
  readonly rules: BudgetRulesReport;
}

function table({ date, host, before, rules }: Results): string[] {
  const files = new Set(rules.rows.map((row) => row.instance.name).filter((name) => name !== GENERATED_NAME))
    .size;
  const allMet = rules.rows.every((row) => meetsRuleGoal(row.outcome));
  return markdownTable([
    ...machineRows(date, host, loadBefore(before)),
    ['Instances', `${files} files and the generated election, ×1 and ×100`, '', ''],
    ['Time limit per run', `${rules.limitSeconds} s`, '', ''],
    ['Runs under the goal', rulesSummary(rules), `every run < ${RULE_GOAL_SECONDS} s`, verdict(allMet)],
  ]);
}

function section(results: Results): string {
  return [
    '## Result rules (`npm run bench -- budget-rules`)',
    '',
    ...table(results),
    '',
    ...rulesTable(results.rules),
    '',
    ...rulesHowMeasured(results.rules, relative(ROOT, PABULIB_DIR)),
    'Other work on the machine (“Other processes before the run”) makes every figure higher.',
    '`npm run bench -- budgets` measures the same table after its API phases.',
  ].join('\n');
}

async function runBudgetRules(): Promise<void> {
  const limitSeconds = ruleLimitFromEnv();
  const host = describeHost();
  const before = await machineLoadBefore();
  say(`budget-rules: greedy and equal shares + add1, each run in its own process, limit ${limitSeconds} s…`);
  const rules = await measureRuleTimings({ limitSeconds, onRow: (row) => say(ruleProgressLine(row)) });
  const results: Results = { date: new Date().toISOString(), host, before, rules };
  writeSection(DOCS_FILE, 'budget-rules', section(results));
  say('');
  for (const line of table(results)) say(line);
  say('');
  for (const line of rulesTable(rules)) say(line);
  say('');
  say(`Written to ${DOCS_FILE}.`);
  say(`budget-rules: ${rulesSummary(rules)}`);
}

export const budgetRulesBenchmark: Benchmark = {
  name: 'budget-rules',
  summary: 'greedy and equal shares + add1 on every shared pabulib file and a generated city, ×1 and ×100',
  settings: [`${RULE_LIMIT_VARIABLE}=${DEFAULT_RULE_LIMIT_SECONDS}`, 'PABULIB_DIR=tests/fixtures/pabulib'],
  run: runBudgetRules,
};
