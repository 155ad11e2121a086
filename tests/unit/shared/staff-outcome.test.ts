import { describe, expect, it } from 'vitest';
import { AuditAction } from '../../../domain/audit/intent';
import { budgetAudit } from '../../../domain/budgets/audit';
import type { BudgetStore } from '../../../domain/budgets/ports';
import type { ConsultationStore } from '../../../domain/consultations/ports';
import { Role } from '../../../domain/identity/actor';
import { audited, ok, type StaffOutcome } from '../../../domain/shared/outcome';
import { actor, fixedClock, sequentialIds } from '../../support/actors';

/**
 * A staff command's success always carries its audit intent, and the ports
 * whose writes record a staff action take it as required: a command that
 * stops returning its audit, or a use case that stops passing it, does not
 * compile. The `@ts-expect-error` lines are the test (tsc fails when the
 * error they expect is gone); the runtime checks pin what `audited` builds.
 */

const council = {
  actor: actor({ subject: 'council', roles: new Set([Role.council]) }),
  clock: fixedClock('2026-11-22T10:00:00.000Z'),
  ids: sequentialIds(),
};
const audit = budgetAudit(council, AuditAction.budgetResultsPublish, { communityId: 'c1', id: 'b1' }, {});

describe('a staff command’s outcome', () => {
  it('is built with its audit intent by `audited`', () => {
    // Act
    const outcome: StaffOutcome<number> = audited(1, [], audit);

    // Assess
    expect(outcome).toEqual({ ok: true, value: 1, events: [], audit });
  });

  it('does not take a success without an audit intent', () => {
    // Act
    // @ts-expect-error an `ok` success may lack its audit: it is no staff outcome
    const unaudited: StaffOutcome<number> = ok(1, []);

    // Assess
    expect(unaudited).toEqual({ ok: true, value: 1, events: [] });
  });

  it('is what the staff writes of the budgets and consultations ports require', () => {
    // Prepare: stores never called; each write below leaves out its audit intent.
    const budgets = {} as BudgetStore;
    const consultations = {} as ConsultationStore;
    const any = undefined as never;

    // Act
    const unaudited = [
      // @ts-expect-error the council's request for results is audited
      () => budgets.requestResults(any, any, any, []),
      // @ts-expect-error the publication of results is audited
      () => budgets.publish(any, any, [], [], []),
      // @ts-expect-error an import is audited
      () => budgets.importBudget(any, [], [], []),
      // @ts-expect-error a new consultation is audited
      () => consultations.create(any, []),
      // @ts-expect-error a revision of the draft is audited
      () => consultations.saveRevision(any, any, []),
      // @ts-expect-error the report is audited
      () => consultations.saveReport(any, any, []),
    ];

    // Assess: the writes above are compiled, never run.
    expect(unaudited).toHaveLength(6);
  });
});
