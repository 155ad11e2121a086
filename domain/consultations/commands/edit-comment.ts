import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import {
  COMMENT_LIMITS,
  type Comment,
  CommentState,
  commentStateConflict,
  commentTextRefusal,
  EDITABLE,
} from '../comment';
import { type Consultation, inputRefusal } from '../consultation';
import type { ParticipationRules } from '../eligibility';
import { isCommentAuthor, notCommentAuthor } from '../permissions';

/**
 * The author corrects their comment within 15 minutes of posting it, while the
 * consultation is open. Under pre-moderation an edited comment goes back to
 * the queue: a moderator approved the old text, not the new one.
 *
 * Outcomes: ok; `not_author`; `consultation_not_open` (with `currentPhase`);
 * `comment_state_conflict` (deleted, hidden or rejected); `edit_window_closed`
 * (15 minutes have passed, with `editableUntil`); `comment_empty`, `comment_too_long`.
 */
export function editComment(
  context: CommandContext,
  rules: ParticipationRules,
  consultation: Consultation,
  comment: Comment,
  newText: string,
): Outcome<Comment> {
  const { actor, clock } = context;
  const now = clock.now();
  if (!isCommentAuthor(actor, comment)) return reject(notCommentAuthor);
  const phaseRefusal = inputRefusal(consultation, now);
  if (phaseRefusal) return reject(phaseRefusal);
  if (!EDITABLE.has(comment.state)) return reject(commentStateConflict(comment, 'edit'));
  const editableUntil = new Date(Date.parse(comment.createdAt) + COMMENT_LIMITS.editWindowMs);
  if (now >= editableUntil) {
    return fail(
      'edit_window_closed',
      text(
        'Коментар можна редагувати лише 15 хвилин після публікації; напишіть новий, якщо хочете щось додати.',
        'A comment can be edited only for 15 minutes after posting; write a new one to add something.',
      ),
      { editableUntil: editableUntil.toISOString() },
    );
  }
  const textRefusal = commentTextRefusal(newText);
  if (textRefusal) return reject(textRefusal);
  return ok({
    ...comment,
    text: newText.trim(),
    state: rules.moderation === 'pre' ? CommentState.pending : comment.state,
    editedAt: now.toISOString(),
    revision: comment.revision + 1,
  });
}
