import { type Comment, CommentState, STANCES, type Stance, type VoteCounts } from './comment';
import { anchorFor, type Draft, type DraftTarget, sectionOf, WHOLE } from './draft';

/** The orders a comment list can be read in. */
export const CommentOrder = { newest: 'newest', top: 'top', controversial: 'controversial' } as const;
export type CommentOrder = (typeof CommentOrder)[keyof typeof CommentOrder];
export const COMMENT_ORDERS = Object.values(CommentOrder);

/** What ordering needs of a comment: its counts come from the tally, not from the comment item. */
export interface RankedComment extends VoteCounts {
  readonly id: string;
  readonly createdAt: string;
}

/** Newest first; ULIDs break a tie within one millisecond, so the order is total. */
function byNewest(a: RankedComment, b: RankedComment): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? 1 : -1;
}

/** Above this size a near-tie is left to floating point (see {@link compareControversy}). */
const EXACT_COMPARISON_MAX_BITS = 1 << 18;
/** Far above the rounding error of `balance · ln(magnitude)` for any vote count. */
const FLOAT_MARGIN = 1e-9;

/**
 * Reddit's controversy: `magnitude ^ balance`, where magnitude is `up + down`
 * and balance `min(up, down) / max(up, down)`; 0 without votes on both sides.
 * Many votes, evenly split, is most controversial. Returns the sign of
 * `score(a) − score(b)`.
 *
 * Floats alone would misorder exact ties (6 up, 2 down scores `8^(1/3) = 2`,
 * exactly as 1 up, 1 down does, yet `Math.log(8) / 3 < Math.log(2)`), so:
 * scores that differ clearly in log space (`balance · ln magnitude`) are
 * compared there; near-ties are compared exactly, `a^(minA·maxB)` against
 * `b^(minB·maxA)` in bigints, unless those numbers exceed 2^18 bits, where the
 * log comparison stands. It is a display order; no outcome depends on it.
 */
export function compareControversy(a: VoteCounts, b: VoteCounts): number {
  const aZero = a.up === 0 || a.down === 0;
  const bZero = b.up === 0 || b.down === 0;
  if (aZero || bZero) return Number(!aZero) - Number(!bZero);
  const [aMin, aMax, aMagnitude] = [Math.min(a.up, a.down), Math.max(a.up, a.down), a.up + a.down];
  const [bMin, bMax, bMagnitude] = [Math.min(b.up, b.down), Math.max(b.up, b.down), b.up + b.down];
  if (aMagnitude === bMagnitude && aMin * bMax === bMin * aMax) return 0;
  const logDifference = (aMin / aMax) * Math.log(aMagnitude) - (bMin / bMax) * Math.log(bMagnitude);
  const aExponent = aMin * bMax;
  const bExponent = bMin * aMax;
  const bits = Math.max(aExponent * Math.log2(aMagnitude), bExponent * Math.log2(bMagnitude));
  if (Math.abs(logDifference) > FLOAT_MARGIN || bits > EXACT_COMPARISON_MAX_BITS)
    return Math.sign(logDifference);
  const left = BigInt(aMagnitude) ** BigInt(aExponent);
  const right = BigInt(bMagnitude) ** BigInt(bExponent);
  return left === right ? 0 : left > right ? 1 : -1;
}

/**
 * The comparator of an order, for `Array.prototype.sort`: `newest` by time;
 * `top` by `up − down`; `controversial` by {@link compareControversy}; ties
 * (and equal scores) newest first, so every order is total and pages are stable.
 */
export function commentComparator(order: CommentOrder): (a: RankedComment, b: RankedComment) => number {
  switch (order) {
    case 'newest':
      return byNewest;
    case 'top':
      return (a, b) => b.up - b.down - (a.up - a.down) || byNewest(a, b);
    case 'controversial':
      return (a, b) => compareControversy(b, a) || byNewest(a, b);
  }
}

/** Where the previous page ended: the last comment's key as it was then. */
export type CommentCursor = RankedComment;

/**
 * One page of a list, with keyset pagination: the page after `after` holds the
 * comments that sort after that key, so a comment that gains votes between two
 * requests is neither repeated nor skipped because others moved.
 * @example commentPage(comments, 'top', 20) // → { items: the top 20, next: the 20th's key }
 */
export function commentPage<T extends RankedComment>(
  comments: readonly T[],
  order: CommentOrder,
  limit: number,
  after?: CommentCursor,
): { items: T[]; next?: CommentCursor } {
  const compare = commentComparator(order);
  const rest = after ? comments.filter((comment) => compare(comment, after) > 0) : [...comments];
  const sorted = rest.sort(compare);
  const items = sorted.slice(0, limit);
  const last = items.at(-1);
  if (sorted.length <= limit || !last) return { items };
  return { items, next: { id: last.id, createdAt: last.createdAt, up: last.up, down: last.down } };
}

export interface CommentCounts {
  readonly total: number;
  readonly byStance: Readonly<Record<Stance, number>>;
}

export interface ConsultationCommentCounts {
  readonly all: CommentCounts;
  /** Comments on the whole consultation, and on text before the first heading. */
  readonly whole: CommentCounts;
  /** Per section id: comments on the section and on its own paragraphs (not its subsections'). */
  readonly bySection: Readonly<Record<string, CommentCounts>>;
}

function counter(): { total: number; byStance: Record<Stance, number> } {
  return {
    total: 0,
    byStance: Object.fromEntries(STANCES.map((stance) => [stance, 0])) as Record<Stance, number>,
  };
}

/**
 * Counts of visible comments (replies included) per stance, overall, on the
 * whole consultation and per section of the current version, each comment
 * counted where it attaches now ({@link anchorFor}).
 */
export function commentCounts(
  draft: Draft,
  comments: readonly Pick<Comment, 'target' | 'state' | 'stance'>[],
): ConsultationCommentCounts {
  const all = counter();
  const whole = counter();
  // A Map, not an object: an explicit section id may be `constructor`.
  const bySection = new Map<string, ReturnType<typeof counter>>();
  for (const comment of comments) {
    if (comment.state !== CommentState.visible) continue;
    const sectionId = sectionOf(draft, anchorFor(draft, comment.target));
    let bucket = whole;
    if (sectionId !== undefined) {
      bucket = bySection.get(sectionId) ?? counter();
      bySection.set(sectionId, bucket);
    }
    for (const tally of [all, bucket]) {
      tally.total += 1;
      tally.byStance[comment.stance] += 1;
    }
  }
  return { all, whole, bySection: Object.fromEntries(bySection) };
}

/** Added to `up − down` so that the `top` key is never negative: room for 10¹² votes either way. */
const TOP_OFFSET = 10 ** 12;
const TOP_DIGITS = 13;
/** `balance · ln(magnitude)` in units of 10⁻¹²: at most ln(2⁵³) · 10¹² ≈ 3.7 · 10¹³, 16 digits hold it. */
const CONTROVERSY_SCALE = 1e12;
const CONTROVERSY_DIGITS = 16;

/**
 * The sort key of the `newest` order: later first when read descending,
 * ULIDs breaking a tie within one millisecond.
 */
export const newestKey = (comment: Pick<RankedComment, 'id' | 'createdAt'>): string =>
  `${comment.createdAt}#${comment.id}`;

/**
 * The sort key of the `top` order, as a string whose descending order is
 * {@link commentComparator}('top'): `up − down` offset and zero-padded, then
 * the newest key, so ties go newest first and the order is total.
 * @example topKey({ id: 'A', createdAt: '2026-…', up: 3, down: 1 }) // → '1000000000002#2026-…#A'
 */
export function topKey(comment: RankedComment): string {
  const score = comment.up - comment.down + TOP_OFFSET;
  return `${String(score).padStart(TOP_DIGITS, '0')}#${newestKey(comment)}`;
}

/**
 * The sort key of the `controversial` order: `balance · ln(magnitude)` (the
 * log of {@link compareControversy}'s score) rounded to 10⁻¹², plus one so that
 * any comment with votes on both sides sorts above every one without, then the
 * newest key. Unlike the comparator, scores closer than 10⁻¹² may tie (and then
 * go newest first); it is a display order, no outcome depends on it.
 */
export function controversyKey(comment: RankedComment): string {
  const { up, down } = comment;
  const score =
    up === 0 || down === 0
      ? 0
      : Math.round((Math.min(up, down) / Math.max(up, down)) * Math.log(up + down) * CONTROVERSY_SCALE) + 1;
  return `${String(score).padStart(CONTROVERSY_DIGITS, '0')}#${newestKey(comment)}`;
}

/** The sort key of `order` for a comment, as the indexes of the store hold it. */
export function orderKey(order: CommentOrder, comment: RankedComment): string {
  switch (order) {
    case 'newest':
      return newestKey(comment);
    case 'top':
      return topKey(comment);
    case 'controversial':
      return controversyKey(comment);
  }
}

/** The counts of visible comments made on one target, as the count tally keeps them. */
export interface TargetCommentCounts {
  /** A block id, or undefined for the whole consultation. */
  readonly targetId: string | undefined;
  readonly byStance: Readonly<Record<Stance, number>>;
}

/**
 * {@link commentCounts} from per-target counters instead of the comments: each
 * target's counts go where the target attaches in the current version, so the
 * result is the same as counting the comments one by one.
 * @example commentCountsFromTargets(draft, [{ targetId: 'P1', byStance: { for: 2, against: 0, neutral: 1 } }])
 */
export function commentCountsFromTargets(
  draft: Draft,
  targets: readonly TargetCommentCounts[],
): ConsultationCommentCounts {
  const all = counter();
  const whole = counter();
  const bySection = new Map<string, ReturnType<typeof counter>>();
  for (const target of targets) {
    const made: DraftTarget =
      target.targetId === undefined ? WHOLE : { kind: 'paragraph', id: target.targetId };
    const sectionId = sectionOf(draft, anchorFor(draft, made));
    let bucket = whole;
    if (sectionId !== undefined) {
      bucket = bySection.get(sectionId) ?? counter();
      bySection.set(sectionId, bucket);
    }
    for (const stance of STANCES) {
      const count = target.byStance[stance];
      if (count === 0) continue;
      for (const tally of [all, bucket]) {
        tally.total += count;
        tally.byStance[stance] += count;
      }
    }
  }
  return { all, whole, bySection: Object.fromEntries(bySection) };
}
