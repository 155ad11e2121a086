import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CommentOrder,
  commentComparator,
  commentCounts,
  commentCountsFromTargets,
  commentPage,
  compareControversy,
  orderKey,
  type RankedComment,
} from '../../../domain/consultations/ranking';
import { openConsultation } from './fixtures';

const at = (minute: number): string => `2026-11-22T10:${String(minute).padStart(2, '0')}:00.000Z`;
const ranked = (id: string, minute: number, up: number, down: number): RankedComment => ({
  id,
  createdAt: at(minute),
  up,
  down,
});

const comments = [
  ranked('old-popular', 1, 50, 2),
  ranked('split-big', 2, 40, 38),
  ranked('split-small', 3, 2, 2),
  ranked('disliked', 4, 0, 9),
  ranked('fresh', 5, 0, 0),
  ranked('tied-with-fresh', 5, 1, 1),
];

describe('comment orders', () => {
  it.each([
    ['newest', ['tied-with-fresh', 'fresh', 'disliked', 'split-small', 'split-big', 'old-popular']],
    ['top', ['old-popular', 'split-big', 'tied-with-fresh', 'fresh', 'split-small', 'disliked']],
    ['controversial', ['split-big', 'split-small', 'tied-with-fresh', 'old-popular', 'fresh', 'disliked']],
  ] as const)('sorts %s', (order, expected) => {
    expect([...comments].sort(commentComparator(order)).map((comment) => comment.id)).toEqual(expected);
  });

  it.each([
    ['many votes, evenly split, above few', { up: 40, down: 38 }, { up: 2, down: 2 }, 1],
    ['anything on both sides above one-sided', { up: 1, down: 100 }, { up: 100, down: 0 }, 1],
    ['no votes and one-sided votes alike', { up: 0, down: 0 }, { up: 0, down: 7 }, 0],
    ['mirror images alike', { up: 3, down: 1 }, { up: 1, down: 3 }, 0],
    // 8^(1/3) = 2^1 exactly, though Math.log(8) / 3 < Math.log(2) in floating point.
    ['6 up 2 down exactly as 1 up 1 down', { up: 6, down: 2 }, { up: 1, down: 1 }, 0],
    ['48 up 16 down (64^(1/3)) exactly as 2 up 2 down (4^1)', { up: 48, down: 16 }, { up: 2, down: 2 }, 0],
    ['2 up 1 down (3^(1/2)) below 3 up 3 down (6)', { up: 2, down: 1 }, { up: 3, down: 3 }, -1],
  ])('ranks %s', (_case, a, b, sign) => {
    expect(compareControversy(a, b)).toBe(sign);
    expect(compareControversy(b, a)).toBe(-sign || 0);
  });

  it('is a total order: antisymmetric and transitive, with every tie broken', () => {
    const comment = fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      createdAt: fc.constantFrom(at(1), at(2), at(3)),
      up: fc.nat({ max: 30 }),
      down: fc.nat({ max: 30 }),
    });
    const order = fc.constantFrom<CommentOrder>('newest', 'top', 'controversial');
    fc.assert(
      fc.property(order, comment, comment, comment, (which, a, b, c) => {
        const compare = commentComparator(which);
        expect(Math.sign(compare(a, b))).toBe(-Math.sign(compare(b, a)) || 0);
        if (compare(a, b) === 0) expect(a.id).toBe(b.id);
        if (compare(a, b) < 0 && compare(b, c) < 0) expect(compare(a, c)).toBeLessThan(0);
      }),
    );
  });
});

describe('commentPage', () => {
  it('walks the whole list page by page without repeats', () => {
    const first = commentPage(comments, 'top', 4);
    const second = commentPage(comments, 'top', 4, first.next);

    expect(first.items.map((comment) => comment.id)).toEqual([
      'old-popular',
      'split-big',
      'tied-with-fresh',
      'fresh',
    ]);
    expect(first.next).toEqual(ranked('fresh', 5, 0, 0));
    expect(second.items.map((comment) => comment.id)).toEqual(['split-small', 'disliked']);
    expect(second.next).toBeUndefined();
  });

  it('neither repeats nor skips others when a comment on a later page gains votes between requests', () => {
    const first = commentPage(comments, 'top', 2);
    const changed = comments.map((comment) =>
      comment.id === 'disliked' ? { ...comment, up: 100 } : comment,
    );

    const second = commentPage(changed, 'top', 10, first.next);

    // "disliked" now sorts before the cursor: it is on an earlier page, not this one again.
    expect(second.items.map((comment) => comment.id)).toEqual(['tied-with-fresh', 'fresh', 'split-small']);
  });
});

describe('commentCounts', () => {
  const { draft } = openConsultation();
  const [intro, goals, goalsText] = draft.blocks;
  const comment = (
    target: Parameters<typeof commentCounts>[1][number]['target'],
    stance: 'for' | 'against' | 'neutral',
    state: 'visible' | 'pending' | 'deleted' = 'visible',
  ) => ({ target, stance, state });

  it('counts visible comments per section and per stance, paragraphs under their section', () => {
    const counts = commentCounts(draft, [
      comment({ kind: 'whole' }, 'for'),
      comment({ kind: 'paragraph', id: intro!.id }, 'against'),
      comment({ kind: 'section', id: goals!.id }, 'for'),
      comment({ kind: 'paragraph', id: goalsText!.id }, 'neutral'),
      comment({ kind: 'paragraph', id: goalsText!.id }, 'for', 'pending'),
      comment({ kind: 'section', id: goals!.id }, 'against', 'deleted'),
    ]);

    expect(counts.all).toEqual({ total: 4, byStance: { for: 2, against: 1, neutral: 1 } });
    expect(counts.whole).toEqual({ total: 2, byStance: { for: 1, against: 1, neutral: 0 } });
    expect(counts.bySection).toEqual({
      [goals!.id]: { total: 2, byStance: { for: 1, against: 0, neutral: 1 } },
    });
  });
});

describe('the index keys of the orders', () => {
  const byKeyDescending = (order: CommentOrder) => (a: RankedComment, b: RankedComment) => {
    const [keyA, keyB] = [orderKey(order, a), orderKey(order, b)];
    return keyA === keyB ? 0 : keyA < keyB ? 1 : -1;
  };

  it.each(['newest', 'top', 'controversial'] as const)(
    'sort %s read descending as the comparator does',
    (order) => {
      expect([...comments].sort(byKeyDescending(order)).map((comment) => comment.id)).toEqual(
        [...comments].sort(commentComparator(order)).map((comment) => comment.id),
      );
    },
  );

  it('agree with the comparator on any comments, exact ties included', () => {
    const comment = fc.record({
      id: fc.stringMatching(/^[0-9A-Z]{1,4}$/),
      createdAt: fc.constantFrom(at(1), at(2), at(3)),
      up: fc.nat({ max: 60 }),
      down: fc.nat({ max: 60 }),
    });
    const order = fc.constantFrom<CommentOrder>('newest', 'top', 'controversial');
    fc.assert(
      fc.property(order, comment, comment, (which, a, b) => {
        fc.pre(a.id !== b.id || a.createdAt !== b.createdAt);
        expect(Math.sign(byKeyDescending(which)(a, b))).toBe(Math.sign(commentComparator(which)(a, b)));
      }),
      { numRuns: 2_000 },
    );
  });

  it("break the comparator's exact ties as it does: 6 up 2 down beside 1 up 1 down, newest first", () => {
    const older = ranked('older', 1, 6, 2);
    const newer = ranked('newer', 2, 1, 1);

    expect(orderKey('controversial', newer) > orderKey('controversial', older)).toBe(true);
    expect(orderKey('controversial', older) > orderKey('controversial', ranked('none', 3, 9, 0))).toBe(true);
  });
});

describe('commentCountsFromTargets', () => {
  const { draft } = openConsultation();

  it('counts as commentCounts does over the same comments, whatever their targets', () => {
    const targetIds = [...draft.blocks.map((block) => block.id), 'removed-long-ago', undefined];
    const made = fc.record({
      targetId: fc.constantFrom(...targetIds),
      stance: fc.constantFrom('for' as const, 'against' as const, 'neutral' as const),
    });
    fc.assert(
      fc.property(fc.array(made, { maxLength: 40 }), (comments) => {
        const counters = new Map<string | undefined, { for: number; against: number; neutral: number }>();
        for (const { targetId, stance } of comments) {
          const counter = counters.get(targetId) ?? { for: 0, against: 0, neutral: 0 };
          counter[stance] += 1;
          counters.set(targetId, counter);
        }
        const fromCounters = commentCountsFromTargets(
          draft,
          [...counters].map(([targetId, byStance]) => ({ targetId, byStance })),
        );
        const fromComments = commentCounts(
          draft,
          comments.map(({ targetId, stance }) => ({
            target:
              targetId === undefined
                ? ({ kind: 'whole' } as const)
                : ({ kind: 'paragraph', id: targetId } as const),
            stance,
            state: 'visible' as const,
          })),
        );
        expect(fromCounters).toEqual(fromComments);
      }),
    );
  });
});
