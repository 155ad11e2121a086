import { ConsultationEvents } from '../../../events/consultations';
import { Decision, SYSTEM_DECIDER } from '../../moderation/item';
import { type ReasonCode, SYSTEM_REASON } from '../../moderation/reasons';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok } from '../../shared/outcome';
import { type Comment, type CommentModeration, CommentState } from '../comment';
import { commentEvent } from '../events';

export interface ModerateCommentInput {
  readonly decision: Decision;
  readonly reasonCode?: ReasonCode;
  readonly note?: string;
}

/** What each decision makes of a comment. */
const TARGET: Record<Decision, CommentState> = {
  approve: CommentState.visible,
  reject: CommentState.rejected,
  hide: CommentState.hidden,
  restore: CommentState.visible,
};

/**
 * Every move a moderation decision may make, in one table: a waiting comment
 * is published, rejected or hidden; a published one hidden or rejected (after
 * reports, say); a hidden one restored or rejected; a rejected one published
 * on appeal.
 */
export const MODERATION_MOVES: readonly (readonly [CommentState, CommentState])[] = [
  [CommentState.pending, CommentState.visible],
  [CommentState.pending, CommentState.rejected],
  [CommentState.pending, CommentState.hidden],
  [CommentState.visible, CommentState.hidden],
  [CommentState.visible, CommentState.rejected],
  [CommentState.hidden, CommentState.visible],
  [CommentState.hidden, CommentState.rejected],
  [CommentState.rejected, CommentState.visible],
];

const mayMove = (from: CommentState, to: CommentState): boolean =>
  MODERATION_MOVES.some(([legalFrom, legalTo]) => legalFrom === from && legalTo === to);

function invalidMove(comment: Comment, to: CommentState): Outcome<never> {
  return fail(
    'invalid_state',
    text(
      `Коментар у стані «${comment.state}»; перевести його у стан «${to}» рішенням модерації неможливо.`,
      `The comment is "${comment.state}"; a moderation decision cannot make it "${to}".`,
    ),
    { currentState: comment.state, requestedState: to },
  );
}

function decided(
  comment: Comment,
  to: CommentState,
  moderation: CommentModeration,
  ids: CommandContext['ids'],
  now: Date,
) {
  const next: Comment = { ...comment, state: to, moderation, revision: comment.revision + 1 };
  if (to === comment.state) return ok(next);
  return ok(next, [
    commentEvent(ids, now, next, ConsultationEvents.commentModerated, {
      decision: moderation.decision,
      from: comment.state,
      to,
      ...(moderation.reasonCode ? { reasonCode: moderation.reasonCode } : {}),
      decidedBy: moderation.decidedBy,
    }),
  ]);
}

/**
 * The consultations' part of a moderation decision on a comment (the
 * moderation centre checks who may decide and keeps the record; see
 * `decideItem`). Approving or restoring publishes it, rejecting and hiding
 * take its text from the public while its thread stays. Deciding what already
 * is, or anything about a comment its author deleted, changes only the
 * comment's moderation record, so a queue entry never gets stuck.
 *
 * Outcomes: ok (emits `consultation.comment-moderated.v1` when the state
 * changes); `invalid_state` (a move {@link MODERATION_MOVES} does not list,
 * e.g. hiding a rejected comment).
 */
export function moderateComment(
  context: CommandContext,
  comment: Comment,
  input: ModerateCommentInput,
): Outcome<Comment> {
  const { actor, clock, ids } = context;
  const now = clock.now();
  const moderation: CommentModeration = {
    decision: input.decision,
    ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}),
    ...(input.note ? { note: input.note } : {}),
    decidedAt: now.toISOString(),
    decidedBy: actor.subject,
  };
  const target = TARGET[input.decision];
  if (comment.state === CommentState.deleted || comment.state === target) {
    return decided(comment, comment.state, moderation, ids, now);
  }
  if (!mayMove(comment.state, target)) return invalidMove(comment, target);
  return decided(comment, target, moderation, ids, now);
}

/**
 * Reports reached the community's `reportsBeforeHide`: the comment is hidden
 * until a moderator decides. Only a published comment can be reported.
 *
 * Outcomes: ok (emits `consultation.comment-moderated.v1` with reason
 * `reported`); `invalid_state` (the comment is not visible).
 */
export function autoHideComment(context: CommandContext, comment: Comment): Outcome<Comment> {
  const { clock, ids } = context;
  if (comment.state !== CommentState.visible) return invalidMove(comment, CommentState.hidden);
  const now = clock.now();
  return decided(
    comment,
    CommentState.hidden,
    {
      decision: Decision.hide,
      reasonCode: SYSTEM_REASON,
      decidedAt: now.toISOString(),
      decidedBy: SYSTEM_DECIDER,
    },
    ids,
    now,
  );
}
