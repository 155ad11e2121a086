import { describe, expect, it } from 'vitest';
import { type AuditEntry, auditLine, chainEntry, EMPTY_HEAD, verifyChain } from '../../../domain/audit/chain';
import { AuditAction } from '../../../domain/audit/intent';
import { EXPORT_LIMIT_BYTES, exportPart } from '../../../functions/audit/export';
import { ulidGenerator } from '../../../functions/shared/ids';

const ids = ulidGenerator();

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let index = 0; index < length; index++) {
    entries.push(
      chainEntry(entries.at(-1) ?? EMPTY_HEAD, {
        id: ids.next(),
        communityId: 'demo',
        actor: { subject: 'council-1', roles: ['council'] },
        action: AuditAction.auditExport,
        target: 'community/demo',
        at: '2026-05-04T09:00:00.000Z',
        after: { index, text: 'ї'.repeat(index) },
      }),
    );
  }
  return entries;
}

/** The entries as a store hands them out, counting how many were read. */
function reading(entries: readonly AuditEntry[]) {
  const read = { count: 0 };
  async function* iterate() {
    for (const entry of entries) {
      read.count++;
      yield entry;
    }
  }
  return { iterable: iterate(), read };
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('exportPart', () => {
  it('writes every entry as one canonical JSON line, in order, when the chain fits', async () => {
    const entries = chain(5);

    const part = await exportPart(reading(entries).iterable);

    expect(part).toEqual({
      body: entries.map((entry) => `${auditLine(entry)}\n`).join(''),
      entries: 5,
      firstSeq: 1,
      lastSeq: 5,
    });
    expect(EXPORT_LIMIT_BYTES).toBe(5 * 1024 * 1024);
  });

  it('ends at a whole line within the limit (counted in UTF-8 bytes) and says where to go on', async () => {
    const entries = chain(10);
    const firstFour = entries.slice(0, 4).map((entry) => `${auditLine(entry)}\n`);
    const limit = bytes(firstFour.join('')) + 1;
    const source = reading(entries);

    const part = await exportPart(source.iterable, limit);

    expect(part).toMatchObject({ entries: 4, firstSeq: 1, lastSeq: 4, nextFrom: 5 });
    expect(part.body).toBe(firstFour.join(''));
    expect(bytes(part.body)).toBeLessThanOrEqual(limit);
    expect(source.read.count).toBe(5);
  });

  it('gives parts that verify alone and together', async () => {
    const entries = chain(9);
    const parts: string[] = [];
    let from = 1;
    for (;;) {
      const part = await exportPart(reading(entries.slice(from - 1)).iterable, 900);
      parts.push(part.body);
      if (part.nextFrom === undefined) break;
      from = part.nextFrom;
    }
    const linesOf = (body: string) => body.split('\n').filter((line) => line !== '');

    expect(parts.length).toBeGreaterThan(2);
    for (const body of parts) expect(verifyChain(linesOf(body)).ok).toBe(true);
    const whole = verifyChain(linesOf(parts.join('')));
    expect(whole.ok && whole.entries.length).toBe(9);
  });

  it('takes one entry even when it alone exceeds the limit, so that an export always moves on', async () => {
    const part = await exportPart(reading(chain(3)).iterable, 10);

    expect(part).toMatchObject({ entries: 1, lastSeq: 1, nextFrom: 2 });
  });

  it('answers an empty body for an empty chain', async () => {
    expect(await exportPart(reading([]).iterable)).toEqual({
      body: '',
      entries: 0,
      firstSeq: undefined,
      lastSeq: undefined,
    });
  });
});
