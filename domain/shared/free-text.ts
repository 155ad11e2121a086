import { z } from 'zod';
import { type Localized, text, validationMessage } from './localized';

/**
 * Free text a person types — a title, a comment, a note, a name — is shown to
 * other people, written to exports and read back by moderators. Some characters
 * do nothing a writer needs and let a text hide or break things:
 *
 * - controls: C0 (U+0000–U+001F) but TAB, LF and CR; DEL (U+007F); C1
 *   (U+0080–U+009F). A NUL truncates text in C-based tools and CSV readers; the
 *   others are invisible.
 * - direction overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069):
 *   they make a text display in an order other than the one it is stored and
 *   searched in ("Trojan source", CVE-2021-42574), so a moderator reads one
 *   thing and a resident another. Ukrainian and English never need them.
 *   The direction *marks* stay allowed (LRM U+200E, RLM U+200F, ALM U+061C): a
 *   Hebrew or Arabic name next to digits or Latin letters may need one to show
 *   right, and a mark is an invisible letter with a direction — it cannot
 *   reorder the letters around it, so it cannot hide anything.
 * - unpaired surrogates: not text at all (no UTF-8 encoding exists); a
 *   JSON body can carry one as the escape `\ud800`, and it breaks every
 *   consumer that encodes it later (the table, exports, search).
 * - in a single-line field (titles, names, search terms), line breaks too: LF,
 *   CR and the Unicode line and paragraph separators (U+2028, U+2029).
 */
export const FreeTextFault = {
  control: 'control',
  direction_override: 'direction_override',
  unpaired_surrogate: 'unpaired_surrogate',
  line_break: 'line_break',
} as const;
export type FreeTextFault = (typeof FreeTextFault)[keyof typeof FreeTextFault];

/** Where a text first breaks the rules: `position` counts characters (code points) from 1. */
export interface FreeTextFinding {
  readonly fault: FreeTextFault;
  readonly position: number;
  /** The offending character as `U+` and its hex digits (e.g. `U+202E`). */
  readonly character: string;
}

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

function faultOf(unit: number, multiline: boolean): FreeTextFault | undefined {
  if (unit === LF || unit === CR || unit === 0x2028 || unit === 0x2029) {
    return multiline ? undefined : FreeTextFault.line_break;
  }
  if (unit === TAB) return undefined;
  if (unit < 0x20 || (unit >= 0x7f && unit <= 0x9f)) return FreeTextFault.control;
  if ((unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069)) {
    return FreeTextFault.direction_override;
  }
  return undefined;
}

const codePointName = (unit: number) => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The first character of `value` that free text may not hold, or `undefined`
 * when there is none. One pass over the UTF-16 units: a long Markdown draft
 * costs no more than reading it.
 * @example findFreeTextFault('ab\u202Ecd', { multiline: false }) // → { fault: 'direction_override', position: 3, character: 'U+202E' }
 */
export function findFreeTextFault(
  value: string,
  { multiline }: { readonly multiline: boolean },
): FreeTextFinding | undefined {
  let position = 0;
  for (let at = 0; at < value.length; at += 1) {
    position += 1;
    const unit = value.charCodeAt(at);
    if (isHighSurrogate(unit)) {
      if (at + 1 < value.length && isLowSurrogate(value.charCodeAt(at + 1))) {
        at += 1;
        continue;
      }
      return { fault: FreeTextFault.unpaired_surrogate, position, character: codePointName(unit) };
    }
    if (isLowSurrogate(unit)) {
      return { fault: FreeTextFault.unpaired_surrogate, position, character: codePointName(unit) };
    }
    const fault = faultOf(unit, multiline);
    if (fault) return { fault, position, character: codePointName(unit) };
  }
  return undefined;
}

/** What a client reads in the field's `detail`: which rule, which character, where. */
export function freeTextFaultMessage({ fault, position, character }: FreeTextFinding): Localized {
  switch (fault) {
    case FreeTextFault.control:
      return text(
        `містить керівний символ (${character}) на позиції ${position}; приберіть його`,
        `contains a control character (${character}) at position ${position}; remove it`,
      );
    case FreeTextFault.direction_override:
      return text(
        `містить символ зміни напрямку тексту (${character}) на позиції ${position}; приберіть його`,
        `contains a direction-override character (${character}) at position ${position}; remove it`,
      );
    case FreeTextFault.unpaired_surrogate:
      return text(
        `містить непарний сурогат (${character}) на позиції ${position}: це не символ Unicode`,
        `contains an unpaired surrogate (${character}) at position ${position}: it is not a Unicode character`,
      );
    case FreeTextFault.line_break:
      return text(
        `має бути одним рядком: на позиції ${position} розрив рядка (${character})`,
        `must be a single line: there is a line break (${character}) at position ${position}`,
      );
  }
}

/**
 * Letters, digits, punctuation, symbols, emoji: anything but whitespace and
 * invisible format characters (zero-width space, joiners, direction marks,
 * soft hyphen). A text that is not blank must hold at least one, or a title of
 * ten zero-width spaces would pass a minimum of ten.
 */
const VISIBLE = /[^\p{White_Space}\p{Cf}]/u;

/** Adds the issue for a forbidden character, if any; aborts the field's other checks. */
function refuseFaults(value: string, context: z.RefinementCtx, multiline: boolean, path: PropertyKey[] = []) {
  const finding = findFreeTextFault(value, { multiline });
  if (!finding) return;
  context.addIssue({
    code: 'custom',
    path,
    input: value,
    message: validationMessage(freeTextFaultMessage(finding)),
    continue: false,
  });
}

/**
 * A string without the characters {@link FreeTextFault} lists, and no other
 * rule: for a text with no length of its own to keep, such as an uploaded file.
 * Fields use {@link freeText}.
 * @example cleanText({ multiline: true }).min(1) // a pabulib file's text
 */
export function cleanText({ multiline }: { readonly multiline: boolean }) {
  return z.string().superRefine((value, context) => refuseFaults(value, context, multiline));
}

/** The rules of one free-text field; `min` and `max` keep zod's meaning (UTF-16 units). */
export interface FreeTextRules {
  /** Fewest characters after trimming. */
  readonly min?: number;
  readonly max: number;
  /** Whether line breaks (LF, CR, U+2028, U+2029) are allowed: text bodies yes, titles and names no. */
  readonly multiline: boolean;
  /**
   * Trim surrounding whitespace before measuring and storing (the default).
   * Off where the domain trims and counts itself (comments, Markdown).
   */
  readonly trim?: boolean;
}

/**
 * The one schema of a free-text field in a request: a string without control
 * or direction-override characters or unpaired surrogates (see
 * {@link FreeTextFault}), trimmed before its minimum is checked, so a text of
 * only spaces is empty, and holding something visible unless it is blank.
 * @example freeText({ min: 10, max: 200, multiline: false }) // a petition's title
 */
export function freeText({ min, max, multiline, trim = true }: FreeTextRules) {
  const checked = cleanText({ multiline });
  const trimmed = trim ? checked.trim() : checked;
  const bounded = (min === undefined ? trimmed : trimmed.min(min)).max(max);
  // A blank text is `min`'s to refuse (or, untrimmed, the domain's, as an empty comment): one issue is enough.
  return bounded.refine((value) => value.trim() === '' || VISIBLE.test(value), {
    error: validationMessage(
      text(
        'має містити видимий текст, а не лише невидимі символи',
        'must hold visible text, not only invisible characters',
      ),
    ),
  });
}

/**
 * The free-text strings anywhere inside a JSON value (a survey answer: text,
 * an option id or a list of them), each checked as multiline free text, with
 * the issue at the string's own path below `path`.
 */
export function refuseFaultsWithin(value: unknown, context: z.RefinementCtx, path: PropertyKey[]): void {
  if (typeof value === 'string') {
    refuseFaults(value, context, true, path);
  } else if (Array.isArray(value)) {
    for (const [at, item] of value.entries()) refuseFaultsWithin(item, context, [...path, at]);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) refuseFaultsWithin(item, context, [...path, key]);
  }
}
