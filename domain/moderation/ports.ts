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
 * What the moderation centre reads. Its writes go in one transaction with the
 * subject's tool's own, so the use cases' port (`ModerationPort` in
 * `functions/moderation/ports.ts`) extends this one with those saves.
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
