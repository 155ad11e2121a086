import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../domain/audit/canonical';
import { AuditAction, type AuditIntent } from '../../../domain/audit/intent';
import { auditIntentPut } from '../../../functions/audit/intents';
import { documentClient } from '../../../functions/shared/dynamo';
import { ulidGenerator } from '../../../functions/shared/ids';
import { Entity } from '../../../functions/shared/keys';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);
const ids = ulidGenerator();

let api: TestRuntime;
let folder: string;
let adminToken: string;
let councilToken: string;
let moderatorToken: string;
let residentToken: string;
/** Entries the demo data's own staff actions made before this file's: its entries follow them. */
let seeded: number;

/** `npx hromada audit verify FILE` as a child process, with the project's Node: its output and exit code. */
async function verifyFile(path: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      'node_modules/.bin/node',
      ['bin/hromada.mjs', 'audit', 'verify', path],
      {
        cwd: REPO_ROOT,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const linesOf = (body: string) => body.split('\n').filter((line) => line !== '');

/**
 * Staff actions as the tools will record them (the wiring comes with each
 * tool): each intent in a transaction with a state change, then the stream
 * appends them.
 */
async function recordActions(count: number): Promise<AuditIntent[]> {
  const client = documentClient({ dynamoEndpoint: api.table.endpoint, region: api.table.region });
  const intents = Array.from(
    { length: count },
    (_, index): AuditIntent => ({
      id: ids.next(),
      communityId: 'demo',
      actor: {
        subject: index % 2 ? 'moderator-1' : 'council-1',
        roles: [index % 2 ? 'moderator' : 'council'],
      },
      action: index % 2 ? AuditAction.moderationDecide : AuditAction.communitySettingsUpdate,
      target: index % 2 ? `petition/${ids.next()}` : 'community/demo',
      at: new Date(Date.UTC(2026, 4, 1, 9, index)).toISOString(),
      before: { reportsBeforeHide: index },
      after: { reportsBeforeHide: index + 1, note: 'Рішення «ради»' },
    }),
  );
  for (const intent of intents) {
    await client.send(
      new TransactWriteCommand({ TransactItems: [auditIntentPut(api.table.tableName, intent)] }),
    );
  }
  await api.runtime.drain();
  return intents;
}

beforeAll(async () => {
  api = await startTestRuntime();
  folder = mkdtempSync(join(tmpdir(), 'hromada-audit-'));
  adminToken = await api.token({ sub: 'admin' });
  councilToken = await api.token({ sub: 'council-1', community: 'demo', district: 'd1' });
  moderatorToken = await api.token({ sub: 'moderator-1', community: 'demo' });
  residentToken = await api.token({
    sub: 'resident-1',
    community: 'demo',
    district: 'd1',
    birthdate: '1990-01-01',
  });
  await api.runtime.drain();
  seeded =
    (await jsonOf(await api.call('/v1/communities/demo/audit?limit=1', { token: councilToken }))).head?.seq ??
    0;
  await recordActions(5);
});

afterAll(async () => {
  await api.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('reading the audit trail', () => {
  it('gives the council the entries in seq order, with the head of the chain', async () => {
    const response = await api.call(`/v1/communities/demo/audit?from=${seeded + 1}&limit=3`, {
      token: councilToken,
    });
    const body = await jsonOf(response);

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(body.items.map((entry: { seq: number }) => entry.seq)).toEqual([
      seeded + 1,
      seeded + 2,
      seeded + 3,
    ]);
    expect(body.items[0]).toMatchObject({
      communityId: 'demo',
      actor: { subject: 'council-1', roles: ['council'] },
      action: 'community.settings.update',
      target: 'community/demo',
      before: { reportsBeforeHide: 0 },
      after: { reportsBeforeHide: 1, note: 'Рішення «ради»' },
      previousHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(body.items[1].previousHash).toBe(body.items[0].hash);
    expect(body.head.seq).toBeGreaterThanOrEqual(seeded + 5);

    const next = await jsonOf(
      await api.call(`/v1/communities/demo/audit?limit=3&cursor=${body.cursor}`, { token: councilToken }),
    );
    expect(next.items[0].seq).toBe(seeded + 4);
    expect(next.items[0].previousHash).toBe(body.items[2].hash);
  });

  it('starts at `from`', async () => {
    const body = await jsonOf(
      await api.call(`/v1/communities/demo/audit?from=${seeded + 4}&limit=2`, { token: councilToken }),
    );

    expect(body.items.map((entry: { seq: number }) => entry.seq)).toEqual([seeded + 4, seeded + 5]);
  });

  it('starts at the first entry by default', async () => {
    const body = await jsonOf(await api.call('/v1/communities/demo/audit?limit=1', { token: councilToken }));

    expect(body.items[0]).toMatchObject({ seq: 1, previousHash: '0'.repeat(64) });
  });

  it.each([
    ['from=0', 'validation_failed', '/query/from'],
    ['cursor=bm90LWEta2V5', 'invalid_cursor', '/query/cursor'],
  ])('answers ?%s with 400 %s', async (query, code, pointer) => {
    const response = await api.call(`/v1/communities/demo/audit?${query}`, { token: councilToken });

    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ code, errors: [expect.objectContaining({ pointer })] });
  });

  it('refuses a cursor of another list, even one of this community', async () => {
    const members = await jsonOf(
      await api.call('/v1/communities/demo/members?limit=1', { token: councilToken }),
    );

    const response = await api.call(`/v1/communities/demo/audit?cursor=${members.cursor}`, {
      token: councilToken,
    });

    expect(response.status).toBe(400);
    expect((await jsonOf(response)).code).toBe('invalid_cursor');
  });
});

describe('exporting the audit trail', () => {
  it('exports canonical JSON lines that `hromada audit verify` accepts, and records the export itself', async () => {
    const response = await api.call('/v1/communities/demo/audit/export', { token: councilToken });
    const body = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="audit-demo-from-1.jsonl"',
    );
    expect(response.headers.get('x-audit-next-from')).toBeNull();
    const lines = linesOf(body);
    expect(body.endsWith('\n')).toBe(true);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) expect(canonicalJson(JSON.parse(line))).toBe(line);
    const last = JSON.parse(lines.at(-1) as string);

    const file = join(folder, 'audit.jsonl');
    writeFileSync(file, body);
    expect(await verifyFile(file)).toEqual({
      code: 0,
      stdout: `OK: ${lines.length} entries, seq 1..${last.seq}, head ${last.hash}\n`,
      stderr: '',
    });

    await api.runtime.drain();
    const after = await jsonOf(
      await api.call(`/v1/communities/demo/audit?from=${last.seq + 1}`, { token: councilToken }),
    );
    expect(after.items).toEqual([
      expect.objectContaining({
        seq: last.seq + 1,
        action: 'audit.export',
        actor: { subject: 'council-1', roles: ['council'] },
        target: 'community/demo',
        after: { from: 1, entries: lines.length, lastSeq: last.seq },
        previousHash: last.hash,
      }),
    ]);
  });

  it('makes `hromada audit verify` name the line in which one character was changed', async () => {
    const body = await (await api.call('/v1/communities/demo/audit/export', { token: councilToken })).text();
    const lines = linesOf(body);
    // The third recorded action (before 2, after 3) is on line seeded + 3, at index seeded + 2.
    const target = seeded + 2;
    const line = lines[target] as string;
    lines[target] = line.replace('"reportsBeforeHide":3', '"reportsBeforeHide":8');
    expect(lines[target]).not.toBe(line);
    const file = join(folder, 'tampered.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);

    const result = await verifyFile(file);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `BROKEN at line ${target + 1} (seq ${target + 1}): hash does not match the entry's content: the entry was changed\n`,
    );
  });

  it('exports from `from`, and that part verifies on its own', async () => {
    const from = seeded + 3;
    const response = await api.call(`/v1/communities/demo/audit/export?from=${from}`, {
      token: councilToken,
    });
    const body = await response.text();
    const file = join(folder, 'from-3.jsonl');
    writeFileSync(file, body);

    expect(JSON.parse(linesOf(body)[0] as string).seq).toBe(from);
    expect(response.headers.get('content-disposition')).toContain(`audit-demo-from-${from}.jsonl`);
    expect((await verifyFile(file)).stdout).toMatch(
      new RegExp(`^OK: \\d+ entries, seq ${from}\\.\\.\\d+, head [0-9a-f]{64}\\n$`),
    );
  });
});

describe('who may read the audit trail', () => {
  const intentsInTable = async () =>
    (await api.settledItems()).filter((item) => item.entity === Entity.auditIntent);

  it.each([
    ['a resident', () => residentToken],
    ['a moderator', () => moderatorToken],
  ])('refuses %s with 403 naming the council, and records no export', async (_who, token) => {
    const before = await intentsInTable();
    for (const path of ['/v1/communities/demo/audit', '/v1/communities/demo/audit/export']) {
      const response = await api.call(path, { token: token(), headers: { 'accept-language': 'en' } });

      expect(response.status, path).toBe(403);
      expect(await jsonOf(response)).toMatchObject({ code: 'forbidden', required: 'council' });
    }
    expect(await intentsInTable()).toHaveLength(before.length);
  });

  it('refuses the council of another community, and answers 404 for a community that does not exist', async () => {
    const created = await api.call('/v1/communities', {
      method: 'POST',
      token: adminToken,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'other',
        settings: { names: { uk: 'Інша', en: 'Other' } },
        council: [{ subject: 'council-b' }],
      }),
    });
    expect(created.status).toBe(201);
    const otherCouncil = await api.token({ sub: 'council-b', community: 'other' });

    for (const path of ['/v1/communities/demo/audit', '/v1/communities/demo/audit/export']) {
      expect((await api.call(path, { token: otherCouncil })).status, path).toBe(403);
    }
    expect((await api.call('/v1/communities/other/audit', { token: councilToken })).status).toBe(403);
    expect((await api.call('/v1/communities/other/audit', { token: otherCouncil })).status).toBe(200);
    const missing = await api.call('/v1/communities/nowhere/audit', { token: councilToken });
    expect(missing.status).toBe(404);
    expect((await jsonOf(missing)).code).toBe('community_not_found');
  });

  it('answers 401 without a token', async () => {
    expect((await api.call('/v1/communities/demo/audit/export')).status).toBe(401);
  });
});
