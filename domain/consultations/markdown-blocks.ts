/**
 * The block structure of a Markdown draft, without ids: just enough Markdown to
 * find the units people comment on. It is not a renderer; it only decides where
 * a section or a paragraph begins and ends.
 *
 * - An ATX heading (`#` to `######`, then a space or the end of the line) opens a
 *   section, nested under the nearest open section of a lower level. Setext
 *   headings (text underlined with `===`) are not sections: councils' drafts
 *   are written with `#`, and an underline stays part of its paragraph.
 * - Blank lines separate paragraphs. A list is one paragraph, blank lines between
 *   its items included, because a list is read and answered as one provision.
 * - A fenced code block (```` ``` ```` or `~~~`) is never split and may hold
 *   lines that look like headings; an unclosed fence runs to the end, as in CommonMark.
 */

export type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;

export interface ScannedSection {
  readonly kind: 'section';
  readonly level: HeadingLevel;
  readonly heading: string;
  /** From `{#id}` at the end of the heading line. */
  readonly explicitId?: string;
  /** Index (in the scanned list) of the enclosing section; null at the top level. */
  readonly parentIndex: number | null;
}

export interface ScannedParagraph {
  readonly kind: 'paragraph';
  /** The block's Markdown source, lines as written, without surrounding blank lines. */
  readonly text: string;
  readonly parentIndex: number | null;
}

export type ScannedBlock = ScannedSection | ScannedParagraph;

/** What an explicit id may be: lower-case, so it never collides with a generated (upper-case) ULID. */
export const EXPLICIT_ID_PATTERN = '[a-z0-9][a-z0-9_-]{0,63}';
const EXPLICIT_ID = new RegExp(`[ \\t]*\\{#(${EXPLICIT_ID_PATTERN})\\}$`);
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
/** A closing run of `#`s, which CommonMark drops when a space precedes it. */
const CLOSING_HASHES = /(?:^|[ \t]+)#+[ \t]*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
const INDENTED = /^(?: {2,}|\t)/;
const BLANK = /^[ \t]*$/;

interface Fence {
  readonly marker: string;
  /** An indented fence inside a list belongs to the list item and does not end the block. */
  readonly inList: boolean;
}

function parseHeading(line: string): Omit<ScannedSection, 'parentIndex'> | undefined {
  const match = HEADING.exec(line);
  if (!match) return undefined;
  const level = (match[1] as string).length as HeadingLevel;
  let content = (match[2] ?? '').replace(CLOSING_HASHES, '').trim();
  const explicit = EXPLICIT_ID.exec(content);
  if (explicit) content = content.slice(0, explicit.index).trim();
  return explicit
    ? { kind: 'section', level, heading: content, explicitId: explicit[1] as string }
    : { kind: 'section', level, heading: content };
}

/** A run of the fence's character at least as long as its opening, alone on its line. */
function closesFence(line: string, fence: Fence): boolean {
  const trimmed = line.trim();
  const char = fence.marker[0] as string;
  return trimmed.length >= fence.marker.length && [...trimmed].every((c) => c === char);
}

/**
 * Splits a Markdown draft into sections and paragraphs, in document order.
 * @example scanMarkdown('# Goals\n\nLess traffic.') // → [section "Goals", paragraph under it]
 */
export function scanMarkdown(markdown: string): ScannedBlock[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: ScannedBlock[] = [];
  /** Open sections, outermost first: a heading closes those of its level and deeper. */
  const openSections: { level: HeadingLevel; index: number }[] = [];
  let current: string[] = [];
  let currentIsList = false;
  let blankInList = false;
  let fence: Fence | undefined;

  const parentIndex = (): number | null => openSections.at(-1)?.index ?? null;
  const flush = () => {
    if (current.length > 0)
      blocks.push({ kind: 'paragraph', text: current.join('\n'), parentIndex: parentIndex() });
    current = [];
    currentIsList = false;
    blankInList = false;
  };

  for (const line of lines) {
    if (fence) {
      current.push(line);
      if (closesFence(line, fence)) {
        if (!fence.inList) flush();
        fence = undefined;
      }
      continue;
    }
    if (BLANK.test(line)) {
      if (currentIsList) blankInList = true;
      else flush();
      continue;
    }
    if (blankInList) {
      // A list goes on after a blank line only with another item or an indented continuation.
      if (LIST_ITEM.test(line) || INDENTED.test(line)) {
        current.push('');
        blankInList = false;
      } else {
        flush();
      }
    }
    const heading = parseHeading(line);
    if (heading) {
      flush();
      while ((openSections.at(-1)?.level ?? 0) >= heading.level) openSections.pop();
      blocks.push({ ...heading, parentIndex: parentIndex() });
      openSections.push({ level: heading.level, index: blocks.length - 1 });
      continue;
    }
    const fenceOpen = FENCE_OPEN.exec(line);
    if (fenceOpen) {
      const inList = currentIsList && INDENTED.test(line);
      if (inList) current.push(line);
      else {
        flush();
        current = [line];
      }
      fence = { marker: fenceOpen[1] as string, inList };
      continue;
    }
    if (current.length === 0) currentIsList = LIST_ITEM.test(line);
    current.push(line);
  }
  flush();
  return blocks;
}
