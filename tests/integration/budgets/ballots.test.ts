import { beforeAll, describe, expect, it } from 'vitest';
import { type Budget, BudgetPhase } from '../../../domain/budgets/budget';
import type { Ballot } from '../../../domain/budgets/commands/cast-ballot';
import { parsePabulib } from '../../../domain/budgets/pabulib/parse';
import { writePabulib } from '../../../domain/budgets/pabulib/write';
import { pabulibOfPot } from '../../../domain/budgets/pabulib-of-budget';
import { dynamoBudgetStore } from '../../../functions/budgets/store';
import { documentClient } from '../../../functions/shared/dynamo';
import { createTestTable, type TestTable } from '../../support/table';

/** Ballots against the real DynamoDB Local: one conditional write each, and only timely ones counted. */

let table: TestTable;
const ballot = (voterKey: string, projectIds: string[], castAt: string): Ballot => ({
  communityId: 'c1',
  budgetId: 'b1',
  potId: 'city',
  voterKey,
  projectIds,
  castAt,
});

beforeAll(async () => {
  table = await createTestTable('budgets');
});

describe('castBallots', () => {
  it('keeps the newer of two ballots of one voter, whatever order they arrive in', async () => {
    const store = dynamoBudgetStore(
      documentClient({ dynamoEndpoint: table.endpoint, region: table.region }),
      table.tableName,
    );
    const voter = 'a1'.repeat(32);

    await store.castBallots([ballot(voter, ['p2'], '2026-11-22T10:00:02.000Z')]);
    await store.castBallots([ballot(voter, ['p1'], '2026-11-22T10:00:01.000Z')]);

    expect(await store.ballotsOf('c1', 'b1', voter)).toEqual([
      expect.objectContaining({ projectIds: ['p2'], castAt: '2026-11-22T10:00:02.000Z' }),
    ]);
  });

  it('finds every ballot of a budget across its index buckets, once each', async () => {
    const store = dynamoBudgetStore(
      documentClient({ dynamoEndpoint: table.endpoint, region: table.region }),
      table.tableName,
    );
    const voters = Array.from({ length: 40 }, (_, index) => index.toString(16).padStart(2, '0').repeat(32));

    await store.castBallots(voters.map((voter) => ballot(voter, ['p1'], '2026-11-22T10:00:00.000Z')));
    const all = await store.allBallots('c1', 'b1');

    expect(new Set(all.map((each) => each.voterKey)).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(40);
  });
});

describe('pabulibOfPot', () => {
  const budget = {
    id: 'b1',
    communityId: 'c1',
    names: { uk: 'Б', en: 'B' },
    currency: 'UAH',
    totalAmount: 100,
    pots: [{ id: 'city', amount: 100 }],
    ballot: { type: 'approval' },
    rule: 'greedy',
    completion: 'none',
    minimumAge: 16,
    phase: BudgetPhase.tallying,
    schedule: {},
    votingClosedAt: '2026-11-22T12:00:00.000Z',
    imported: false,
    createdAt: '2026-11-01T00:00:00.000Z',
    createdBy: 'council',
    version: 3,
  } satisfies Budget;
  const project = {
    budgetId: 'b1',
    communityId: 'c1',
    description: '',
    costEstimate: 50,
    finalCost: 50,
    potId: 'city',
    authorKey: 'x',
    state: 'feasible' as const,
    progress: [],
    createdAt: '',
    version: 1,
  };

  it('counts only ballots cast before voting closed, numbers voters, and never shows their keys', () => {
    const ballots = [
      ballot('ff'.repeat(32), ['p1'], '2026-11-22T11:59:59.999Z'),
      ballot('00'.repeat(32), ['p1', 'p2'], '2026-11-22T09:00:00.000Z'),
      ballot('77'.repeat(32), ['p2'], '2026-11-22T12:00:00.000Z'),
    ];

    const instance = pabulibOfPot(
      budget,
      budget.pots[0] as Budget['pots'][number],
      [
        { ...project, id: 'p2', title: 'Two' },
        { ...project, id: 'p1', title: 'One' },
      ],
      ballots,
    );

    expect(instance.ballots.map((each) => [each.voterId, each.projectIds])).toEqual([
      ['1', ['p1', 'p2']],
      ['2', ['p1']],
    ]);
    expect(instance.projects.map((each) => [each.id, each.fields.votes])).toEqual([
      ['p1', '2'],
      ['p2', '1'],
    ]);
    expect(JSON.stringify([...instance.meta])).not.toContain('ff'.repeat(32));
  });

  it('writes texts no .pb field can hold (line breaks, separators) as spaces, so the file is always written', () => {
    const instance = pabulibOfPot(
      budget,
      budget.pots[0] as Budget['pots'][number],
      [{ ...project, id: 'p1', title: 'Parks;\r\nand trees', category: 'green\rspace' }],
      [ballot('00'.repeat(32), ['p1'], '2026-11-22T09:00:00.000Z')],
    );

    const text = writePabulib(instance);

    expect(parsePabulib(text).projects[0]?.fields).toMatchObject({
      name: 'Parks and trees',
      category: 'green space',
    });
  });
});
