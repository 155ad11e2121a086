import { beforeAll, describe, expect, it } from 'vitest';
import type { Appeal } from '../../../domain/appeals/appeal';
import type { SubmitAppealInput } from '../../../domain/appeals/commands/submit-appeal';
import { type Actor, Role } from '../../../domain/identity/actor';
import { decideItem } from '../../../domain/moderation/commands/decide-item';
import { dynamoAppealStore } from '../../../functions/appeals/store';
import { appealUseCases } from '../../../functions/appeals/use-cases';
import { dynamoModerationPort } from '../../../functions/moderation/ports';
import { moderationUseCases } from '../../../functions/moderation/use-cases';
import { documentClient, readItem } from '../../../functions/shared/dynamo';
import { keys } from '../../../functions/shared/keys';
import { actor, communityAt, contextFor } from '../../support/actors';
import { createTestTable, type TestTable } from '../../support/table';

// Issue reports against DynamoDB Local: the queue item is written with the registration, and a
// moderation decision with the report's change, each all or nothing.

let table: TestTable;
const settings = (issueReports: 'pre' | 'post') => ({
  moderation: { issueReports },
  appeals: {
    units: [{ id: 'roads', names: { uk: 'Дороги', en: 'Roads' }, head: { issuer: 'i', subject: 'head' } }],
    categories: [
      { id: 'lights', names: { uk: 'Світло', en: 'Lights' }, unitId: 'roads', kinds: ['issue_report'] },
    ],
  },
});
const pre = communityAt('2026-01-01T00:00:00.000Z', settings('pre'), 'ir-pre');
const post = communityAt('2026-01-01T00:00:00.000Z', settings('post'), 'ir-post');
const resident = (communityId: string): Actor =>
  actor({ subject: 'author', signerKey: 'a'.repeat(64), residency: { communityId } });
const moderator = actor({ subject: 'moderator', roles: new Set([Role.moderator]) });
const head = actor({ issuer: 'i', subject: 'head' });
const input: SubmitAppealInput = {
  kind: 'issue_report',
  categoryId: 'lights',
  title: 'Broken light',
  text: 'Out since Monday.',
  location: { lat: 50.45, lon: 30.52 },
};

function setUp() {
  const client = documentClient({ dynamoEndpoint: table.endpoint, region: table.region });
  const store = dynamoAppealStore(client, table.tableName);
  const port = dynamoModerationPort({ client, tableName: table.tableName });
  return { client, store, port, useCases: appealUseCases(store) };
}

async function registered(community = pre): Promise<Appeal> {
  const outcome = await setUp().useCases.submit(contextFor(resident(community.id)), community, input);
  if (!outcome.ok) throw new Error(outcome.error.code);
  return outcome.value;
}

beforeAll(async () => {
  table = await createTestTable('issue-reports');
});

describe('registration', () => {
  it('queues a pre-moderated report in the registration’s transaction', async () => {
    const { port } = setUp();
    const report = await registered();
    expect(await port.get(pre.id, `issue_report.${report.id}`)).toMatchObject({
      type: 'issue_report',
      subjectId: report.id,
      status: 'pending',
      title: 'Broken light',
      authorKey: report.authorKey,
      waitingSince: report.submittedAt,
      version: 1,
    });
  });

  it('writes neither the report nor its queue item when the registration loses the counter race', async () => {
    const { store, port } = setUp();
    const first = await registered();
    const year = first.number.slice(0, 4);
    const loser: Appeal = { ...first, id: '01JR00000000000000000LOSER', number: `${year}-000001` };
    expect(await store.register(loser, 0, [])).toBe('conflict');
    expect(await store.get(pre.id, loser.id)).toBeUndefined();
    expect(await port.get(pre.id, `issue_report.${loser.id}`)).toBeUndefined();
  });

  it('lists a post-moderated report publicly at once, and queues nothing', async () => {
    const { store, port } = setUp();
    const report = await registered(post);
    expect(await port.get(post.id, `issue_report.${report.id}`)).toBeUndefined();
    const listed = await store.published(post.id, 'issue_report', { limit: 10 });
    expect(listed.items.map((item) => item.id)).toEqual([report.id]);
  });
});

describe('a moderation decision', () => {
  it('publishes the report with the decision, and writes nothing when the report moved meanwhile', async () => {
    const { store, port, useCases } = setUp();
    const report = await registered();
    const itemId = `issue_report.${report.id}`;
    const context = contextFor(moderator);

    // The decision is built on the report as read; the unit starts it before the decision is saved.
    const item = await port.get(pre.id, itemId);
    if (!item) throw new Error('queued');
    const change = await port.decideSubject(context, pre, 'issue_report', report.id, { decision: 'approve' });
    if (!change.ok) throw new Error(change.error.code);
    expect((await useCases.start(contextFor(head), pre, report.id, {})).ok).toBe(true);
    const decided = decideItem(context, item, { decision: 'approve' });
    if (!decided.ok) throw new Error(decided.error.code);
    const saved = await port.saveDecision(
      item.version,
      decided.value,
      change.value,
      change.value.events,
      undefined,
    );
    expect(saved).toBe('conflict');
    expect((await port.get(pre.id, itemId))?.status).toBe('pending');
    expect((await store.get(pre.id, report.id))?.publication?.visibility).toBe('pending');

    // Through the centre's use case, the next try reads the report again and decides.
    const outcome = await moderationUseCases(port).decide(context, pre, itemId, { decision: 'approve' });
    expect(outcome.ok).toBe(true);
    const published = await store.get(pre.id, report.id);
    expect(published).toMatchObject({ status: 'in_progress', publication: { visibility: 'published' } });
    const listed = await store.published(pre.id, 'issue_report', { limit: 10 });
    expect(listed.items.map((listedItem) => listedItem.id)).toContain(report.id);
    const stored = await readItem(setUp().client, table.tableName, keys.appeal(pre.id, report.id));
    expect(stored?.GSI4SK).toBe(`${published?.publication?.publishedAt}#${report.id}`);
  });
});
