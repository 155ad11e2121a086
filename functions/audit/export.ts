import { type AuditEntry, auditLine } from '../../domain/audit/chain';
import { EXPORT_LIMIT_BYTES } from '../shared/export-pages';

/** The audit export's parts follow the one convention of every export (see `functions/shared/export-pages.ts`). */
export { EXPORT_LIMIT_BYTES };

/** One part of an export: whole lines, and where to go on from when the chain did not fit. */
export interface ExportPart {
  /** The canonical JSON of each entry, newline-terminated, in seq order. */
  readonly body: string;
  readonly entries: number;
  readonly firstSeq?: number;
  readonly lastSeq?: number;
  /** Present when entries are left: ask again with `?from=` this. */
  readonly nextFrom?: number;
}

/**
 * Reads `entries` into JSON lines until the next line would take the body past
 * `limitBytes`; it stops reading there. At least one entry is always taken, so
 * that an export always moves on.
 * @example const part = await exportPart(store.entriesFrom('demo', 1));
 */
export async function exportPart(
  entries: AsyncIterable<AuditEntry>,
  limitBytes = EXPORT_LIMIT_BYTES,
): Promise<ExportPart> {
  const lines: string[] = [];
  let bytes = 0;
  let firstSeq: number | undefined;
  let lastSeq: number | undefined;
  for await (const entry of entries) {
    const line = `${auditLine(entry)}\n`;
    const size = Buffer.byteLength(line, 'utf8');
    if (lines.length > 0 && bytes + size > limitBytes) {
      return { body: lines.join(''), entries: lines.length, firstSeq, lastSeq, nextFrom: entry.seq };
    }
    lines.push(line);
    bytes += size;
    firstSeq ??= entry.seq;
    lastSeq = entry.seq;
  }
  return { body: lines.join(''), entries: lines.length, firstSeq, lastSeq };
}
