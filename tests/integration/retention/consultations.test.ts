import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditAction, type AuditIntent } from '../../../domain/audit/intent';
import { type Comment, CommentState } from '../../../domain/consultations/comment';
import { type Consultation, ConsultationPhase } from '../../../domain/consultations/consultation';
import { itemIdOf, ModerationType } from '../../../domain/moderation/item';
import { PSEUDONYM_PREFIX, pseudonymsFor } from '../../../functions/consultations/export';
import { commentToItem } from '../../../functions/consultations/items';
import { dynamoConsultationStore } from '../../../functions/consultations/store';
import { eraseExpiredPersonalData } from '../../../functions/retention/job';
import { documentClient } from '../../../functions/shared/dynamo';
import { ulidGenerator } from '../../../functions/shared/ids';
import { Entity, keys } from '../../../functions/shared/keys';
import { communityToItem } from '../../../functions/shared/tenancy';
import { communityAt, fixedClock } from '../../support/actors';
import { createTestTable, type TestTable } from '../../support/table';

const COMMUNITY = 'retention';
const ID = 'c1';
const PUBLISHED_AT = '2026-07-01T00:00:00.000Z';
/** 180 days (the default retention) after PUBLISHED_AT. */
const DUE_AT = '2026-12-28T00:00:00.000Z';
const AUTHORS = ['a'.repeat(64), 'b'.repeat(64)];
const RESPONDENTS = ['0c'.repeat(32), '7d'.repeat(32), 'fe'.repeat(32)];

let table: TestTable;
const client = () => documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
const store = () => dynamoConsultationStore(client(), table.tableName);
const put = (Item: Record<string, unknown>) =>
  client().send(new PutCommand({ TableName: table.tableName, Item }));
const audit = (action: AuditIntent['action']): AuditIntent => ({
  id: ulidGenerator().next(),
  communityId: COMMUNITY,
  actor: { subject: 'council', roles: ['council'] },
  action,
  target: `consultation/${ID}`,
  at: '2026-04-01T00:00:00.000Z',
});

const closed: Consultation = {
  id: ID,
  communityId: COMMUNITY,
  title: 'A consultation',
  summary: 'On something.',
  ownerDepartment: 'A department',
  opensAt: '2026-05-01T00:00:00.000Z',
  closesAt: '2026-06-01T00:00:00.000Z',
  phase: ConsultationPhase.closed,
  currentVersion: 1,
  versions: [],
  createdBy: 'council',
  createdAt: '2026-04-01T00:00:00.000Z',
  revision: 3,
};

const comment = (id: string, authorKey: string): Comment => ({
  id,
  communityId: COMMUNITY,
  consultationId: ID,
  target: { kind: 'whole' },
  draftVersion: 1,
  threadId: id,
  depth: 1,
  stance: 'for',
  text: `Comment ${id}.`,
  state: CommentState.visible,
  authorKey,
  createdAt: '2026-05-01T09:00:00.000Z',
  revision: 1,
});

/** A closed consultation with survey responses, the survey tally's counter and receipt, comments with a vote receipt, a queued comment with a report. */
async function consultationWithInput(): Promise<void> {
  await store().create(
    { consultation: closed, draft: { version: 1, blocks: [], retired: {} } },
    [],
    audit(AuditAction.consultationCreate),
  );
  for (const respondentKey of RESPONDENTS) {
    await store().submitResponse({
      communityId: COMMUNITY,
      consultationId: ID,
      respondentKey,
      answers: { q1: 'bus' },
      submittedAt: '2026-05-02T10:00:00.000Z',
    });
  }
  await put({
    ...keys.surveyCounter(COMMUNITY, ID, undefined, 0),
    entity: Entity.surveyCounter,
    page: 0,
    respondents: 3,
  });
  await put({
    ...keys.surveyCountReceipt(COMMUNITY, ID, undefined, 0, '2026-05-02T10:00:00'),
    entity: Entity.surveyCountReceipt,
    changes: new Set(RESPONDENTS.map((key) => `${key.slice(0, 20)}.1`)),
  });
  await put(commentToItem(comment('K1', AUTHORS[0] as string)));
  await put(commentToItem(comment('K2', AUTHORS[1] as string)));
  await put(commentToItem(comment('K3', AUTHORS[0] as string)));
  for (const voterKey of RESPONDENTS) {
    expect(
      await store().vote({
        communityId: COMMUNITY,
        consultationId: ID,
        commentId: 'K1',
        voterKey,
        value: 'up',
        votedAt: '2026-05-03T10:00:00.000Z',
      }),
    ).toBe('cast');
  }
  await put({
    ...keys.commentVoteReceipt(COMMUNITY, 'K1', '2026-05-03T10:00:00'),
    entity: Entity.commentVoteReceipt,
    changes: new Set(['0123456789abcdef0123.1']),
  });
  const itemId = itemIdOf(ModerationType.comment, 'K2');
  await put({
    ...keys.moderationItem(COMMUNITY, itemId),
    ...keys.moderationByAuthorIndex(COMMUNITY, AUTHORS[1] as string, '2026-05-01T09:00:00.000Z', itemId),
    entity: Entity.moderationItem,
    id: itemId,
    authorKey: AUTHORS[1],
  });
  await put({ ...keys.moderationReport(COMMUNITY, itemId, 'e'.repeat(64)), entity: Entity.moderationReport });
  const published = {
    ...closed,
    phase: ConsultationPhase.report_published,
    reportPublishedAt: PUBLISHED_AT,
    revision: 4,
  };
  const report = {
    communityId: COMMUNITY,
    consultationId: ID,
    draftVersion: 1,
    sections: [],
    publishedAt: PUBLISHED_AT,
    publishedBy: 'council',
  };
  expect(
    await store().saveReport(
      closed,
      { consultation: published, report },
      [],
      audit(AuditAction.consultationReportPublish),
    ),
  ).toBe('saved');
}

const run = (at: string) =>
  eraseExpiredPersonalData(client(), table.tableName, fixedClock(at), ulidGenerator());

beforeAll(() => vi.stubEnv('LOG_LEVEL', 'silent'));
afterAll(() => vi.unstubAllEnvs());

beforeEach(async () => {
  table = await createTestTable('retention-consultations');
  await put(communityToItem(communityAt('2026-01-01T00:00:00.000Z', {}, COMMUNITY)));
});

describe('the retention job on consultations', () => {
  it('erases responses, votes, receipts and reports, keeps the tally, and leaves comments under their export pseudonyms only', async () => {
    await consultationWithInput();
    const pseudonym = pseudonymsFor(ID);

    expect((await run('2026-12-27T00:00:00.000Z')).anonymised).toBe(0);
    expect(await run(DUE_AT)).toEqual({ anonymised: 1, notYetDue: 0, dropped: 0, failed: 0 });

    const items = await table.scanAll();
    const ofEntity = (entity: string) => items.filter((item) => item.entity === entity);
    expect(ofEntity(Entity.surveyResponse)).toEqual([]);
    expect(ofEntity(Entity.commentVote)).toEqual([]);
    expect(ofEntity(Entity.surveyCountReceipt)).toEqual([]);
    expect(ofEntity(Entity.commentVoteReceipt)).toEqual([]);
    expect(ofEntity(Entity.moderationReport)).toEqual([]);
    expect(ofEntity(Entity.surveyCounter)).toHaveLength(1);
    expect(Object.fromEntries(ofEntity(Entity.comment).map((item) => [item.id, item.authorKey]))).toEqual({
      K1: `${PSEUDONYM_PREFIX}${pseudonym(AUTHORS[0] as string)}`,
      K2: `${PSEUDONYM_PREFIX}${pseudonym(AUTHORS[1] as string)}`,
      K3: `${PSEUDONYM_PREFIX}${pseudonym(AUTHORS[0] as string)}`,
    });
    // The export shows the same pseudonym as before the erasure.
    expect(pseudonym(`${PSEUDONYM_PREFIX}${pseudonym(AUTHORS[0] as string)}`)).toBe(
      pseudonym(AUTHORS[0] as string),
    );
    const [moderation] = ofEntity(Entity.moderationItem);
    expect(moderation).toMatchObject({
      authorKey: `${PSEUDONYM_PREFIX}${pseudonym(AUTHORS[1] as string)}`,
      GSI2PK: keys.moderationByAuthor(COMMUNITY, `${PSEUDONYM_PREFIX}${pseudonym(AUTHORS[1] as string)}`)
        .GSI2PK,
    });
    // No item names an author or a respondent any more.
    const text = JSON.stringify(items, (_key, value) => (value instanceof Set ? [...value] : value));
    for (const key of [...AUTHORS, ...RESPONDENTS]) expect(text).not.toContain(key);
    expect(await store().get(COMMUNITY, ID)).toMatchObject({
      phase: ConsultationPhase.report_published,
      anonymised: {
        at: DUE_AT,
        erased: { responses: 3, votes: 3, surveyReceipts: 1, voteReceipts: 1, reports: 1, commentAuthors: 3 },
      },
    });
    expect(
      ofEntity(Entity.auditIntent)
        .map((item) => item.intent as AuditIntent)
        .filter((intent) => intent.action === AuditAction.consultationAnonymise),
    ).toEqual([
      expect.objectContaining({
        target: `consultation/${ID}`,
        before: { endedAt: PUBLISHED_AT, retentionDays: 180 },
      }),
    ]);

    expect(await run('2026-12-29T00:00:00.000Z')).toEqual({
      anonymised: 0,
      notYetDue: 0,
      dropped: 0,
      failed: 0,
    });
    expect(await table.scanAll()).toEqual(items);
  });
});
