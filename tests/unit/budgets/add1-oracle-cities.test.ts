import { describe, expect, it } from 'vitest';
import { VoteType } from '../../../domain/budgets/pabulib';
import { ballotProfile, equalSharesAdd1 } from '../../../domain/budgets/rules';
import { equalSharesFiles, expectReferenceOutcome } from '../../support/add1-files';
import { scaled, settled, steppedAdd1 } from '../../support/equal-shares-oracle';
import { CITY_SIZED_BALLOTS } from '../../support/pabulib';

/**
 * add1 on the city-sized shared elections. In whole units against trying
 * every step in turn (a few hundred runs of the rule each). ×100 that would
 * be tens of thousands of runs of up to ~10 ms each, too slow for the suite:
 * there the approval files are compared with the outcomes of the earlier,
 * independent implementation (reference-results.json; it had no points), and
 * `npm run verify -- add1` steps through all of them.
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

  it.each(CITIES.filter(({ instance }) => instance.voteType === VoteType.approval))(
    '$file ×100: what the earlier implementation gave',
    ({ file, instance }) => {
      const election = scaled(instance, 100n);

      const fast = equalSharesAdd1(ballotProfile(election), election.budget);

      expectReferenceOutcome(file, 100, fast);
    },
    TIMEOUT,
  );
});
