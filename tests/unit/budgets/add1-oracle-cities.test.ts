import { describe, expect, it } from 'vitest';
import { VoteType } from '../../../domain/budgets/pabulib';
import { ballotProfile, equalSharesAdd1 } from '../../../domain/budgets/rules';
import { equalSharesFiles, expectReferenceOutcome } from '../../support/add1-files';
import { settled, steppedAdd1 } from '../../support/equal-shares-oracle';
import { CITY_SIZED_BALLOTS } from '../../support/pabulib';

/**
 * add1 on the city-sized shared elections, in whole units, against trying
 * every step in turn (a few hundred runs of the rule each), and for the
 * approval files against the earlier, independent implementation
 * (reference-results.json; it had no points). ×100 stepping is tens of
 * thousands of runs and fast add1 itself still takes seconds on the Warsaw
 * districts and Łódź: `npm run verify -- add1 --scale 100` steps through
 * them, outside the suite.
 */

/** Generous: stepping a Warsaw district takes seconds, and a slow machine must not fail it. */
const TIMEOUT = 300_000;

const CITIES = equalSharesFiles().filter(({ instance }) => instance.ballots.length >= CITY_SIZED_BALLOTS);

describe('add1 on the city-sized shared elections', () => {
  it('covers approval and cumulative files', () => {
    const kinds = new Set(CITIES.map(({ instance }) => instance.voteType));

    expect(kinds).toEqual(new Set([VoteType.approval, VoteType.cumulative]));
  });

  it.each(CITIES)(
    '$file in whole units: what trying every step gives, and for approval what the earlier implementation gave',
    ({ file, instance }) => {
      const profile = ballotProfile(instance);

      const fast = equalSharesAdd1(profile, instance.budget);

      expect(settled(fast)).toEqual(settled(steppedAdd1(profile, instance.budget, 1n, fast.increment)));
      if (instance.voteType === VoteType.approval) expectReferenceOutcome(file, 1, fast);
    },
    TIMEOUT,
  );
});
