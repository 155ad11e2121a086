import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PabulibInstance, VoteType } from '../../../domain/budgets/pabulib';
import { ballotProfile, equalSharesAdd1, equalSharesAt } from '../../../domain/budgets/rules';
import {
  add1StepByStep,
  byDefinition,
  scaled,
  settled,
  steppedAdd1,
} from '../../support/equal-shares-oracle';

/**
 * The fast add1 against its definition, trying every step in turn, on random
 * elections that make it skip far: tens of steps in whole units, thousands
 * when every cost and the budget are ×100 or ×1000. Voters fall into blocs
 * and projects belong to one, so projects of a bloc share most supporters and
 * their prices drift alike (the hard case for a skip). A fast add1 that is
 * wrong is caught whatever the machine's speed: nothing here is timed.
 */

/** Generous: the stepping takes seconds on two busy cores, and a slow machine must not fail it. */
const TIMEOUT = 120_000;

const SCALES = [1n, 100n, 1000n] as const;

const BALLOTS: readonly VoteType[] = [VoteType.approval, VoteType.cumulative, VoteType.scoring];

/**
 * Up to `voters` voters and `projects` projects costing 0–`maxCost`. Each
 * voter backs the projects of their bloc, give or take a few (`flips`), with
 * 1–10 points each on a point ballot; the budget is 0–120 % of what the
 * projects cost together.
 */
const elections = ({ voters = 40, projects = 10, maxCost = 200n, voteTypes = BALLOTS } = {}) =>
  fc
    .record({
      voteType: fc.constantFrom(...voteTypes),
      projects: fc.array(
        fc.record({
          cost: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: maxCost })),
          bloc: fc.nat({ max: 2 }),
        }),
        { minLength: 2, maxLength: projects, size: 'max' },
      ),
      ballots: fc.array(
        fc.record({
          bloc: fc.nat({ max: 2 }),
          flips: fc.uniqueArray(fc.nat({ max: projects - 1 }), { maxLength: 3 }),
          points: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: projects, maxLength: projects }),
        }),
        { maxLength: voters, size: 'max' },
      ),
      budgetPercent: fc.nat({ max: 120 }),
    })
    .map(({ voteType, projects: drawn, ballots, budgetPercent }): PabulibInstance => {
      const ids = drawn.map((_, index) => `p${index}`);
      const total = drawn.reduce((sum, { cost }) => sum + cost, 0n);
      const budget = (total * BigInt(budgetPercent)) / 100n;
      const pointed = voteType !== VoteType.approval;
      return {
        meta: new Map([
          ['budget', budget.toString()],
          ['vote_type', voteType],
        ]),
        budget,
        voteType,
        projectColumns: ['project_id', 'cost'],
        projects: ids.map((id, index) => ({ id, cost: drawn[index]?.cost ?? 0n, fields: {} })),
        voteColumns: pointed ? ['voter_id', 'vote', 'points'] : ['voter_id', 'vote'],
        ballots: ballots.map(({ bloc, flips, points }, voter) => {
          const backed = drawn.flatMap((project, index) =>
            (project.bloc === bloc) !== flips.includes(index) ? [index] : [],
          );
          return {
            voterId: `v${voter}`,
            projectIds: backed.map((index) => ids[index] as string),
            ...(pointed ? { points: backed.map((index) => BigInt(points[index] ?? 1)) } : {}),
            fields: {},
          };
        }),
      };
    });

describe('add1 that skips budgets, against trying every budget in turn', () => {
  // Fewer elections in finer units: stepping there takes a hundred or a thousand times as many runs.
  it.each([
    [1, 500],
    [100, 150],
    [1000, 25],
  ])(
    'agrees on the selection, the cost, the final share, what each voter keeps and the increment, costs ×%i (%i elections)',
    (scale, numRuns) => {
      fc.assert(
        fc.property(elections(), (election) => {
          const instance = scaled(election, BigInt(scale));
          const profile = ballotProfile(instance);

          const fast = equalSharesAdd1(profile, instance.budget);

          const stepped = steppedAdd1(profile, instance.budget, 1n, fast.increment);
          expect(settled(fast)).toEqual(settled(stepped));
          expect(fast.step).toBe(1n);
        }),
        { numRuns },
      );
    },
    TIMEOUT,
  );

  it('agrees with one fresh run of the rule for every budget, in whole units', () => {
    fc.assert(
      fc.property(elections(), (instance) => {
        const profile = ballotProfile(instance);

        const { step, increment, runs, ...fast } = equalSharesAdd1(profile, instance.budget);

        expect(fast).toEqual(add1StepByStep(profile, instance.budget));
      }),
      { numRuns: 200 },
    );
  });

  it.each([7, 100])(
    'agrees with stepping by %i when that is the step of add1, costs ×1, ×100 and ×1000',
    (units) => {
      const step = BigInt(units);
      fc.assert(
        fc.property(elections(), fc.constantFrom(...SCALES), (election, scale) => {
          const instance = scaled(election, scale);
          const profile = ballotProfile(instance);

          const fast = equalSharesAdd1(profile, instance.budget, step);

          const stepped = steppedAdd1(profile, instance.budget, step, fast.increment);
          expect(settled(fast)).toEqual(settled(stepped));
          expect(fast.step).toBe(step);
          expect(fast.increment % step).toBe(0n);
        }),
        { numRuns: 60 },
      );
    },
    TIMEOUT,
  );
});

describe('equal shares on point ballots, against the rule worked voter by voter', () => {
  it('gives the same selection, cost, share and what each voter keeps, at any increment', () => {
    fc.assert(
      fc.property(
        elections({
          voters: 12,
          projects: 6,
          maxCost: 60n,
          voteTypes: [VoteType.cumulative, VoteType.scoring],
        }),
        fc.bigInt({ min: 0n, max: 40n }),
        (instance, increment) => {
          const profile = ballotProfile(instance);

          const outcome = equalSharesAt(profile, instance.budget, increment);

          expect(outcome).toEqual(byDefinition(profile, instance.budget, increment));
        },
      ),
      { numRuns: 300 },
    );
  });
});
