import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Project, ProjectState } from '../../../domain/budgets/project';
import { projectToItem } from '../../../functions/budgets/items';
import { dynamoBudgetStore, PROJECTS_READ_PER_PAGE } from '../../../functions/budgets/store';
import { documentClient } from '../../../functions/shared/dynamo';
import { createTestTable, type TestTable } from '../../support/table';

/**
 * A filtered page of a budget's projects reads a bounded number of projects,
 * however few match: a page may come back short (even empty) with a cursor,
 * and following the cursors finds every match once, in order.
 */

let table: TestTable;
let client: DynamoDBDocumentClient;

const project = (index: number, potId: string): Project => ({
  id: `p${String(index).padStart(4, '0')}`,
  budgetId: 'b-big',
  communityId: 'c1',
  title: `Project ${index}`,
  description: 'A project.',
  costEstimate: 100,
  potId,
  authorKey: index % 2 === 0 ? 'even' : 'odd',
  state: ProjectState.proposed,
  progress: [],
  createdAt: '2026-11-01T10:00:00.000Z',
  version: 1,
});

/** 600 city-wide projects, then 20 of the north district's. */
const projects = [
  ...Array.from({ length: 600 }, (_, index) => project(index, 'city')),
  ...Array.from({ length: 20 }, (_, index) => project(600 + index, 'north')),
];

/** The store over a client that counts the items its queries read (DynamoDB's ScannedCount). */
function countingStore() {
  const counter = { read: 0 };
  const counting = {
    send: async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
      const answer = (await client.send(command as never)) as { ScannedCount?: number };
      counter.read += answer.ScannedCount ?? 0;
      return answer;
    },
  } as unknown as DynamoDBDocumentClient;
  return { store: dynamoBudgetStore(counting, table.tableName), counter };
}

beforeAll(async () => {
  table = await createTestTable('project-pages');
  client = documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
  // Batches of 25, all in flight at once (DynamoDB Local takes them faster than one by one), each
  // sent again with whatever it left unprocessed, so that every project is in before a test reads.
  const batches = Array.from({ length: Math.ceil(projects.length / 25) }, (_, batch) =>
    projects
      .slice(batch * 25, batch * 25 + 25)
      .map((each) => ({ PutRequest: { Item: projectToItem(each) } })),
  );
  await Promise.all(
    batches.map(async (batch) => {
      let pending = batch;
      while (pending.length > 0) {
        const result = await client.send(
          new BatchWriteCommand({ RequestItems: { [table.tableName]: pending } }),
        );
        pending = (result.UnprocessedItems?.[table.tableName] ?? []) as typeof pending;
      }
    }),
  );
});

describe('projectPage', () => {
  it(`reads at most ${PROJECTS_READ_PER_PAGE} projects a page; short pages carry a cursor; every match comes once`, async () => {
    const { store, counter } = countingStore();
    const pages: string[][] = [];
    const readPerPage: number[] = [];
    let cursor: string | undefined;
    do {
      counter.read = 0;
      const page = await store.projectPage(
        'c1',
        'b-big',
        { states: [ProjectState.proposed], potId: 'north' },
        { limit: 15, ...(cursor ? { cursor } : {}) },
      );
      readPerPage.push(counter.read);
      pages.push(page.items.map((each) => each.id));
      cursor = page.cursor;
    } while (cursor);

    expect(pages.map((page) => page.length)).toEqual([0, 15, 5]);
    expect(pages.flat()).toEqual(projects.slice(600).map((each) => each.id));
    expect(Math.max(...readPerPage)).toBeLessThanOrEqual(PROJECTS_READ_PER_PAGE);
  });

  it('fills a page without a filter that excludes much, and ends without a cursor', async () => {
    const { store } = countingStore();

    const first = await store.projectPage('c1', 'b-big', { states: [ProjectState.proposed] }, { limit: 100 });
    const none = await store.projectPage('c1', 'b-big', { states: [ProjectState.hidden] }, { limit: 100 });

    expect(first.items.map((each) => each.id)).toEqual(projects.slice(0, 100).map((each) => each.id));
    expect(first.cursor).toBeDefined();
    expect(none.items).toEqual([]);
    expect(none.cursor).toBeDefined();
  });
});

describe('projectsByAuthor', () => {
  it("pages one author's projects through its index, each once, reading only that page", async () => {
    const { store, counter } = countingStore();
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      counter.read = 0;
      const page = await store.projectsByAuthor('c1', 'b-big', 'odd', {
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      expect(counter.read).toBeLessThanOrEqual(100);
      ids.push(...page.items.map((each) => each.id));
      cursor = page.cursor;
      pages += 1;
    } while (cursor);

    expect(ids).toEqual(projects.filter((_, index) => index % 2 === 1).map((each) => each.id));
    expect(pages).toBeGreaterThanOrEqual(4);
  });
});
