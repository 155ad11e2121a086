import { REASON_CODES, type ReasonCode } from './reasons';

/**
 * What the public may read of something a moderator took away. A petition,
 * a comment or a project hidden or rejected for a reason that is about the
 * content itself (offensive, personal data, unlawful, spam, or hidden on
 * reports: the codes marked `hidesText` in `reasons.ts`) must not go on
 * showing that content: neither its text nor its title, and not the
 * moderator's note either, which may quote it. The author (who may appeal)
 * and the community's staff still read all of it. One rule, so that every
 * tool's public view withholds the same things.
 */

/** Who is looking at a moderated subject. */
export interface SubjectViewer {
  /** The subject's author. */
  readonly author: boolean;
  /** The community's moderators and council. */
  readonly staff: boolean;
}

/** What a viewer may read of a subject: its content (title, text, description) and the moderator's note. */
export interface ShownOfSubject {
  readonly content: boolean;
  readonly note: boolean;
}

/**
 * True when a decision with this reason withholds the content itself from the
 * public; false for reasons about something else (a duplicate, off topic) and
 * for a code this version does not know.
 * @example withholdsContent('personal_data') // true
 */
export const withholdsContent = (reasonCode: string | undefined): boolean =>
  reasonCode !== undefined && reasonCode in REASON_CODES && REASON_CODES[reasonCode as ReasonCode].hidesText;

/**
 * What `viewer` may read of a subject whose content is `withheld` (as a
 * moderation decision for a {@link withholdsContent} reason left it).
 * @example const shown = shownOfSubject(petition.textHidden, { author: false, staff: false }); // nothing
 */
export function shownOfSubject(withheld: boolean, viewer: SubjectViewer): ShownOfSubject {
  const entitled = viewer.author || viewer.staff;
  return { content: entitled || !withheld, note: entitled || !withheld };
}
