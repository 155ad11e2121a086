import type { DraftBlock } from './draft';
import type { ScannedBlock } from './markdown-blocks';

/**
 * Which blocks of a revised draft are the previous version's blocks, so that
 * they keep their ids and the comments on them stay attached. Heuristic by
 * nature; the order of the passes is the design:
 *
 * Sections, then paragraphs (a paragraph's "same parent" needs its section's id):
 * 1. an explicit `{#id}` on a heading is that section, whatever else changed;
 * 2. the same text (sections: level and heading; then heading alone, any case),
 *    under the same parent;
 * 3. sections only: similar heading and direct paragraphs, anywhere (a renamed
 *    section whose content stayed);
 * 4. the same text anywhere (a block moved to another section);
 * 5. paragraphs only: a similar paragraph under the same parent (a light edit).
 *
 * "Similar" is a Dice coefficient of word sets, `2·shared / (|a| + |b|) ≥ 1/2`,
 * compared as integers; the best pairs are taken first, ties going to the same
 * parent, then to the nearer position, then to document order. A duplicate
 * text prefers the copy under the same parent, then the first in the document.
 */
export function matchBlocks(
  previous: readonly DraftBlock[],
  scanned: readonly ScannedBlock[],
): (string | undefined)[] {
  const state: MatchState = { previous, scanned, assigned: scanned.map(() => undefined), taken: new Set() };
  scanned.forEach((block, index) => {
    if (block.kind === 'section' && block.explicitId) assign(state, index, block.explicitId);
  });
  exactPass(state, 'section', levelAndHeading, true);
  exactPass(state, 'section', headingOnly, true);
  const previousSections = indexesWhere(previous, (block) => block.kind === 'section');
  similarityPass(state, 'section', () => previousSections);
  exactPass(state, 'section', levelAndHeading, false);
  exactPass(state, 'section', headingOnly, false);
  exactPass(state, 'paragraph', paragraphText, true);
  exactPass(state, 'paragraph', paragraphText, false);
  const paragraphsByParent = groupBy(
    indexesWhere(previous, (block) => block.kind === 'paragraph'),
    (index) => (previous[index] as DraftBlock).parentId,
  );
  similarityPass(state, 'paragraph', (index) => {
    const parentId = newParentId(state, index);
    return parentId === undefined ? [] : (paragraphsByParent.get(parentId) ?? []);
  });
  return state.assigned;
}

interface MatchState {
  readonly previous: readonly DraftBlock[];
  readonly scanned: readonly ScannedBlock[];
  /** Per scanned block: the previous id it keeps, or undefined while unmatched. */
  readonly assigned: (string | undefined)[];
  /** Previous ids already given to a scanned block. */
  readonly taken: Set<string>;
}

type Kind = DraftBlock['kind'];
type Content = ScannedBlock | DraftBlock;

function assign(state: MatchState, index: number, id: string): void {
  state.assigned[index] = id;
  state.taken.add(id);
}

/** Whitespace differences are no edit. */
const normalized = (value: string): string => value.replace(/\s+/g, ' ').trim();

const levelAndHeading = (block: Content): string =>
  block.kind === 'section' ? `${block.level} ${normalized(block.heading)}` : '';
const headingOnly = (block: Content): string =>
  block.kind === 'section' ? normalized(block.heading).toLowerCase() : '';
const paragraphText = (block: Content): string => (block.kind === 'paragraph' ? normalized(block.text) : '');

/** The id a scanned block's parent has so far: null at the top level, undefined while the parent is unmatched. */
function newParentId(state: MatchState, index: number): string | null | undefined {
  const parentIndex = (state.scanned[index] as ScannedBlock).parentIndex;
  return parentIndex === null ? null : state.assigned[parentIndex];
}

const sameParent = (state: MatchState, index: number, candidate: DraftBlock): boolean =>
  newParentId(state, index) === candidate.parentId;

function indexesWhere<T>(items: readonly T[], test: (item: T) => boolean): number[] {
  return items.flatMap((item, index) => (test(item) ? [index] : []));
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function exactPass(
  state: MatchState,
  kind: Kind,
  keyOf: (block: Content) => string,
  sameParentOnly: boolean,
): void {
  const byKey = groupBy(
    state.previous.filter((block) => block.kind === kind && !state.taken.has(block.id)),
    keyOf,
  );
  state.scanned.forEach((block, index) => {
    if (block.kind !== kind || state.assigned[index] !== undefined) return;
    const candidates = (byKey.get(keyOf(block)) ?? []).filter((candidate) => !state.taken.has(candidate.id));
    const chosen =
      candidates.find((candidate) => sameParent(state, index, candidate)) ??
      (sameParentOnly ? undefined : candidates[0]);
    if (chosen) assign(state, index, chosen.id);
  });
}

const WORD = /[\p{L}\p{N}]+/gu;
const words = (value: string): Set<string> => new Set(value.toLowerCase().match(WORD) ?? []);

/**
 * The words of one version's blocks of a kind, by index. A section is
 * recognised by its heading and the words of its own paragraphs.
 */
function wordSets(
  blocks: readonly Content[],
  parents: readonly (number | null)[],
  kind: Kind,
): Map<number, Set<string>> {
  const texts = new Map<number, string[]>();
  blocks.forEach((block, index) => {
    if (block.kind === kind) texts.set(index, [block.kind === 'section' ? block.heading : block.text]);
  });
  if (kind === 'section') {
    blocks.forEach((block, index) => {
      const parent = parents[index];
      if (block.kind === 'paragraph' && parent !== null && parent !== undefined)
        texts.get(parent)?.push(block.text);
    });
  }
  return new Map([...texts].map(([index, parts]) => [index, words(parts.join(' '))]));
}

interface Pair {
  readonly index: number;
  readonly candidate: DraftBlock;
  readonly shared: number;
  readonly total: number;
  readonly sameParent: boolean;
  readonly distance: number;
  readonly candidateOrdinal: number;
}

/** Best similarity first (`shared/total`, compared by cross-multiplying), then the tie-breaks. */
function byStrength(a: Pair, b: Pair): number {
  return (
    b.shared * a.total - a.shared * b.total ||
    Number(b.sameParent) - Number(a.sameParent) ||
    a.distance - b.distance ||
    a.index - b.index ||
    a.candidateOrdinal - b.candidateOrdinal
  );
}

/**
 * Greedy matching of the unmatched blocks of a kind to similar previous ones
 * among their candidates (indexes into the previous blocks). Shared words are
 * counted through an index from word to candidates, so a large draft with
 * many edits costs the words' occurrences, not every pair of blocks.
 */
function similarityPass(
  state: MatchState,
  kind: Kind,
  candidatesOf: (index: number) => readonly number[],
): void {
  const previousPosition = new Map(state.previous.map((block, index) => [block.id, index]));
  const previousWords = wordSets(
    state.previous,
    state.previous.map((block) =>
      block.parentId === null ? null : (previousPosition.get(block.parentId) ?? null),
    ),
    kind,
  );
  const scannedWords = wordSets(
    state.scanned,
    state.scanned.map((block) => block.parentIndex),
    kind,
  );
  const ordinalOf = new Map([...previousWords.keys()].map((index, ordinal) => [index, ordinal]));
  const postings = new WeakMap<readonly number[], Map<string, number[]>>();
  const postingsOf = (candidates: readonly number[]): Map<string, number[]> => {
    let byWord = postings.get(candidates);
    if (!byWord) {
      byWord = new Map();
      for (const candidate of candidates) {
        for (const word of previousWords.get(candidate) ?? []) {
          const list = byWord.get(word);
          if (list) list.push(candidate);
          else byWord.set(word, [candidate]);
        }
      }
      postings.set(candidates, byWord);
    }
    return byWord;
  };
  const pairs: Pair[] = [];
  [...scannedWords].forEach(([index, mine], ordinal) => {
    if (state.assigned[index] !== undefined) return;
    const byWord = postingsOf(candidatesOf(index));
    const shared = new Map<number, number>();
    for (const word of mine) {
      for (const candidate of byWord.get(word) ?? []) shared.set(candidate, (shared.get(candidate) ?? 0) + 1);
    }
    for (const [candidateIndex, count] of shared) {
      const candidate = state.previous[candidateIndex] as DraftBlock;
      const total = mine.size + (previousWords.get(candidateIndex)?.size ?? 0);
      if (state.taken.has(candidate.id) || 4 * count < total) continue;
      const candidateOrdinal = ordinalOf.get(candidateIndex) as number;
      pairs.push({
        index,
        candidate,
        shared: count,
        total,
        sameParent: sameParent(state, index, candidate),
        distance: Math.abs(ordinal - candidateOrdinal),
        candidateOrdinal,
      });
    }
  });
  for (const pair of pairs.sort(byStrength)) {
    if (state.assigned[pair.index] === undefined && !state.taken.has(pair.candidate.id)) {
      assign(state, pair.index, pair.candidate.id);
    }
  }
}
