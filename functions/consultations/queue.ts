import type { Comment } from '../../domain/consultations/comment';
import { CommentState } from '../../domain/consultations/comment';
import type { Consultation } from '../../domain/consultations/consultation';
import { itemIdOf, ModerationType } from '../../domain/moderation/item';
import { enterQueue, refreshQueueItem } from '../../domain/moderation/queue';
import { enqueuePut } from '../moderation/items';
import { dynamoModerationStore } from '../moderation/store';
import type { SubjectDeps } from '../moderation/subjects';
import type { TransactItem } from '../shared/outbox';
import { commentSnapshot } from './items';

/**
 * The moderation queue's part of a comment write, under pre-moderation: a
 * comment that starts waiting (new, or edited after a moderator saw it)
 * enters the moderation centre's queue in the same transaction, so it can
 * never wait unseen. A comment edited while it waits only refreshes what the
 * queue shows, as does an edit or a deletion of a comment that is not
 * waiting. What the item becomes is the centre's rule (`enterQueue`,
 * `refreshQueueItem`); the item is written over the version read here, so a
 * decision made meanwhile fails the whole write, which the caller retries.
 */
export async function queueWrites(
  deps: SubjectDeps,
  consultation: Pick<Consultation, 'title'>,
  previous: Comment | undefined,
  next: Comment,
): Promise<TransactItem[]> {
  const textChanged = previous !== undefined && previous.text !== next.text;
  if (next.state !== CommentState.pending && !textChanged) return [];
  if (previous?.state === CommentState.pending && !textChanged) return [];
  const snapshot = commentSnapshot(consultation, next);
  const stored =
    previous === undefined
      ? undefined
      : await dynamoModerationStore(deps.client, deps.tableName).get(
          next.communityId,
          itemIdOf(ModerationType.comment, next.id),
        );
  if (next.state !== CommentState.pending) {
    return stored ? [enqueuePut(deps.tableName, refreshQueueItem(stored, snapshot))] : [];
  }
  const since = next.editedAt ?? next.createdAt;
  return [enqueuePut(deps.tableName, enterQueue(stored, { communityId: next.communityId, snapshot, since }))];
}
