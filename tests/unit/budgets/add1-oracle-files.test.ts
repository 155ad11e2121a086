import { describe, expect, it } from 'vitest';
import { VoteType } from '../../../domain/budgets/pabulib';
import { ballotProfile, equalSharesAdd1 } from '../../../domain/budgets/rules';
import { equalSharesFiles, expectReferenceOutcome } from '../../support/add1-files';
import { scaled, settled, steppedAdd1 } from '../../support/equal-shares-oracle';
import { CITY_SIZED_BALLOTS } from '../../support/pabulib';

/**
 * add1 on every shared election below city size, in whole units and ×100,
 * against trying every step of one unit in turn (up to ~33,000 runs of the
 * rule, for Cambridge ×100), and on approval files against the outcomes of
 * the earlier, independent implementation (reference-results.json). The
 * city-sized ones are in add1-oracle-cities.test.ts, so that the two files
 * run side by side.
 */

/** Generous: stepping ×100 takes seconds on two busy cores, and a slow machine must not fail it. */
const TIMEOUT = 300_000;

const SMALL = equalSharesFiles().filter(({ instance }) => instance.ballots.length < CITY_SIZED_BALLOTS);

const cases = SMALL.flatMap(({ file, instance }) => [1, 100].map((scale) => ({ file, instance, scale })));

describe('add1 on the shared elections below city size, against trying every step', () => {
  it('covers approval and cumulative files', () => {
    expect(new Set(SMALL.map(({ instance }) => instance.voteType))).toEqual(
      new Set([VoteType.approval, VoteType.cumulative]),
    );
  });

  it.each(cases)(
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
});
