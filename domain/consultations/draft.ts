import type { IdGenerator } from '../shared/clock';
import { text } from '../shared/localized';
import { fail, type Outcome, ok } from '../shared/outcome';
import { matchBlocks } from './block-matching';
import { EXPLICIT_ID_PATTERN, type HeadingLevel, type ScannedBlock, scanMarkdown } from './markdown-blocks';

/**
 * Limits of one draft version: a council's regulation fits easily, a whole code
 * of law does not (split it into several consultations). Near these limits a
 * version's JSON (text plus ids) outgrows one DynamoDB item (400 KB), so it is
 * stored apart from the consultation, compressed.
 */
export const DRAFT_LIMITS = {
  /** UTF-8 bytes of the Markdown. */
  maxBytes: 200_000,
  maxSections: 500,
  maxParagraphs: 2_000,
} as const;

export interface DraftSection {
  readonly kind: 'section';
  readonly id: string;
  /** The enclosing section; null at the top level. */
  readonly parentId: string | null;
  readonly level: HeadingLevel;
  readonly heading: string;
  /** The author wrote `{#id}`; kept so that {@link draftMarkdown} writes it back. */
  readonly explicitId: boolean;
}

export interface DraftParagraph {
  readonly kind: 'paragraph';
  readonly id: string;
  /** The enclosing section; null for text before the first heading. */
  readonly parentId: string | null;
  /** Markdown source of the block. */
  readonly text: string;
}

export type DraftBlock = DraftSection | DraftParagraph;

/**
 * One published version of a consultation's draft: its blocks in document order,
 * each with a stable id and its parent, and where every block of an earlier
 * version that is gone used to hang. With `retired`, one version is enough to
 * say where any comment ever made now attaches ({@link anchorFor}).
 */
export interface Draft {
  readonly version: number;
  readonly blocks: readonly DraftBlock[];
  /** A removed block's id → its parent when it was last published (null: the top level). */
  readonly retired: Readonly<Record<string, string | null>>;
}

/** What a comment is about: the whole consultation, a section or a paragraph. */
export type DraftTarget =
  | { readonly kind: 'whole' }
  | { readonly kind: 'section' | 'paragraph'; readonly id: string };

export const WHOLE: DraftTarget = { kind: 'whole' };

/** The id that names the whole consultation where a block id is expected (`?section=whole`). */
export const WHOLE_ID = 'whole';

/** The version before the first: parsing a draft is revising nothing. */
const NO_DRAFT: Draft = { version: 0, blocks: [], retired: {} };

/**
 * Parses the first version of a draft; every block gets a new id, or its `{#id}`.
 *
 * Outcomes: ok; `draft_too_large`, `too_many_sections`, `too_many_paragraphs`
 * (each with the limit and the actual number); `draft_empty`; `duplicate_block_id`.
 * @example parseDraft('# Мета\n\nМенше заторів.', ids) // → version 1, a section and its paragraph
 */
export function parseDraft(markdown: string, ids: IdGenerator): Outcome<Draft> {
  return reviseDraft(NO_DRAFT, markdown, ids);
}

/**
 * The next version of a draft. Blocks that are unchanged, moved or lightly
 * edited keep their ids ({@link matchBlocks} says how); the others get new ids;
 * blocks that are gone join `retired` under their last parent.
 *
 * Outcomes: as {@link parseDraft}.
 */
export function reviseDraft(previous: Draft, markdown: string, ids: IdGenerator): Outcome<Draft> {
  const bytes = new TextEncoder().encode(markdown).length;
  if (bytes > DRAFT_LIMITS.maxBytes) {
    return fail(
      'draft_too_large',
      text(
        `Проєкт документа завеликий: ${bytes} байтів, можна щонайбільше ${DRAFT_LIMITS.maxBytes}. Розділіть його на кілька консультацій.`,
        `The draft is too large: ${bytes} bytes, at most ${DRAFT_LIMITS.maxBytes} are allowed. Split it into several consultations.`,
      ),
      { maxBytes: DRAFT_LIMITS.maxBytes, bytes },
    );
  }
  const scanned = scanMarkdown(markdown);
  const refusal = sizeRefusal(scanned);
  if (refusal) return refusal;
  const assigned = matchBlocks(previous.blocks, scanned);
  const used = new Set(assigned.filter((id) => id !== undefined));
  const finalIds = assigned.map((id) => id ?? freshId(ids, used, previous.retired));
  const blocks = scanned.map((block, index) => withId(block, finalIds, index));
  return ok({ version: previous.version + 1, blocks, retired: retiredAfter(previous, new Set(finalIds)) });
}

function sizeRefusal(scanned: readonly ScannedBlock[]): Outcome<never> | undefined {
  if (scanned.length === 0) {
    return fail(
      'draft_empty',
      text(
        'Проєкт документа порожній: додайте текст для обговорення.',
        'The draft is empty: add the text to be discussed.',
      ),
    );
  }
  const sections = scanned.filter((block) => block.kind === 'section').length;
  if (sections > DRAFT_LIMITS.maxSections) {
    return fail(
      'too_many_sections',
      text(
        `У проєкті ${sections} розділів, можна щонайбільше ${DRAFT_LIMITS.maxSections}.`,
        `The draft has ${sections} sections; at most ${DRAFT_LIMITS.maxSections} are allowed.`,
      ),
      { maxSections: DRAFT_LIMITS.maxSections, sections },
    );
  }
  const paragraphs = scanned.length - sections;
  if (paragraphs > DRAFT_LIMITS.maxParagraphs) {
    return fail(
      'too_many_paragraphs',
      text(
        `У проєкті ${paragraphs} абзаців, можна щонайбільше ${DRAFT_LIMITS.maxParagraphs}.`,
        `The draft has ${paragraphs} paragraphs; at most ${DRAFT_LIMITS.maxParagraphs} are allowed.`,
      ),
      { maxParagraphs: DRAFT_LIMITS.maxParagraphs, paragraphs },
    );
  }
  // `whole` names the consultation as a whole in lists (`?section=whole`): no heading may take it.
  const seen = new Set<string>([WHOLE_ID]);
  for (const block of scanned) {
    if (block.kind !== 'section' || !block.explicitId) continue;
    if (seen.has(block.explicitId)) {
      return fail(
        'duplicate_block_id',
        text(
          `Ідентифікатор {#${block.explicitId}} ужито в кількох заголовках або він зарезервований («${WHOLE_ID}»); кожен має бути унікальним.`,
          `The id {#${block.explicitId}} is used on more than one heading, or is reserved ("${WHOLE_ID}"); each must be unique.`,
        ),
        { blockId: block.explicitId, pattern: EXPLICIT_ID_PATTERN },
      );
    }
    seen.add(block.explicitId);
  }
  return undefined;
}

/** An id from the generator; a clash with a used or retired id would silently merge two blocks, so it throws. */
function freshId(ids: IdGenerator, used: Set<string>, retired: Draft['retired']): string {
  const id = ids.next();
  if (used.has(id) || Object.hasOwn(retired, id)) {
    throw new Error(`The id generator returned ${id}, an id the draft already uses`);
  }
  used.add(id);
  return id;
}

function withId(block: ScannedBlock, finalIds: readonly string[], index: number): DraftBlock {
  const id = finalIds[index] as string;
  const parentId = block.parentIndex === null ? null : (finalIds[block.parentIndex] as string);
  return block.kind === 'section'
    ? {
        kind: 'section',
        id,
        parentId,
        level: block.level,
        heading: block.heading,
        explicitId: block.explicitId !== undefined,
      }
    : { kind: 'paragraph', id, parentId, text: block.text };
}

function retiredAfter(previous: Draft, present: ReadonlySet<string>): Record<string, string | null> {
  const retired: Record<string, string | null> = {};
  for (const [id, parentId] of Object.entries(previous.retired)) {
    if (!present.has(id)) retired[id] = parentId;
  }
  for (const block of previous.blocks) {
    if (!present.has(block.id)) retired[block.id] = block.parentId;
  }
  return retired;
}

const indexes = new WeakMap<Draft, ReadonlyMap<string, DraftBlock>>();

/** The draft's blocks by id, built once per draft value. */
function blockIndex(draft: Draft): ReadonlyMap<string, DraftBlock> {
  let index = indexes.get(draft);
  if (!index) {
    index = new Map(draft.blocks.map((block) => [block.id, block]));
    indexes.set(draft, index);
  }
  return index;
}

/** The block with this id in this version, if it is there. */
export function findBlock(draft: Draft, id: string): DraftBlock | undefined {
  return blockIndex(draft).get(id);
}

/**
 * Where a comment made on any earlier version attaches in this one: its own
 * block if it survived; else the nearest ancestor that did, following each
 * removed block to the parent it last had; else the whole consultation.
 * @example anchorFor(v2, { kind: 'paragraph', id: removedParagraph }) // → { kind: 'section', id: itsSection }
 */
export function anchorFor(draft: Draft, target: DraftTarget): DraftTarget {
  if (target.kind === 'whole') return WHOLE;
  const visited = new Set<string>();
  let id: string | null = target.id;
  while (id !== null && !visited.has(id)) {
    visited.add(id);
    const block = findBlock(draft, id);
    if (block) return { kind: block.kind, id: block.id };
    id = Object.hasOwn(draft.retired, id) ? (draft.retired[id] as string | null) : null;
  }
  return WHOLE;
}

/**
 * The section a target is listed and counted under: a section itself, a
 * paragraph's enclosing section; undefined for the whole consultation and for
 * text before the first heading. The target must be in this version (anchor it first).
 */
export function sectionOf(draft: Draft, target: DraftTarget): string | undefined {
  if (target.kind === 'whole') return undefined;
  const block = findBlock(draft, target.id);
  if (!block) return undefined;
  return block.kind === 'section' ? block.id : (block.parentId ?? undefined);
}

/**
 * The Markdown of a version, as stored: blocks separated by one blank line,
 * explicit ids written back. Publishing it again changes no id.
 */
export function draftMarkdown(draft: Draft): string {
  const sources = draft.blocks.map((block) =>
    block.kind === 'paragraph'
      ? block.text
      : ['#'.repeat(block.level), block.heading, block.explicitId ? `{#${block.id}}` : '']
          .filter((part) => part !== '')
          .join(' '),
  );
  return `${sources.join('\n\n')}\n`;
}
