import { randomBytes } from 'node:crypto';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SurveyResponseToWrite } from '../../../domain/consultations/commands/submit-survey-response';
import { type Comment, CommentState } from '../../../domain/consultations/comment';
import { type Consultation, ConsultationPhase } from '../../../domain/consultations/consultation';
import type { Draft } from '../../../domain/consultations/draft';
import { MAX_SECTION_READ } from '../../../domain/consultations/ports';
import { commentToItem, DRAFT_PART_BYTES } from '../../../functions/consultations/items';
import { dynamoConsultationStore } from '../../../functions/consultations/store';
import { documentClient } from '../../../functions/shared/dynamo';
import { ulidGenerator } from '../../../functions/shared/ids';
import { Entity } from '../../../functions/shared/keys';
import { createTestTable, type TestTable } from '../../support/table';

const COMMUNITY = 'store';

let table: TestTable;
const store = () =>
  dynamoConsultationStore(
    documentClient({ dynamoEndpoint: table.endpoint, region: table.region }),
    table.tableName,
  );
const audit = () => ({
  id: ulidGenerator().next(),
  communityId: COMMUNITY,
  actor: { subject: 'council', roles: ['council'] },
  action: 'consultation.create' as const,
  target: 'consultation/x',
  at: new Date().toISOString(),
});

function consultation(id: string, overrides: Partial<Consultation> = {}): Consultation {
  return {
    id,
    communityId: COMMUNITY,
    title: 'A consultation',
    summary: 'On something.',
    ownerDepartment: 'A department',
    opensAt: '2026-05-01T00:00:00.000Z',
    closesAt: '2026-06-01T00:00:00.000Z',
    phase: ConsultationPhase.draft,
    currentVersion: 1,
    versions: [],
    createdBy: 'council',
    createdAt: '2026-04-01T00:00:00.000Z',
    revision: 1,
    ...overrides,
  };
}

/** A draft whose gzipped JSON needs several parts: random text hardly compresses. */
function largeDraft(): Draft {
  return {
    version: 1,
    blocks: Array.from({ length: 400 }, (_, index) => ({
      kind: 'paragraph' as const,
      id: `p${index}`,
      parentId: null,
      text: randomBytes(1_500).toString('base64'),
    })),
    retired: {},
  };
}

describe('the consultations store on DynamoDB Local', () => {
  beforeEach(async () => {
    table = await createTestTable('consultations');
  });

  it('stores a draft version larger than one item in parts, and reads it back whole', async () => {
    const draft = largeDraft();

    await store().create({ consultation: consultation('big'), draft }, [], audit());

    const parts = (await table.scanAll()).filter((item) => item.entity === Entity.consultationDraft);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts)
      expect((part.data as Uint8Array).byteLength).toBeLessThanOrEqual(DRAFT_PART_BYTES);
    expect(await store().draft(COMMUNITY, 'big', 1)).toEqual(draft);
    expect(await store().draft(COMMUNITY, 'big', 2)).toBeUndefined();
  });

  it('keeps one survey response per resident: created, replaced, never overwritten by an older request', async () => {
    const response = (submittedAt: string, answer: string): SurveyResponseToWrite => ({
      communityId: COMMUNITY,
      consultationId: 'c1',
      respondentKey: 'ab'.repeat(32),
      answers: { q1: answer },
      submittedAt,
    });

    const first = await store().submitResponse(response('2026-05-02T10:00:00.000Z', 'bus'));
    const second = await store().submitResponse(response('2026-05-02T10:05:00.000Z', 'bike'));
    const overtaken = await store().submitResponse(response('2026-05-02T10:01:00.000Z', 'car'));

    expect([first, second, overtaken]).toEqual(['created', 'replaced', 'superseded']);
    expect(await store().responses(COMMUNITY, 'c1')).toEqual([
      { respondentKey: 'ab'.repeat(32), answers: { q1: 'bike' }, submittedAt: '2026-05-02T10:05:00.000Z' },
    ]);
  });

  it('lists for the phase job only drafts and open consultations whose date has come', async () => {
    const draft = { blocks: [], retired: {}, version: 1 };
    for (const [id, overrides] of [
      ['due-to-open', { phase: ConsultationPhase.draft, opensAt: '2026-05-01T00:00:00.000Z' }],
      ['not-yet', { phase: ConsultationPhase.draft, opensAt: '2026-05-20T00:00:00.000Z' }],
      ['due-to-close', { phase: ConsultationPhase.open, closesAt: '2026-05-09T00:00:00.000Z' }],
      ['closed', { phase: ConsultationPhase.closed, closesAt: '2026-05-09T00:00:00.000Z' }],
    ] as const) {
      await store().create({ consultation: consultation(id, overrides), draft }, [], audit());
    }

    const due = await store().dueForPhaseChange('2026-05-10T00:00:00.000Z');

    expect(due.map((entry) => entry.consultationId).sort()).toEqual(['due-to-close', 'due-to-open']);
  });

  it('finds which named comments are in a consultation by key, over more than one BatchGetItem', async () => {
    const client = documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
    const comment = (id: string, consultationId: string): Comment => ({
      id,
      communityId: COMMUNITY,
      consultationId,
      target: { kind: 'whole' },
      draftVersion: 1,
      threadId: id,
      depth: 1,
      stance: 'for',
      text: 'Named in a report.',
      state: CommentState.visible,
      authorKey: 'a'.repeat(64),
      createdAt: '2026-05-01T09:00:00.000Z',
      revision: 1,
    });
    const mine = Array.from({ length: 130 }, (_, n) => `MINE${String(n).padStart(4, '0')}`);
    // Written all at once: each put is its own item, so their order does not matter.
    await Promise.all(
      [...mine.map((id) => comment(id, 'c1')), comment('OTHER', 'c2')].map((each) =>
        client.send(new PutCommand({ TableName: table.tableName, Item: commentToItem(each) })),
      ),
    );

    const found = await store().commentIdsAmong(COMMUNITY, 'c1', [
      ...mine,
      'OTHER',
      'MISSING',
      mine[0] as string,
    ]);

    expect([...found].sort()).toEqual(mine);
  });
});

describe('bounded comment reads on DynamoDB Local', () => {
  const client = () => documentClient({ dynamoEndpoint: table.endpoint, region: table.region });

  function topLevel(consultationId: string, n: number, blockId: string, text = `On ${blockId}.`) {
    const id = `${consultationId.toUpperCase()}${String(n).padStart(6, '0')}`;
    return commentToItem({
      id,
      communityId: COMMUNITY,
      consultationId,
      target: { kind: 'paragraph', id: blockId },
      draftVersion: 1,
      threadId: id,
      depth: 1,
      stance: 'for',
      text,
      state: CommentState.visible,
      authorKey: 'a'.repeat(64),
      createdAt: new Date(Date.parse('2026-05-01T09:00:00.000Z') + n * 1_000).toISOString(),
      revision: 1,
    });
  }

  /** In batches of 25, a few in flight at a time: DynamoDB Local takes them faster than one by one. */
  async function writeAll(items: readonly Record<string, unknown>[]) {
    const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, batch) =>
      items.slice(batch * 25, batch * 25 + 25),
    );
    for (let start = 0; start < batches.length; start += 8) {
      await Promise.all(
        batches.slice(start, start + 8).map(async (batch) => {
          let pending = batch.map((Item) => ({ PutRequest: { Item } }));
          while (pending.length > 0) {
            const result = await client().send(
              new BatchWriteCommand({ RequestItems: { [table.tableName]: pending } }),
            );
            pending = (result.UnprocessedItems?.[table.tableName] ?? []) as typeof pending;
          }
        }),
      );
    }
  }

  // Consultation c2, read and never changed by the tests below, so written once: three old comments
  // on each of a section's 40 blocks, then more newer comments on one other block than a section reads.
  const sectionBlocks = Array.from({ length: 40 }, (_, index) => `S${index}`);
  const onSection = sectionBlocks.flatMap((blockId, index) =>
    [0, 1, 2].map((round) => topLevel('c2', round * 40 + index, blockId)),
  );
  const elsewhere = Array.from({ length: MAX_SECTION_READ + 100 }, (_, n) =>
    topLevel('c2', 1_000 + n, 'OTHER'),
  );

  beforeAll(async () => {
    table = await createTestTable('consultations');
    await writeAll([...onSection, ...elsewhere]);
  });

  it("reads at most MAX_SECTION_READ of a section's comments, the newest", async () => {
    const read = await store().commentsOn(COMMUNITY, 'c2', { whole: false, blockIds: ['OTHER'] });

    expect(read).toHaveLength(MAX_SECTION_READ);
    expect(read[0]?.id).toBe(`C2${String(1_000 + MAX_SECTION_READ + 99).padStart(6, '0')}`);
    expect(read.at(-1)?.id).toBe(`C2${String(1_000 + 100).padStart(6, '0')}`);
  });

  it('lists every comment of a section of many blocks, newest first, however many newer comments the consultation has elsewhere', async () => {
    const read = await store().commentsOn(COMMUNITY, 'c2', { whole: false, blockIds: sectionBlocks });

    expect(read.map((comment) => comment.id)).toEqual(
      onSection
        .map((item) => item.id as string)
        .sort()
        .reverse(),
    );
  });

  it('pages a consultation-wide list on when a query stops at 1 MB before the page is full', async () => {
    // About 20 KB a comment (4-byte characters): a query stops at 1 MB, about 50 of them.
    const long = '😀'.repeat(4_999);
    const items = Array.from({ length: 160 }, (_, n) => topLevel('c3', n, 'P1', `${long}${n % 10}`));
    await writeAll(items);

    const seen: string[] = [];
    let after: string | undefined;
    let more = true;
    let pages = 0;
    while (more) {
      const page = await store().topLevelComments(COMMUNITY, 'c3', 'newest', 100, after);
      seen.push(...page.items.map((entry) => entry.comment.id));
      after = page.items.at(-1)?.key;
      more = page.more;
      pages += 1;
      if (pages > 10) throw new Error('paging does not end');
    }

    expect(pages).toBeGreaterThan(2);
    expect(seen).toEqual(
      items
        .map((item) => item.id as string)
        .sort()
        .reverse(),
    );
  });
});
