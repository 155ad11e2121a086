import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../domain/audit/canonical';
import {
  type AuditEntry,
  auditLine,
  chainEntry,
  EMPTY_HEAD,
  GENESIS_HASH,
  verifyChain,
} from '../../../domain/audit/chain';
import { AuditAction, type AuditIntent } from '../../../domain/audit/intent';
import { ulidGenerator } from '../../../functions/shared/ids';

const ids = ulidGenerator();

/** Intents with the kinds of content entries hold: nested summaries, lists, non-ASCII, escapes. */
const INTENTS: AuditIntent[] = [
  {
    id: ids.next(),
    communityId: 'demo',
    actor: { subject: 'council-1', roles: ['council'] },
    action: AuditAction.communitySettingsUpdate,
    target: 'community/demo',
    at: '2026-05-01T10:00:00.000Z',
    before: { reportsBeforeHide: 3, names: { uk: 'Громада', en: 'Hromada' } },
    after: { reportsBeforeHide: 5, names: { uk: 'Громада «Нова»', en: 'New "Hromada"' } },
  },
  {
    id: ids.next(),
    communityId: 'demo',
    actor: { subject: 'council-1', roles: ['council'] },
    action: AuditAction.communityMemberSet,
    target: 'member/moderator-1',
    at: '2026-05-01T10:05:00.000Z',
    before: { roles: [] },
    after: { roles: ['moderator'] },
  },
  {
    id: ids.next(),
    communityId: 'demo',
    actor: { subject: 'moderator-1', roles: ['moderator'] },
    action: AuditAction.moderationDecide,
    target: 'petition/01JZ0000000000000000000000',
    at: '2026-05-02T08:30:00.000Z',
    before: { state: 'in_moderation' },
    after: { state: 'rejected', reasonCode: 'offensive', note: 'line\nbreak\ttab \\ slash' },
  },
  {
    id: ids.next(),
    communityId: 'demo',
    actor: { subject: 'council-1', roles: ['council', 'moderator'] },
    action: AuditAction.petitionAnswer,
    target: 'petition/01JZ0000000000000000000001',
    at: '2026-05-03T12:00:00.000Z',
    after: { answered: true },
  },
  {
    id: ids.next(),
    communityId: 'demo',
    actor: { subject: 'council-1', roles: ['council'] },
    action: AuditAction.petitionOfflineSignatures,
    target: 'petition/01JZ0000000000000000000001',
    at: '2026-05-03T12:10:00.000Z',
    before: { offlineSignatureCount: 0 },
    after: { offlineSignatureCount: 120 },
  },
  {
    id: ids.next(),
    communityId: 'demo',
    actor: { subject: 'council-1', roles: ['council'] },
    action: AuditAction.auditExport,
    target: 'community/demo',
    at: '2026-05-04T09:00:00.000Z',
    after: { from: 1, entries: 5, lastSeq: 5 },
  },
];

function chainOf(intents: readonly AuditIntent[]): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const intent of intents) entries.push(chainEntry(entries.at(-1) ?? EMPTY_HEAD, intent));
  return entries;
}

const ENTRIES = chainOf(INTENTS);
const LINES = ENTRIES.map(auditLine);

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Another character for position `index` of `line`: a hex digit for a hex digit, else something else. */
function substitutes(character: string): string[] {
  const hex = '0123456789abcdef';
  const similar = hex.includes(character)
    ? (hex[(hex.indexOf(character) + 1) % 16] as string)
    : /[a-z]/i.test(character)
      ? character === 'z'
        ? 'y'
        : String.fromCharCode(character.charCodeAt(0) + 1)
      : character === 'x'
        ? 'y'
        : 'x';
  const wild = character === ' ' ? '_' : ' ';
  return [similar, wild];
}

const withLine = (lines: readonly string[], index: number, line: string) =>
  lines.map((candidate, at) => (at === index ? line : candidate));

describe('chainEntry', () => {
  it('starts a chain at seq 1 after the genesis hash and links each entry to the one before', () => {
    expect(ENTRIES.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ENTRIES[0]?.previousHash).toBe(GENESIS_HASH);
    for (const [index, entry] of ENTRIES.entries()) {
      if (index > 0) expect(entry.previousHash).toBe(ENTRIES[index - 1]?.hash);
      expect(entry.intentId).toBe(INTENTS[index]?.id);
    }
  });

  it('hashes sha256(previousHash + canonical JSON of the entry without its hash), in hex', () => {
    const [first] = ENTRIES as [AuditEntry];
    const { hash, ...unsealed } = first;

    expect(hash).toBe(sha256(GENESIS_HASH + canonicalJson(unsealed)));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records what the intent says and nothing undefined', () => {
    const entry = chainEntry({ seq: 41, hash: 'a'.repeat(64) }, { ...INTENTS[3]!, before: undefined });

    expect(entry).toEqual({
      seq: 42,
      intentId: INTENTS[3]?.id,
      communityId: 'demo',
      actor: { subject: 'council-1', roles: ['council', 'moderator'] },
      action: 'petition.answer',
      target: 'petition/01JZ0000000000000000000001',
      at: '2026-05-03T12:00:00.000Z',
      after: { answered: true },
      previousHash: 'a'.repeat(64),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(Object.keys(entry)).not.toContain('before');
  });
});

describe('verifyChain', () => {
  it('verifies an untouched chain and hands back its entries', () => {
    const result = verifyChain(LINES);

    expect(result).toEqual({ ok: true, entries: ENTRIES });
  });

  it('verifies an export that starts in the middle of the chain (`from`)', () => {
    const result = verifyChain(LINES.slice(2));

    expect(result.ok).toBe(true);
    expect(result.ok && result.entries.map((entry) => entry.seq)).toEqual([3, 4, 5, 6]);
  });

  it('names exactly the changed line, for every character of every line', () => {
    let checked = 0;
    for (const [index, line] of LINES.entries()) {
      for (let position = 0; position < line.length; position++) {
        for (const replacement of substitutes(line[position] as string)) {
          const edited = line.slice(0, position) + replacement + line.slice(position + 1);
          const result = verifyChain(withLine(LINES, index, edited));
          expect(result.ok, `line ${index + 1}, position ${position}, ${replacement}`).toBe(false);
          expect(result.ok ? undefined : result.line, `line ${index + 1}, position ${position}`).toBe(
            index + 1,
          );
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(2 * LINES.join('').length - 1);
  });

  it('names the next line when a line is replaced whole by a resealed entry (its link breaks)', () => {
    const forged = chainEntry(
      { seq: ENTRIES[1]!.seq, hash: ENTRIES[1]!.hash },
      { ...INTENTS[2]!, after: { state: 'open' } },
    );

    const result = verifyChain(withLine(LINES, 2, auditLine(forged)));

    expect(result).toEqual({
      ok: false,
      line: 4,
      seq: 4,
      reason: 'previousHash is not the hash of line 3',
    });
  });

  it.each([
    [1, 2],
    [2, 2],
    [3, 3],
    [5, 5],
  ])('catches lines %i and %i+1 swapped, at line %i', (first, brokenAt) => {
    const lines = [...LINES];
    [lines[first - 1], lines[first]] = [lines[first] as string, lines[first - 1] as string];

    const result = verifyChain(lines);

    expect(result.ok ? undefined : result.line).toBe(brokenAt);
    expect(result.ok ? '' : result.reason).toMatch(/expected|previousHash/);
  });

  it.each([2, 3, 4, 5])('catches line %i removed, at the line that took its place', (removed) => {
    const result = verifyChain(LINES.filter((_, index) => index !== removed - 1));

    expect(result).toMatchObject({ ok: false, line: removed, seq: removed + 1 });
    expect(result.ok ? '' : result.reason).toContain(`follows seq ${removed - 1}; expected ${removed}`);
  });

  it.each([1, 3, 6])('catches line %i repeated, at the copy', (repeated) => {
    const lines = [...LINES.slice(0, repeated), LINES[repeated - 1] as string, ...LINES.slice(repeated)];

    const result = verifyChain(lines);

    expect(result).toMatchObject({ ok: false, line: repeated + 1, seq: repeated });
  });

  it('reads a chain cut at either end as the shorter chain it is: the seq range and head tell', () => {
    const withoutFirst = verifyChain(LINES.slice(1));
    const withoutLast = verifyChain(LINES.slice(0, -1));

    expect(withoutFirst.ok && withoutFirst.entries[0]?.seq).toBe(2);
    expect(withoutLast.ok && withoutLast.entries.at(-1)?.hash).toBe(ENTRIES[4]?.hash);
  });

  const second = ENTRIES[1] as AuditEntry;
  it.each([
    ['an empty line', () => '', 'the line is empty'],
    ['a line that is not JSON', () => '{"seq":', 'not JSON'],
    ['JSON that is not an entry', () => '{"seq":2}', 'not an audit entry'],
    [
      'a bad hash field',
      () => auditLine({ ...second, hash: 'X'.repeat(64) }),
      'hash must be 64 lower-case hex digits',
    ],
    [
      'members out of order',
      () => `{"seq":2,${(LINES[1] as string).slice(1).replace(',"seq":2', '')}`,
      'not in canonical JSON form',
    ],
    [
      'spaces added',
      () => JSON.stringify(second, null, 1).replaceAll('\n', ''),
      'not in canonical JSON form',
    ],
  ])('explains %s', (_kind, line, reason) => {
    const result = verifyChain(withLine(LINES, 1, line()));

    expect(result).toMatchObject({ ok: false, line: 2 });
    expect(result.ok ? '' : result.reason).toContain(reason);
  });

  it('reports no entries as nothing verified', () => {
    expect(verifyChain([])).toEqual({ ok: false, line: 1, reason: 'there are no entries to verify' });
  });
});
