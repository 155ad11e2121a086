import { beforeAll, describe, expect, it } from 'vitest';
import { type Actor, Role } from '../../../domain/identity/actor';
import { dynamoAppealStore } from '../../../functions/appeals/store';
import { appealUseCases } from '../../../functions/appeals/use-cases';
import { documentClient } from '../../../functions/shared/dynamo';
import { keys } from '../../../functions/shared/keys';
import { actor, communityAt, fixedClock, sequentialIds } from '../../support/actors';
import { createTestTable, type TestTable } from '../../support/table';

// The registration number against DynamoDB Local: gapless per community and year under concurrency.

let table: TestTable;
const community = communityAt(
  '2026-01-01T00:00:00.000Z',
  {
    appeals: {
      units: [{ id: 'roads', names: { uk: 'Дороги', en: 'Roads' }, head: { issuer: 'i', subject: 'head' } }],
      categories: [
        { id: 'potholes', names: { uk: 'Ями', en: 'Potholes' }, unitId: 'roads', kinds: ['appeal'] },
      ],
    },
  },
  'reg',
);
const resident = (n: number): Actor =>
  actor({
    subject: `r${n}`,
    signerKey: String(n).padStart(64, '0'),
    residency: { communityId: community.id },
  });
const input = {
  kind: 'appeal',
  categoryId: 'potholes',
  title: 'Pothole',
  text: 'Fix it',
  appealType: 'complaint',
} as const;

beforeAll(async () => {
  table = await createTestTable('appeals');
});

describe('registration numbers', () => {
  it('gives 100 concurrent submissions from 4 processes 100 distinct, consecutive numbers', async () => {
    const client = documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
    const store = dynamoAppealStore(client, table.tableName);
    // Four places stand for four processes: their registrations race each other for the counter.
    const processes = [0, 1, 2, 3].map((n) => appealUseCases(store, undefined, undefined, `process-${n}`));
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, n) =>
        (processes[n % 4] as (typeof processes)[number]).submit(
          { actor: resident(n), clock: fixedClock('2026-06-01T09:00:00.000Z'), ids: sequentialIds() },
          community,
          input,
        ),
      ),
    );
    const elapsed = performance.now() - started;
    const failed = outcomes.filter((outcome) => !outcome.ok);
    expect(failed).toEqual([]);
    const numbers = outcomes.map((outcome) => (outcome.ok ? outcome.value.number : '')).sort();
    expect(numbers).toEqual(Array.from({ length: 100 }, (_, n) => `2026-${String(n + 1).padStart(6, '0')}`));
    expect(await store.lastNumber(community.id, '2026')).toBe(100);
    const stored = await Promise.all(
      outcomes.map((outcome) => (outcome.ok ? store.get(community.id, outcome.value.id) : undefined)),
    );
    expect(new Set(stored.map((appeal) => appeal?.number)).size).toBe(100);
    if (process.env.BENCH_LOG) console.log(`100 concurrent registrations: ${elapsed.toFixed(0)} ms`);
  });

  it('rolls the year over in Kyiv time: 22:30 UTC on 31 December 2026 registers 2027-000001', async () => {
    const client = documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
    const store = dynamoAppealStore(client, table.tableName);
    const useCases = appealUseCases(store);
    const outcome = await useCases.submit(
      { actor: resident(1), clock: fixedClock('2026-12-31T22:30:00.000Z'), ids: sequentialIds() },
      community,
      input,
    );
    expect(outcome.ok && outcome.value.number).toBe('2027-000001');
    const before = await useCases.submit(
      { actor: resident(2), clock: fixedClock('2026-12-31T21:30:00.000Z'), ids: sequentialIds() },
      community,
      input,
    );
    expect(before.ok && before.value.number).toMatch(/^2026-0001\d\d$/);
  });

  it('lists open items of a unit by due day, and moves them to the closed list when answered', async () => {
    const client = documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
    const store = dynamoAppealStore(client, table.tableName);
    const useCases = appealUseCases(store);
    const council = actor({ subject: 'council', roles: new Set([Role.council]) });
    const open = await store.byUnit({ communityId: community.id, unitId: 'roads', open: true, limit: 500 });
    const dues = open.items.map((appeal) => appeal.dueOn);
    expect(dues).toEqual([...dues].sort());
    const first = open.items[0];
    if (!first) throw new Error('no items');
    const answered = await useCases.answer(
      { actor: council, clock: fixedClock('2026-06-02T09:00:00.000Z'), ids: sequentialIds() },
      community,
      first.id,
      { text: 'Done.' },
    );
    expect(answered.ok).toBe(true);
    const closed = await store.byUnit({ communityId: community.id, unitId: 'roads', open: false, limit: 10 });
    expect(closed.items.map((appeal) => appeal.id)).toEqual([first.id]);
    const item = await table
      .scanAll()
      .then((items) => items.find((i) => i.PK === keys.appeal(community.id, first.id).PK));
    expect(item?.GSI2PK).toBeUndefined();
    const intents = (await table.scanAll()).filter((i) => i.entity === 'audit-intent');
    expect(intents).toHaveLength(1);
  });
});
