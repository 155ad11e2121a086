import { ItemStatus, type ModerationItem, newModerationItem, type SubjectSnapshot } from './item';

/** A tool's subject as it (re-)enters the moderation queue. */
export interface QueueEntry {
  readonly communityId: string;
  /** What the queue shows of the subject now. */
  readonly snapshot: SubjectSnapshot;
  /** When the subject started waiting (its submission, its edit), as the subject's command recorded it. */
  readonly since: string;
}

/**
 * The one way a subject enters the moderation queue, or comes back to it: a
 * subject the centre has not seen becomes a new `pending` item; a stored one
 * shows the subject as it is now and, if it was settled, waits again from
 * `since` (an item already waiting keeps its place and its status, so an
 * appeal stays the council's). Every tool's write that sends a subject to the
 * moderators builds its queue item here, and writes it over the version
 * `stored` was read at (`version` is one more), so a decision made meanwhile
 * fails the tool's whole write.
 * @example enterQueue(undefined, { communityId: 'demo', snapshot: petitionSnapshot(p), since: p.submittedAt })
 */
export function enterQueue(stored: ModerationItem | undefined, entry: QueueEntry): ModerationItem {
  if (!stored) {
    return {
      ...newModerationItem(entry.communityId, entry.snapshot, new Date(entry.since), ItemStatus.pending),
      version: 1,
    };
  }
  const waitingAgain =
    stored.status === ItemStatus.decided ? { status: ItemStatus.pending, waitingSince: entry.since } : {};
  return { ...stored, ...entry.snapshot, ...waitingAgain, version: stored.version + 1 };
}

/**
 * The item of a subject the centre has not seen yet (a petition published
 * without pre-moderation), as a moderation use case finds it before anything
 * is written: waiting (`pending`) if the public does not see the subject,
 * settled (`decided`) if it does, since `at`. Its version is 0: the use case's
 * save creates it, and fails if a tool's {@link enterQueue} wrote it meanwhile.
 * @example unseenItem({ communityId: 'demo', snapshot, since: now.toISOString() }, subject.isPublic)
 */
export function unseenItem(entry: QueueEntry, isPublic: boolean): ModerationItem {
  const status = isPublic ? ItemStatus.decided : ItemStatus.pending;
  return newModerationItem(entry.communityId, entry.snapshot, new Date(entry.since), status);
}

/**
 * A subject that changed without waiting for the moderators (edited under
 * post-moderation, or deleted): its stored item shows it as it is now, so that
 * moderators judge reports against the present text and a deleted text does
 * not linger in the queue. The item keeps its place and status.
 */
export function refreshQueueItem(stored: ModerationItem, snapshot: SubjectSnapshot): ModerationItem {
  return { ...stored, ...snapshot, version: stored.version + 1 };
}
