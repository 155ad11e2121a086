import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Comment, CommentState, type VoteValue } from '../../../domain/consultations/comment';
import type { VoteWrite } from '../../../domain/consultations/ports';
import { commentToItem, STORED_NO_VOTE } from '../../../functions/consultations/items';
import { dynamoConsultationStore } from '../../../functions/consultations/store';
import { documentClient } from '../../../functions/shared/dynamo';
import { Entity, keys } from '../../../functions/shared/keys';
import { handler } from '../../../functions/streams/handler';
import { voteTally } from '../../../functions/streams/vote-tally';
import { drainWith } from '../../support/stream';
import { createTestTable, type TestTable } from '../../support/table';

const COMMUNITY = 'votes';
const CONSULTATION = '01JDCONSULTATION0000000000';

let table: TestTable;
const client = () => documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
const store = () => dynamoConsultationStore(client(), table.tableName);
const tally = () => voteTally({ client: client(), tableName: table.tableName, pause: async () => undefined });

function comment(id: string): Comment {
  return {
    id,
    communityId: COMMUNITY,
    consultationId: CONSULTATION,
    target: { kind: 'whole' },
    draftVersion: 1,
    threadId: id,
    depth: 1,
    stance: 'for',
    text: 'Vote on me.',
    state: CommentState.visible,
    authorKey: 'a'.repeat(64),
    createdAt: '2026-05-01T09:00:00.000Z',
    revision: 1,
  };
}

async function putComment(id: string): Promise<void> {
  await client().send(new PutCommand({ TableName: table.tableName, Item: commentToItem(comment(id)) }));
}

const voterKey = () => randomBytes(32).toString('hex');

/** One vote as the route writes it: one conditional write, `votedAt` the moment of the request. */
const vote = (commentId: string, voter: string, value: VoteValue): Promise<VoteWrite> =>
  store().vote({
    communityId: COMMUNITY,
    consultationId: CONSULTATION,
    commentId,
    voterKey: voter,
    value,
    votedAt: new Date().toISOString(),
  });

const withdraw = (commentId: string, voter: string) =>
  store().withdrawVote({
    communityId: COMMUNITY,
    consultationId: CONSULTATION,
    commentId,
    voterKey: voter,
    votedAt: new Date().toISOString(),
  });

async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function counts(commentId: string) {
  const { Item } = await client().send(
    new GetCommand({
      TableName: table.tableName,
      Key: keys.comment(COMMUNITY, commentId),
      ConsistentRead: true,
    }),
  );
  return { up: Item?.up, down: Item?.down };
}

/** The vote records of the table's stream so far, as Lambda delivers them, in stream order. */
async function voteRecords(): Promise<DynamoDBRecord[]> {
  const records: DynamoDBRecord[] = [];
  await drainWith(
    table,
    async (event) => {
      records.push(...event.Records);
      return { batchItemFailures: [] };
    },
    { batchSize: 1000 },
  );
  return records.filter((record) => record.dynamodb?.NewImage?.entity?.S === Entity.commentVote);
}

/** Every item, in key order, to show that a delivery changed nothing at all. */
const snapshot = async () =>
  (await table.scanAll()).sort((a, b) => `${a.PK}|${a.SK}`.localeCompare(`${b.PK}|${b.SK}`));

// Skipped comments are logged as warnings on purpose; keep the test output clean.
beforeAll(() => vi.stubEnv('LOG_LEVEL', 'silent'));
afterAll(() => vi.unstubAllEnvs());

beforeEach(async () => {
  table = await createTestTable('votes');
});

describe('comment votes on DynamoDB Local', () => {
  it('gives exact counts when 250 residents vote at once, change their minds and take votes back', async () => {
    // Prepare: two comments and 250 residents. Fifty votes are in flight at every moment, as many
    // as with more residents, and their 420 records reach the tally in batches of 100.
    await putComment('c1');
    await putComment('c2');
    const voters = Array.from({ length: 250 }, voterKey);
    const first = (index: number): VoteValue => (index % 3 === 0 ? 'down' : 'up');

    // Act: everyone votes on c1, the first 100 also on c2, all at once; then 40 change, 30 withdraw, 30 repeat.
    await inParallel(voters, 50, async (voter) => {
      const index = voters.indexOf(voter);
      expect(await vote('c1', voter, first(index))).toBe('cast');
      if (index < 100) expect(await vote('c2', voter, 'up')).toBe('cast');
    });
    await inParallel(voters.slice(0, 100), 50, async (voter) => {
      const index = voters.indexOf(voter);
      if (index < 40) expect(await vote('c1', voter, first(index) === 'up' ? 'down' : 'up')).toBe('changed');
      else if (index < 70) expect(await withdraw('c1', voter)).toBe('withdrawn');
      else expect(await vote('c1', voter, first(index))).toBe('unchanged');
    });
    await drainWith(table, handler, { batchSize: 100 });

    // Assess: the counters equal the ledger of vote items, and the arithmetic above.
    const final = voters.map((_, index): VoteValue | undefined => {
      if (index < 40) return first(index) === 'up' ? 'down' : 'up';
      if (index < 70) return undefined;
      return first(index);
    });
    const expected = {
      up: final.filter((value) => value === 'up').length,
      down: final.filter((value) => value === 'down').length,
    };
    expect(expected.up + expected.down).toBe(220);
    expect(await counts('c1')).toEqual(expected);
    expect(await counts('c2')).toEqual({ up: 100, down: 0 });
    const ledger = (await table.scanAll()).filter(
      (item) => item.entity === Entity.commentVote && item.commentId === 'c1',
    );
    expect(ledger).toHaveLength(250);
    expect(ledger.filter((item) => item.value === STORED_NO_VOTE)).toHaveLength(30);
    expect(ledger.filter((item) => item.value === 'up')).toHaveLength(expected.up);
  });

  it('never counts a repeated vote twice, even sent at once', async () => {
    await putComment('c1');
    const voter = voterKey();

    const writes = await Promise.all([
      vote('c1', voter, 'up'),
      vote('c1', voter, 'up'),
      vote('c1', voter, 'up'),
    ]);
    await drainWith(table, handler);

    expect(writes.sort()).toEqual(['cast', 'unchanged', 'unchanged']);
    expect(await counts('c1')).toEqual({ up: 1, down: 0 });
  });

  it('counts a change of mind as one vote moving, whatever the order of the changes', async () => {
    await putComment('c1');
    const voter = voterKey();
    await vote('c1', voter, 'up');
    await vote('c1', voter, 'down');
    await vote('c1', voter, 'up');
    await vote('c1', voter, 'down');
    const records = await voteRecords();

    // The changes delivered out of order: each record's delta is its own images' difference.
    const response = await tally()([...records].reverse());

    expect(response.batchItemFailures).toEqual([]);
    expect(await counts('c1')).toEqual({ up: 0, down: 1 });
  });

  it('changes nothing when a batch is delivered again, whole, in part or cut at other boundaries', async () => {
    await putComment('c1');
    await putComment('c2');
    const voters = Array.from({ length: 30 }, voterKey);
    for (const voter of voters) {
      await vote('c1', voter, 'up');
      await vote('c2', voter, 'down');
    }
    for (const voter of voters.slice(0, 10)) await vote('c1', voter, 'down');
    const batch = await voteRecords();
    expect(batch).toHaveLength(70);
    await tally()(batch);
    const before = await snapshot();

    for (const redelivery of [
      batch,
      batch.slice(17),
      [...batch.slice(40), ...batch.slice(5, 12), ...batch],
    ]) {
      expect((await tally()(redelivery)).batchItemFailures).toEqual([]);
      expect(await snapshot()).toEqual(before);
    }
    expect(await counts('c1')).toEqual({ up: 20, down: 10 });
    expect(await counts('c2')).toEqual({ up: 0, down: 30 });
  });

  it('counts only the new changes of a redelivery glued to the next batch', async () => {
    await putComment('c1');
    const voters = Array.from({ length: 12 }, voterKey);
    for (const voter of voters.slice(0, 6)) await vote('c1', voter, 'up');
    const firstBatch = await voteRecords();
    await tally()(firstBatch);
    for (const voter of voters.slice(6)) await vote('c1', voter, 'down');
    const secondBatch = (await voteRecords()).slice(firstBatch.length);

    const response = await tally()([...firstBatch.slice(2), ...secondBatch, ...firstBatch.slice(4)]);

    expect(response.batchItemFailures).toEqual([]);
    expect(await counts('c1')).toEqual({ up: 6, down: 6 });
  });

  it('skips votes on a comment that does not exist, without failing the batch', async () => {
    await putComment('c1');
    await vote('ghost', voterKey(), 'up');
    await vote('c1', voterKey(), 'up');

    const response = await tally()(await voteRecords());

    expect(response.batchItemFailures).toEqual([]);
    expect(await counts('c1')).toEqual({ up: 1, down: 0 });
    expect((await table.scanAll()).filter((item) => item.PK === keys.comment(COMMUNITY, 'ghost').PK)).toEqual(
      [],
    );
  });
});
