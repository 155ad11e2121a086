import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type PabulibInstance, parsePabulib, VoteType } from '../../domain/budgets/pabulib';
import {
  ADD1_VERSION,
  ballotProfile,
  EQUAL_SHARES_VERSION,
  equalSharesAdd1,
  GREEDY_VERSION,
  greedy,
  projectScores,
} from '../../domain/budgets/rules';
import { PABULIB_DIR, pabulibFiles } from '../support/pabulib';

/**
 * What the result-rule timings measure: greedy and equal shares with add1
 * completion on every approval and cumulative instance of the shared pabulib
 * files and on a generated city-sized approval election, each in whole units
 * and in minor units (every cost and the budget ×100, as the system stores
 * money). One measurement is one rule on one instance in one unit; the
 * parent of the measuring processes (`lib/budget-rules-process.ts`) lists
 * them, each child loads one instance and times one rule.
 */

/** The two rules timed: greedy, and equal shares completed by add1. */
export const TimedRule = { greedy: 'greedy', equalSharesAdd1: 'equal-shares+add1' } as const;
export type TimedRule = (typeof TimedRule)[keyof typeof TimedRule];
export const TIMED_RULES = Object.values(TimedRule);

/** The version a rule's result document carries, e.g. `equal-shares/1+add1/1`. */
export const ruleVersion = (rule: TimedRule): string =>
  rule === TimedRule.greedy ? GREEDY_VERSION : `${EQUAL_SHARES_VERSION}+${ADD1_VERSION}`;

/** Whole units as the file has them, or minor units (×100). */
export type Units = 1 | 100;
export const UNITS: readonly Units[] = [1, 100];

/** The `source` of the generated election, in place of a file path. */
export const GENERATED_SOURCE = 'generated';
/** How the generated election is named in the tables. */
export const GENERATED_NAME = 'generated, seed 2026';

/** Vote types that both rules count (equal shares on the points of cumulative and scoring ballots). */
const TIMED_VOTE_TYPES = new Set<VoteType>([VoteType.approval, VoteType.cumulative, VoteType.scoring]);

/** What a row says about its instance. */
export interface InstanceFacts {
  readonly name: string;
  readonly voteType: VoteType;
  readonly voters: number;
  readonly projects: number;
}

/** A source to time: a `.pb` file's absolute path, or {@link GENERATED_SOURCE}; with its facts. */
export interface RuleSource {
  readonly source: string;
  readonly facts: InstanceFacts;
}

/**
 * The instances to time, in table order: every approval, cumulative or
 * scoring `.pb` file of `PABULIB_DIR` by name (ordinal ones have no utilities
 * for equal shares), then the generated election. Reads every file once.
 * @example ruleSources().map(({ facts }) => facts.name)
 */
export function ruleSources(): RuleSource[] {
  const files = pabulibFiles().map((file) => ({
    source: join(PABULIB_DIR, file),
    facts: factsOf(file, loadRuleInstance(join(PABULIB_DIR, file), 1)),
  }));
  return [
    ...files.filter(({ facts }) => TIMED_VOTE_TYPES.has(facts.voteType)),
    { source: GENERATED_SOURCE, facts: factsOf(GENERATED_NAME, generatedApprovalInstance()) },
  ];
}

const factsOf = (name: string, instance: PabulibInstance): InstanceFacts => ({
  name,
  voteType: instance.voteType,
  voters: instance.ballots.length,
  projects: instance.projects.length,
});

/**
 * The instance of a source (a `.pb` path or {@link GENERATED_SOURCE}) in the given units.
 * @example loadRuleInstance(GENERATED_SOURCE, 100).budget // → 1_000_000_000n
 */
export function loadRuleInstance(source: string, units: Units): PabulibInstance {
  const instance =
    source === GENERATED_SOURCE ? generatedApprovalInstance() : parsePabulib(readFileSync(source, 'utf8'));
  return units === 100 ? timesHundred(instance) : instance;
}

/** One rule's run on one instance. */
export interface RuleRun {
  readonly seconds: number;
  /** How many times the rule ran: add1's `runs`, 1 for greedy. */
  readonly runs: number;
  /**
   * The JS heap in use right after the run, in MiB: the loaded instance and the run's garbage
   * included, unless node runs with `--expose-gc`, when garbage is collected before the run.
   */
  readonly heapMiB: number;
}

/**
 * Times one rule once, as the results job runs it, from the instance on:
 * greedy on `projectScores` (as `computeResults` ranks), equal shares with
 * add1 on `ballotProfile(instance)` (the points of cumulative ballots as
 * utilities), called directly, as `computeResults` still takes approval ballots only.
 * @example timeRule(loadRuleInstance(GENERATED_SOURCE, 1), TimedRule.greedy).seconds
 */
export function timeRule(instance: PabulibInstance, rule: TimedRule): RuleRun {
  // Let loading's garbage go first where the runtime allows it, so the heap reads this run.
  (globalThis as { gc?: () => void }).gc?.();
  const started = performance.now();
  let runs = 1;
  if (rule === TimedRule.greedy) {
    const scores = projectScores(instance);
    greedy(
      instance.projects.map(({ id, cost }) => ({ id, cost, score: scores.get(id) ?? 0n })),
      instance.budget,
    );
  } else {
    runs = equalSharesAdd1(ballotProfile(instance), instance.budget).runs;
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, runs, heapMiB: process.memoryUsage().heapUsed / 2 ** 20 };
}

/** The same election counted in minor units: every cost and the budget ×100. */
export function timesHundred(instance: PabulibInstance): PabulibInstance {
  const budget = instance.budget * 100n;
  return {
    ...instance,
    meta: new Map([...instance.meta, ['budget', budget.toString()]]),
    budget,
    projects: instance.projects.map((project) => ({ ...project, cost: project.cost * 100n })),
  };
}

/** mulberry32: a small seeded generator, so that every run measures the same election. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * A city-sized approval election: 100,000 voters, 80 projects costing
 * 100,000 to 2,000,000, a budget of 10,000,000; each voter approves 1 to 10
 * projects, drawn with Zipf-like popularity (the k-th project about 1/k^0.8
 * as likely as the first), as real elections have a few favourites and a long tail.
 */
export function generatedApprovalInstance(voters = 100_000, projects = 80, seed = 2026): PabulibInstance {
  const random = seededRandom(seed);
  const ids = Array.from({ length: projects }, (_, index) => `p${index + 1}`);
  const weights = ids.map((_, index) => 1 / (index + 1) ** 0.8);
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const drawProject = (): string => {
    let point = random() * totalWeight;
    for (const [index, weight] of weights.entries()) {
      point -= weight;
      if (point < 0) return ids[index] as string;
    }
    return ids.at(-1) as string;
  };
  const ballots = Array.from({ length: voters }, (_, voter) => {
    const approvals = new Set<string>();
    const wanted = 1 + Math.floor(random() * 10);
    while (approvals.size < wanted) approvals.add(drawProject());
    return { voterId: String(voter + 1), projectIds: [...approvals], fields: {} };
  });
  return {
    meta: new Map([
      ['description', `Generated approval election (seed ${seed})`],
      ['budget', '10000000'],
      ['vote_type', VoteType.approval],
    ]),
    budget: 10_000_000n,
    voteType: VoteType.approval,
    projectColumns: ['project_id', 'cost'],
    projects: ids.map((id) => ({ id, cost: BigInt(100_000 + Math.floor(random() * 1_900_001)), fields: {} })),
    voteColumns: ['voter_id', 'vote'],
    ballots,
  };
}
