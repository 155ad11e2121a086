import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { LimitedAction, type RateCounterKey, rateWindow } from '../../../domain/communities/limits';
import { documentClient } from '../../../functions/shared/dynamo';
import { Entity, keys } from '../../../functions/shared/keys';
import { COUNTER_TTL_MARGIN_SECONDS, dynamoRateCounter } from '../../../functions/shared/rate-limits';
import { TABLE } from '../../../functions/shared/table';
import { createTestTable, type TestTable } from '../../support/table';

// The counters on DynamoDB Local: one conditional UpdateItem per unit, so concurrency cannot pass a limit.

let table: TestTable;
const client = () => documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
const counter = () => dynamoRateCounter(client(), table.tableName);

const HOUR = 3600;
const keyAt = (iso: string, residentKey = 'r'.repeat(64)): RateCounterKey => ({
  communityId: 'limits',
  residentKey,
  action: LimitedAction.commentCreate,
  window: rateWindow(new Date(iso), HOUR),
});
const itemOf = async (key: RateCounterKey) =>
  (
    await client().send(
      new GetCommand({
        TableName: table.tableName,
        Key: keys.rateCounter(key.communityId, key.residentKey, key.action, key.window.startsAt),
        ConsistentRead: true,
      }),
    )
  ).Item;

beforeAll(async () => {
  table = await createTestTable('limits');
});

describe('the rate counter in the table', () => {
  it('lets exactly 5 of 20 concurrent units through at a limit of 5', async () => {
    const key = keyAt('2026-12-03T17:20:00.000Z');

    const counted = await Promise.all(Array.from({ length: 20 }, () => counter().consume(key, 5)));

    expect(counted.filter(Boolean)).toHaveLength(5);
    expect((await itemOf(key))?.count).toBe(5);
  });

  it('keeps the count with the entity and a TTL past the window end', async () => {
    const key = keyAt('2026-12-03T17:20:00.000Z', 't'.repeat(64));

    await counter().consume(key, 5);

    expect(await itemOf(key)).toEqual({
      PK: `C#limits#LIMIT#${'t'.repeat(64)}`,
      SK: `comment.create#${Date.parse('2026-12-03T17:00:00.000Z') / 1000}`,
      entity: Entity.rateCounter,
      count: 1,
      [TABLE.ttlAttribute]: Date.parse('2026-12-03T18:00:00.000Z') / 1000 + COUNTER_TTL_MARGIN_SECONDS,
    });
  });

  it('starts a new window with a fresh counter', async () => {
    const full = keyAt('2026-12-03T15:10:00.000Z', 'w'.repeat(64));
    const next = keyAt('2026-12-03T16:00:00.000Z', 'w'.repeat(64));
    for (let index = 0; index < 3; index += 1) await counter().consume(full, 3);

    const refused = await counter().consume(full, 3);
    const fresh = await Promise.all(Array.from({ length: 5 }, () => counter().consume(next, 3)));

    expect(refused).toBe(false);
    expect(fresh.filter(Boolean)).toHaveLength(3);
    expect((await itemOf(full))?.count).toBe(3);
    expect((await itemOf(next))?.count).toBe(3);
  });

  it('gives a unit back, never below zero, and a counter with nothing to give back is not made', async () => {
    const key = keyAt('2026-12-03T17:20:00.000Z', 'g'.repeat(64));
    const never = keyAt('2026-12-03T17:20:00.000Z', 'n'.repeat(64));
    await counter().consume(key, 2);
    await counter().consume(key, 2);

    await counter().release(key);
    const afterOne = (await itemOf(key))?.count;
    await counter().release(key);
    await counter().release(key);
    await counter().release(never);

    expect(afterOne).toBe(1);
    expect(await itemOf(key)).toMatchObject({ count: 0, [TABLE.ttlAttribute]: expect.any(Number) });
    expect(await itemOf(never)).toBeUndefined();
    expect(await counter().consume(key, 2)).toBe(true);
  });

  it('never counts past the limit while units are given back concurrently', async () => {
    const key = keyAt('2026-12-03T17:20:00.000Z', 'c'.repeat(64));
    for (let index = 0; index < 4; index += 1) await counter().consume(key, 4);

    const [released, consumed] = await Promise.all([
      Promise.all(Array.from({ length: 2 }, () => counter().release(key))),
      Promise.all(Array.from({ length: 10 }, () => counter().consume(key, 4))),
    ]);

    expect(released).toHaveLength(2);
    expect(consumed.filter(Boolean).length).toBeLessThanOrEqual(2);
    const count = (await itemOf(key))?.count ?? 0;
    expect(count).toBe(4 - 2 + consumed.filter(Boolean).length);
  });
});
