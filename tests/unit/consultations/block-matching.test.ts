import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MATCH_LIMITS, type MatchWork, matchBlocks } from '../../../domain/consultations/block-matching';
import {
  anchorFor,
  type Draft,
  type DraftBlock,
  parseDraft,
  reviseDraft,
} from '../../../domain/consultations/draft';
import { scanMarkdown } from '../../../domain/consultations/markdown-blocks';
import { sequence, succeeded } from './fixtures';

/**
 * Invariants of matching blocks between versions, on drafts made at random,
 * and the bound on its work on the largest allowed draft.
 */

const parse = (markdown: string): Draft => succeeded(parseDraft(markdown, sequence('A')));
const revise = (previous: Draft, markdown: string, prefix = 'N'): Draft =>
  succeeded(reviseDraft(previous, markdown, sequence(prefix)));

/** Few distinct words, so that many paragraphs look alike and the similarity passes have choices to make. */
const word = fc.constantFrom(
  'рух',
  'парк',
  'вулиця',
  'бюджет',
  'школа',
  'міст',
  'сквер',
  'дорога',
  'light',
  'bus',
);
const sentence = fc.array(word, { minLength: 1, maxLength: 8 }).map((words) => words.join(' '));
const heading = fc
  .tuple(fc.integer({ min: 1, max: 3 }), sentence)
  .map(([level, title]) => `${'#'.repeat(level)} ${title}`);
const draftSource = fc.array(
  fc.oneof({ arbitrary: sentence, weight: 4 }, { arbitrary: heading, weight: 1 }),
  {
    minLength: 1,
    maxLength: 40,
  },
);

/** A revision made of the previous blocks: each kept, edited (a word replaced or added) or removed, some new ones, some moved. */
const revisionOf = (sources: readonly string[]) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.constantFrom('keep', 'edit', 'add', 'remove'), word, fc.nat()), {
        minLength: sources.length,
        maxLength: sources.length,
      }),
      fc.array(fc.tuple(fc.nat(), sentence), { maxLength: 5 }),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 5 }),
    )
    .map(([changes, insertions, moves]) => {
      const next = sources.flatMap((source, at) => {
        const [change, newWord, position] = changes[at] as [string, string, number];
        if (change === 'remove') return [];
        if (change === 'add') return [`${source} ${newWord}`];
        if (change === 'edit') {
          const words = source.split(' ');
          const replaced = 1 + (position % Math.max(1, words.length - 1));
          return [[...words.slice(0, replaced), newWord, ...words.slice(replaced + 1)].join(' ')];
        }
        return [source];
      });
      for (const [at, inserted] of insertions) next.splice(at % (next.length + 1), 0, inserted);
      for (const [from, to] of moves) {
        if (next.length === 0) break;
        const [moved] = next.splice(from % next.length, 1);
        next.splice(to % (next.length + 1), 0, moved as string);
      }
      return next.length === 0 ? ['x'] : next;
    });

const draftAndRevision = draftSource.chain((sources) =>
  revisionOf(sources).map((revised) => [sources.join('\n\n'), revised.join('\n\n')] as const),
);

/** The previous version's ancestors of a block, nearest first. */
function ancestorsOf(draft: Draft, block: DraftBlock): string[] {
  const byId = new Map(draft.blocks.map((each) => [each.id, each]));
  const ancestors: string[] = [];
  for (let parent = block.parentId; parent !== null; parent = byId.get(parent)?.parentId ?? null) {
    ancestors.push(parent);
  }
  return ancestors;
}

describe('matching blocks between versions, on any draft', () => {
  it('keeps every previous block, or retires it under its last parent and anchors it to its nearest surviving ancestor', () => {
    fc.assert(
      fc.property(draftAndRevision, ([before, after]) => {
        const previous = parse(before);
        const next = revise(previous, after);
        const present = new Set(next.blocks.map((block) => block.id));

        for (const block of previous.blocks) {
          if (present.has(block.id)) {
            expect(next.retired).not.toHaveProperty(block.id);
            expect(anchorFor(next, { kind: block.kind, id: block.id })).toEqual({
              kind: block.kind,
              id: block.id,
            });
            continue;
          }
          expect(next.retired[block.id]).toBe(block.parentId);
          const nearest = ancestorsOf(previous, block).find((id) => present.has(id));
          expect(anchorFor(next, { kind: block.kind, id: block.id })).toEqual(
            nearest === undefined ? { kind: 'whole' } : { kind: 'section', id: nearest },
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives every block its own id, never one of a retired block', () => {
    fc.assert(
      fc.property(draftAndRevision, draftSource, ([before, after], third) => {
        const next = revise(revise(parse(before), after), third.join('\n\n'), 'T');
        const ids = next.blocks.map((block) => block.id);

        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) expect(next.retired).not.toHaveProperty(id);
      }),
      { numRuns: 200 },
    );
  });

  it('changes no id when the text is published again unchanged', () => {
    fc.assert(
      fc.property(draftAndRevision, ([before, after]) => {
        const previous = revise(parse(before), after);

        const again = revise(previous, after, 'T');

        expect(again.blocks).toEqual(previous.blocks);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the ids of whole paragraphs put in another order', () => {
    const distinctParagraphs = fc.uniqueArray(sentence, { minLength: 2, maxLength: 80 });
    fc.assert(
      fc.property(
        distinctParagraphs.chain((paragraphs) =>
          fc
            .shuffledSubarray(paragraphs, { minLength: paragraphs.length })
            .map((shuffled): [string[], string[]] => [paragraphs, shuffled]),
        ),
        ([paragraphs, shuffled]) => {
          const previous = parse(['# Розділ', ...paragraphs].join('\n\n'));
          const idOf = new Map(
            previous.blocks.map((block) => [block.kind === 'paragraph' ? block.text : '', block.id]),
          );

          const next = revise(previous, ['# Розділ', ...shuffled].join('\n\n'));

          expect(next.blocks.map((block) => block.id)).toEqual([
            previous.blocks[0]?.id,
            ...shuffled.map((text) => idOf.get(text)),
          ]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** Paragraphs of about 56 bytes from a few Latin words, each one different (a number in it). */
function paragraphs(count: number): string[] {
  const words = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'elit', 'sed', 'tempor', 'magna', 'aliqua'];
  return Array.from(
    { length: count },
    (_, at) =>
      [0, 3, 7, 1, 4].map((step) => words[(at * 7 + step * (at % 3) + step) % words.length]).join(' ') +
      ` item ${at} of the plan.`,
  );
}

/** A draft of one section holding every paragraph: the largest group the similarity pass can meet. */
const oneSection = (texts: readonly string[]): string => ['# Plan', ...texts].join('\n\n');

/** Matches a revision of `count` paragraphs, each one edited, counting the work. */
function allEdited(count: number, reorder: (texts: string[]) => string[] = (texts) => texts) {
  const texts = paragraphs(count);
  const previous = parse(oneSection(texts));
  const work: MatchWork = { comparisons: 0, postingsVisited: 0 };
  const assigned = matchBlocks(
    previous.blocks,
    scanMarkdown(oneSection(reorder(texts.map((text) => text.replace('plan.', 'plan, revised.'))))),
    work,
  );
  return { previous, assigned, work };
}

describe('the work of matching a large revision', () => {
  it('compares each edited paragraph with a bounded number of previous ones, not with all of them', () => {
    const { previous, assigned, work } = allEdited(2_000);

    expect(assigned).toEqual(previous.blocks.map((block) => block.id));
    // Every pair would be 4,000,000; the bound is 32 per paragraph.
    expect(work.comparisons).toBeLessThanOrEqual(2_000 * MATCH_LIMITS.candidatesPerBlock);
    expect(work.postingsVisited).toBeLessThanOrEqual(2_000 * MATCH_LIMITS.postingsPerBlock);
  });

  it('grows in proportion to the paragraphs: ten times as many cost at most ten times the work', () => {
    const small = allEdited(200).work;
    const large = allEdited(2_000).work;

    expect(large.comparisons).toBeLessThanOrEqual(10 * small.comparisons);
    expect(large.postingsVisited).toBeLessThanOrEqual(10 * small.postingsVisited);
  });

  it('finds an edited paragraph moved far away by the word pairs it shares', () => {
    // The first and the last paragraph trade places: far beyond the nearby candidates.
    const { previous, assigned } = allEdited(300, (texts) => [
      texts.at(-1) as string,
      ...texts.slice(1, -1),
      texts[0] as string,
    ]);
    const ids = previous.blocks.map((block) => block.id);

    expect(assigned).toEqual([ids[0], ids.at(-1), ...ids.slice(2, -1), ids[1]]);
  });

  it('compares a small group whole, as without a bound', () => {
    const { previous, assigned, work } = allEdited(MATCH_LIMITS.candidatesPerBlock);

    expect(assigned).toEqual(previous.blocks.map((block) => block.id));
    expect(work.comparisons).toBe(MATCH_LIMITS.candidatesPerBlock ** 2);
    expect(work.postingsVisited).toBe(0);
  });

  it('hands out many copies of one text in document order, each once', () => {
    const copies = Array.from({ length: 1_999 }, () => 'Виключено.');
    const previous = parse(['# Додатки', ...copies].join('\n\n'));

    const next = revise(previous, ['# Додатки, змінені', ...copies, 'Новий абзац.'].join('\n\n'));

    expect(next.blocks.map((block) => block.id)).toEqual([
      ...previous.blocks.map((block) => block.id),
      'N001',
    ]);
  });
});
