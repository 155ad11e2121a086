import type { BudgetProject } from './ballot-profile';

/** Bumped whenever a change could select differently; result documents carry it. */
export const GREEDY_VERSION = 'greedy/1';

/** A project with the score a rule ranks it by (see `projectScores`). */
export interface ScoredProject extends BudgetProject {
  readonly score: bigint;
}

export interface GreedyOutcome {
  /** The funded project ids, in the order the rule funded them. */
  readonly selected: readonly string[];
  readonly cost: bigint;
}

/**
 * Utilitarian greedy, the rule most cities use: projects by score, highest
 * first; each one is funded if it still fits in what is left of the budget,
 * and skipped (not stopped at) if it does not.
 *
 * Tie-breaks, in order: the higher score; the lower cost (the same support
 * for less money, and more money left for the next); the smaller project id
 * compared as a string (UTF-16 code units). A project with a score of zero or
 * less is never funded: nobody asked for it. On Warszawa 2023 Rembertów this
 * reproduces the official outcome.
 *
 * @example greedy([{ id: 'a', cost: 60n, score: 9n }, { id: 'b', cost: 50n, score: 7n }], 100n).selected // → ['a']
 */
export function greedy(projects: readonly ScoredProject[], budget: bigint): GreedyOutcome {
  const ranked = [...projects].sort(
    (a, b) =>
      (a.score === b.score ? 0 : a.score > b.score ? -1 : 1) ||
      (a.cost === b.cost ? 0 : a.cost < b.cost ? -1 : 1) ||
      (a.id === b.id ? 0 : a.id < b.id ? -1 : 1),
  );
  const selected: string[] = [];
  let left = budget;
  for (const project of ranked) {
    if (project.score <= 0n || project.cost > left) continue;
    selected.push(project.id);
    left -= project.cost;
  }
  return { selected, cost: budget - left };
}
