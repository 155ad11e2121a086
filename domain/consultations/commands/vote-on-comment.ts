import type { CommandContext } from '../../shared/command';
import { type Outcome, ok, reject } from '../../shared/outcome';
import {
  type Comment,
  type CommentVote,
  commentNotFound,
  commentStateConflict,
  INTERACTIVE,
  type VoteValue,
} from '../comment';
import { type Consultation, inputRefusal } from '../consultation';
import { ineligibility, type ParticipationRules } from '../eligibility';

/**
 * An eligible resident votes a visible comment up or down. The result is the
 * vote to write: the store keeps one per resident and comment, so voting again
 * replaces the earlier vote, and the stream tally turns the change into counts (`voteDelta`).
 *
 * Outcomes: ok (the vote to write); `not_eligible` (with `reason`);
 * `consultation_not_open` (with `currentPhase`); `comment_not_found` (in
 * another consultation); `comment_state_conflict` (not visible).
 */
export function voteOnComment(
  context: CommandContext,
  rules: ParticipationRules,
  consultation: Consultation,
  comment: Comment,
  value: VoteValue,
): Outcome<CommentVote> {
  const { actor, clock } = context;
  const now = clock.now();
  const refusal = ineligibility(actor, rules, now) ?? inputRefusal(consultation, now);
  if (refusal) return reject(refusal);
  if (comment.consultationId !== consultation.id) return reject(commentNotFound(comment.id));
  if (!INTERACTIVE.has(comment.state)) return reject(commentStateConflict(comment, 'vote'));
  return ok({
    communityId: consultation.communityId,
    consultationId: consultation.id,
    commentId: comment.id,
    voterKey: actor.signerKey,
    value,
    votedAt: now.toISOString(),
  });
}
