import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Comment, CommentState } from '../../../domain/consultations/comment';
import { type Draft, parseDraft } from '../../../domain/consultations/draft';
import { commentCounts, commentCountsFromTargets } from '../../../domain/consultations/ranking';
import { commentToItem } from '../../../functions/consultations/items';
import { commentUpdate, dynamoConsultationStore } from '../../../functions/consultations/store';
import { documentClient } from '../../../functions/shared/dynamo';
import { Entity } from '../../../functions/shared/keys';
import { commentCountTally } from '../../../functions/streams/comment-count-tally';
import { handler } from '../../../functions/streams/handler';
import { drainWith } from '../../support/stream';
import { createTestTable, type TestTable } from '../../support/table';

const COMMUNITY = 'counts';
const CONSULTATION = '01JDCONSULTATION0000000000';

let table: TestTable;
const client = () => documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
const store = () => dynamoConsultationStore(client(), table.tableName);
const tally = () =>
  commentCountTally({ client: client(), tableName: table.tableName, pause: async () => undefined });

let ids = 0;
const draftResult = parseDraft(
  'Intro.\n\n# Transport {#transport}\n\nBuses.\n\n# Parking {#parking}\n\nFree Sundays.',
  {
    next: () => {
      ids += 1;
      return `P${ids}`;
    },
    secret: () => 'unused',
  },
);
if (!draftResult.ok) throw new Error('the test draft does not parse');
const draft: Draft = draftResult.value;
const paragraphUnder = (sectionId: string) =>
  draft.blocks.find((block) => block.kind === 'paragraph' && block.parentId === sectionId)?.id as string;

function comment(id: string, overrides: Partial<Comment> = {}): Comment {
  return {
    id,
    communityId: COMMUNITY,
    consultationId: CONSULTATION,
    target: { kind: 'whole' },
    draftVersion: 1,
    threadId: id,
    depth: 1,
    stance: 'for',
    text: 'Count me.',
    state: CommentState.visible,
    authorKey: 'a'.repeat(64),
    createdAt: '2026-05-01T09:00:00.000Z',
    revision: 1,
    ...overrides,
  };
}

const post = (posted: Comment) =>
  client().send(new PutCommand({ TableName: table.tableName, Item: commentToItem(posted) }));

/** A command's change, written as the store writes it: the command-owned attributes, over the revision read. */
async function change(previous: Comment, next: Partial<Comment>): Promise<Comment> {
  const changed = { ...previous, ...next, revision: previous.revision + 1 };
  await client().send(
    new TransactWriteCommand({ TransactItems: [commentUpdate(table.tableName, previous, changed)] }),
  );
  return changed;
}

/** The comment records of the table's stream so far, as Lambda delivers them, in stream order. */
async function commentRecords(): Promise<DynamoDBRecord[]> {
  const records: DynamoDBRecord[] = [];
  await drainWith(
    table,
    async (event) => {
      records.push(...event.Records);
      return { batchItemFailures: [] };
    },
    { batchSize: 1000 },
  );
  return records.filter((record) => record.dynamodb?.NewImage?.entity?.S === Entity.comment);
}

const countsShown = async () =>
  commentCountsFromTargets(draft, await store().commentCounts(COMMUNITY, CONSULTATION));
const countsOfComments = async () => commentCounts(draft, await store().comments(COMMUNITY, CONSULTATION));

const snapshot = async () =>
  (await table.scanAll()).sort((a, b) => `${a.PK}|${a.SK}`.localeCompare(`${b.PK}|${b.SK}`));

/**
 * Posts, edits, deletes, hides, approves, rejects and restores comments on
 * three targets: visible at the end are c1 (whole, for), c3 (transport,
 * neutral) and c5 (parking, for).
 */
async function lifeOfComments(): Promise<void> {
  const onBuses = { kind: 'paragraph', id: paragraphUnder('transport') } as const;
  const onParking = { kind: 'section', id: 'parking' } as const;
  const whole = await (async () => {
    const posted = comment('c1');
    await post(posted);
    return posted;
  })();
  const against = comment('c2', { target: onBuses, stance: 'against' });
  const waiting = comment('c3', { target: onBuses, stance: 'neutral', state: CommentState.pending });
  const reply = comment('c4', {
    target: onBuses,
    stance: 'neutral',
    depth: 2,
    threadId: 'c2',
    parentCommentId: 'c2',
  });
  const hiddenThenRestored = comment('c5', { target: onParking, stance: 'for' });
  const rejected = comment('c6', { target: onParking, stance: 'against', state: CommentState.pending });
  for (const posted of [against, waiting, reply, hiddenThenRestored, rejected]) await post(posted);

  await change(whole, { text: 'Count me, edited.', editedAt: '2026-05-01T09:05:00.000Z' });
  await change(against, { state: CommentState.deleted, text: '', deletedAt: '2026-05-01T09:06:00.000Z' });
  await change(waiting, { state: CommentState.visible });
  await change(reply, { state: CommentState.hidden });
  const hidden = await change(hiddenThenRestored, { state: CommentState.hidden });
  await change(hidden, { state: CommentState.visible });
  await change(rejected, { state: CommentState.rejected });
}

// Unknown records are logged on purpose; keep the test output clean.
beforeAll(() => vi.stubEnv('LOG_LEVEL', 'silent'));
afterAll(() => vi.unstubAllEnvs());

beforeEach(async () => {
  table = await createTestTable('counts');
});

describe('comment counts on DynamoDB Local', () => {
  it('count visible comments per section and stance through posting, editing, deleting, hiding, approving and restoring', async () => {
    await lifeOfComments();

    await drainWith(table, handler);

    const shown = await countsShown();
    expect(shown).toEqual(await countsOfComments());
    expect(shown).toEqual({
      all: { total: 3, byStance: { for: 2, against: 0, neutral: 1 } },
      whole: { total: 1, byStance: { for: 1, against: 0, neutral: 0 } },
      bySection: {
        transport: { total: 1, byStance: { for: 0, against: 0, neutral: 1 } },
        parking: { total: 1, byStance: { for: 1, against: 0, neutral: 0 } },
      },
    });
  });

  it('change nothing when the records are delivered again, whole, in part, cut elsewhere or at once', async () => {
    await lifeOfComments();
    const batch = await commentRecords();
    expect(batch.length).toBeGreaterThanOrEqual(13);
    expect((await tally()(batch)).batchItemFailures).toEqual([]);
    const before = await snapshot();
    const counted = await countsShown();

    for (const redelivery of [batch, batch.slice(5), [...batch.slice(9), ...batch.slice(2, 7), ...batch]]) {
      expect((await tally()(redelivery)).batchItemFailures).toEqual([]);
      expect(await snapshot()).toEqual(before);
    }
    await Promise.all([tally()(batch), tally()(batch.slice(3)), tally()([...batch].reverse())]);

    expect(await snapshot()).toEqual(before);
    expect(counted).toEqual(await countsOfComments());
  });

  it('count a batch delivered at once by racing consumers exactly once', async () => {
    await lifeOfComments();
    const batch = await commentRecords();

    const responses = await Promise.all([tally()(batch), tally()(batch), tally()([...batch].reverse())]);

    expect(responses.flatMap((response) => response.batchItemFailures)).toEqual([]);
    expect(await countsShown()).toEqual(await countsOfComments());
    expect((await countsShown()).all.total).toBe(3);
  });
});
