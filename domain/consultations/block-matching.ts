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
 *
 * The work is bounded so that a revision of the largest allowed draft, every
 * paragraph edited, stays well inside a request's time: the exact passes are
 * map lookups, and a block is compared with at most
 * {@link MATCH_LIMITS}`.candidatesPerBlock` previous blocks. When it has no
 * more unmatched candidates than that, it is compared with all of them (so a
 * small draft matches exactly as without the bound); otherwise with the ones
 * nearest to where it would be (counted from the nearest matched block before
 * it, as a diff aligns) and the ones sharing most of its rarest word pairs.
 *
 * @param work - counts the comparisons and index reads, for a test of the bound
 * @returns per scanned block, the previous id it keeps, or undefined for a new block
 * @example matchBlocks(v1.blocks, scanMarkdown('# Goals\n\nLess traffic, more trees.')) // → [goalsId, itsParagraphId]
 */
export function matchBlocks(
  previous: readonly DraftBlock[],
  scanned: readonly ScannedBlock[],
  work: MatchWork = { comparisons: 0, postingsVisited: 0 },
): (string | undefined)[] {
  const state: MatchState = {
    previous,
    scanned,
    assigned: scanned.map(() => undefined),
    taken: new Set(),
    work,
  };
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

/**
 * How much comparing one unmatched block may cost. With the draft limits
 * (500 sections, 2,000 paragraphs), a revision compares at most 80,000 pairs
 * of word sets and reads at most 640,000 entries of the word-pair index,
 * whatever the text; each comparison costs the shorter block's words.
 */
export const MATCH_LIMITS = {
  /** Previous blocks one block is compared with, at most. */
  candidatesPerBlock: 32,
  /** Of those, the ones nearest to the block's expected position. */
  nearby: 8,
  /** Entries of the word index read to find the blocks that share its rarest words. */
  postingsPerBlock: 256,
} as const;

/** The work a matching did, counted for tests that the bound holds. */
export interface MatchWork {
  /** Pairs of blocks whose similarity was computed. */
  comparisons: number;
  /** Entries of the word index read while choosing candidates. */
  postingsVisited: number;
}

interface MatchState {
  readonly previous: readonly DraftBlock[];
  readonly scanned: readonly ScannedBlock[];
  /** Per scanned block: the previous id it keeps, or undefined while unmatched. */
  readonly assigned: (string | undefined)[];
  /** Previous ids already given to a scanned block. */
  readonly taken: Set<string>;
  readonly work: MatchWork;
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

/**
 * Previous blocks in document order, handed out first to last, skipping those
 * taken meanwhile: each block is stepped over once, so many copies of one
 * text cost their number, not its square.
 */
class Queue {
  private next = 0;
  constructor(private readonly blocks: readonly DraftBlock[]) {}

  firstUntaken(taken: ReadonlySet<string>): DraftBlock | undefined {
    while (this.next < this.blocks.length && taken.has((this.blocks[this.next] as DraftBlock).id))
      this.next += 1;
    return this.blocks[this.next];
  }
}

function exactPass(
  state: MatchState,
  kind: Kind,
  keyOf: (block: Content) => string,
  sameParentOnly: boolean,
): void {
  const untaken = state.previous.filter((block) => block.kind === kind && !state.taken.has(block.id));
  const groups = groupBy(untaken, keyOf);
  const byKey = new Map([...groups].map(([key, blocks]) => [key, new Queue(blocks)]));
  const byKeyAndParent = new Map(
    [...groups].map(([key, blocks]) => [
      key,
      new Map(
        [...groupBy(blocks, (block) => block.parentId)].map(([parentId, own]) => [parentId, new Queue(own)]),
      ),
    ]),
  );
  state.scanned.forEach((block, index) => {
    if (block.kind !== kind || state.assigned[index] !== undefined) return;
    const key = keyOf(block);
    const parentId = newParentId(state, index);
    // An unmatched parent (undefined) is no previous block's parent.
    const underSameParent =
      parentId === undefined ? undefined : byKeyAndParent.get(key)?.get(parentId)?.firstUntaken(state.taken);
    const chosen =
      underSameParent ?? (sameParentOnly ? undefined : byKey.get(key)?.firstUntaken(state.taken));
    if (chosen) assign(state, index, chosen.id);
  });
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * What similarity is judged on (its words, as a set) and, in a large group,
 * what candidates are found by (pairs of consecutive words: even in a text of
 * few distinct words, a pair is held by few blocks, so it points at the block
 * it came from). The pairs are made only when a group needs them.
 */
interface Fingerprint {
  readonly sequence: readonly string[];
  readonly words: ReadonlySet<string>;
}

function fingerprint(value: string): Fingerprint {
  const sequence = value.toLowerCase().match(WORD) ?? [];
  return { sequence, words: new Set(sequence) };
}

function shinglesOf({ sequence }: Fingerprint): Set<string> {
  const shingles = new Set<string>(sequence.length === 1 ? sequence : []);
  for (let at = 1; at < sequence.length; at += 1) shingles.add(`${sequence[at - 1]} ${sequence[at]}`);
  return shingles;
}

/**
 * The fingerprints of one version's blocks of a kind, by index. A section is
 * recognised by its heading and the words of its own paragraphs.
 */
function fingerprints(
  blocks: readonly Content[],
  parents: readonly (number | null)[],
  kind: Kind,
): Map<number, Fingerprint> {
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
  return new Map([...texts].map(([index, parts]) => [index, fingerprint(parts.join('\n'))]));
}

/** Words both sets hold: the smaller one is walked, so a comparison costs the shorter block. */
function sharedWords(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const word of small) if (large.has(word)) shared += 1;
  return shared;
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
 * The unmatched previous blocks of one candidate list, with what choosing
 * among them needs: their ordinals (in document order) and an index from
 * each pair of consecutive words to the blocks that hold it.
 */
interface CandidateGroup {
  readonly indexes: readonly number[];
  readonly ordinals: readonly number[];
  /** Word pair → positions (in `indexes`) of the blocks that hold it. */
  readonly postings: ReadonlyMap<string, readonly number[]>;
  /** Shared pairs per position while one block's candidates are chosen; all zero between blocks. */
  readonly hits: Int32Array;
}

/** First position in an ascending list whose value is at least `value`. */
function lowerBound(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The previous blocks one block is compared with: all of the group when it
 * is small; else the ones nearest to its expected ordinal, then the ones that
 * share most of its rarest word pairs (a pair few blocks hold says more than
 * a common one), within the limits of {@link MATCH_LIMITS}.
 */
function candidatesFor(
  group: CandidateGroup,
  mine: Fingerprint,
  expectedOrdinal: number,
  work: MatchWork,
): readonly number[] {
  if (group.indexes.length <= MATCH_LIMITS.candidatesPerBlock) return group.indexes;
  const chosen = new Set<number>();
  let after = lowerBound(group.ordinals, expectedOrdinal);
  let before = after - 1;
  while (chosen.size < MATCH_LIMITS.nearby) {
    const beforeGap = before >= 0 ? expectedOrdinal - (group.ordinals[before] as number) : Infinity;
    const afterGap =
      after < group.ordinals.length ? (group.ordinals[after] as number) - expectedOrdinal : Infinity;
    if (beforeGap === Infinity && afterGap === Infinity) break;
    if (beforeGap <= afterGap) chosen.add(group.indexes[before--] as number);
    else chosen.add(group.indexes[after++] as number);
  }
  const rarestFirst = [...shinglesOf(mine)]
    .flatMap((shingle) => {
      const holders = group.postings.get(shingle);
      return holders ? [holders] : [];
    })
    .sort((a, b) => a.length - b.length);
  /** Positions met, in the order first met: the rarer pairs first. */
  const met: number[] = [];
  let visited = 0;
  search: for (const holders of rarestFirst) {
    for (const position of holders) {
      if (visited >= MATCH_LIMITS.postingsPerBlock) break search;
      visited += 1;
      if (group.hits[position] === 0) met.push(position);
      group.hits[position] = (group.hits[position] as number) + 1;
    }
  }
  work.postingsVisited += visited;
  // A stable sort: equal counts keep the order first met.
  met.sort((a, b) => (group.hits[b] as number) - (group.hits[a] as number));
  for (const position of met) {
    if (chosen.size < MATCH_LIMITS.candidatesPerBlock) chosen.add(group.indexes[position] as number);
    group.hits[position] = 0;
  }
  return [...chosen];
}

/**
 * Greedy matching of the unmatched blocks of a kind to similar previous ones
 * among their candidates (indexes into the previous blocks, in document
 * order), each compared with a bounded number of them ({@link candidatesFor}).
 */
function similarityPass(
  state: MatchState,
  kind: Kind,
  candidatesOf: (index: number) => readonly number[],
): void {
  const previousPosition = new Map(state.previous.map((block, index) => [block.id, index]));
  const previousPrints = fingerprints(
    state.previous,
    state.previous.map((block) =>
      block.parentId === null ? null : (previousPosition.get(block.parentId) ?? null),
    ),
    kind,
  );
  const scannedPrints = fingerprints(
    state.scanned,
    state.scanned.map((block) => block.parentIndex),
    kind,
  );
  const ordinalOf = new Map([...previousPrints.keys()].map((index, ordinal) => [index, ordinal]));
  const groups = new WeakMap<readonly number[], CandidateGroup>();
  const groupOf = (candidates: readonly number[]): CandidateGroup => {
    let group = groups.get(candidates);
    if (!group) {
      const indexes = candidates.filter(
        (candidate) => !state.taken.has((state.previous[candidate] as DraftBlock).id),
      );
      const postings = new Map<string, number[]>();
      // A small group is compared whole ({@link candidatesFor}) and needs no index.
      if (indexes.length > MATCH_LIMITS.candidatesPerBlock)
        indexes.forEach((candidate, position) => {
          for (const shingle of shinglesOf(previousPrints.get(candidate) as Fingerprint)) {
            const holders = postings.get(shingle);
            if (holders) holders.push(position);
            else postings.set(shingle, [position]);
          }
        });
      group = {
        indexes,
        ordinals: indexes.map((index) => ordinalOf.get(index) as number),
        postings,
        hits: new Int32Array(indexes.length),
      };
      groups.set(candidates, group);
    }
    return group;
  };
  const pairs: Pair[] = [];
  /** The last matched block so far, as (its ordinal, its previous block's ordinal): where a diff would align. */
  let anchor = { ordinal: -1, previousOrdinal: -1 };
  [...scannedPrints].forEach(([index, mine], ordinal) => {
    const assigned = state.assigned[index];
    if (assigned !== undefined) {
      const previousIndex = previousPosition.get(assigned);
      const previousOrdinal = previousIndex === undefined ? undefined : ordinalOf.get(previousIndex);
      if (previousOrdinal !== undefined) anchor = { ordinal, previousOrdinal };
      return;
    }
    const group = groupOf(candidatesOf(index));
    const expectedOrdinal = anchor.previousOrdinal + (ordinal - anchor.ordinal);
    for (const candidateIndex of candidatesFor(group, mine, expectedOrdinal, state.work)) {
      const theirs = (previousPrints.get(candidateIndex) as Fingerprint).words;
      state.work.comparisons += 1;
      const shared = sharedWords(mine.words, theirs);
      const total = mine.words.size + theirs.size;
      if (shared === 0 || 4 * shared < total) continue;
      const candidate = state.previous[candidateIndex] as DraftBlock;
      const candidateOrdinal = ordinalOf.get(candidateIndex) as number;
      pairs.push({
        index,
        candidate,
        shared,
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
