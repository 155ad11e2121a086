import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { BudgetResultsRequestedV1 } from '../../events/budgets';
import type { EventEnvelope } from '../../events/envelope';
import { budgetResults } from '../../functions/budgets/results';
import { type ResultsJobOptions, runResultsJob } from '../../functions/budgets/results-job';

export { failJob } from '../../functions/budgets/results-job';

/**
 * The real budget results job with a computation a test controls through
 * files in the folder named by {@link JOB_CONTROL_ENV} (set before the runtime
 * starts its worker, which copies the environment):
 * - `<budgetId>.started` is written when the computation begins, with the thread's id;
 * - while `<budgetId>.hold` exists the computation blocks its thread, as a
 *   long equal-shares run would (Atomics.wait: blocked, but not burning a core);
 * - `<budgetId>.throw` makes it throw an Error with the file's text (once).
 */
export const JOB_CONTROL_ENV = 'HROMADA_TEST_JOB_CONTROL';

export const controlFile = (folder: string, budgetId: string, kind: 'started' | 'hold' | 'throw') =>
  join(folder, `${budgetId}.${kind}`);

export function runJob(event: EventEnvelope, options: ResultsJobOptions) {
  const request = BudgetResultsRequestedV1.parse(event.detail);
  const folder = process.env[JOB_CONTROL_ENV] ?? '';
  return runResultsJob(request, {
    ...options,
    compute: (budget, projects, ballots) => {
      writeFileSync(controlFile(folder, request.budgetId, 'started'), String(threadId));
      const pause = new Int32Array(new SharedArrayBuffer(4));
      while (existsSync(controlFile(folder, request.budgetId, 'hold'))) Atomics.wait(pause, 0, 0, 20);
      const fault = controlFile(folder, request.budgetId, 'throw');
      if (existsSync(fault)) {
        const message = readFileSync(fault, 'utf8');
        rmSync(fault);
        throw new Error(message);
      }
      return budgetResults(budget, projects, ballots);
    },
  });
}
