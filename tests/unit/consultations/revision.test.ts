import { describe, expect, it } from 'vitest';
import { postComment } from '../../../domain/consultations/commands/post-comment';
import { publishRevision } from '../../../domain/consultations/commands/publish-revision';
import type { Comment } from '../../../domain/consultations/comment';
import {
  anchorFor,
  type Draft,
  type DraftBlock,
  type DraftTarget,
  parseDraft,
  reviseDraft,
} from '../../../domain/consultations/draft';
import { commentCounts } from '../../../domain/consultations/ranking';
import { contextAt, council, openConsultation, resident, rules, sequence, succeeded } from './fixtures';

/** A block's label: its heading, or the first words of its text. */
const labelOf = (block: DraftBlock): string =>
  block.kind === 'section' ? block.heading : block.text.split('\n')[0]!.split(' ').slice(0, 3).join(' ');

/** Where a target is now, as a label; `whole` for the whole consultation. */
function anchoredLabel(draft: Draft, target: DraftTarget): string {
  const anchor = anchorFor(draft, target);
  if (anchor.kind === 'whole') return 'whole';
  return labelOf(draft.blocks.find((block) => block.id === anchor.id)!);
}

const VERSION_1 = `Преамбула до порядку.

# 1. Загальні положення {#general}

Цей порядок визначає правила благоустрою центру міста.

Він діє на всій території громади.

## 1.1 Терміни

Пішохідна зона — територія без руху автомобілів.

Велосмуга — частина дороги для велосипедистів.

# 2. Транспорт

Рух вантажівок у центрі обмежується з 7:00 до 20:00.

- вулиця Шевченка
- вулиця Франка

Паркування на тротуарах заборонене.

## 2.1 Велосипеди

Місто облаштує 10 км велосмуг до 2028 року.

# 3. Фінансування

Кошти передбачаються в місцевому бюджеті громади.

Залучаються гранти міжнародних донорів.

# 4. Прикінцеві положення

Порядок набирає чинності з дня оприлюднення.
`;

/**
 * Every kind of change at once: an edited paragraph (1, 2), a removed paragraph
 * (1), two paragraphs swapped (1.1), sections 2 and 3 swapped, a renamed
 * section (3), a list with an added item, a paragraph moved to another section
 * (parking), a removed subsection (2.1), a removed top-level section (4) and an
 * inserted section (2.2).
 */
const VERSION_2 = `Преамбула до порядку.

# 1. Загальні засади {#general}

Цей порядок визначає правила благоустрою історичного центру міста.

Паркування на тротуарах заборонене.

## 1.1 Терміни

Велосмуга — частина дороги для велосипедистів.

Пішохідна зона — територія без руху автомобілів.

# 3. Фінансування заходів

Кошти передбачаються в місцевому бюджеті громади.

Залучаються гранти міжнародних донорів.

# 2. Транспорт

Рух вантажівок у центрі обмежується з 7:00 до 21:00.

- вулиця Шевченка
- вулиця Франка
- вулиця Лесі Українки

## 2.2 Пішоходи

Тротуари розширюються до трьох метрів.
`;

/** Where each version-1 block's comments must attach in version 2 (by label). */
const EXPECTED_IN_VERSION_2: Record<string, string> = {
  whole: 'whole',
  'Преамбула до порядку.': 'Преамбула до порядку.',
  '1. Загальні положення': '1. Загальні засади',
  'Цей порядок визначає': 'Цей порядок визначає',
  'Він діє на': '1. Загальні засади',
  '1.1 Терміни': '1.1 Терміни',
  'Пішохідна зона —': 'Пішохідна зона —',
  'Велосмуга — частина': 'Велосмуга — частина',
  '2. Транспорт': '2. Транспорт',
  'Рух вантажівок у': 'Рух вантажівок у',
  '- вулиця Шевченка': '- вулиця Шевченка',
  'Паркування на тротуарах': 'Паркування на тротуарах',
  '2.1 Велосипеди': '2. Транспорт',
  'Місто облаштує 10': '2. Транспорт',
  '3. Фінансування': '3. Фінансування заходів',
  'Кошти передбачаються в': 'Кошти передбачаються в',
  'Залучаються гранти міжнародних': 'Залучаються гранти міжнародних',
  '4. Прикінцеві положення': 'whole',
  'Порядок набирає чинності': 'whole',
};

/** Version 3 drops section 2 with everything in it, the section added in version 2 included. */
const VERSION_3 = VERSION_2.slice(0, VERSION_2.indexOf('# 2. Транспорт'));

describe('publishing a revised draft keeps every comment attached', () => {
  const { consultation, draft: version1 } = openConsultation(VERSION_1);
  const commenter = contextAt(resident('r1'), '2026-11-22T10:00:00.000Z', sequence('K'));
  const comment = (draft: Draft, target: DraftTarget): Comment =>
    succeeded(
      postComment(commenter, rules(), { ...consultation, currentVersion: draft.version }, draft, {
        target,
        stance: 'neutral',
        text: 'Коментар',
      }),
    );
  const onVersion1 = [
    comment(version1, { kind: 'whole' }),
    ...version1.blocks.map((block) => comment(version1, { kind: block.kind, id: block.id })),
  ];
  const labelsOnVersion1 = onVersion1.map((posted) => anchoredLabel(version1, posted.target));
  const revised = succeeded(
    publishRevision(contextAt(council, undefined, sequence('R')), consultation, version1, VERSION_2),
  );
  const version2 = revised.draft;

  it('places a comment on the whole consultation and on every section and paragraph', () => {
    expect([...labelsOnVersion1].sort()).toEqual(Object.keys(EXPECTED_IN_VERSION_2).sort());
  });

  it.each(Object.entries(EXPECTED_IN_VERSION_2))(
    'attaches the comment on «%s» to «%s»',
    (label, expected) => {
      const posted = onVersion1[labelsOnVersion1.indexOf(label)]!;

      expect(posted.draftVersion).toBe(1);
      expect(anchoredLabel(version2, posted.target)).toBe(expected);
    },
  );

  it('attaches each to its own block when it survived, else to its nearest surviving ancestor', () => {
    const inVersion2 = (id: string | null) => version2.blocks.some((block) => block.id === id);
    const parentInVersion1 = (id: string | null) =>
      version1.blocks.find((block) => block.id === id)?.parentId ?? null;
    for (const posted of onVersion1) {
      if (posted.target.kind === 'whole') continue;
      let nearest: string | null = parentInVersion1(posted.target.id);
      while (nearest !== null && !inVersion2(nearest)) nearest = parentInVersion1(nearest);

      const anchor = anchorFor(version2, posted.target);

      expect(anchor).toEqual(
        inVersion2(posted.target.id)
          ? posted.target
          : nearest === null
            ? { kind: 'whole' }
            : { kind: 'section', id: nearest },
      );
    }
  });

  it('gives new ids only to the inserted blocks', () => {
    const known = new Set(version1.blocks.map((block) => block.id));

    expect(version2.blocks.filter((block) => !known.has(block.id)).map(labelOf)).toEqual([
      '2.2 Пішоходи',
      'Тротуари розширюються до',
    ]);
  });

  it('follows removed blocks across later versions to the ancestor that still stands', () => {
    const onVersion2 = comment(version2, {
      kind: 'paragraph',
      id: version2.blocks.find((block) => labelOf(block) === 'Тротуари розширюються до')!.id,
    });
    const version3 = succeeded(reviseDraft(version2, VERSION_3, sequence('T')));

    expect(anchoredLabel(version3, onVersion2.target)).toBe('whole');
    expect(anchoredLabel(version3, onVersion1[labelsOnVersion1.indexOf('Місто облаштує 10')]!.target)).toBe(
      'whole',
    );
    expect(anchoredLabel(version3, onVersion1[labelsOnVersion1.indexOf('Він діє на')]!.target)).toBe(
      '1. Загальні засади',
    );
    expect(anchoredLabel(version3, onVersion1[labelsOnVersion1.indexOf('Велосмуга — частина')]!.target)).toBe(
      'Велосмуга — частина',
    );
  });

  it('counts the comments per section where they attach now', () => {
    const counts = commentCounts(version2, onVersion1);
    const transport = version2.blocks.find((block) => labelOf(block) === '2. Транспорт')!.id;

    // Section 2 itself, its two surviving paragraphs, and 2.1 with its paragraph.
    expect(counts.bySection[transport]?.total).toBe(5);
    // The whole consultation, the preamble, and section 4 with its paragraph.
    expect(counts.whole.total).toBe(4);
    expect(counts.all.total).toBe(onVersion1.length);
  });
});

describe('matching blocks between versions', () => {
  const parse = (markdown: string): Draft => succeeded(parseDraft(markdown, sequence('A')));
  const revise = (previous: Draft, markdown: string): Draft =>
    succeeded(reviseDraft(previous, markdown, sequence('N')));
  const ids = (draft: Draft): string[] => draft.blocks.map((block) => block.id);

  it.each([
    ['unchanged text', '# A\n\nx y z', '# A\n\nx y z', ['A001', 'A002']],
    ['whitespace-only edits', '# A\n\nx y z', '#   A  \n\nx\ny   z', ['A001', 'A002']],
    ['a heading moved to another level', '# A\n\n# B', '# A\n\n## B', ['A001', 'A002']],
    ['a heading whose case changed', '# Budget', '# BUDGET', ['A001']],
    [
      'a paragraph rewritten beyond recognition',
      '# A\n\nthe old text here',
      '# A\n\ncompletely different words',
      ['A001', 'N001'],
    ],
    [
      'a new paragraph between two',
      'one two\n\nthree four',
      'one two\n\nnew\n\nthree four',
      ['A001', 'N001', 'A002'],
    ],
  ])('keeps ids through %s', (_case, before, after, expected) => {
    expect(ids(revise(parse(before), after))).toEqual(expected);
  });

  it('gives a repeated text the copy under the same parent', () => {
    const before = parse('# A\n\nSee annex.\n\n# B\n\nSee annex.');

    const after = revise(before, '# B\n\nSee annex.\n\n# A\n\nSee annex.');

    expect(after.blocks.map((block) => [block.id, block.parentId])).toEqual([
      ['A003', null],
      ['A004', 'A003'],
      ['A001', null],
      ['A002', 'A001'],
    ]);
  });

  it('lets an explicit id win over the text', () => {
    const before = parse('# Old name {#budget}\n\n# Budget');

    const after = revise(before, '# Budget {#budget}');

    expect(ids(after)).toEqual(['budget']);
    expect(anchorFor(after, { kind: 'section', id: 'A001' })).toEqual({ kind: 'whole' });
  });

  it('brings an explicit id back, with the comments made on it', () => {
    const before = parse('# Annex {#annex}\n\ntext');
    const without = revise(before, 'text');

    const restored = revise(without, '# Annex again {#annex}\n\ntext');

    expect(anchorFor(without, { kind: 'section', id: 'annex' })).toEqual({ kind: 'whole' });
    expect(anchorFor(restored, { kind: 'section', id: 'annex' })).toEqual({ kind: 'section', id: 'annex' });
  });
});
