import type { BudgetStore } from '../../domain/budgets/ports';
import { SYSTEM_DECIDER } from '../../domain/moderation/item';
import type { Clock, IdGenerator } from '../../domain/shared/clock';
import type { CommandContext } from '../../domain/shared/command';
import { loadConfig } from '../shared/config';
import { documentClient } from '../shared/dynamo';
import { systemClock, ulidGenerator } from '../shared/ids';
import { logLine } from '../shared/log';
import { failLostResultsJobs } from './results-job';
import { dynamoBudgetStore } from './store';
import { budgetUseCases } from './use-cases';

/** How many due budgets one run moves; the next run takes the rest. */
const PER_RUN = 100;

/** The schedule acts as nobody in particular: no roles, no residency. */
const scheduleContext = (clock: Clock, ids: IdGenerator): CommandContext => ({
  actor: {
    issuer: 'schedule',
    subject: SYSTEM_DECIDER,
    signerKey: '',
    platformAdmin: false,
    roles: new Set(),
  },
  clock,
  ids,
});

/**
 * Moves every budget whose schedule says so: submission → review → voting →
 * tallying (which closes the ballot box), each with `budget.phase-changed.v1`.
 * A budget changed meanwhile is read again; one the council already moved is
 * left alone (its next date, if any, makes it due again).
 */
export async function moveDueBudgets(
  store: BudgetStore,
  clock: Clock,
  ids: IdGenerator,
): Promise<{ moved: number }> {
  const due = await store.dueForPhaseChange(clock.now().toISOString(), PER_RUN);
  const context = scheduleContext(clock, ids);
  const useCases = budgetUseCases(store);
  let moved = 0;
  for (const { communityId, budgetId } of due) {
    const outcome = await useCases.moveBudgetOnSchedule(context, { communityId, budgetId });
    if (outcome.ok) {
      if (outcome.value) moved += 1;
    } else if (outcome.error.code !== 'budget_not_found') {
      logLine('warn', { msg: 'budget phase not moved', communityId, budgetId, code: outcome.error.code });
    }
  }
  logLine('info', { msg: 'budget phase job', due: due.length, moved });
  return { moved };
}

const ids = ulidGenerator();

/** The scheduled Lambda handler: moves due budgets, and ends results jobs that were lost. */
export const handler = async (): Promise<{ moved: number; failed: number }> => {
  const config = loadConfig();
  const client = documentClient(config);
  const store = dynamoBudgetStore(client, config.tableName);
  const { moved } = await moveDueBudgets(store, systemClock, ids);
  const { failed } = await failLostResultsJobs(systemClock, { store });
  return { moved, failed };
};
