import { describe, expect, it } from 'vitest';
import {
  anchorFor,
  DRAFT_LIMITS,
  type Draft,
  draftMarkdown,
  findBlock,
  parseDraft,
  sectionOf,
} from '../../../domain/consultations/draft';
import { sequence, succeeded } from './fixtures';

/** Each block as `S<level> heading` or `P text`, indented by its depth in the tree. */
function outline(draft: Draft): string[] {
  const depth = (parentId: string | null): number =>
    parentId === null ? 0 : 1 + depth(findBlock(draft, parentId)?.parentId ?? null);
  return draft.blocks.map(
    (block) =>
      `${'  '.repeat(depth(block.parentId))}${block.kind === 'section' ? `S${block.level} ${block.heading}` : `P ${block.text}`}`,
  );
}

const parse = (markdown: string): Draft => succeeded(parseDraft(markdown, sequence()));

describe('parseDraft', () => {
  it.each([
    ['paragraphs split by blank lines', 'one\ntwo\n\nthree', ['P one\ntwo', 'P three']],
    [
      'text before the first heading at the top level',
      'intro\n\n# A\n\nbody',
      ['P intro', 'S1 A', '  P body'],
    ],
    [
      'headings nested by level, a skipped level included',
      '# A\n\n### A.1\n\ndeep\n\n## A.2\n\n# B',
      ['S1 A', '  S3 A.1', '    P deep', '  S2 A.2', 'S1 B'],
    ],
    ['a heading that interrupts a paragraph', 'text\n## H\nmore', ['P text', 'S2 H', '  P more']],
    ['a closing run of #s dropped', '## Title ##', ['S2 Title']],
    ['C# kept: its # has no space before it', '# Learn C#', ['S1 Learn C#']],
    ['no space after # is no heading', '#hashtag\n\n####### seven', ['P #hashtag', 'P ####### seven']],
    ['an empty heading', '#\n\ntext', ['S1 ', '  P text']],
    [
      'a list, blank lines between its items included, as one paragraph',
      '- a\n- b\n\n- c\n\n  continued\n\nafter',
      ['P - a\n- b\n\n- c\n\n  continued', 'P after'],
    ],
    ['an ordered list as one paragraph', '1. first\n\n2) second', ['P 1. first\n\n2) second']],
    [
      'a fenced code block, never split, headings inside ignored',
      'before\n```md\n# not a heading\n\nstill code\n```\nafter',
      ['P before', 'P ```md\n# not a heading\n\nstill code\n```', 'P after'],
    ],
    ['a tilde fence closed only by a long enough run', '~~~~\n~~~\n# x\n~~~~', ['P ~~~~\n~~~\n# x\n~~~~']],
    ['an unclosed fence, to the end', '```\n# a\n\nb', ['P ```\n# a\n\nb']],
    [
      'an indented fence inside a list item',
      '- item\n  ```\n  # code\n\n  more\n  ```\n- next',
      ['P - item\n  ```\n  # code\n\n  more\n  ```\n- next'],
    ],
    ['CRLF line ends', '# A\r\n\r\nbody\r\n', ['S1 A', '  P body']],
  ])('reads %s', (_case, markdown, expected) => {
    expect(outline(parse(markdown))).toEqual(expected);
  });

  it('takes an explicit {#id} and gives the other blocks new ids', () => {
    const draft = parse('# Goals {#goals}\n\nLess traffic.\n\n## Steps\n');

    expect(draft.blocks.map((block) => [block.id, block.parentId])).toEqual([
      ['goals', null],
      ['B001', 'goals'],
      ['B002', 'goals'],
    ]);
    expect(draft.blocks[0]).toMatchObject({ heading: 'Goals', explicitId: true });
  });

  it('keeps braces that are not an id as heading text', () => {
    expect(outline(parse('# Plan {#Not An Id}'))).toEqual(['S1 Plan {#Not An Id}']);
  });

  it.each([
    ['draft_empty', ' \n\t\n', {}],
    ['duplicate_block_id', '# A {#x}\n\n# B {#x}', { blockId: 'x' }],
    ['duplicate_block_id', '# Whole {#whole}', { blockId: 'whole' }],
    ['draft_too_large', 'я'.repeat(100_001), { maxBytes: 200_000, bytes: 200_002 }],
    ['too_many_sections', '# s\n\n'.repeat(501), { maxSections: 500, sections: 501 }],
    ['too_many_paragraphs', 'p\n\n'.repeat(2_001), { maxParagraphs: 2_000, paragraphs: 2_001 }],
  ])('refuses with %s', (code, markdown, details) => {
    const outcome = parseDraft(markdown, sequence());

    expect(outcome.ok || outcome.error.code).toBe(code);
    expect(outcome.ok || outcome.error.details).toMatchObject(details);
    expect(outcome.ok || outcome.error.message.uk.length).toBeGreaterThan(0);
  });

  it('accepts a draft at each limit exactly', () => {
    const atLimits = `${'# s\n\n'.repeat(DRAFT_LIMITS.maxSections)}${'p\n\n'.repeat(DRAFT_LIMITS.maxParagraphs)}`;

    expect(parseDraft(atLimits, sequence()).ok).toBe(true);
    expect(parseDraft('я'.repeat(DRAFT_LIMITS.maxBytes / 2), sequence()).ok).toBe(true);
  });

  it('throws when the id generator repeats itself: two blocks must never share an id', () => {
    const stuck = { next: () => 'SAME', secret: () => 'SAME' };

    expect(() => parseDraft('a\n\nb', stuck)).toThrow(/SAME/);
  });
});

describe('draftMarkdown', () => {
  it('writes a draft back so that parsing it again gives the same blocks', () => {
    const draft = parse('intro\n\n\n# A {#a}\n\n- x\n\n- y\n\n## B ##\n\n```\n#\n\n```\n');

    const again = parse(draftMarkdown(draft));

    expect(outline(again)).toEqual(outline(draft));
    expect(draftMarkdown(again)).toBe(draftMarkdown(draft));
    expect(draftMarkdown(draft)).toContain('# A {#a}');
  });
});

describe('sectionOf and anchorFor within one version', () => {
  const draft = parse('intro\n\n# A\n\nbody\n\n## A.1\n\ndeep');
  const [intro, a, body, a1, deep] = draft.blocks.map((block) => block.id);

  it.each([
    ['the whole consultation', { kind: 'whole' } as const, undefined],
    ['text before the first heading', { kind: 'paragraph', id: intro } as const, undefined],
    ['a section', { kind: 'section', id: a } as const, a],
    ['a paragraph', { kind: 'paragraph', id: body } as const, a],
    ['a paragraph of a subsection', { kind: 'paragraph', id: deep } as const, a1],
    ['an id the draft never had', { kind: 'paragraph', id: 'nope' } as const, undefined],
  ])('lists %s under its nearest section', (_case, target, section) => {
    expect(sectionOf(draft, target as Parameters<typeof sectionOf>[1])).toBe(section);
  });

  it('anchors a block that is there to itself and an unknown id to the whole consultation', () => {
    expect(anchorFor(draft, { kind: 'paragraph', id: deep as string })).toEqual({
      kind: 'paragraph',
      id: deep,
    });
    expect(anchorFor(draft, { kind: 'section', id: 'constructor' })).toEqual({ kind: 'whole' });
  });
});
