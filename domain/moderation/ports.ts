import type { Page } from '../communities/ports';
import type { ItemStatus, ModerationItem, ModerationType } from './item';
import type { LoggedDecision } from './transparency';

export interface QueueQuery {
  readonly communityId: string;
  readonly status: ItemStatus;
  readonly type?: ModerationType;
  readonly limit: number;
  readonly cursor?: string;
}

/**
 * What the moderation centre reads. Its writes go through one transaction
 * with the tool's own (see `functions/moderation/service.ts`), so they are not
 * a port of their own.
 */
export interface ModerationStore {
  get(communityId: string, itemId: string): Promise<ModerationItem | undefined>;
  /** Waiting items oldest first; decided ones most recent first. */
  queue(query: QueueQuery): Promise<Page<ModerationItem>>;
  /** A page of the items about one author's subjects, newest first. */
  byAuthor(
    communityId: string,
    authorKey: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<ModerationItem>>;
  /**
   * Decisions made in `[from, to)`, in time order, reading at most `max` of
   * them: `complete` is false when the period holds more (and `decisions`
   * is then only its first `max`).
   */
  decisionsBetween(
    communityId: string,
    from: string,
    to: string,
    max: number,
  ): Promise<{ decisions: LoggedDecision[]; complete: boolean }>;
}
