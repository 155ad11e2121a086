import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok, reject } from '../../shared/outcome';
import {
  COMMENT_LIMITS,
  type Comment,
  CommentState,
  commentNotFound,
  commentStateConflict,
  commentTextRefusal,
  INTERACTIVE,
  type Stance,
} from '../comment';
import { type Consultation, inputRefusal } from '../consultation';
import { type Draft, type DraftTarget, findBlock } from '../draft';
import { ineligibility, type ParticipationRules } from '../eligibility';
import { commentPostedEvent } from '../events';

/** A top-level comment names its target; a reply inherits its parent's. */
export type PostCommentInput = { readonly stance: Stance; readonly text: string } & (
  | { readonly target: DraftTarget }
  | { readonly replyTo: Comment }
);

function unknownTarget(target: Exclude<DraftTarget, { kind: 'whole' }>, version: number): Outcome<never> {
  return fail(
    'unknown_target',
    text(
      'У чинній редакції проєкту немає такого розділу чи абзацу; оновіть сторінку.',
      'The current version of the draft has no such section or paragraph; reload the page.',
    ),
    { targetKind: target.kind, targetId: target.id, currentVersion: version },
  );
}

/** Where a new comment goes in its thread, or why it cannot. */
function placement(
  consultation: Consultation,
  draft: Draft,
  input: PostCommentInput,
): Outcome<Pick<Comment, 'target' | 'parentCommentId' | 'depth'>> {
  if ('replyTo' in input) {
    const parent = input.replyTo;
    if (parent.consultationId !== consultation.id) return reject(commentNotFound(parent.id));
    if (!INTERACTIVE.has(parent.state)) return reject(commentStateConflict(parent, 'reply'));
    if (parent.depth >= COMMENT_LIMITS.maxDepth) {
      return fail(
        'reply_too_deep',
        text(
          `Гілка обговорення має щонайбільше ${COMMENT_LIMITS.maxDepth} рівні; відповідайте на коментар вище.`,
          `A thread is at most ${COMMENT_LIMITS.maxDepth} levels deep; reply to a comment higher up.`,
        ),
        { maxDepth: COMMENT_LIMITS.maxDepth },
      );
    }
    return ok({ target: parent.target, parentCommentId: parent.id, depth: parent.depth + 1 });
  }
  const { target } = input;
  if (target.kind !== 'whole' && findBlock(draft, target.id)?.kind !== target.kind) {
    return unknownTarget(target, draft.version);
  }
  return ok({ target, depth: 1 });
}

/**
 * An eligible resident comments on the whole consultation, a section or a
 * paragraph of the current version, or replies to a visible comment (a
 * top-level comment is depth 1; replies go down to depth 3). Under
 * pre-moderation the comment waits as `pending`; under post-moderation it is
 * `visible` at once.
 *
 * Outcomes: ok (the comment to write; emits `consultation.comment-posted.v1`);
 * `not_eligible` (with `reason`);
 * `consultation_not_open` (with `currentPhase`); `comment_empty`,
 * `comment_too_long` (1 to 5,000 code points after trimming); `unknown_target`
 * (no such section or paragraph in the current version); `comment_not_found`
 * (the parent is in another consultation); `comment_state_conflict` (the
 * parent is not visible); `reply_too_deep` (the parent is at depth 3).
 */
export function postComment(
  context: CommandContext,
  rules: ParticipationRules,
  consultation: Consultation,
  draft: Draft,
  input: PostCommentInput,
): Outcome<Comment> {
  const { actor, clock, ids } = context;
  const now = clock.now();
  if (draft.version !== consultation.currentVersion) {
    throw new Error(
      `Comments go on the current version ${consultation.currentVersion}, not ${draft.version}`,
    );
  }
  const refusal =
    ineligibility(actor, rules, now) ?? inputRefusal(consultation, now) ?? commentTextRefusal(input.text);
  if (refusal) return reject(refusal);
  const placed = placement(consultation, draft, input);
  if (!placed.ok) return placed;
  const id = ids.next();
  const comment: Comment = {
    id,
    communityId: consultation.communityId,
    consultationId: consultation.id,
    ...placed.value,
    draftVersion: draft.version,
    threadId: 'replyTo' in input ? input.replyTo.threadId : id,
    stance: input.stance,
    text: input.text.trim(),
    state: rules.moderation === 'pre' ? CommentState.pending : CommentState.visible,
    authorKey: actor.signerKey,
    ...(actor.residency?.districtId ? { districtId: actor.residency.districtId } : {}),
    createdAt: now.toISOString(),
    revision: 1,
  };
  return ok(comment, [commentPostedEvent(ids, now, comment)]);
}
