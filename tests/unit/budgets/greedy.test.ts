import { describe, expect, it } from 'vitest';
import { parsePabulib } from '../../../domain/budgets/pabulib';
import { GREEDY_VERSION, greedy, projectScores } from '../../../domain/budgets/rules';
import { pabulibText } from '../../support/pabulib';

const project = (id: string, cost: bigint, score: bigint) => ({ id, cost, score });

describe('greedy', () => {
  it('is versioned', () => {
    expect(GREEDY_VERSION).toBe('greedy/1');
  });

  it('selects exactly the projects Warszawa funded in Rembertów 2023', () => {
    const instance = parsePabulib(pabulibText('Poland_Warszawa_2023_Rembertow.pb'));
    const scores = projectScores(instance);
    const official = instance.projects.filter((p) => p.fields.selected === '1').map((p) => p.id);

    const outcome = greedy(
      instance.projects.map(({ id, cost }) => project(id, cost, scores.get(id) ?? 0n)),
      instance.budget,
    );

    expect([...outcome.selected].sort()).toEqual([...official].sort());
    expect(outcome.cost).toBe(1_004_015n);
  });

  it('counts the approvals the file itself reports', () => {
    const instance = parsePabulib(pabulibText('Poland_Warszawa_2023_Rembertow.pb'));

    const scores = projectScores(instance);

    for (const { id, fields } of instance.projects)
      expect(scores.get(id)).toBe(BigInt(fields.votes as string));
  });

  it('skips a project that does not fit and goes on down the list', () => {
    const projects = [project('a', 60n, 9n), project('b', 50n, 8n), project('c', 40n, 7n)];

    const outcome = greedy(projects, 100n);

    expect(outcome).toEqual({ selected: ['a', 'c'], cost: 100n });
  });

  it('breaks a tie in score by the lower cost, then by the smaller id as a string', () => {
    const projects = [
      project('b', 50n, 5n),
      project('a', 50n, 5n),
      project('c', 40n, 5n),
      project('10', 50n, 5n),
    ];

    const outcome = greedy(projects, 140n);

    expect(outcome.selected).toEqual(['c', '10', 'a']);
  });

  it('funds no project without support, even when it costs nothing', () => {
    const projects = [project('a', 10n, 3n), project('free', 0n, 0n), project('disliked', 5n, -2n)];

    const outcome = greedy(projects, 100n);

    expect(outcome).toEqual({ selected: ['a'], cost: 10n });
  });
});

describe('project scores', () => {
  it('sums the points of cumulative ballots, as the Zürich file reports them', () => {
    const instance = parsePabulib(pabulibText('Switzerland_Zurich_D5.pb'));

    const scores = projectScores(instance);

    for (const { id, fields } of instance.projects)
      expect(scores.get(id)).toBe(BigInt(fields.score as string));
  });

  it('counts ranked ballots by Borda truncated to the ballot, as the Merced file reports them', () => {
    const instance = parsePabulib(
      pabulibText('US_Stanford_Dataset_Merced_Peoples_Budget_Ballot_2019_vote_rankings.pb'),
    );

    const scores = projectScores(instance);

    expect(scores.get('1106')).toBe(241n);
    for (const { id, fields } of instance.projects)
      expect(scores.get(id)).toBe(BigInt(fields.score as string));
  });
});
