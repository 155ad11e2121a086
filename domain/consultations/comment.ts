import type { Decision } from '../moderation/item';
import type { ReasonCode } from '../moderation/reasons';
import { type Localized, text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';
import type { DraftTarget } from './draft';
import { codePointLength } from './text-length';

/** Where a commenter stands on what they comment on. */
export const Stance = { for: 'for', against: 'against', neutral: 'neutral' } as const;
export type Stance = (typeof Stance)[keyof typeof Stance];
export const STANCES = Object.values(Stance);

/**
 * Where a comment is in its life. `pending` waits in the moderation queue
 * (pre-moderation); `hidden` and `rejected` are the moderation centre's
 * decisions; `deleted` keeps the comment's place in its thread without its text.
 */
export const CommentState = {
  pending: 'pending',
  visible: 'visible',
  hidden: 'hidden',
  rejected: 'rejected',
  deleted: 'deleted',
} as const;
export type CommentState = (typeof CommentState)[keyof typeof CommentState];

/** Only a visible comment can be replied to or voted on. */
export const INTERACTIVE = new Set<CommentState>([CommentState.visible]);
/** The author may edit a comment nobody has ruled on and they have not deleted. */
export const EDITABLE = new Set<CommentState>([CommentState.pending, CommentState.visible]);

export const COMMENT_LIMITS = {
  /** Code points of the trimmed text ({@link codePointLength}). */
  maxLength: 5_000,
  /** A top-level comment is depth 1, a reply to it 2, a reply to that 3: deeper threads stop being read. */
  maxDepth: 3,
  /** Long enough to fix a typo, short enough that replies do not answer a different text. */
  editWindowMs: 15 * 60 * 1000,
} as const;

/** The latest moderation decision on a comment; the reason's text is what its author and readers are shown. */
export interface CommentModeration {
  readonly decision: Decision;
  /** Absent for an approval or a restoration given without one. */
  readonly reasonCode?: ReasonCode;
  readonly note?: string;
  readonly decidedAt: string;
  /** The staff subject, or the system when reports hid the comment. */
  readonly decidedBy: string;
}

export interface Comment {
  readonly id: string;
  readonly communityId: string;
  readonly consultationId: string;
  /** What it is about, as posted; where it attaches now is `anchorFor(currentDraft, target)`. */
  readonly target: DraftTarget;
  /** The draft version it was made on. */
  readonly draftVersion: number;
  /** The comment this one replies to; absent at the top level. */
  readonly parentCommentId?: string;
  /** The top-level comment of its thread (itself at the top level). */
  readonly threadId: string;
  /** 1 at the top level; see {@link COMMENT_LIMITS}. */
  readonly depth: number;
  readonly stance: Stance;
  /** Empty once deleted. */
  readonly text: string;
  readonly state: CommentState;
  /** The author's signer key: pseudonymous, and what "is this the author" compares. */
  readonly authorKey: string;
  readonly districtId?: string;
  readonly createdAt: string;
  readonly editedAt?: string;
  readonly deletedAt?: string;
  readonly moderation?: CommentModeration;
  /** Increases with every change a command makes; the tally's counts do not touch it. */
  readonly revision: number;
}

/** Up and down votes on a comment, as the stream tally counts them. */
export interface VoteCounts {
  readonly up: number;
  readonly down: number;
}

export const VoteValue = { up: 'up', down: 'down' } as const;
export type VoteValue = (typeof VoteValue)[keyof typeof VoteValue];

/** One resident's vote on one comment; the store keeps one per resident and comment, the latest. */
export interface CommentVote {
  readonly communityId: string;
  readonly consultationId: string;
  readonly commentId: string;
  readonly voterKey: string;
  readonly value: VoteValue;
  readonly votedAt: string;
}

/**
 * What a vote record's change does to the counts: for the tally, which sees a
 * changed vote as the old value and the new one (undefined: no vote).
 * @example voteDelta('up', 'down') // → { up: -1, down: 1 }
 */
export function voteDelta(before: VoteValue | undefined, after: VoteValue | undefined): VoteCounts {
  const count = (value: VoteValue | undefined, wanted: VoteValue) => (value === wanted ? 1 : 0);
  return {
    up: count(after, VoteValue.up) - count(before, VoteValue.up),
    down: count(after, VoteValue.down) - count(before, VoteValue.down),
  };
}

/** The refusal of a comment's text, or undefined when its trimmed length is 1 to 5,000 code points. */
export function commentTextRefusal(value: string): DomainError | undefined {
  const length = codePointLength(value);
  if (length === 0) {
    return {
      code: 'comment_empty',
      message: text(
        'Коментар порожній: напишіть, що ви думаєте.',
        'The comment is empty: write what you think.',
      ),
    };
  }
  if (length > COMMENT_LIMITS.maxLength) {
    return {
      code: 'comment_too_long',
      message: text(
        `Коментар задовгий: ${length} символів, можна щонайбільше ${COMMENT_LIMITS.maxLength}.`,
        `The comment is too long: ${length} characters, at most ${COMMENT_LIMITS.maxLength} are allowed.`,
      ),
      details: { maxLength: COMMENT_LIMITS.maxLength, length },
    };
  }
  return undefined;
}

/** The 404 for a comment that is not in this consultation. */
export const commentNotFound = (commentId: string): DomainError => ({
  code: 'comment_not_found',
  message: text('У цій консультації немає такого коментаря.', 'This consultation has no such comment.'),
  details: { commentId },
});

/** Comment states as a resident reads them. */
const STATE_NAMES: Readonly<Record<CommentState, Localized>> = {
  pending: text('очікує модерації', 'awaiting moderation'),
  visible: text('опублікований', 'published'),
  hidden: text('прихований', 'hidden'),
  rejected: text('відхилений', 'rejected'),
  deleted: text('видалений', 'deleted'),
};

const ACTIONS = {
  reply: text('відповісти на нього', 'be replied to'),
  vote: text('голосувати за нього', 'be voted on'),
  edit: text('редагувати його', 'be edited'),
  delete: text('видалити його', 'be deleted'),
} as const;

/** The 409 for acting on a comment in a state that does not allow it; it names the state. */
export const commentStateConflict = (
  comment: Comment,
  action: 'reply' | 'vote' | 'edit' | 'delete',
): DomainError => ({
  code: 'comment_state_conflict',
  message: text(
    `Коментар ${STATE_NAMES[comment.state].uk}; ${ACTIONS[action].uk} неможливо.`,
    `The comment is ${STATE_NAMES[comment.state].en}; it cannot ${ACTIONS[action].en}.`,
  ),
  details: { currentState: comment.state, action },
});
