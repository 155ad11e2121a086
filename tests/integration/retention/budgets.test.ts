import { createHash, randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditAction, type AuditIntent, newAuditIntent } from '../../../domain/audit/intent';
import type { Budget } from '../../../domain/budgets/budget';
import type { Ballot } from '../../../domain/budgets/commands/cast-ballot';
import { Role } from '../../../domain/identity/actor';
import { dynamoBudgetStore } from '../../../functions/budgets/store';
import { eraseExpiredPersonalData } from '../../../functions/retention/job';
import { documentClient } from '../../../functions/shared/dynamo';
import { ulidGenerator } from '../../../functions/shared/ids';
import { Entity } from '../../../functions/shared/keys';
import { communityToItem } from '../../../functions/shared/tenancy';
import { actor, communityAt, contextFor, fixedClock } from '../../support/actors';
import { stoppingAt } from '../../support/stopping-client';
import { createTestTable, type TestTable } from '../../support/table';

const COMMUNITY = 'retention';
const CLOSED_AT = '2026-05-20T00:00:00.000Z';
const PUBLISHED_AT = '2026-06-01T00:00:00.000Z';
/** 180 days (the default retention) after PUBLISHED_AT. */
const DUE_AT = '2026-11-28T00:00:00.000Z';

let table: TestTable;
const client = () => documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
const store = () => dynamoBudgetStore(client(), table.tableName);

const tallying: Budget = {
  id: '01JD0000000000000000000001',
  communityId: COMMUNITY,
  names: { uk: 'Бюджет участі', en: 'Participatory budget' },
  currency: 'UAH',
  totalAmount: 300,
  pots: [
    { id: 'city', amount: 200 },
    { id: 'd1', amount: 100 },
  ],
  ballot: { type: 'cumulative', maxPoints: 5, maxPerProject: 3 },
  rule: 'greedy',
  completion: 'none',
  minimumAge: 16,
  phase: 'tallying',
  schedule: {},
  votingClosedAt: CLOSED_AT,
  imported: false,
  createdAt: '2026-04-01T00:00:00.000Z',
  createdBy: 'council',
  version: 3,
};

/** 60 voters over every bucket: all vote city-wide, one in three in district d1 too, the last two after voting closed. */
function ballots(): Ballot[] {
  return Array.from({ length: 60 }, (_, index) => {
    const voterKey = `${(index * 4).toString(16).padStart(2, '0')}${randomBytes(31).toString('hex')}`;
    const castAt = index >= 58 ? '2026-05-20T00:00:01.000Z' : `2026-05-1${index % 10}T08:00:00.000Z`;
    const city: Ballot = {
      communityId: COMMUNITY,
      budgetId: tallying.id,
      potId: 'city',
      voterKey,
      projectIds: [`p${index % 4}`, `p${(index + 1) % 4}`],
      points: [3, 2],
      castAt,
    };
    return index % 3 === 0 ? [city, { ...city, potId: 'd1', projectIds: ['q1'], points: [1] }] : [city];
  }).flat();
}

/** Every ballot as the export reads it, in its order, without who or when: what the pabulib file is written from. */
async function exportedBallots() {
  const page = await store().ballotPage(COMMUNITY, tallying.id, {
    rows: 10_000,
    bytes: Number.POSITIVE_INFINITY,
    keep: (ballot) => ballot.castAt < CLOSED_AT,
    sizeOf: () => 0,
  });
  expect(page.after).toBeUndefined();
  return page.ballots.map(({ potId, projectIds, points, voterKey }) => ({
    potId,
    projectIds,
    points,
    voterKey,
  }));
}

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
const run = (at: string, through = client()) =>
  eraseExpiredPersonalData(through, table.tableName, fixedClock(at), ulidGenerator());

/** The budget of {@link tallying}, its ballots cast, published on PUBLISHED_AT. */
async function publishedBudget(): Promise<Ballot[]> {
  await store().createBudget(tallying, []);
  const cast = ballots();
  await store().castBallots(cast);
  const published: Budget = { ...tallying, phase: 'published', resultsPublishedAt: PUBLISHED_AT, version: 4 };
  const council = contextFor(actor({ subject: 'council-1', roles: new Set([Role.council]) }));
  const audit = newAuditIntent(council, {
    communityId: COMMUNITY,
    action: AuditAction.budgetResultsPublish,
    target: `budget/${tallying.id}`,
  });
  expect(await store().publish(tallying, published, [], [], [], audit)).toBe('saved');
  return cast;
}

beforeAll(() => vi.stubEnv('LOG_LEVEL', 'silent'));
afterAll(() => vi.unstubAllEnvs());

beforeEach(async () => {
  table = await createTestTable('retention-budgets');
  await client().send(
    new PutCommand({
      TableName: table.tableName,
      Item: communityToItem(communityAt('2026-01-01T00:00:00.000Z', {}, COMMUNITY)),
    }),
  );
});

describe('the retention job on budgets', () => {
  it('replaces every ballot by one without its voter, in the same order, so the export is the same file', async () => {
    const cast = await publishedBudget();
    const before = await exportedBallots();
    expect(before).toHaveLength(58 + 20);

    expect((await run('2026-11-27T00:00:00.000Z')).anonymised).toBe(0);
    const first = await run(DUE_AT);

    expect(first).toEqual({ anonymised: 1, notYetDue: 0, dropped: 0, failed: 0 });
    const items = await table.scanAll();
    expect(items.filter((item) => item.entity === Entity.budgetBallot)).toEqual([]);
    // Nothing left anywhere names a voter: no item carries a voter key of the vote.
    const voterKeys = new Set(cast.map((ballot) => ballot.voterKey));
    expect(
      items.filter((item) =>
        JSON.stringify(item)
          .match(/[0-9a-f]{64}/g)
          ?.some((key) => voterKeys.has(key)),
      ),
    ).toEqual([]);
    const after = await exportedBallots();
    const withoutVoters = (list: typeof before) => list.map(({ voterKey: _voter, ...rest }) => rest);
    expect(withoutVoters(after)).toEqual(withoutVoters(before));
    expect(sha256(withoutVoters(after))).toBe(sha256(withoutVoters(before)));
    expect(after.every((ballot) => ballot.voterKey.startsWith('!'))).toBe(true);
    expect(await store().getBudget(COMMUNITY, tallying.id)).toMatchObject({
      phase: 'published',
      anonymised: { at: DUE_AT, erased: { ballots: cast.length, reports: 0 } },
    });
    const intents = items
      .filter((item) => item.entity === Entity.auditIntent)
      .map((item) => item.intent as AuditIntent)
      .filter((intent) => intent.action === AuditAction.budgetAnonymise);
    expect(intents).toEqual([
      expect.objectContaining({
        target: `budget/${tallying.id}`,
        after: { erased: { ballots: 80, reports: 0 } },
      }),
    ]);

    expect(await run('2026-11-29T00:00:00.000Z')).toEqual({
      anonymised: 0,
      notYetDue: 0,
      dropped: 0,
      failed: 0,
    });
    expect(await table.scanAll()).toEqual(items);
  });

  it('resumes a run that stopped half-way: the export stays whole and in order, and the next run finishes', async () => {
    await publishedBudget();
    const before = await exportedBallots();
    const withoutVoters = (list: typeof before) => list.map(({ voterKey: _voter, ...rest }) => rest);

    // 80 ballots move in two transactions (48, then 32 with the mark): the second never happens.
    const stopped = await run(DUE_AT, stoppingAt(client(), 2));
    const halfway = await exportedBallots();

    expect(stopped).toEqual({ anonymised: 0, notYetDue: 0, dropped: 0, failed: 1 });
    expect(halfway.filter((ballot) => ballot.voterKey.startsWith('!'))).toHaveLength(48);
    expect(withoutVoters(halfway)).toEqual(withoutVoters(before));
    expect((await store().getBudget(COMMUNITY, tallying.id))?.anonymised).toBeUndefined();

    expect(await run('2026-11-29T00:00:00.000Z')).toEqual({
      anonymised: 1,
      notYetDue: 0,
      dropped: 0,
      failed: 0,
    });
    const after = await exportedBallots();
    expect(withoutVoters(after)).toEqual(withoutVoters(before));
    expect(after.every((ballot) => ballot.voterKey.startsWith('!'))).toBe(true);
    expect((await table.scanAll()).filter((item) => item.entity === Entity.budgetBallot)).toEqual([]);
    expect((await store().getBudget(COMMUNITY, tallying.id))?.anonymised?.erased).toEqual({
      ballots: 32,
      reports: 0,
    });
  });
});
