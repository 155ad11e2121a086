import { describe, expect, it } from 'vitest';
import type { Budget } from '../../../domain/budgets/budget';
import { moveDueBudgets } from '../../../functions/budgets/phase-job';
import { dynamoBudgetStore } from '../../../functions/budgets/store';
import { documentClient } from '../../../functions/shared/dynamo';
import { fixedClock, sequentialIds } from '../../support/actors';
import { createTestTable } from '../../support/table';

const budget = (id: string, overrides: Partial<Budget>): Budget => ({
  id,
  communityId: 'c1',
  names: { uk: 'Б', en: 'B' },
  currency: 'UAH',
  totalAmount: 100,
  pots: [{ id: 'city', amount: 100 }],
  ballot: { type: 'approval' },
  rule: 'greedy',
  completion: 'none',
  minimumAge: 16,
  phase: 'submission',
  schedule: {},
  imported: false,
  createdAt: '2026-11-01T00:00:00.000Z',
  createdBy: 'council',
  version: 1,
  ...overrides,
});

describe('the budget phase job', () => {
  it('moves budgets whose dates have come, once, and closes voting at its end', async () => {
    const table = await createTestTable('phases');
    const store = dynamoBudgetStore(
      documentClient({ dynamoEndpoint: table.endpoint, region: table.region }),
      table.tableName,
    );
    const due = budget('01JD0000000000000000000001', {
      schedule: { reviewStartsAt: '2026-11-22T09:00:00.000Z' },
    });
    const voting = budget('01JD0000000000000000000002', {
      phase: 'voting',
      schedule: { votingEndsAt: '2026-11-22T10:00:00.000Z' },
    });
    const later = budget('01JD0000000000000000000003', {
      schedule: { reviewStartsAt: '2026-11-23T00:00:00.000Z' },
    });
    for (const each of [due, voting, later]) await store.createBudget(each, []);
    const clock = fixedClock('2026-11-22T10:00:00.000Z');

    const first = await moveDueBudgets(store, clock, sequentialIds());
    const second = await moveDueBudgets(store, clock, sequentialIds());

    expect(first).toEqual({ moved: 2 });
    expect(second).toEqual({ moved: 0 });
    expect((await store.getBudget('c1', due.id))?.phase).toBe('review');
    expect(await store.getBudget('c1', voting.id)).toMatchObject({
      phase: 'tallying',
      votingClosedAt: '2026-11-22T10:00:00.000Z',
    });
    expect((await store.getBudget('c1', later.id))?.phase).toBe('submission');
  });
});
