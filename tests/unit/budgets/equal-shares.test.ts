import { describe, expect, it } from 'vitest';
import { parsePabulib } from '../../../domain/budgets/pabulib';
import {
  ADD1_VERSION,
  type BallotProfile,
  ballotProfile,
  EQUAL_SHARES_VERSION,
  EqualSharesRuns,
  equalShares,
  equalSharesAdd1,
  greedy,
  projectScores,
} from '../../../domain/budgets/rules';
import { rational } from '../../../domain/budgets/rules/rational';
import { pabulibFiles, pabulibText } from '../../support/pabulib';

/** A profile from `id → [cost, voters approving it]`, voters numbered from 0. */
function profileOf(voterCount: number, projects: Record<string, [bigint, number[]]>): BallotProfile {
  const entries = Object.entries(projects);
  return {
    projects: entries.map(([id, [cost]]) => ({ id, cost })),
    supporters: entries.map(([, [, voters]]) => Int32Array.from(voters)),
    voterCount,
  };
}

describe('equal shares, worked by hand', () => {
  it('is versioned, and so is its completion', () => {
    expect(EQUAL_SHARES_VERSION).toBe('equal-shares/1');
    expect(ADD1_VERSION).toBe('add1/1');
  });

  // Budget 18, three voters: a share of 6 each.
  // Round 1: s2 costs 9 for 3 supporters, ρ = 3/9 = 1/3; s1 and the third project have ρ = 1/2.
  //   s2 is funded, everyone pays 3 and keeps 3.
  // Round 2: s1 (voters 0, 1) costs 4: α = 2, ρ = 1/2. The third (voters 0, 2) costs 5: α = 5/2, ρ = 1/2.
  //   Equal ρ, equal supporters: the smaller id wins.
  it.each([
    ['s3', ['s2', 's1'], [1n, 1n, 3n]],
    ['s0', ['s2', 's0'], [rational(1n, 2n), 3n, rational(1n, 2n)]],
  ])('breaks a tie in ρ and supporters by the smaller id (third project %s)', (third, selected, left) => {
    const profile = profileOf(3, { s1: [4n, [0, 1]], s2: [9n, [0, 1, 2]], [third]: [5n, [0, 2]] });

    const outcome = equalShares(profile, 18n);

    expect(outcome.selected).toEqual(selected);
    expect(outcome.share).toEqual(rational(6n));
    expect(outcome.remaining).toEqual(
      left.map((amount) => (typeof amount === 'bigint' ? rational(amount) : amount)),
    );
  });

  // Budget 24, four voters: a share of 6 each.
  // Round 1: "first" (voters 0, 1, 3) and y (voters 0, 1, 2) both have ρ = 1/3; "first" wins by id.
  //   Voters 0, 1, 3 pay 5 and keep 1; voter 2 keeps 6.
  // Round 2: x (voters 0, 2) costs 4: voter 0 pays all of its 1, voter 2 pays 3: α = 3, ρ = 3/4.
  //   y (voters 0, 1, 2) costs 8: voters 0 and 1 pay 1 each, voter 2 pays 6: α = 6, ρ = 6/8 = 3/4.
  //   Equal ρ: y has more supporters and is funded; x is then out of reach.
  it('breaks a tie in ρ by more supporters, and lets the poorer supporters pay all they have', () => {
    const profile = profileOf(4, { first: [15n, [0, 1, 3]], x: [4n, [0, 2]], y: [8n, [0, 1, 2]] });

    const outcome = equalShares(profile, 24n);

    expect(outcome.selected).toEqual(['first', 'y']);
    expect(outcome.cost).toBe(23n);
    expect(outcome.remaining).toEqual([rational(0n), rational(0n), rational(0n), rational(1n)]);
  });

  it('funds a free project that someone wants before any money moves, and none that nobody wants', () => {
    const profile = profileOf(2, {
      paid: [4n, [0, 1]],
      wanted: [0n, [1]],
      unwanted: [0n, []],
      orphan: [1n, []],
    });

    const outcome = equalShares(profile, 10n);

    expect(outcome.selected).toEqual(['wanted', 'paid']);
    expect(outcome.remaining).toEqual([rational(3n), rational(3n)]);
  });

  // 3721 voters, budget 3721: a share of 1 each. Three projects of 1155 supporters each, no one
  // supporting two: every ρ is n/1155 (in the rule's money, times n) in round 1 and stays so.
  // The tie goes to the smaller id each round: p0, p1, p2. Found by an adversarial review: the
  // prices, worked out over different denominators in different rounds, once came out a double
  // apart, and p2 was funded before p1.
  it('breaks an exact tie in ρ by the tie-breaks, whatever denominators the prices were worked out over', () => {
    const block = (from: number) => Array.from({ length: 1155 }, (_, offset) => from + offset);
    const profile = profileOf(3721, {
      p0: [1000n, block(0)],
      p1: [1n, block(1155)],
      p2: [1155n, block(2310)],
    });

    expect(equalShares(profile, 3721n).selected).toEqual(['p0', 'p1', 'p2']);
    expect(new EqualSharesRuns(profile, 3721n, true).run(0n).selected).toEqual(['p0', 'p1', 'p2']);
  });

  it('funds nothing without voters', () => {
    const outcome = equalShares(profileOf(0, { a: [1n, []] }), 100n);

    expect(outcome).toEqual({ selected: [], cost: 0n, share: rational(0n), remaining: [] });
  });

  // Budget 10, two voters. Share 5: a (both, cost 6) is funded, each keeps 2; b (voter 1, cost 4) is out of reach.
  // Share 6 (budget 12): the same. Share 7 (budget 14): each keeps 4 after a, and b is funded: cost 10 ≤ 10.
  // Every project is then funded: add1 stops there.
  it('completes with add1: raises each share by one until the outcome would cost more than the budget', () => {
    const profile = profileOf(2, { a: [6n, [0, 1]], b: [4n, [1]] });

    const alone = equalShares(profile, 10n);
    const completed = equalSharesAdd1(profile, 10n);

    expect(alone.selected).toEqual(['a']);
    expect(completed.selected).toEqual(['a', 'b']);
    expect(completed.share).toEqual(rational(7n));
    expect(completed.cost).toBe(10n);
  });

  // Two voters, budget 10, share 5. b (voter 1, cost 4) is funded; a (voter 0, cost 8) is out of reach.
  // Shares 6 and 7: the same. Share 8: a and b are both funded, 12 > 10: add1 stops and keeps share 7.
  it('keeps the last outcome within the budget when the next would exceed it', () => {
    const profile = profileOf(2, { a: [8n, [0]], b: [4n, [1]] });

    const completed = equalSharesAdd1(profile, 10n);

    expect(completed.selected).toEqual(['b']);
    expect(completed.share).toEqual(rational(7n));
  });
});

const SYNTHETIC = pabulibFiles().filter((file) => file.startsWith('Synthetic_MES_'));

describe('equal shares on the synthetic instances', () => {
  it('finds them', () => {
    expect(SYNTHETIC.length).toBeGreaterThanOrEqual(3);
  });

  it.each(SYNTHETIC)('with add1 selects exactly the selected projects of %s, and greedy does not', (file) => {
    const instance = parsePabulib(pabulibText(file));
    const expected = instance.projects.filter((p) => p.fields.selected === '1').map((p) => p.id);
    const scores = projectScores(instance);

    const completed = equalSharesAdd1(ballotProfile(instance), instance.budget);
    const greedyOutcome = greedy(
      instance.projects.map(({ id, cost }) => ({ id, cost, score: scores.get(id) ?? 0n })),
      instance.budget,
    );

    expect([...completed.selected].sort()).toEqual([...expected].sort());
    expect([...greedyOutcome.selected].sort()).not.toEqual([...expected].sort());
    expect(completed.cost).toBeLessThanOrEqual(instance.budget);
  });
});
