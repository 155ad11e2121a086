import type { CommandContext } from '../../shared/command';
import { type Outcome, ok, reject } from '../../shared/outcome';
import { type Comment, type CommentVote, commentNotFound } from '../comment';
import { type Consultation, inputRefusal } from '../consultation';
import { ineligibility, type ParticipationRules } from '../eligibility';

/** Taking a vote back: the store turns the resident's vote into no vote, and the tally counts the change. */
export type VoteWithdrawal = Omit<CommentVote, 'value'>;

/**
 * An eligible resident takes back their vote on a comment, while the
 * consultation is open. Whether there was a vote to take back is the store's
 * one conditional write to decide. Unlike voting, the comment may be in any
 * state: a vote on a comment hidden since stays withdrawable.
 *
 * Outcomes: ok (the withdrawal to write); `not_eligible` (with `reason`);
 * `consultation_not_open` (with `currentPhase`); `comment_not_found` (in
 * another consultation).
 */
export function withdrawVote(
  context: CommandContext,
  rules: ParticipationRules,
  consultation: Consultation,
  comment: Comment,
): Outcome<VoteWithdrawal> {
  const { actor, clock } = context;
  const now = clock.now();
  const refusal = ineligibility(actor, rules, now) ?? inputRefusal(consultation, now);
  if (refusal) return reject(refusal);
  if (comment.consultationId !== consultation.id) return reject(commentNotFound(comment.id));
  return ok({
    communityId: consultation.communityId,
    consultationId: consultation.id,
    commentId: comment.id,
    voterKey: actor.signerKey,
    votedAt: now.toISOString(),
  });
}
