import { type Comment, CommentState, type VoteCounts } from './comment';
import { anchorFor, type Draft, sectionOf } from './draft';
import { type CommentCursor, type CommentOrder, commentPage } from './ranking';

/** A comment with the counts the tally keeps for it. */
export type CountedComment = Comment & VoteCounts;

/** One thread of a list: a top-level comment and the replies under it, oldest first. */
export interface CommentThread<T extends CountedComment = CountedComment> {
  readonly comment: T;
  readonly replies: readonly T[];
}

/**
 * The comment targets whose comments are listed under a section now: the
 * section itself, its own paragraphs, and every block of an earlier version
 * that now attaches there ({@link anchorFor}). With `sectionId` undefined: the
 * whole consultation, text before the first heading, and what attaches there.
 * Subsections are lists of their own, as in {@link commentCounts}.
 * @example targetsUnder(v2, 'goals') // → { whole: false, blockIds: ['goals', 'P1', 'P7-removed'] }
 */
export function targetsUnder(
  draft: Draft,
  sectionId: string | undefined,
): { readonly whole: boolean; readonly blockIds: readonly string[] } {
  const everyId = [...draft.blocks.map((block) => block.id), ...Object.keys(draft.retired)];
  const blockIds = everyId.filter(
    (id) => sectionOf(draft, anchorFor(draft, { kind: 'paragraph', id })) === sectionId,
  );
  return { whole: sectionId === undefined, blockIds };
}

/** States shown in a list even without replies: the public saw them, and their place in the thread stays. */
const ALWAYS_LISTED = new Set<CommentState>([
  CommentState.visible,
  CommentState.hidden,
  CommentState.deleted,
]);

/**
 * Which comments a public list shows: published ones with their text, hidden
 * and deleted ones as placeholders; waiting and rejected ones (never public)
 * only as placeholders above replies that are shown, so a thread keeps its shape.
 */
export function listedComments<T extends CountedComment>(comments: readonly T[]): Set<T> {
  const children = new Map<string, T[]>();
  for (const comment of comments) {
    if (!comment.parentCommentId) continue;
    const siblings = children.get(comment.parentCommentId) ?? [];
    siblings.push(comment);
    children.set(comment.parentCommentId, siblings);
  }
  const listed = new Set<T>();
  const visit = (comment: T): boolean => {
    // Every reply is visited: one that is listed keeps its ancestors listed.
    const listedChild = (children.get(comment.id) ?? []).map(visit).some(Boolean);
    const shown = ALWAYS_LISTED.has(comment.state) || listedChild;
    if (shown) listed.add(comment);
    return shown;
  };
  for (const comment of comments) if (comment.depth === 1) visit(comment);
  return listed;
}

/** Oldest first, ids breaking a tie: the order of replies in a thread. */
const oldestFirst = (a: CountedComment, b: CountedComment) =>
  a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/**
 * One thread as a list shows it, from its top-level comment and every reply
 * in it: the listed replies oldest first; undefined when the top-level comment
 * is not listed (waiting or rejected, with no listed reply under it).
 * @example listedThread(root, replies) // → { comment: root, replies: [the published ones, oldest first] }
 */
export function listedThread<T extends CountedComment>(
  root: T,
  replies: readonly T[],
): CommentThread<T> | undefined {
  const listed = listedComments([root, ...replies]);
  if (!listed.has(root)) return undefined;
  return { comment: root, replies: replies.filter((reply) => listed.has(reply)).sort(oldestFirst) };
}

/**
 * One page of threads: top-level comments in `order` ({@link commentPage},
 * keyset pagination, so votes arriving between pages neither repeat nor skip a
 * thread), each with its listed replies oldest first.
 */
export function threadPage<T extends CountedComment>(
  comments: readonly T[],
  order: CommentOrder,
  limit: number,
  after?: CommentCursor,
): { readonly threads: CommentThread<T>[]; readonly next?: CommentCursor } {
  const listed = listedComments(comments);
  const roots = [...listed].filter((comment) => comment.depth === 1);
  const page = commentPage(roots, order, limit, after);
  const replies = new Map<string, T[]>();
  for (const comment of listed) {
    if (comment.depth === 1) continue;
    const thread = replies.get(comment.threadId) ?? [];
    thread.push(comment);
    replies.set(comment.threadId, thread);
  }
  return {
    threads: page.items.map((comment) => ({
      comment,
      replies: (replies.get(comment.id) ?? []).sort(oldestFirst),
    })),
    ...(page.next ? { next: page.next } : {}),
  };
}
