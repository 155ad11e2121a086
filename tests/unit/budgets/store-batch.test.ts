import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditAction } from '../../../domain/audit/intent';
import { budgetAudit } from '../../../domain/budgets/audit';
import { createBudget } from '../../../domain/budgets/commands/create-budget';
import { type Project, ProjectState } from '../../../domain/budgets/project';
import { dynamoBudgetStore } from '../../../functions/budgets/store';
import { communityAt, contextAt } from '../../support/actors';

/**
 * An import's batch writes: items DynamoDB leaves unprocessed are sent again,
 * a bounded number of times, and an import whose items stay unprocessed fails
 * with a clear error instead of looping on. The client is a stub that answers
 * the way a throttled table does.
 */

const TABLE = 'hromada-test';
const NOW = '2026-11-22T10:00:00.000Z';

const community = communityAt(NOW);

const council = contextAt(NOW);

function importInput() {
  const created = createBudget(council, community, {
    names: { uk: 'Бюджет', en: 'Budget' },
    currency: 'UAH',
    totalAmount: 1_000,
    ballot: { type: 'approval' },
    rule: 'greedy',
  });
  if (!created.ok) throw new Error(created.error.code);
  const budget = created.value;
  const projects: Project[] = ['p1', 'p2', 'p3'].map((id) => ({
    id,
    budgetId: budget.id,
    communityId: budget.communityId,
    title: 'Лавки',
    description: 'Лавки в парку',
    costEstimate: 300,
    potId: 'city',
    authorKey: 'ab'.repeat(32),
    state: ProjectState.feasible,
    progress: [],
    createdAt: NOW,
    version: 1,
  }));
  const audit = budgetAudit(council, AuditAction.budgetImport, budget, { after: { projects: 3 } });
  return { budget, projects, audit };
}

/**
 * A client whose batch writes leave the last item of each request unprocessed
 * `stubborn` times in a row, then take everything; every other command succeeds.
 */
function throttledClient(stubborn: number) {
  const batches: number[] = [];
  let left = stubborn;
  const send = async (command: unknown) => {
    if (!(command instanceof BatchWriteCommand)) return {};
    const requests = command.input.RequestItems?.[TABLE] ?? [];
    batches.push(requests.length);
    if (left === 0) return {};
    left -= 1;
    return { UnprocessedItems: { [TABLE]: requests.slice(-1) } };
  };
  return { client: { send } as unknown as DynamoDBDocumentClient, batches };
}

describe('the budget store’s batch writes', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends again only what was left unprocessed, until all is written', async () => {
    // Prepare
    vi.useFakeTimers();
    const { client, batches } = throttledClient(2);
    const { budget, projects, audit } = importInput();

    // Act
    const imported = dynamoBudgetStore(client, TABLE).importBudget(budget, projects, [], [], audit);
    await vi.runAllTimersAsync();
    await imported;

    // Assess
    expect(batches).toEqual([3, 1, 1]);
  });

  it('fails the import with a clear error when items stay unprocessed, after a bounded number of tries', async () => {
    // Prepare
    vi.useFakeTimers();
    const { client, batches } = throttledClient(Number.POSITIVE_INFINITY);
    const { budget, projects, audit } = importInput();

    // Act
    const imported = dynamoBudgetStore(client, TABLE)
      .importBudget(budget, projects, [], [], audit)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    await vi.runAllTimersAsync();
    const error = await imported;

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('DynamoDB left 1 items unprocessed after 5 retries');
    expect(batches).toEqual([3, 1, 1, 1, 1, 1]);
  });

  it('writes a large import in batches of 25, eight at a time, every item once', async () => {
    // Prepare
    const { budget, projects, audit } = importInput();
    const ballots = Array.from({ length: 1_000 }, (_, index) => ({
      communityId: budget.communityId,
      budgetId: budget.id,
      potId: 'city',
      voterKey: `voter-${index}`,
      projectIds: ['p1'],
      castAt: NOW,
    }));
    const written: string[] = [];
    let inFlight = 0;
    let most = 0;
    const send = async (command: unknown) => {
      if (!(command instanceof BatchWriteCommand)) return {};
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((wake) => setTimeout(wake, 1));
      for (const request of command.input.RequestItems?.[TABLE] ?? [])
        written.push(`${request.PutRequest?.Item?.PK} ${request.PutRequest?.Item?.SK}`);
      inFlight -= 1;
      return {};
    };

    // Act
    await dynamoBudgetStore({ send } as unknown as DynamoDBDocumentClient, TABLE).importBudget(
      budget,
      projects,
      ballots,
      [],
      audit,
    );

    // Assess
    expect(written).toHaveLength(1_003);
    expect(new Set(written).size).toBe(1_003);
    expect(most).toBe(8);
  });
});
