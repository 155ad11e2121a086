import type { CommandContext } from '../../shared/command';
import { type Outcome, ok, reject } from '../../shared/outcome';
import { type Comment, CommentState, commentStateConflict } from '../comment';
import { isCommentAuthor, notCommentAuthor } from '../permissions';

/**
 * The author deletes their comment, in any phase: what a person wrote is
 * theirs to withdraw. The text goes; the comment stays as a placeholder so the
 * replies under it keep their thread.
 *
 * Outcomes: ok; `not_author`; `comment_state_conflict` (already deleted).
 */
export function deleteComment(context: CommandContext, comment: Comment): Outcome<Comment> {
  const { actor, clock } = context;
  if (!isCommentAuthor(actor, comment)) return reject(notCommentAuthor);
  if (comment.state === CommentState.deleted) return reject(commentStateConflict(comment, 'delete'));
  return ok({
    ...comment,
    text: '',
    state: CommentState.deleted,
    deletedAt: clock.now().toISOString(),
    revision: comment.revision + 1,
  });
}
