import type { Page } from '../communities/ports';
import type { AuditEntry, AuditHead } from './chain';
import type { AuditIntent } from './intent';

/**
 * Reading a community's audit trail, and recording the intent of an action that
 * changes nothing (an export). Actions that change state write their intent in
 * their own transaction instead; the chain itself is only ever appended by the
 * audit appender.
 */
export interface AuditStore {
  /** The end of the chain; `EMPTY_HEAD` before the first entry. */
  head(communityId: string): Promise<AuditHead>;
  /** Entries from sequence number `from` on, in order, a page at a time. */
  list(
    communityId: string,
    query: { from: number; limit: number; cursor?: string },
  ): Promise<Page<AuditEntry>>;
  /** Every entry from `from` on, in order, read lazily: stop iterating to stop reading. */
  entriesFrom(communityId: string, from: number): AsyncIterable<AuditEntry>;
  /** Stores an intent for the appender, outside any transaction. */
  record(intent: AuditIntent): Promise<void>;
}
