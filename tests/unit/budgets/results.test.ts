import { describe, expect, it } from 'vitest';
import { pabulibSha256, parsePabulib, writePabulib } from '../../../domain/budgets/pabulib';
import { type BudgetResults, computeResults, resultDocument } from '../../../domain/budgets/rules';
import { pabulibText } from '../../support/pabulib';

const SYNTHETIC = 'Synthetic_MES_seed23_300voters.pb';

/** The results, or the test fails with the rejection. */
function resultsOf(outcome: ReturnType<typeof computeResults>): BudgetResults {
  if (!outcome.ok) throw new Error(`Rejected: ${outcome.error.code}`);
  return outcome.value;
}

describe('computeResults', () => {
  it('runs equal shares with add1 by default and names rule, completion and versions', () => {
    const text = pabulibText(SYNTHETIC);

    const results = resultsOf(computeResults(parsePabulib(text), { rule: 'equal-shares', sourceText: text }));

    expect(results).toMatchObject({
      rule: 'equal-shares',
      completion: 'add1',
      version: 'equal-shares/1+add1/1',
      inputSha256: pabulibSha256(text),
      voteType: 'approval',
      budget: 50_000n,
      spent: 42_970n,
      selected: ['p1', 'p12', 'p7', 'p10', 'p2'],
    });
  });

  it('runs equal shares alone when asked, and greedy without a completion', () => {
    const instance = parsePabulib(pabulibText(SYNTHETIC));

    const alone = resultsOf(computeResults(instance, { rule: 'equal-shares', completion: 'none' }));
    const greedy = resultsOf(computeResults(instance, { rule: 'greedy' }));

    expect(alone).toMatchObject({ completion: 'none', version: 'equal-shares/1' });
    expect([...alone.selected].sort()).toEqual(['p1', 'p12', 'p2']);
    expect(greedy).toMatchObject({ rule: 'greedy', completion: 'none', version: 'greedy/1' });
  });

  it('lists every project in file order with its cost, score and whether it was funded', () => {
    const instance = parsePabulib(pabulibText('Poland_Warszawa_2023_Rembertow.pb'));

    const results = resultsOf(computeResults(instance, { rule: 'greedy' }));

    expect(results.projects.map((project) => project.id)).toEqual(
      instance.projects.map((project) => project.id),
    );
    expect(results.projects[0]).toEqual({ id: '1639', cost: 202_100n, score: 650n, selected: true });
    expect(results.projects.filter((project) => project.selected).map((project) => project.id)).toEqual(
      instance.projects.filter((project) => project.fields.selected === '1').map((project) => project.id),
    );
  });

  it('hashes the canonical text when it is not given the source', () => {
    const instance = parsePabulib(pabulibText(SYNTHETIC));

    const results = resultsOf(computeResults(instance, { rule: 'greedy' }));

    expect(results.inputSha256).toBe(pabulibSha256(writePabulib(instance)));
  });

  it.each([
    [
      'equal shares on ranked ballots',
      'US_Stanford_Dataset_Merced_Peoples_Budget_Ballot_2019_vote_rankings.pb',
      { rule: 'equal-shares', completion: 'none' },
      'rule_needs_approval_ballots',
    ],
    ['greedy with add1', SYNTHETIC, { rule: 'greedy', completion: 'add1' }, 'completion_needs_equal_shares'],
    ['an add1 step of 0', SYNTHETIC, { rule: 'equal-shares', add1Step: 0n }, 'invalid_add1_step'],
    ['a negative add1 step', SYNTHETIC, { rule: 'equal-shares', add1Step: -1n }, 'invalid_add1_step'],
  ] as const)('refuses %s with %s', (_case, file, options, code) => {
    const outcome = computeResults(parsePabulib(pabulibText(file)), options);

    expect(outcome).toMatchObject({ ok: false, error: { code } });
    if (!outcome.ok) expect(outcome.error.message.uk.length).toBeGreaterThan(0);
  });
});

/**
 * A pabulib file of point ballots: `votes` maps voter ids to `project:points,…`.
 * @example pointBallots('cumulative', 10, { a: 6 }, { v1: 'a:3' })
 */
function pointBallots(
  voteType: 'cumulative' | 'scoring',
  budget: number,
  costs: Record<string, number>,
  votes: Record<string, string>,
): string {
  const rows = Object.entries(votes).map(([voter, given]) => {
    const pairs = given.split(',').map((pair) => pair.split(':'));
    return `${voter};${pairs.map(([id]) => id).join(',')};${pairs.map(([, points]) => points).join(',')}`;
  });
  return [
    'META',
    'key;value',
    `budget;${budget}`,
    `vote_type;${voteType}`,
    `num_projects;${Object.keys(costs).length}`,
    `num_votes;${rows.length}`,
    'PROJECTS',
    'project_id;cost',
    ...Object.entries(costs).map(([id, cost]) => `${id};${cost}`),
    'VOTES',
    'voter_id;vote;points',
    ...rows,
    '',
  ].join('\n');
}

/**
 * Equal shares with additive utilities, worked by hand from its definition:
 * each voter starts with B / n; a project of cost c is bought at the least ρ
 * such that its supporters, each paying min(money left, ρ · points), pay c;
 * the project with the least ρ goes first (ties: more supporters, then the
 * smaller id). add1 raises each share by the step until the outcome would
 * cost more than B and keeps the last one within B.
 */
describe('computeResults: equal shares on point ballots', () => {
  // Two voters, B = 10. v1 gives a 9 points, c 1; v2 gives a 1, b 2, c 1.
  // Share 5: a: 9ρ > 5 at ρ = 0.6, so v1 pays all 5 and v2 pays ρ: 5 + ρ = 6, ρ_a = 1;
  //   b: 2ρ = 4, ρ_b = 2; c: 2ρ = 3, ρ_c = 1.5. a first: v1 has 0, v2 has 4.
  //   Then b: ρ 2 (v2 pays 4); c: 0 + min(4, ρ) = 3, ρ 3. b: both spent, [a, b] costs 10.
  // Share 6 (add1 + 1): a at 10ρ = 6, ρ 0.6 (v1 5.4, v2 0.6); then b at 2 (v2 pays 4) beats c at 2.4
  //   (0.6 + ρ = 3); v2 is left 1.4, and c (0.6 + 1.4 < 3) is out: [a, b], 10.
  // Share 7: a at 0.6 leaves 1.6 and 6.4; c at 1.5 (2ρ = 3) now beats b at 2: [a, c, b] costs 13 > 10.
  // add1 keeps share 6: [a, b], each share 1 above B / n.
  // As approval ballots (cost utilities) a and c tie at 0.5 per unit, a goes first, then c: [a, c].
  const capped = pointBallots('cumulative', 10, { a: 6, b: 4, c: 3 }, { v1: 'a:9,c:1', v2: 'a:1,b:2,c:1' });

  it('charges each supporter in proportion to their points, at most what they have left', () => {
    const results = resultsOf(computeResults(parsePabulib(capped), { rule: 'equal-shares' }));

    expect(results).toMatchObject({
      rule: 'equal-shares',
      completion: 'add1',
      voteType: 'cumulative',
      selected: ['a', 'b'],
      spent: 10n,
      add1: { step: 1n, increment: 1n },
    });
  });

  it('runs alone without add1, and then names no step', () => {
    const results = resultsOf(
      computeResults(parsePabulib(capped), { rule: 'equal-shares', completion: 'none' }),
    );

    expect(results.selected).toEqual(['a', 'b']);
    expect(results.add1).toBeUndefined();
    expect(resultDocument(results)).not.toHaveProperty('add1');
  });

  // Two voters, B = 10. v1: a 3 points, b 1; v2: a 1, c 2.
  // Share 5: a: 3ρ + ρ = 6, ρ 1.5 (v1 4.5, v2 1.5); b: ρ = 4; c: 2ρ = 5, ρ 2.5. a first; then v1 has 0.5
  //   (b needs 4) and v2 3.5 (c needs 5): [a], 6. Share 6: the same, v1 1.5, v2 4.5: [a], 6.
  // Share 7: v2 is left 5.5 and pays c (ρ 2.5): [a, c] costs 11 > 10. add1 keeps share 6: increment 1.
  // With a step of 2: share 5, then 7, which is over: it keeps share 5, increment 0.
  // As approval ballots each pays 3 for a and share 7 buys b as well: [a, b], 10.
  const lopsided = pointBallots('cumulative', 10, { a: 6, b: 4, c: 5 }, { v1: 'a:3,b:1', v2: 'a:1,c:2' });

  it('completes with add1 at the step asked for, and the document says which step and increment', () => {
    const instance = parsePabulib(lopsided);

    const byOne = resultsOf(computeResults(instance, { rule: 'equal-shares' }));
    const byTwo = resultsOf(computeResults(instance, { rule: 'equal-shares', add1Step: 2n }));

    expect(byOne).toMatchObject({ selected: ['a'], spent: 6n, add1: { step: 1n, increment: 1n } });
    expect(byTwo).toMatchObject({ selected: ['a'], spent: 6n, add1: { step: 2n, increment: 0n } });
    expect(resultDocument(byOne).add1).toEqual({ step: '1', increment: '1' });
    expect(resultDocument(byTwo).add1).toEqual({ step: '2', increment: '0' });
  });

  // B = 20, shares 10. p3: both voters 1 point, 2ρ = 4, ρ 2; p1: v2 2 points, ρ 2; p2: v1 2 points, ρ 2.
  // All three at ρ 2: p3 has more supporters and goes first; p1 and p2 tie again and the smaller id wins.
  it('breaks ties by more supporters, then by the smaller id, on scoring ballots too', () => {
    const text = pointBallots('scoring', 20, { p1: 4, p2: 4, p3: 4 }, { v1: 'p2:2,p3:1', v2: 'p1:2,p3:1' });

    const results = resultsOf(
      computeResults(parsePabulib(text), { rule: 'equal-shares', completion: 'none' }),
    );

    expect(results).toMatchObject({ voteType: 'scoring', selected: ['p3', 'p1', 'p2'], spent: 12n });
  });

  it('counts a shared cumulative file and names add1 in its document', () => {
    const text = pabulibText('Switzerland_Zurich_D5.pb');

    const results = resultsOf(computeResults(parsePabulib(text), { rule: 'equal-shares', sourceText: text }));
    const document = resultDocument(results);

    expect(results.selected.length).toBeGreaterThan(0);
    expect(results.spent).toBeLessThanOrEqual(results.budget);
    expect(document).toMatchObject({ rule: 'equal-shares', completion: 'add1', voteType: 'cumulative' });
    expect(document.add1?.step).toBe('1');
    expect(BigInt(document.add1?.increment ?? '-1')).toBeGreaterThanOrEqual(0n);
  });
});

describe('resultDocument', () => {
  it('carries amounts as decimal strings, so that JSON keeps them exact', () => {
    const text = pabulibText(SYNTHETIC);
    const results = resultsOf(computeResults(parsePabulib(text), { rule: 'greedy', sourceText: text }));

    const document = resultDocument(results);

    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
    expect(document).toMatchObject({
      rule: 'greedy',
      version: 'greedy/1',
      inputSha256: pabulibSha256(text),
      totals: {
        budget: '50000',
        spent: results.spent.toString(),
        left: (50_000n - results.spent).toString(),
      },
      selected: results.selected,
    });
    expect(document.projects[0]).toEqual({ id: 'p1', cost: '10309', score: '160', selected: true });
  });
});
