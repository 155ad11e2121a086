import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical';
import { type AuditIntent, AuditIntentSchema } from './intent';

/**
 * The hash chain of a community's audit trail. Each entry carries the hash of
 * the entry before it, and its own hash is
 * `sha256(previousHash + canonicalJson(entry without hash))` in hex: changing,
 * removing or reordering any entry breaks every link after it, and anyone
 * holding an export can recompute the whole chain.
 */

/** The `previousHash` of a community's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The end of a chain: its last sequence number and hash; `{ 0, GENESIS_HASH }` before the first entry. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

export const EMPTY_HEAD: AuditHead = { seq: 0, hash: GENESIS_HASH };

/** One link of the chain: an appended intent with its place and hashes. */
export interface AuditEntry extends Omit<AuditIntent, 'id'> {
  /** 1, 2, 3, … per community, without gaps. */
  readonly seq: number;
  /** The intent this entry records: appended once however often it is delivered. */
  readonly intentId: string;
  readonly previousHash: string;
  readonly hash: string;
}

export type UnsealedAuditEntry = Omit<AuditEntry, 'hash'>;

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The hash an entry must carry: over the previous hash and the canonical JSON of everything else. */
export function entryHash(entry: UnsealedAuditEntry): string {
  return sha256Hex(entry.previousHash + canonicalJson(entry));
}

/**
 * The entry that records `intent` after `head`.
 * @example const first = chainEntry(EMPTY_HEAD, intent); // first.seq === 1
 */
export function chainEntry(head: AuditHead, intent: AuditIntent): AuditEntry {
  const { id, before, after, ...recorded } = intent;
  const unsealed: UnsealedAuditEntry = {
    seq: head.seq + 1,
    intentId: id,
    ...recorded,
    // Left out rather than undefined, so that the stored entry is the hashed one.
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
    previousHash: head.hash,
  };
  return { ...unsealed, hash: entryHash(unsealed) };
}

/** An entry as one line of an export: its canonical JSON, hash included. */
export function auditLine(entry: AuditEntry): string {
  return canonicalJson(entry);
}

const HashSchema = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lower-case hex digits' });

/**
 * What a line must hold to be checked as a link. Members beyond these are
 * allowed (an entry may gain fields); the hash covers them all the same.
 */
const AuditEntryLineSchema = AuditIntentSchema.omit({ id: true, action: true }).extend({
  action: z.string().min(1),
  seq: z.int().min(1),
  intentId: z.string().min(1),
  previousHash: HashSchema,
  hash: HashSchema,
});

/** The outcome of {@link verifyChain}: every entry, or the first line that breaks the chain and why. */
export type ChainVerification =
  | { readonly ok: true; readonly entries: readonly AuditEntry[] }
  | { readonly ok: false; readonly line: number; readonly seq?: number; readonly reason: string };

const seqOf = (value: unknown): number | undefined => {
  const seq = (value as { seq?: unknown } | null)?.seq;
  return typeof seq === 'number' ? seq : undefined;
};

/**
 * Recomputes a chain from its export lines and reports the first broken link.
 * The lines may start anywhere in the chain (an export `from` a sequence
 * number): the first line's `previousHash` is taken as given. Each line must
 * be JSON, have an entry's shape, be in canonical form (so that every byte of
 * it is covered), follow the line before it by one sequence number, carry that
 * line's hash as `previousHash`, and carry its own correct hash.
 *
 * A change inside one line is reported at that line; a line replaced whole
 * with a recomputed hash is reported at the next line, whose link it breaks.
 * @example
 * const result = verifyChain(text.split('\n').filter(Boolean));
 * if (!result.ok) console.log(`line ${result.line}: ${result.reason}`);
 */
export function verifyChain(lines: readonly string[]): ChainVerification {
  if (lines.length === 0) return { ok: false, line: 1, reason: 'there are no entries to verify' };
  const entries: AuditEntry[] = [];
  for (const [index, line] of lines.entries()) {
    const lineNumber = index + 1;
    const broken = (reason: string, seq?: number): ChainVerification => ({
      ok: false,
      line: lineNumber,
      ...(seq === undefined ? {} : { seq }),
      reason,
    });
    if (line.trim() === '') return broken('the line is empty');

    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      return broken(`not JSON (${(error as Error).message})`);
    }
    const shape = AuditEntryLineSchema.safeParse(parsed);
    if (!shape.success) {
      const problems = shape.error.issues.map(
        (issue) => `${issue.path.join('.') || 'entry'} ${issue.message}`,
      );
      return broken(`not an audit entry: ${problems.join('; ')}`, seqOf(parsed));
    }
    // Checked on the parsed value, not the schema's output: the hash covers every member present.
    const entry = parsed as AuditEntry;
    if (canonicalJson(entry) !== line) {
      return broken('not in canonical JSON form, as every exported line is: the line was edited', entry.seq);
    }
    const previous = entries.at(-1);
    if (previous && entry.seq !== previous.seq + 1) {
      return broken(
        `seq ${entry.seq} follows seq ${previous.seq}; expected ${previous.seq + 1} (an entry is missing, repeated or out of order)`,
        entry.seq,
      );
    }
    if (previous && entry.previousHash !== previous.hash) {
      return broken(`previousHash is not the hash of line ${lineNumber - 1}`, entry.seq);
    }
    const { hash, ...unsealed } = entry;
    if (entryHash(unsealed) !== hash) {
      return broken("hash does not match the entry's content: the entry was changed", entry.seq);
    }
    entries.push(entry);
  }
  return { ok: true, entries };
}
