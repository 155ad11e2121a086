import { type Budget, CITY_POT, type Pot } from '../../domain/budgets/budget';
import type { PotResult } from '../../domain/budgets/commands/publish-results';
import { writePabulib } from '../../domain/budgets/pabulib/write';
import { pabulibIdOf, pabulibOfPot } from '../../domain/budgets/pabulib-of-budget';
import type { BudgetStore } from '../../domain/budgets/ports';
import { costOf } from '../../domain/budgets/project';
import { text } from '../../domain/shared/localized';
import type { RouteReply, RouteRequest } from '../shared/routes';
import { budgetView, RESULTS_PUBLIC } from './schemas';

type ExportFormat = 'pabulib' | 'pabulib-input' | 'csv' | 'json';

/** One CSV field, quoted when it must be (RFC 4180). */
const csvField = (value: string | number | boolean): string => {
  const raw = String(value);
  return /[",\r\n]/.test(raw) ? `"${raw.replaceAll('"', '""')}"` : raw;
};

/**
 * A budget's export. `pabulib` is one pot's election with a `selected`
 * column; `pabulib-input` is the exact text its results were computed from
 * (its sha256 is the result's `inputSha256`); `csv` lists every pot's
 * projects with score and selection; `json` has all of it, ballots too. Voters
 * are sequence numbers, never keys. Public once the results are published
 * (anyone may then recompute them), and not before.
 */
export async function exportBudget(
  request: RouteRequest<{ budgetId: string }, { format: ExportFormat; pot?: string }>,
  store: BudgetStore,
  budget: Budget,
): Promise<RouteReply> {
  if (!RESULTS_PUBLIC.has(budget.phase)) {
    return {
      error: {
        code: 'results_not_public',
        message: text(
          'Експорт стане доступним після оприлюднення результатів.',
          'The export is available once the results are published.',
        ),
        details: { currentPhase: budget.phase },
      },
    };
  }
  const { format } = request.query;
  const potId = request.query.pot ?? CITY_POT;
  const pot = budget.pots.find((candidate) => candidate.id === potId);
  if (!pot) {
    return {
      error: {
        code: 'unknown_pot',
        message: text('У цьому бюджеті немає такого кошика.', 'This budget has no such pot.'),
        details: { pots: budget.pots.map((candidate) => candidate.id) },
      },
    };
  }
  const [projects, ballots, results] = await Promise.all([
    store.projects(budget.communityId, budget.id),
    store.allBallots(budget.communityId, budget.id),
    budget.results?.status === 'done' ? store.results(budget.communityId, budget.id) : Promise.resolve([]),
  ]);
  const resultOf = (candidate: Pot): PotResult | undefined =>
    results.find((result) => result.potId === candidate.id);
  const selectedOf = (candidate: Pot) => {
    const result = resultOf(candidate);
    return result ? new Set(result.selected) : undefined;
  };
  const file = `budget-${budget.id}`;

  if (format === 'pabulib' || format === 'pabulib-input') {
    const instance = pabulibOfPot(
      budget,
      pot,
      projects,
      ballots,
      format === 'pabulib' ? selectedOf(pot) : undefined,
    );
    return {
      status: 200,
      body: writePabulib(instance),
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'content-disposition': `attachment; filename="${file}-${potId}${format === 'pabulib-input' ? '-input' : ''}.pb"`,
        'cache-control': 'no-store',
      },
    };
  }

  const scoreOf = (candidate: Pot, id: string) =>
    resultOf(candidate)?.projects.find((project) => project.id === id)?.score;
  if (format === 'csv') {
    const rows = [['pot', 'project_id', 'title', 'cost', 'score', 'selected', 'state']];
    for (const candidate of budget.pots) {
      const selected = selectedOf(candidate);
      for (const project of projects.filter(
        (each) => each.potId === candidate.id && each.finalCost !== undefined,
      )) {
        const id = pabulibIdOf(project);
        rows.push([
          candidate.id,
          id,
          project.title,
          String(costOf(project)),
          scoreOf(candidate, id) ?? '',
          selected ? String(selected.has(id)) : '',
          project.state,
        ]);
      }
    }
    return {
      status: 200,
      body: `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${file}.csv"`,
        'cache-control': 'no-store',
      },
    };
  }

  return {
    status: 200,
    body: {
      budget: budgetView(budget),
      pots: budget.pots.map((candidate) => {
        const instance = pabulibOfPot(budget, candidate, projects, ballots, selectedOf(candidate));
        return {
          potId: candidate.id,
          amount: candidate.amount,
          ...(resultOf(candidate) ? { result: resultOf(candidate) } : {}),
          projects: instance.projects.map((project) => ({
            id: project.id,
            cost: project.cost.toString(),
            ...project.fields,
          })),
          ballots: instance.ballots.map((ballot) => ({
            voter: Number(ballot.voterId),
            projectIds: ballot.projectIds,
            ...(ballot.points ? { points: ballot.points.map(String) } : {}),
          })),
        };
      }),
    },
    headers: { 'content-disposition': `attachment; filename="${file}.json"`, 'cache-control': 'no-store' },
  };
}
