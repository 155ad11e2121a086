import type { Budget, Pot } from '../../domain/budgets/budget';
import type { Ballot } from '../../domain/budgets/commands/cast-ballot';
import type { PotResult } from '../../domain/budgets/commands/publish-results';
import { PabulibError } from '../../domain/budgets/pabulib/errors';
import { pabulibSha256 } from '../../domain/budgets/pabulib/hash';
import { parsePabulib } from '../../domain/budgets/pabulib/parse';
import { writePabulib } from '../../domain/budgets/pabulib/write';
import { type PotTally, pabulibOfPot, potTally } from '../../domain/budgets/pabulib-of-budget';
import type { Project } from '../../domain/budgets/project';
import { add1Document, computeResults } from '../../domain/budgets/rules/results';

/** A rule refused the input (a budget whose rule does not fit its ballots): the job fails, it is not retried. */
export class ResultsError extends Error {
  override readonly name = 'ResultsError';
}

/** The pot's text; what no `.pb` file can hold (a line break in a field) fails the job, not the stream. */
function pabulibTextOf(instance: ReturnType<typeof pabulibOfPot>): string {
  try {
    return writePabulib(instance);
  } catch (error) {
    if (error instanceof PabulibError) throw new ResultsError(error.message);
    throw error;
  }
}

function parsedOf(text: string) {
  try {
    return parsePabulib(text);
  } catch (error) {
    if (error instanceof PabulibError) throw new ResultsError(error.message);
    throw error;
  }
}

/**
 * A pot's result as the job stores it: with the pot's tally, which the export
 * writes its file's head from (the result views leave it out).
 */
export type ComputedPotResult = PotResult & { readonly tally: PotTally };

/**
 * One pot's result, computed from the exact pabulib text of its ballots (the
 * export gives the same text, so anyone can recompute it with
 * `npx hromada pb results`). A pot without projects or without ballots selects
 * nothing: no rule should fund what nobody voted on.
 */
export function potResult(
  budget: Budget,
  pot: Pot,
  projects: readonly Project[],
  ballots: readonly Ballot[],
): ComputedPotResult {
  const instance = pabulibOfPot(budget, pot, projects, ballots);
  const text = pabulibTextOf(instance);
  // The same count the file's head shows; kept so that the export writes the head without the ballots.
  const tally = potTally(budget, pot, ballots);
  const base = { potId: pot.id, budget: String(pot.amount), ballots: instance.ballots.length, tally };
  if (instance.projects.length === 0 || instance.ballots.length === 0) {
    return {
      ...base,
      rule: budget.rule,
      version: 'none',
      inputSha256: pabulibSha256(text),
      spent: '0',
      left: String(pot.amount),
      selected: [],
      projects: instance.projects.map((project) => ({
        id: project.id,
        cost: project.cost.toString(),
        score: '0',
        selected: false,
      })),
    };
  }
  const outcome = computeResults(parsedOf(text), {
    rule: budget.rule,
    completion: budget.completion,
    sourceText: text,
  });
  if (!outcome.ok) throw new ResultsError(`${outcome.error.code}: ${outcome.error.message.en}`);
  const results = outcome.value;
  return {
    ...base,
    rule: results.rule,
    version: results.version,
    inputSha256: results.inputSha256,
    ...(results.add1 ? { add1: add1Document(results.add1) } : {}),
    spent: results.spent.toString(),
    left: (results.budget - results.spent).toString(),
    selected: results.selected,
    projects: results.projects.map((project) => ({
      id: project.id,
      cost: project.cost.toString(),
      score: project.score.toString(),
      selected: project.selected,
    })),
  };
}

/** Every pot's result. */
export const budgetResults = (
  budget: Budget,
  projects: readonly Project[],
  ballots: readonly Ballot[],
): ComputedPotResult[] => budget.pots.map((pot) => potResult(budget, pot, projects, ballots));
