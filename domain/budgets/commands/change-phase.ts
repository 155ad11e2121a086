import { BudgetEvents } from '../../../events/budgets';
import { AuditAction } from '../../audit/intent';
import { changes } from '../../audit/summary';
import { forbidden } from '../../communities/permissions';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import { budgetAudit } from '../audit';
import {
  BALLOT_BOX_GRACE_MS,
  type Budget,
  BudgetPhase,
  canMovePhase,
  nextPhase,
  scheduledChangeAt,
} from '../budget';
import { budgetEvent } from '../events';
import { mayManageBudget } from '../permissions';

/** Phases the council leaves by publishing (tallying) — a plain move would skip the results. */
const LEFT_BY_PUBLISHING = new Set<BudgetPhase>([BudgetPhase.tallying]);

/**
 * When the ballot box closes: at the scheduled end (ballots after it were
 * refused already), or a grace period after the council's move, so that no
 * ballot the box accepted from its cache goes uncounted.
 */
function closingTime(budget: Budget, now: Date, by: 'council' | 'schedule'): string {
  if (by === 'schedule' && budget.schedule.votingEndsAt) return budget.schedule.votingEndsAt;
  return new Date(now.getTime() + BALLOT_BOX_GRACE_MS).toISOString();
}

/** Moves a budget on, by the council or by its schedule; leaving `voting` closes the ballot box. */
function moved(
  context: CommandContext,
  budget: Budget,
  to: BudgetPhase,
  by: 'council' | 'schedule',
): Outcome<Budget> {
  const now = context.clock.now();
  const next: Budget = {
    ...budget,
    phase: to,
    ...(budget.phase === BudgetPhase.voting ? { votingClosedAt: closingTime(budget, now, by) } : {}),
    version: budget.version + 1,
  };
  return ok(next, [
    budgetEvent(context.ids, now, next, BudgetEvents.phaseChanged, {
      from: budget.phase,
      to,
      changedAt: now.toISOString(),
      by,
    }),
  ]);
}

/**
 * The council moves a budget to its next phase. Results are published by
 * publishing them (`publishResults`), not by a phase move.
 *
 * Outcomes: ok (emits `budget.phase-changed.v1`, audited); `forbidden` (not council);
 * `invalid_phase_change` (not the next phase, or tallying → published without
 * the results; names the current phase and the next).
 */
export function changeBudgetPhase(context: CommandContext, budget: Budget, to: BudgetPhase): Outcome<Budget> {
  if (!mayManageBudget(context.actor)) return reject(forbidden('council'));
  if (!canMovePhase(budget.phase, to) || LEFT_BY_PUBLISHING.has(budget.phase)) {
    const next = nextPhase(budget.phase);
    return fail(
      'invalid_phase_change',
      text(
        `Бюджет у фазі «${budget.phase}»; перейти в «${to}» неможливо${
          LEFT_BY_PUBLISHING.has(budget.phase)
            ? ' — опублікуйте результати'
            : next
              ? ` (наступна: «${next}»)`
              : ''
        }.`,
        `The budget is in its "${budget.phase}" phase; it cannot move to "${to}"${
          LEFT_BY_PUBLISHING.has(budget.phase) ? ': publish the results' : next ? ` (next: "${next}")` : ''
        }.`,
      ),
      { currentPhase: budget.phase, requestedPhase: to, ...(next ? { nextPhase: next } : {}) },
    );
  }
  const outcome = moved(context, budget, to, 'council');
  if (!outcome.ok) return outcome;
  return ok(
    outcome.value,
    outcome.events,
    budgetAudit(
      context,
      AuditAction.budgetPhaseChange,
      budget,
      changes(budget, outcome.value, ['phase', 'votingClosedAt']),
    ),
  );
}

/** The move the budget's schedule makes due at `now`, if any: review, voting, or the close of voting. */
export function duePhaseChange(context: CommandContext, budget: Budget): Outcome<Budget> | undefined {
  const now = context.clock.now().toISOString();
  const at = scheduledChangeAt(budget);
  const to = nextPhase(budget.phase);
  if (!at || at > now || !to) return undefined;
  return moved(context, budget, to, 'schedule');
}
