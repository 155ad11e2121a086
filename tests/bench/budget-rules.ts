import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type PabulibInstance, parsePabulib, VoteType } from '../../domain/budgets/pabulib';
import { type BudgetRule, computeResults } from '../../domain/budgets/rules';
import { PABULIB_DIR } from '../support/pabulib';

/**
 * How long the participatory-budget result rules take: greedy and equal
 * shares with add1 completion on every shared pabulib instance (equal shares
 * on the approval ones only), and on a generated city-sized approval
 * election. The budgets issue's goal: equal shares with add1 within 10 s on
 * 100,000 voters and 80 projects.
 */

export interface BudgetRuleTiming {
  readonly instance: string;
  readonly rule: string;
  readonly seconds: number;
  /**
   * The JS heap in use right after the run, in MiB: the loaded instances and the run's garbage
   * included, unless node runs with `--expose-gc`, when garbage is collected before each run.
   */
  readonly heapMiB: number;
}

/**
 * Times each rule once on each instance, the generated one last; with
 * `inMinorUnits` (the default), the generated one once more with every cost
 * and the budget ×100, as the system stores money in kopiykas: add1 then
 * raises the shares in steps a hundred times finer.
 * @example const { rows, mes100kSeconds } = await measureBudgetRules();
 */
export async function measureBudgetRules({ inMinorUnits = true }: { inMinorUnits?: boolean } = {}): Promise<{
  rows: BudgetRuleTiming[];
  mes100kSeconds: number;
}> {
  const instances = readdirSync(PABULIB_DIR)
    .filter((file) => file.endsWith('.pb'))
    .sort()
    .map((file) => ({ name: file, instance: parsePabulib(readFileSync(join(PABULIB_DIR, file), 'utf8')) }));
  const generated = { name: 'generated 100,000 voters × 80 projects', instance: generatedApprovalInstance() };
  const scaled = inMinorUnits
    ? [{ name: `${generated.name}, costs ×100`, instance: timesHundred(generated.instance) }]
    : [];
  const rows: BudgetRuleTiming[] = [];
  for (const { name, instance } of [...instances, generated, ...scaled]) {
    for (const rule of rulesFor(instance)) rows.push(timeRule(name, instance, rule));
  }
  const mes100k = rows.find((row) => row.instance === generated.name && row.rule.startsWith('equal-shares'));
  return { rows, mes100kSeconds: mes100k?.seconds ?? Number.NaN };
}

function rulesFor(instance: PabulibInstance): BudgetRule[] {
  return instance.voteType === VoteType.approval ? ['greedy', 'equal-shares'] : ['greedy'];
}

function timeRule(name: string, instance: PabulibInstance, rule: BudgetRule): BudgetRuleTiming {
  // Let the previous run's garbage go first where the runtime allows it, so the heap reads this run.
  (globalThis as { gc?: () => void }).gc?.();
  const started = performance.now();
  const result = computeResults(instance, { rule });
  const seconds = (performance.now() - started) / 1000;
  if (!result.ok) throw new Error(`${rule} on ${name}: ${result.error.message.en}`);
  const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  return { instance: name, rule: result.value.version, seconds, heapMiB };
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
