import { describe, expect, it } from 'vitest';
import { type AuditEntry, auditLine, chainEntry, EMPTY_HEAD } from '../../../domain/audit/chain';
import { AuditAction } from '../../../domain/audit/intent';
import { ulidGenerator } from '../../../functions/shared/ids';
import { runHromada } from '../../../infra/cli/hromada';

const ids = ulidGenerator();

const ENTRIES: AuditEntry[] = [];
for (let index = 0; index < 4; index++) {
  ENTRIES.push(
    chainEntry(ENTRIES.at(-1) ?? EMPTY_HEAD, {
      id: ids.next(),
      communityId: 'demo',
      actor: { subject: 'council-1', roles: ['council'] },
      action: AuditAction.communitySettingsUpdate,
      target: 'community/demo',
      at: `2026-05-0${index + 1}T09:00:00.000Z`,
      after: { reportsBeforeHide: index },
    }),
  );
}
const FILE = `${ENTRIES.map(auditLine).join('\n')}\n`;

/** Runs the command line on files held in memory; what it printed and its exit code. */
async function run(args: string[], files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runHromada(args, {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return content;
    },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('hromada audit verify', () => {
  it('prints OK with the count, the seq range and the head, and exits 0', async () => {
    const result = await run(['audit', 'verify', 'audit.jsonl'], { 'audit.jsonl': FILE });

    expect(result).toEqual({
      code: 0,
      stdout: `OK: 4 entries, seq 1..4, head ${ENTRIES[3]?.hash}\n`,
      stderr: '',
    });
  });

  it('reads a file saved with CRLF line ends or without a final newline', async () => {
    const crlf = await run(['audit', 'verify', 'a.jsonl'], { 'a.jsonl': FILE.replaceAll('\n', '\r\n') });
    const bare = await run(['audit', 'verify', 'b.jsonl'], { 'b.jsonl': FILE.trimEnd() });

    expect(crlf.code).toBe(0);
    expect(bare.code).toBe(0);
  });

  it('prints the first broken line with its seq and exits 1', async () => {
    const lines = FILE.split('\n');
    lines[2] = (lines[2] as string).replace('"reportsBeforeHide":2', '"reportsBeforeHide":7');

    const result = await run(['audit', 'verify', 'audit.jsonl'], { 'audit.jsonl': lines.join('\n') });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      "BROKEN at line 3 (seq 3): hash does not match the entry's content: the entry was changed\n",
    );
  });

  it('leaves the seq out when the broken line has none to read', async () => {
    const result = await run(['audit', 'verify', 'a.jsonl'], { 'a.jsonl': `${FILE}not json\n` });

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^BROKEN at line 5: not JSON/);
  });

  it.each([
    ['no arguments', []],
    ['an unknown command', ['audit', 'check', 'a.jsonl']],
    ['no file', ['audit', 'verify']],
    ['two files', ['audit', 'verify', 'a.jsonl', 'b.jsonl']],
  ])('answers %s with the usage and exit code 2', async (_case, args) => {
    const result = await run(args);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: npx hromada <command>');
    expect(result.stdout).toBe('');
  });

  it('exits 2 for a file it cannot read, and for one without entries', async () => {
    const missing = await run(['audit', 'verify', 'missing.jsonl']);
    const empty = await run(['audit', 'verify', 'empty.jsonl'], { 'empty.jsonl': '' });

    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('Cannot read missing.jsonl') });
    expect(empty).toMatchObject({ code: 2, stderr: expect.stringContaining('holds no entries') });
  });

  it('prints the usage on --help and exits 0', async () => {
    const result = await run(['--help']);

    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('audit verify FILE.jsonl') });
  });
});
