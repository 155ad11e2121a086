import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type BudgetRuleTiming, measureBudgetRules } from '../budget-rules';
import { ROOT } from './child-runtime';

/**
 * {@link measureBudgetRules} in a process of its own, started with
 * `--expose-gc`: garbage is collected before each rule, so each heap figure is
 * that run's (the loaded instances, the run's garbage and its result), and the
 * process's peak resident memory is the rules' alone, not the load
 * generator's tokens and samples. Run as a script, it measures and prints one
 * JSON line.
 */

export interface BudgetRulesReport {
  readonly rows: readonly BudgetRuleTiming[];
  readonly mes100kSeconds: number;
  /** Peak resident memory of the measuring process (every instance loaded, every rule run), MiB. */
  readonly peakRssMiB: number;
  /** Whether garbage was collected before each run (`--expose-gc` took). */
  readonly gcExposed: boolean;
}

const SELF = fileURLToPath(import.meta.url);
const TIMEOUT_MS = 300_000;

/**
 * Starts this file with `node --expose-gc --import tsx` and reads its report.
 * @example const { rows, mes100kSeconds, peakRssMiB } = await measureBudgetRulesApart();
 */
export function measureBudgetRulesApart(): Promise<BudgetRulesReport> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', SELF], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: TIMEOUT_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    child.on('error', failed);
    child.on('close', (code, signal) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        failed(new Error(`Timing the budget rules failed (exit ${code ?? signal}):\n${stderr}${stdout}`));
        return;
      }
      done(JSON.parse(line) as BudgetRulesReport);
    });
  });
}

if (process.argv[1] === SELF) {
  const { rows, mes100kSeconds } = await measureBudgetRules();
  const report: BudgetRulesReport = {
    rows,
    mes100kSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
