import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PabulibInstance, VoteType } from '../../../domain/budgets/pabulib';
import {
  ballotProfile,
  type EqualSharesOutcome,
  equalShares,
  equalSharesAdd1,
  equalSharesAt,
  greedy,
  projectScores,
  type ScoredProject,
} from '../../../domain/budgets/rules';
import { compare, type Rational, rational } from '../../../domain/budgets/rules/rational';
import { add1StepByStep, byDefinition } from '../../support/equal-shares-oracle';

/** Small approval elections: up to 7 projects costing 0–300, up to 25 voters, a budget of 0–1000. */
const elections = fc
  .record({
    costs: fc.array(fc.bigInt({ min: 0n, max: 300n }), { minLength: 1, maxLength: 7 }),
    votes: fc.array(fc.uniqueArray(fc.nat({ max: 6 }), { maxLength: 7 }), { maxLength: 25 }),
    budget: fc.bigInt({ min: 0n, max: 1000n }),
  })
  .map(({ costs, votes, budget }): PabulibInstance => {
    const ids = costs.map((_, index) => `p${index}`);
    return {
      meta: new Map([
        ['budget', budget.toString()],
        ['vote_type', VoteType.approval],
      ]),
      budget,
      voteType: VoteType.approval,
      projectColumns: ['project_id', 'cost'],
      projects: ids.map((id, index) => ({ id, cost: costs[index] as bigint, fields: {} })),
      voteColumns: ['voter_id', 'vote'],
      ballots: votes.map((picks, voter) => ({
        voterId: `v${voter}`,
        projectIds: picks.filter((pick) => pick < ids.length).map((pick) => ids[pick] as string),
        fields: {},
      })),
    };
  });

/** The same election with its ballots in another order. */
const reordered = elections.chain((instance) =>
  fc
    .shuffledSubarray([...instance.ballots], { minLength: instance.ballots.length })
    .map((ballots): [PabulibInstance, PabulibInstance] => [instance, { ...instance, ballots }]),
);

function scored(instance: PabulibInstance): ScoredProject[] {
  const scores = projectScores(instance);
  return instance.projects.map(({ id, cost }) => ({ id, cost, score: scores.get(id) ?? 0n }));
}

const costOf = (instance: PabulibInstance, selected: readonly string[]): bigint =>
  instance.projects.filter((project) => selected.includes(project.id)).reduce((sum, p) => sum + p.cost, 0n);

/** Σ of fractions, exactly. */
const sum = (values: readonly Rational[]): Rational =>
  values.reduce(
    (total, value) =>
      rational(
        total.numerator * value.denominator + value.numerator * total.denominator,
        total.denominator * value.denominator,
      ),
    rational(0n),
  );

/** Each voter paid between nothing and the whole share, and the payments add up to the cost. */
function expectFairCharges(outcome: EqualSharesOutcome, voterCount: number): void {
  for (const left of outcome.remaining) {
    expect(compare(left, rational(0n))).toBeGreaterThanOrEqual(0);
    expect(compare(left, outcome.share)).toBeLessThanOrEqual(0);
  }
  const everyone = rational(outcome.share.numerator * BigInt(voterCount), outcome.share.denominator);
  const paid = sum([
    everyone,
    ...outcome.remaining.map((left) => rational(-left.numerator, left.denominator)),
  ]);
  expect(paid).toEqual(rational(outcome.cost));
}

/** The same election counted in minor units: every cost and the budget ×100, as kopiykas are. */
const inMinorUnits = (instance: PabulibInstance): PabulibInstance => ({
  ...instance,
  budget: instance.budget * 100n,
  projects: instance.projects.map((project) => ({ ...project, cost: project.cost * 100n })),
});

/**
 * Small elections ×100: up to 6 projects costing 0–3000, up to 12 voters, a
 * budget of 0–10,000, so that trying every budget in turn stays quick.
 */
const minorUnitElections = fc
  .record({
    costs: fc.array(fc.bigInt({ min: 0n, max: 30n }), { minLength: 1, maxLength: 6 }),
    votes: fc.array(fc.uniqueArray(fc.nat({ max: 5 }), { minLength: 1, maxLength: 6 }), { maxLength: 12 }),
    budget: fc.bigInt({ min: 0n, max: 100n }),
  })
  .map(({ costs, votes, budget }): PabulibInstance => {
    const ids = costs.map((_, index) => `p${index}`);
    return inMinorUnits({
      meta: new Map([['vote_type', VoteType.approval]]),
      budget,
      voteType: VoteType.approval,
      projectColumns: ['project_id', 'cost'],
      projects: ids.map((id, index) => ({ id, cost: costs[index] as bigint, fields: {} })),
      voteColumns: ['voter_id', 'vote'],
      ballots: votes.map((picks, voter) => ({
        voterId: `v${voter}`,
        projectIds: picks.filter((pick) => pick < ids.length).map((pick) => ids[pick] as string),
        fields: {},
      })),
    });
  });

describe('the result rules, on any election', () => {
  it('never spend more than the budget, and report what the selected projects cost', () => {
    fc.assert(
      fc.property(elections, (instance) => {
        const profile = ballotProfile(instance);
        const outcomes = [
          greedy(scored(instance), instance.budget),
          equalShares(profile, instance.budget),
          equalSharesAdd1(profile, instance.budget),
        ];

        for (const outcome of outcomes) {
          expect(outcome.cost).toBeLessThanOrEqual(instance.budget);
          expect(outcome.cost).toBe(costOf(instance, outcome.selected));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('greedy funds a supported project exactly when it fits in what is left at its turn', () => {
    // The documented order: higher score, then lower cost, then the smaller id.
    const comesBefore = (a: ScoredProject, b: ScoredProject): boolean =>
      a.score !== b.score ? a.score > b.score : a.cost !== b.cost ? a.cost < b.cost : a.id < b.id;

    fc.assert(
      fc.property(elections, (instance) => {
        const projects = scored(instance);

        const outcome = greedy(projects, instance.budget);

        for (const project of projects) {
          const spentBefore = projects
            .filter((other) => outcome.selected.includes(other.id) && comesBefore(other, project))
            .reduce((total, other) => total + other.cost, 0n);
          const fits = project.score > 0n && project.cost <= instance.budget - spentBefore;
          expect(outcome.selected.includes(project.id)).toBe(fits);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('equal shares never charges a voter more than the share, with or without add1', () => {
    fc.assert(
      fc.property(elections, (instance) => {
        const profile = ballotProfile(instance);

        const outcomes = [equalShares(profile, instance.budget), equalSharesAdd1(profile, instance.budget)];

        for (const outcome of outcomes) expectFairCharges(outcome, instance.ballots.length);
      }),
      { numRuns: 150 },
    );
  });

  it('give the same results whatever the order of the ballots', () => {
    fc.assert(
      fc.property(reordered, ([instance, shuffled]) => {
        const results = [instance, shuffled].map((election) => {
          const profile = ballotProfile(election);
          return [
            greedy(scored(election), election.budget).selected,
            equalShares(profile, election.budget).selected,
            equalSharesAdd1(profile, election.budget).selected,
          ];
        });

        expect(results[1]).toEqual(results[0]);
      }),
      { numRuns: 150 },
    );
  });

  it('add1 that skips budgets gives what trying every budget in turn gives', () => {
    fc.assert(
      fc.property(elections, (instance) => {
        const profile = ballotProfile(instance);

        const { step, increment, runs, ...skipping } = equalSharesAdd1(profile, instance.budget);

        expect(skipping).toEqual(add1StepByStep(profile, instance.budget));
      }),
      { numRuns: 150 },
    );
  });

  it('equal shares gives, at any increment, what the rule worked voter by voter gives', () => {
    fc.assert(
      fc.property(elections, fc.bigInt({ min: 0n, max: 50n }), (instance, increment) => {
        const profile = ballotProfile(instance);

        const outcome = equalSharesAt(profile, instance.budget, increment);

        expect(outcome).toEqual(byDefinition(profile, instance.budget, increment));
      }),
      { numRuns: 200 },
    );
  });

  it('add1 in minor units (costs and budget ×100) gives what trying every budget in turn gives', () => {
    fc.assert(
      fc.property(minorUnitElections, (instance) => {
        const profile = ballotProfile(instance);

        const { step, increment, runs, ...skipping } = equalSharesAdd1(profile, instance.budget);

        expect(skipping).toEqual(add1StepByStep(profile, instance.budget));
        expect(skipping).toEqual(add1StepByStep(profile, instance.budget, byDefinition));
      }),
      { numRuns: 60 },
    );
  });
});
