import { ModerationMode as Mode, type ModerationMode } from '../communities/settings';
import type { Decision } from '../moderation/item';
import type { ReasonCode } from '../moderation/reasons';
import { type Localized, text } from '../shared/localized';

/**
 * Whether the public sees an issue report: the moderation centre's decisions
 * move it, independently of its handling status (a hidden report is still
 * answered by its unit; moderation governs who sees it, not whether the
 * council acts). Only issue reports have one.
 */
export const Visibility = {
  /** Waiting for a moderator (pre-moderation): the author and the staff see it. */
  pending: 'pending',
  published: 'published',
  rejected: 'rejected',
  hidden: 'hidden',
} as const;
export type Visibility = (typeof Visibility)[keyof typeof Visibility];
export const VISIBILITIES = Object.values(Visibility);

/** The moderation centre's last word on a report, kept on it (the centre keeps the full record). */
export interface PublicationDecision {
  readonly decision: Decision;
  readonly reasonCode?: ReasonCode;
  readonly decidedAt: string;
  /** The staff subject who decided, or `system` when reports hid it. */
  readonly decidedBy: string;
}

export interface Publication {
  readonly visibility: Visibility;
  /** When the public first saw it: the order of the public list and the feed (kept through a hide and a restore). */
  readonly publishedAt?: string;
  readonly decision?: PublicationDecision;
}

/** What each decision makes of a report. */
export const DECISION_TARGET: Readonly<Record<Decision, Visibility>> = {
  approve: Visibility.published,
  restore: Visibility.published,
  reject: Visibility.rejected,
  hide: Visibility.hidden,
};

/**
 * Every legal move, in one table. Rejecting is the answer to a waiting report;
 * hiding takes away a published one; approving or restoring publishes a
 * waiting, rejected (on appeal) or hidden one.
 */
export const VISIBILITY_MOVES: readonly (readonly [Visibility, Visibility])[] = [
  [Visibility.pending, Visibility.published],
  [Visibility.pending, Visibility.rejected],
  [Visibility.rejected, Visibility.published],
  [Visibility.published, Visibility.hidden],
  [Visibility.hidden, Visibility.published],
];

export function canMoveVisibility(from: Visibility, to: Visibility): boolean {
  return VISIBILITY_MOVES.some(([legalFrom, legalTo]) => legalFrom === from && legalTo === to);
}

/**
 * A new report's publication under the community's moderation mode for issue
 * reports: `pre` waits for a moderator; `post` is public at once (moderators
 * and residents' reports can hide it later).
 */
export function initialPublication(mode: ModerationMode, at: string): Publication {
  return mode === Mode.post
    ? { visibility: Visibility.published, publishedAt: at }
    : { visibility: Visibility.pending };
}

/** How a visibility reads to the author and the staff. */
export const VISIBILITY_LABELS: Readonly<Record<Visibility, Localized>> = {
  pending: text('Очікує на модерацію', 'Waiting for moderation'),
  published: text('Оприлюднено', 'Public'),
  rejected: text('Не оприлюднено модератором', 'Not published by a moderator'),
  hidden: text('Приховано модератором', 'Hidden by a moderator'),
};
