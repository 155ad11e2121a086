import { BudgetEvents } from '../../../events/budgets';
import { AuditAction } from '../../audit/intent';
import { forbidden } from '../../communities/permissions';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { audited, fail, reject, type StaffOutcome } from '../../shared/outcome';
import { budgetAudit } from '../audit';
import { type Budget, BudgetPhase } from '../budget';
import { budgetEvent } from '../events';
import { pabulibIdOf } from '../pabulib-of-budget';
import { mayManageBudget, wrongPhase } from '../permissions';
import { type Project, ProjectState } from '../project';

/** One pot's computed result, as the results job stored it. */
export interface PotResult {
  readonly potId: string;
  readonly rule: string;
  readonly version: string;
  readonly inputSha256: string;
  /**
   * Equal shares with add1: the step each voter's share grew by from one
   * budget tried to the next and the increment it settled on, per voter, in
   * kopiykas (decimal strings). Absent for greedy and equal shares alone.
   */
  readonly add1?: { readonly step: string; readonly increment: string };
  /** Minor units, as decimal strings: exact whatever their size. */
  readonly budget: string;
  readonly spent: string;
  /** What the rule left unspent: `budget − spent`. */
  readonly left: string;
  readonly ballots: number;
  /** Project ids as the pot's pabulib file has them (an imported file's own ids), in funding order. */
  readonly selected: readonly string[];
  readonly projects: readonly { id: string; cost: string; score: string; selected: boolean }[];
}

export interface PublishedResults {
  readonly budget: Budget;
  /** Every feasible project, now `selected` or `not_selected`. */
  readonly projects: readonly Project[];
}

/**
 * The council publishes the computed results: the budget moves to `published`
 * and every project on the ballot becomes `selected` or `not_selected`, as the
 * rule decided, pot by pot.
 *
 * Outcomes: ok (emits `budget.phase-changed.v1` and
 * `budget.results-published.v1`, audited); `forbidden`; `wrong_phase` (not tallying);
 * `results_not_computed` (no finished results job yet).
 */
export function publishResults(
  context: CommandContext,
  budget: Budget,
  projects: readonly Project[],
  results: readonly PotResult[],
): StaffOutcome<PublishedResults> {
  const { actor, clock, ids } = context;
  if (!mayManageBudget(actor)) return reject(forbidden('council'));
  if (budget.phase !== BudgetPhase.tallying) return reject(wrongPhase(budget, [BudgetPhase.tallying]));
  if (budget.results?.status !== 'done' || results.length === 0) {
    return fail(
      'results_not_computed',
      text(
        'Спершу обчисліть результати (POST …/results) і дочекайтеся їх.',
        'Compute the results first (POST …/results) and wait for them.',
      ),
      { resultsStatus: budget.results?.status ?? 'none' },
    );
  }
  const now = clock.now();
  const selected = new Set(results.flatMap((result) => result.selected));
  const decided = projects
    .filter((project) => project.state === ProjectState.feasible)
    .map((project) => ({
      ...project,
      state: selected.has(pabulibIdOf(project)) ? ProjectState.selected : ProjectState.not_selected,
      version: project.version + 1,
    }));
  const next: Budget = {
    ...budget,
    phase: BudgetPhase.published,
    resultsPublishedAt: now.toISOString(),
    version: budget.version + 1,
  };
  const events = [
    budgetEvent(ids, now, next, BudgetEvents.phaseChanged, {
      from: budget.phase,
      to: next.phase,
      changedAt: now.toISOString(),
      by: 'council',
    }),
    budgetEvent(ids, now, next, BudgetEvents.resultsPublished, {
      publishedAt: now.toISOString(),
      pots: results.map((result) => ({
        potId: result.potId,
        rule: result.rule,
        version: result.version,
        inputSha256: result.inputSha256,
        selected: result.selected,
        spent: result.spent,
      })),
    }),
  ];
  return audited(
    { budget: next, projects: decided },
    events,
    budgetAudit(context, AuditAction.budgetResultsPublish, budget, {
      after: {
        pots: results.map((result) => ({
          potId: result.potId,
          inputSha256: result.inputSha256,
          selected: result.selected.length,
          spent: result.spent,
        })),
      },
    }),
  );
}
