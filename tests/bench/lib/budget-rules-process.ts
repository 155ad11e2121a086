import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  type InstanceFacts,
  loadRuleInstance,
  type RuleRun,
  ruleSources,
  ruleVersion,
  TIMED_RULES,
  type TimedRule,
  timeRule,
  UNITS,
  type Units,
} from '../budget-rules';
import { sizeFromEnv } from './benchmark';
import { ROOT } from './child-runtime';

/**
 * The result-rule timings, each measurement (one rule, one instance, one
 * unit) in a process of its own, started with `--expose-gc`: garbage is
 * collected before the rule, so the heap figure is that run's, the peak
 * resident memory is that instance's and rule's alone, and a rule that runs
 * longer than the time limit is stopped (killed) without stopping the
 * benchmark. Run as a script with a source, units and rule, it loads the
 * instance, says so on one JSON line, times the rule and prints a second line.
 */

/** How one measurement ended: timed, or stopped at the time limit. */
export type RuleOutcome =
  | {
      readonly kind: 'timed';
      readonly seconds: number;
      readonly runs: number;
      readonly heapMiB: number;
      /** Peak resident memory of the measuring process (its instance loaded, the rule run), MiB. */
      readonly peakRssMiB: number;
    }
  | { readonly kind: 'stopped'; readonly limitSeconds: number };

/** One row of the timings. */
export interface RuleTiming {
  readonly instance: InstanceFacts;
  readonly units: Units;
  /** The rule's version as result documents carry it, e.g. `greedy/1`. */
  readonly rule: string;
  readonly outcome: RuleOutcome;
}

export interface BudgetRulesReport {
  readonly rows: readonly RuleTiming[];
  /** The time limit of each rule run, in seconds (`BENCH_RULE_TIMEOUT_S`). */
  readonly limitSeconds: number;
  /** Whether garbage was collected before each run (`--expose-gc` took), in every process that finished. */
  readonly gcExposed: boolean;
}

/** What the child prints: first when its instance is loaded, then the run. */
type ChildLine =
  | { readonly loaded: true }
  | { readonly run: RuleRun; readonly peakRssMiB: number; readonly gcExposed: boolean };

/** The variable that sets the time limit of each rule run, and its default in seconds. */
export const RULE_LIMIT_VARIABLE = 'BENCH_RULE_TIMEOUT_S';
export const DEFAULT_RULE_LIMIT_SECONDS = 120;

/** The time limit of each rule run from `BENCH_RULE_TIMEOUT_S`: whole seconds, at least 1. */
export const ruleLimitFromEnv = () => sizeFromEnv(RULE_LIMIT_VARIABLE, DEFAULT_RULE_LIMIT_SECONDS);

const SELF = fileURLToPath(import.meta.url);
/** Loading an instance (parsing a few MiB, or generating 100,000 ballots) is not timed; past this, something broke. */
const LOAD_LIMIT_MS = 300_000;

/**
 * Times greedy and equal shares + add1 on every source of `ruleSources()`, in
 * whole units and ×100, one process per measurement, one at a time. `onRow`
 * hears each row as it is measured (for progress on the terminal). Rejects
 * only when a measurement broke (not for a stopped one).
 * @example const report = await measureRuleTimings({ limitSeconds: 120 });
 */
export async function measureRuleTimings({
  limitSeconds,
  onRow,
}: {
  limitSeconds: number;
  onRow?: (row: RuleTiming) => void;
}): Promise<BudgetRulesReport> {
  const rows: RuleTiming[] = [];
  let gcExposed = true;
  for (const { source, facts } of ruleSources()) {
    for (const units of UNITS) {
      for (const rule of TIMED_RULES) {
        const measured = await measureApart(source, units, rule, limitSeconds);
        if (measured.kind === 'timed') gcExposed &&= measured.gcExposed;
        const row: RuleTiming = {
          instance: facts,
          units,
          rule: ruleVersion(rule),
          outcome:
            measured.kind === 'timed'
              ? { kind: 'timed', ...measured.run, peakRssMiB: measured.peakRssMiB }
              : measured,
        };
        rows.push(row);
        onRow?.(row);
      }
    }
  }
  return { rows, limitSeconds, gcExposed };
}

type Measured =
  | {
      readonly kind: 'timed';
      readonly run: RuleRun;
      readonly peakRssMiB: number;
      readonly gcExposed: boolean;
    }
  | { readonly kind: 'stopped'; readonly limitSeconds: number };

/** One measurement in its own process: `limitSeconds` from the moment its instance is loaded. */
function measureApart(
  source: string,
  units: Units,
  rule: TimedRule,
  limitSeconds: number,
): Promise<Measured> {
  const what = `${rule} on ${source} ×${units}`;
  return new Promise((done, failed) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', SELF, source, String(units), rule],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let stopped = false;
    const kill = () => {
      // SIGKILL: a rule in a tight loop must not get to finish, and nothing of the child needs cleaning up.
      stopped = true;
      child.kill('SIGKILL');
    };
    let timer = setTimeout(kill, LOAD_LIMIT_MS);
    let loaded = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!loaded && stdout.includes('\n')) {
        loaded = true;
        clearTimeout(timer);
        timer = setTimeout(kill, limitSeconds * 1000);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      failed(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').map(parseChildLine).at(-1);
      // A run that printed its figures counts even if the limit came before the process could exit.
      if (last && 'run' in last) {
        done({ kind: 'timed', run: last.run, peakRssMiB: last.peakRssMiB, gcExposed: last.gcExposed });
      } else if (stopped && loaded) {
        done({ kind: 'stopped', limitSeconds });
      } else {
        const why = stopped ? `not loaded within ${LOAD_LIMIT_MS / 1000} s` : `exit ${code ?? signal}`;
        failed(new Error(`Timing ${what} failed (${why}):\n${stderr}${stdout}`));
      }
    });
  });
}

function parseChildLine(line: string): ChildLine | undefined {
  try {
    return JSON.parse(line) as ChildLine;
  } catch {
    return undefined;
  }
}

/** The child: `<source> <units> <rule>` on the command line, two JSON lines on stdout. */
function measureHere([source, unitsText, rule]: readonly (string | undefined)[]): void {
  const units = Number(unitsText);
  if (!source || !UNITS.includes(units as Units) || !TIMED_RULES.includes(rule as TimedRule)) {
    throw new Error(
      `Usage: budget-rules-process.ts <source> <${UNITS.join('|')}> <${TIMED_RULES.join('|')}>`,
    );
  }
  const instance = loadRuleInstance(source, units as Units);
  const say = (line: ChildLine) => process.stdout.write(`${JSON.stringify(line)}\n`);
  say({ loaded: true });
  const run = timeRule(instance, rule as TimedRule);
  say({
    run,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  });
}

if (process.argv[1] === SELF) measureHere(process.argv.slice(2));
