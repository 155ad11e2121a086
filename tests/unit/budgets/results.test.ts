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
      'equal shares on cumulative ballots',
      'Switzerland_Zurich_D5.pb',
      { rule: 'equal-shares' },
      'rule_needs_approval_ballots',
    ],
    [
      'equal shares on ranked ballots',
      'US_Stanford_Dataset_Merced_Peoples_Budget_Ballot_2019_vote_rankings.pb',
      { rule: 'equal-shares', completion: 'none' },
      'rule_needs_approval_ballots',
    ],
    ['greedy with add1', SYNTHETIC, { rule: 'greedy', completion: 'add1' }, 'completion_needs_equal_shares'],
  ] as const)('refuses %s with %s', (_case, file, options, code) => {
    const outcome = computeResults(parsePabulib(pabulibText(file)), options);

    expect(outcome).toMatchObject({ ok: false, error: { code } });
    if (!outcome.ok) expect(outcome.error.message.uk.length).toBeGreaterThan(0);
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
