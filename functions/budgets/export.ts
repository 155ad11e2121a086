import { type Budget, CITY_POT, type Pot } from '../../domain/budgets/budget';
import type { Ballot } from '../../domain/budgets/commands/cast-ballot';
import type { PotResult } from '../../domain/budgets/commands/publish-results';
import { writePabulibHead, writePabulibVotes } from '../../domain/budgets/pabulib/write';
import {
  countsIn,
  type PotTally,
  pabulibBallotsOfPot,
  pabulibHeadOfPot,
  pabulibIdOf,
} from '../../domain/budgets/pabulib-of-budget';
import type { BudgetStore } from '../../domain/budgets/ports';
import { costOf } from '../../domain/budgets/project';
import { text } from '../../domain/shared/localized';
import {
  EXPORT_LIMIT_BYTES,
  exportCursor,
  exportPageRows,
  exportPosition,
  nextPageLink,
} from '../shared/export-pages';
import { invalidCursor, isKeyValue } from '../shared/pagination';
import { pathTo, type RouteReply, type RouteRequest } from '../shared/routes';
import { BUDGET_PATH } from './requests';
import { budgetView, RESULTS_PUBLIC } from './schemas';

type ExportFormat = 'pabulib' | 'pabulib-input' | 'csv' | 'json';

/** The export's path template: its `Link` to the next page is built from it. */
export const EXPORT_PATH = `${BUDGET_PATH}/export`;

/** One CSV field, quoted when it must be (RFC 4180). */
const csvField = (value: string | number | boolean): string => {
  const raw = String(value);
  return /[",\r\n]/.test(raw) ? `"${raw.replaceAll('"', '""')}"` : raw;
};

/** A ballot's room in a page, from the ids and points it writes (an estimate a little above the row's bytes). */
const ballotSize =
  (idOf: ReadonlyMap<string, string>) =>
  (ballot: Ballot): number =>
    ballot.projectIds.reduce((bytes, id) => bytes + (idOf.get(id) ?? id).length + 3, 0) +
    (ballot.points ?? []).reduce((bytes, points) => bytes + String(points).length + 1, 0) +
    48;

/** A count carried in a cursor; a cursor that carries anything else was not handed out by the export. */
function count(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalidCursor();
  return value;
}

/** Where a cursor says the previous page ended. */
function sortKey(value: unknown): string {
  if (!isKeyValue(value)) throw invalidCursor();
  return value;
}

/**
 * The refusal of an export whose results were stored without the tally the
 * file's head is written from (results computed before exports paged): the
 * export never falls back to reading every ballot.
 */
const noTally = (pots: readonly string[]): RouteReply => ({
  error: {
    code: 'results_not_computed',
    message: text(
      'Результати цього бюджету обчислено до посторінкового експорту, і в них немає підсумку голосів, з якого ' +
        'пишеться заголовок файлу. Попросіть адміністраторів платформи обчислити їх знову.',
      'The results of this budget were computed before exports paged and lack the vote tally the head of the ' +
        'file is written from. Ask the platform administrators to compute them again.',
    ),
    details: { pots },
  },
});

/**
 * A budget's export, a page at a time (see `functions/shared/export-pages.ts`).
 * `pabulib` is one pot's election with a `selected` column; `pabulib-input`
 * is the exact text its results were computed from (its sha256 is the
 * result's `inputSha256`); a page holds META and PROJECTS only when it is the
 * first, so pages concatenated are the file. `csv` lists every pot's projects
 * with score and selection (no ballot is read: one page). `json` has all of
 * it, ballots too: each page the whole document with this page's ballots per
 * pot, and `next`. The file's head comes from the tally the results job kept,
 * never from reading every ballot. Voters are sequence numbers, never keys,
 * and the numbers go on across pages. Public once the results are published
 * (anyone may then recompute them), and not before.
 */
export async function exportBudget(
  request: RouteRequest<{ budgetId: string }, { format: ExportFormat; pot?: string; cursor?: string }>,
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
  const { format, cursor } = request.query;
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
  const kind = `budget/${budget.id}/${format}${format.startsWith('pabulib') ? `/${potId}` : ''}`;
  // A cursor of another export or list is refused before anything is read; csv hands out none.
  const position = exportPosition(cursor, kind);
  const [projects, results, tallies] = await Promise.all([
    store.projects(budget.communityId, budget.id),
    budget.results?.status === 'done' ? store.results(budget.communityId, budget.id) : Promise.resolve([]),
    format === 'csv'
      ? Promise.resolve(new Map<string, PotTally>())
      : store.tallies(budget.communityId, budget.id),
  ]);
  const resultOf = (candidate: Pot): PotResult | undefined =>
    results.find((result) => result.potId === candidate.id);
  const selectedOf = (candidate: Pot) => {
    const result = resultOf(candidate);
    return result ? new Set(result.selected) : undefined;
  };
  const file = `budget-${budget.id}`;
  const link = (next: string) =>
    nextPageLink(
      pathTo(EXPORT_PATH, { communityId: budget.communityId, budgetId: budget.id }),
      { format, pot: request.query.pot },
      next,
    );
  const rows = exportPageRows(request.config);

  if (format === 'pabulib' || format === 'pabulib-input') {
    const tally = tallies.get(pot.id);
    if (!tally) return noTally([pot.id]);
    const instance = pabulibHeadOfPot(
      budget,
      pot,
      projects,
      tally,
      format === 'pabulib' ? selectedOf(pot) : undefined,
    );
    const head = writePabulibHead(instance);
    const first = position === undefined;
    const voters = first ? 0 : count(position.voters);
    const idOf = new Map(projects.map((project) => [project.id, pabulibIdOf(project)]));
    const page = await store.ballotPage(budget.communityId, budget.id, {
      after: first ? undefined : sortKey(position.after),
      rows,
      bytes: EXPORT_LIMIT_BYTES - (first ? Buffer.byteLength(head.text, 'utf8') : 0),
      keep: (ballot) => countsIn(budget, pot, ballot),
      sizeOf: ballotSize(idOf),
    });
    const ballots = pabulibBallotsOfPot(budget, pot, projects, page.ballots, voters + 1);
    const body = (first ? head.text : '') + writePabulibVotes(instance, ballots, head.lines + voters + 1);
    return {
      status: 200,
      body,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'content-disposition': `attachment; filename="${file}-${potId}${format === 'pabulib-input' ? '-input' : ''}.pb"`,
        'cache-control': 'no-store',
        ...(page.after === undefined
          ? {}
          : link(exportCursor(kind, { after: page.after, voters: voters + ballots.length }))),
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

  const untallied = budget.pots.filter((candidate) => !tallies.has(candidate.id));
  if (untallied.length > 0) return noTally(untallied.map((candidate) => candidate.id));
  const voters = new Map<string, number>(
    Object.entries((position?.voters ?? {}) as Record<string, unknown>).map(([id, value]) => [
      id,
      count(value),
    ]),
  );
  const idOf = new Map(projects.map((project) => [project.id, pabulibIdOf(project)]));
  const page = await store.ballotPage(budget.communityId, budget.id, {
    after: position === undefined ? undefined : sortKey(position.after),
    rows,
    // The rest of the document (budget, projects, results) is bounded by the budget's projects.
    bytes: EXPORT_LIMIT_BYTES / 2,
    keep: (ballot) => budget.pots.some((candidate) => countsIn(budget, candidate, ballot)),
    sizeOf: ballotSize(idOf),
  });
  const pots = budget.pots.map((candidate) => {
    const instance = pabulibHeadOfPot(
      budget,
      candidate,
      projects,
      tallies.get(candidate.id) as PotTally,
      selectedOf(candidate),
    );
    const before = voters.get(candidate.id) ?? 0;
    const ballots = pabulibBallotsOfPot(
      budget,
      candidate,
      projects,
      page.ballots.filter((ballot) => ballot.potId === candidate.id),
      before + 1,
    );
    voters.set(candidate.id, before + ballots.length);
    return {
      potId: candidate.id,
      amount: candidate.amount,
      ...(resultOf(candidate) ? { result: resultOf(candidate) } : {}),
      projects: instance.projects.map((project) => ({
        id: project.id,
        cost: project.cost.toString(),
        ...project.fields,
      })),
      ballots: ballots.map((ballot) => ({
        voter: Number(ballot.voterId),
        projectIds: ballot.projectIds,
        ...(ballot.points ? { points: ballot.points.map(String) } : {}),
      })),
    };
  });
  const next =
    page.after === undefined
      ? undefined
      : exportCursor(kind, { after: page.after, voters: Object.fromEntries(voters) });
  return {
    status: 200,
    body: { budget: budgetView(budget), pots, ...(next === undefined ? {} : { next }) },
    headers: {
      'content-disposition': `attachment; filename="${file}.json"`,
      'cache-control': 'no-store',
      ...(next === undefined ? {} : link(next)),
    },
  };
}
