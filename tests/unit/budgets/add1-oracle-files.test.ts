import { describe, expect, it } from 'vitest';
import { VoteType } from '../../../domain/budgets/pabulib';
import { ballotProfile, equalSharesAdd1 } from '../../../domain/budgets/rules';
import { equalSharesFiles, expectReferenceOutcome } from '../../support/add1-files';
import { scaled, settled, steppedAdd1 } from '../../support/equal-shares-oracle';
import { CITY_SIZED_BALLOTS } from '../../support/pabulib';

/**
 * add1 on every shared election that is not city-sized (the city-sized ones
 * are in add1-oracle-cities.test.ts, so that the two files run side by side)
 * against trying every step of one unit in turn: in whole units, and ×100
 * where that stays within seconds. Stepping ×100 takes a hundred times the
 * runs of whole units, each as long as the profile is big: where whole units
 * already take more than {@link STEPPED_WORK} (runs × supports), as for
 * Cambridge and Rembertów (40 s and 110 s ×100 on two busy cores), ×100 is
 * compared with the earlier, independent implementation instead
 * (reference-results.json), and `npm run verify -- add1` steps through it.
 */

/** Generous: stepping ×100 runs the rule thousands of times, and a slow machine must not fail it. */
const TIMEOUT = 300_000;

/** The most runs × supports of stepping in whole units for which the suite steps ×100 as well. */
const STEPPED_WORK = 1_500_000n;

const SMALL = equalSharesFiles()
  .filter(({ instance }) => instance.ballots.length < CITY_SIZED_BALLOTS)
  .map(({ file, instance }) => {
    const profile = ballotProfile(instance);
    const supports = BigInt(profile.supporters.reduce((total, voters) => total + voters.length, 0));
    // Stepping runs the rule at the increments 0 … increment + 1.
    const work = (equalSharesAdd1(profile, instance.budget).increment + 2n) * supports;
    return { file, instance, steppedInMinorUnits: work <= STEPPED_WORK };
  });

const stepped = SMALL.flatMap(({ file, instance, steppedInMinorUnits }) =>
  (steppedInMinorUnits ? [1, 100] : [1]).map((scale) => ({ file, instance, scale })),
);

describe('add1 on the shared elections below city size, against trying every step', () => {
  it('covers approval and cumulative files, and steps ×100 through some of each', () => {
    const kinds = (files: typeof SMALL) => new Set(files.map(({ instance }) => instance.voteType));

    expect(kinds(SMALL)).toEqual(new Set([VoteType.approval, VoteType.cumulative]));
    expect(kinds(SMALL.filter(({ steppedInMinorUnits }) => steppedInMinorUnits))).toEqual(
      new Set([VoteType.approval, VoteType.cumulative]),
    );
  });

  it('leaves ×100 unstepped only on approval files, which the earlier implementation checks', () => {
    const unstepped = SMALL.filter(({ steppedInMinorUnits }) => !steppedInMinorUnits);

    expect(unstepped.map(({ instance }) => instance.voteType)).toEqual(
      unstepped.map(() => VoteType.approval),
    );
  });

  it.each(stepped)(
    '$file ×$scale: the same selection, cost, final share, what each voter keeps and increment',
    ({ file, instance, scale }) => {
      const election = scaled(instance, BigInt(scale));
      const profile = ballotProfile(election);

      const fast = equalSharesAdd1(profile, election.budget);

      expect(settled(fast)).toEqual(settled(steppedAdd1(profile, election.budget, 1n, fast.increment)));
      if (instance.voteType === VoteType.approval) expectReferenceOutcome(file, scale, fast);
    },
    TIMEOUT,
  );

  it.each(SMALL.filter(({ steppedInMinorUnits }) => !steppedInMinorUnits))(
    '$file ×100: what the earlier implementation gave',
    ({ file, instance }) => {
      const election = scaled(instance, 100n);

      const fast = equalSharesAdd1(ballotProfile(election), election.budget);

      expectReferenceOutcome(file, 100, fast);
    },
    TIMEOUT,
  );
});
