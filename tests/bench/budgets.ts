import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { keys } from '../../functions/shared/keys';
import { type DevIdentity, issueDevToken, loadDevIdentity } from '../../infra/local/dev-identity';
import { ROOMY_LIMITS } from '../support/limits';
import { PABULIB_DIR } from '../support/pabulib';
import { GENERATED_NAME } from './budget-rules';
import { expectStatus, residentTokens } from './lib/api';
import { type Benchmark, sizeFromEnv } from './lib/benchmark';
import {
  type BudgetRulesReport,
  DEFAULT_RULE_LIMIT_SECONDS,
  measureRuleTimings,
  RULE_LIMIT_VARIABLE,
  ruleLimitFromEnv,
} from './lib/budget-rules-process';
import { type ChildRuntime, ROOT, startChildRuntime } from './lib/child-runtime';
import { type CpuUse, measureCpu } from './lib/cpu';
import {
  cpuPerOperationText,
  cpuShareText,
  errorsText,
  markdownTable,
  ms,
  rate,
  totalCpuPerOperation,
  verdict,
} from './lib/format';
import { createHttpClient, type HttpClient } from './lib/http';
import { closedLoop, type LoadSummary, summarize, type Task } from './lib/load';
import { measureRawPuts } from './lib/raw-puts';
import { describeMachine, loadBefore, type Machine, machineRows, writeSection } from './lib/report';
import {
  meetsRuleGoal,
  RULE_GOAL_SECONDS,
  ruleProgressLine,
  rulesHowMeasured,
  rulesSummary,
  rulesTable,
  secondsCell,
} from './lib/rule-table';
import { type MachineLoad, machineLoadBefore, stopRuntime } from './lib/session';

/**
 * `npm run bench -- budgets`: how close voting in a participatory budget
 * through the API comes to the one conditional write per pot it is built on,
 * whether the results job counts every ballot, and how long the result rules
 * take — on the shared pabulib instances and on a city-sized election
 * (100,000 voters, 80 projects). See the budgets issue's acceptance criteria.
 */

const GOAL = { ratio: 0.7, mes100kSeconds: 10 } as const;
const COMMUNITY = 'bench';
const COUNCIL = 'bench-council';
const MODERATOR = 'bench-moderator';
/** The budget has no district pots: every ballot is one conditional PutItem, into this pot. */
const CITY_POT = 'city';
const TOTAL_AMOUNT = 10_000_000;
const MAX_PROJECTS_PER_BALLOT = 3;
/** The raw puts go under a budget that does not exist, so that the results never read them. */
const RAW_BUDGET = 'raw';
const POLL_EVERY_MS = 200;
const RESULTS_TIMEOUT_MS = 120_000;
const DOCS_FILE = join(ROOT, 'docs/benchmarks.md');

interface Sizes {
  readonly puts: number;
  readonly voters: number;
  readonly warmUp: number;
  readonly concurrency: number;
  readonly projects: number;
}

/** The default sizes keep the whole run within about three minutes on two cores; `BENCH_*` override them. */
const DEFAULT_SIZES: Sizes = { puts: 5000, voters: 5000, warmUp: 500, concurrency: 32, projects: 6 };
const SIZE_VARIABLES: Record<keyof Sizes, string> = {
  puts: 'BENCH_PUTS',
  voters: 'BENCH_VOTERS',
  warmUp: 'BENCH_WARMUP',
  concurrency: 'BENCH_CONCURRENCY',
  projects: 'BENCH_PROJECTS',
};
const sizeKeys = Object.keys(DEFAULT_SIZES) as (keyof Sizes)[];

function sizesFromEnv(): Sizes {
  const size = (key: keyof Sizes) => sizeFromEnv(SIZE_VARIABLES[key], DEFAULT_SIZES[key]);
  return {
    puts: size('puts'),
    voters: size('voters'),
    warmUp: size('warmUp'),
    concurrency: size('concurrency'),
    projects: size('projects'),
  };
}

const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

interface VotingPhase {
  readonly load: LoadSummary;
  readonly cpu: CpuUse;
}

interface Tally {
  /** Ballots answered 200, warm-up and measured together: what the city pot must count. */
  readonly cast: number;
  /** The job's last status: `done`, `failed`, or still `running` at the time-out. */
  readonly status: string;
  readonly error?: string;
  /** The city pot's `ballots` in the results. */
  readonly counted?: number;
  readonly rule?: string;
  readonly selected?: number;
  readonly spent?: string;
  /** From `POST …/results` until the preview said done. */
  readonly seconds?: number;
  readonly exact: boolean;
}

interface Results {
  readonly machine: Machine;
  readonly before: MachineLoad;
  readonly date: string;
  readonly sizes: Sizes;
  readonly raw: { readonly load: LoadSummary; readonly cpu: CpuUse };
  readonly api: VotingPhase;
  readonly ratio: number;
  readonly tally: Tally;
  readonly rules: BudgetRulesReport;
}

// ---- setting up -------------------------------------------------------------------------------

interface Setup {
  readonly identity: DevIdentity;
  readonly council: string;
  readonly budgetId: string;
  readonly projectIds: readonly string[];
}

/**
 * A community with a council member and a moderator; a budget (approval
 * ballot, at most {@link MAX_PROJECTS_PER_BALLOT} projects, equal shares with
 * add1) whose projects are proposed, approved in the moderation centre and
 * found feasible; then voting opens. The same requests a council, a moderator
 * and a resident would send.
 */
async function setUp(http: HttpClient, runtime: ChildRuntime, sizes: Sizes): Promise<Setup> {
  const identity = await loadDevIdentity(runtime.identityFile);
  const admin = await issueDevToken(identity, { sub: 'admin' });
  expectStatus(
    'Creating the community',
    await http.send('POST', '/v1/communities', {
      token: admin,
      body: {
        id: COMMUNITY,
        // One author proposes every project (BENCH_PROJECTS, 6 by default: past a day's 5).
        settings: { names: { uk: 'Навантаження', en: 'Benchmark' }, limits: ROOMY_LIMITS },
        council: [{ subject: COUNCIL }],
      },
    }),
    201,
  );
  const council = await issueDevToken(identity, { sub: COUNCIL, community: COMMUNITY });
  const moderator = await issueDevToken(identity, { sub: MODERATOR, community: COMMUNITY });
  const author = await issueDevToken(identity, {
    sub: 'bench-author',
    community: COMMUNITY,
    birthdate: '1980-01-01',
  });
  const community = `/v1/communities/${COMMUNITY}`;
  expectStatus(
    'Appointing the moderator',
    await http.send('PUT', `${community}/members/${MODERATOR}`, {
      token: council,
      body: { roles: ['moderator'] },
    }),
    201,
  );
  const budget = expectStatus(
    'Creating the budget',
    await http.send('POST', `${community}/budgets`, {
      token: council,
      body: {
        names: { uk: 'Бюджет участі', en: 'Benchmark budget' },
        totalAmount: TOTAL_AMOUNT,
        ballot: { type: 'approval', maxProjects: MAX_PROJECTS_PER_BALLOT },
        rule: 'equal-shares',
        completion: 'add1',
      },
    }),
    201,
  ) as { id: string; pots: { id: string }[] };
  if (budget.pots.length !== 1 || budget.pots[0]?.id !== CITY_POT) {
    throw new Error(`The budget's pots are ${JSON.stringify(budget.pots)}, not the city pot alone`);
  }
  const base = `${community}/budgets/${budget.id}`;
  const phase = async (next: string) =>
    expectStatus(
      `Moving the budget to ${next}`,
      await http.send('POST', `${base}/phase`, { token: council, body: { phase: next } }),
      200,
    );

  // Costs from 1,000,000 up: together more than the budget, so the rule has to choose.
  const costOf = (index: number) => 1_000_000 + ((index * 700_000) % 3_000_000);
  const projectIds: string[] = [];
  for (let index = 0; index < sizes.projects; index += 1) {
    const project = expectStatus(
      `Proposing project ${index + 1}`,
      await http.send('POST', `${base}/projects`, {
        token: author,
        body: {
          title: `Benchmark project ${index + 1}`,
          description: 'Proposed by npm run bench -- budgets.',
          costEstimate: costOf(index),
        },
      }),
      201,
    ) as { id: string; moderationItemId?: string };
    if (project.moderationItemId) {
      expectStatus(
        `Approving project ${index + 1}`,
        await http.send('POST', `${community}/moderation/items/${project.moderationItemId}/decisions`, {
          token: moderator,
          body: { decision: 'approve' },
        }),
        200,
      );
    }
    projectIds.push(project.id);
  }
  await phase('review');
  for (const [index, projectId] of projectIds.entries()) {
    expectStatus(
      `Reviewing project ${index + 1}`,
      await http.send('POST', `${base}/projects/${projectId}/review`, {
        token: council,
        body: { outcome: 'feasible', finalCost: costOf(index) },
      }),
      200,
    );
  }
  await phase('voting');
  return { identity, council, budgetId: budget.id, projectIds };
}

/** Voter `index`'s approvals: 1 to {@link MAX_PROJECTS_PER_BALLOT} projects in a row, from a voter-dependent start. */
function approvalsOf(index: number, projectIds: readonly string[]): string[] {
  const count = Math.min(projectIds.length, 1 + (index % MAX_PROJECTS_PER_BALLOT));
  return Array.from(
    { length: count },
    (_, offset) => projectIds[(index + offset) % projectIds.length] as string,
  );
}

// ---- measuring --------------------------------------------------------------------------------

/**
 * (a) The ceiling: the write a ballot is, straight into the runtime's DynamoDB
 * Local. Items shaped like a city-pot ballot (the store's keys and GSI1 bucket,
 * the same attributes and condition), of voters of a budget that does not
 * exist; `entity` is `bench`, so nothing reads them.
 */
const measureRawBallotPuts = (
  runtime: ChildRuntime,
  sizes: Sizes,
  projectIds: readonly string[],
  processes: Record<string, number | undefined>,
): Promise<Results['raw']> =>
  measureRawPuts(
    runtime,
    { count: sizes.puts, warmUp: sizes.warmUp, concurrency: sizes.concurrency },
    processes,
    (index) => {
      const voterKey = createHash('sha256').update(`raw-${index}`).digest('hex');
      const castAt = new Date().toISOString();
      const key = keys.budgetBallot(COMMUNITY, RAW_BUDGET, voterKey, CITY_POT);
      const bucket = keys.budgetBallotIndex(COMMUNITY, RAW_BUDGET, voterKey, CITY_POT);
      return {
        TableName: runtime.tableName,
        Item: {
          PK: { S: key.PK },
          SK: { S: key.SK },
          GSI1PK: { S: bucket.GSI1PK },
          GSI1SK: { S: bucket.GSI1SK },
          entity: { S: 'bench' },
          communityId: { S: COMMUNITY },
          budgetId: { S: RAW_BUDGET },
          potId: { S: CITY_POT },
          voterKey: { S: voterKey },
          projectIds: { L: approvalsOf(index, projectIds).map((id) => ({ S: id })) },
          castAt: { S: castAt },
        },
        ConditionExpression: 'attribute_not_exists(PK) OR castAt <= :castAt',
        ExpressionAttributeValues: { ':castAt': { S: castAt } },
      };
    },
  );

/** One voter's ballot through the API: `PUT …/ballots/me`, 200 when stored. */
const voteTask =
  (http: HttpClient, budgetId: string, projectIds: readonly string[], tokens: readonly string[]): Task =>
  async (index) => {
    const reply = await http.send('PUT', `/v1/communities/${COMMUNITY}/budgets/${budgetId}/ballots/me`, {
      token: tokens[index] ?? '',
      body: { ballots: [{ potId: CITY_POT, projectIds: approvalsOf(index, projectIds) }] },
    });
    return { ok: reply.status === 200, status: reply.status };
  };

/**
 * (c) Closes voting, asks for the results and reads the council's preview
 * every {@link POLL_EVERY_MS} ms until the job is done (or failed); the city
 * pot must count exactly the ballots answered 200.
 */
async function tallyBallots(http: HttpClient, setup: Setup, cast: number): Promise<Tally> {
  const base = `/v1/communities/${COMMUNITY}/budgets/${setup.budgetId}`;
  expectStatus(
    'Closing the vote',
    await http.send('POST', `${base}/phase`, { token: setup.council, body: { phase: 'tallying' } }),
    200,
  );
  const requestedAt = performance.now();
  expectStatus(
    'Asking for the results',
    await http.send('POST', `${base}/results`, { token: setup.council }),
    202,
  );
  const deadline = requestedAt + RESULTS_TIMEOUT_MS;
  let status = 'running';
  while (performance.now() < deadline) {
    const preview = expectStatus(
      'Reading the results preview',
      await http.send('GET', `${base}/results/preview`, { token: setup.council }),
      200,
    ) as {
      status: string;
      error?: string;
      pots: { potId: string; ballots: number; rule: string; selected: string[]; spent: string }[];
    };
    status = preview.status;
    if (status === 'done') {
      const seconds = (performance.now() - requestedAt) / 1000;
      const city = preview.pots.find((pot) => pot.potId === CITY_POT);
      return {
        cast,
        status,
        ...(city
          ? { counted: city.ballots, rule: city.rule, selected: city.selected.length, spent: city.spent }
          : {}),
        seconds,
        exact: city?.ballots === cast,
      };
    }
    if (status === 'failed')
      return { cast, status, ...(preview.error ? { error: preview.error } : {}), exact: false };
    await sleep(POLL_EVERY_MS);
  }
  return { cast, status, exact: false };
}

// ---- reporting --------------------------------------------------------------------------------

const secondsText = (value: number) =>
  value < 0.01 ? `${(value * 1000).toFixed(2)} ms` : `${value.toFixed(2)} s`;
const mib = (value: number) => `${value.toFixed(1)} MiB`;

/** CPU of every process together per operation, and the ratio those two predict when CPU is the limit. */
function cpuModelText(raw: Results['raw'], api: VotingPhase): string {
  const perPut = totalCpuPerOperation(raw.cpu, raw.load.requests);
  const perBallot = totalCpuPerOperation(api.cpu, api.load.requests);
  if (perPut === undefined || perBallot === undefined) return '?';
  return `${perPut.toFixed(2)} ms ÷ ${perBallot.toFixed(2)} ms = ${(perPut / perBallot).toFixed(2)}`;
}

function tallyText(tally: Tally): string {
  if (tally.status !== 'done') {
    return `job ${tally.status}${tally.error ? `: ${tally.error}` : ''}; ${tally.cast} ballots cast`;
  }
  return `${tally.counted ?? 'no city pot'} of ${tally.cast} cast`;
}

/** The 100,000-voter equal-shares row of the rules' timings, in whole units. */
const mes100kRow = (rules: BudgetRulesReport) =>
  rules.rows.find(
    (row) => row.instance.name === GENERATED_NAME && row.units === 1 && row.rule.startsWith('equal-shares'),
  );

/** The results table: figure, value, goal, verdict. */
function table(results: Results): string[] {
  const { machine, before, sizes, raw, api, tally, rules } = results;
  const defaults = sizeKeys.every((key) => sizes[key] === DEFAULT_SIZES[key]);
  const mes = mes100kRow(rules)?.outcome;
  const rows: [string, string, string, string][] = [
    ...machineRows(results.date, machine, loadBefore(before)),
    [
      'Sizes',
      `${sizes.puts} puts, ${sizes.voters} voters, concurrency ${sizes.concurrency}, warm-up ${sizes.warmUp}, ` +
        `${sizes.projects} projects, 1–${MAX_PROJECTS_PER_BALLOT} approvals each${defaults ? '' : ' (not the defaults)'}`,
      '',
      '',
    ],
    ['(a) DynamoDB Local conditional PutItem', rate(raw.load.okPerSecond), '', ''],
    ['(a) PutItem latency p50 / p99', `${ms(raw.load.p50Ms)} / ${ms(raw.load.p99Ms)}`, '', ''],
    ['(a) errors', errorsText(raw.load), '0', ''],
    ['(a) CPU (share of one core)', cpuShareText(raw.cpu), '', ''],
    ['(a) CPU per put', cpuPerOperationText(raw.cpu, raw.load.requests), '', ''],
    ['(b) ballots through the API', rate(api.load.okPerSecond), '', ''],
    ['(b) latency p50 / p99', `${ms(api.load.p50Ms)} / ${ms(api.load.p99Ms)}`, '', ''],
    ['(b) errors', errorsText(api.load), '0', ''],
    ['(b) CPU (share of one core)', cpuShareText(api.cpu), '', ''],
    ['(b) CPU per ballot', cpuPerOperationText(api.cpu, api.load.requests), '', ''],
    ['ratio b/a', results.ratio.toFixed(2), `≥ ${GOAL.ratio}`, verdict(results.ratio >= GOAL.ratio)],
    ['CPU model: all CPU per put ÷ per ballot', cpuModelText(raw, api), '', ''],
    ['(c) city pot counted', tallyText(tally), 'exactly the ballots cast', verdict(tally.exact)],
    [
      '(c) results job (equal shares + add1), request to done',
      tally.seconds === undefined ? 'never' : secondsText(tally.seconds),
      '',
      '',
    ],
    [
      '(c) selected / spent',
      tally.selected === undefined ? '–' : `${tally.selected} projects / ${tally.spent} of ${TOTAL_AMOUNT}`,
      '',
      '',
    ],
    [
      '(d) equal shares + add1, 100,000 voters × 80 projects',
      mes === undefined ? 'not measured' : mes.kind === 'timed' ? secondsText(mes.seconds) : secondsCell(mes),
      `< ${GOAL.mes100kSeconds} s`,
      verdict(mes?.kind === 'timed' && mes.seconds < GOAL.mes100kSeconds),
    ],
    [
      '(d) its memory: heap after the run / peak RSS of the process',
      mes?.kind === 'timed' ? `${mib(mes.heapMiB)} / ${mib(mes.peakRssMiB)}` : '?',
      '',
      '',
    ],
    [
      '(e) result rules on every instance, ×1 and ×100',
      rulesSummary(rules),
      `every run < ${RULE_GOAL_SECONDS} s`,
      verdict(rules.rows.every((row) => meetsRuleGoal(row.outcome))),
    ],
  ];
  return markdownTable(rows);
}

function loadNote(results: Results): string[] {
  const { before, raw, api } = results;
  const share = (value: number | undefined) => (value === undefined ? '?' : `${Math.round(value * 100)}%`);
  const otherShare = (cpu: CpuUse) => (cpu.other === undefined ? undefined : cpu.other / cpu.wallSeconds);
  const busiest = Math.max(before.share ?? 0, otherShare(raw.cpu) ?? 0, otherShare(api.cpu) ?? 0);
  if (busiest < 0.1 && before.loadAverage[0] < 1) return [];
  return [
    '',
    `**The machine was not idle.** Other processes used ${share(before.share)} of one core in the 2 s before the`,
    `run (load average ${before.loadAverage.map((value) => value.toFixed(2)).join(' / ')}), ${share(otherShare(raw.cpu))}`,
    `during (a) and ${share(otherShare(api.cpu))} during (b), so the rates are lower than an idle machine would give.`,
    'The ratio compares two phases run under similar load, and the CPU model (CPU per operation) depends',
    'little on it.',
  ];
}

function section(results: Results): string {
  return [
    '## Budgets (`npm run bench -- budgets`)',
    '',
    ...table(results),
    ...loadNote(results),
    '',
    'Result rules, one run each (see below how they are measured):',
    '',
    ...rulesTable(results.rules),
    '',
    'How it is measured: the benchmark starts `infra/local/start.ts` as a child process (the API and',
    'DynamoDB Local in their own processes) and sets up, through the API, a community, a budget with an',
    'approval ballot and the city pot only (so that a ballot is one conditional PutItem), projects',
    'proposed, approved in the moderation centre and found feasible, and opens voting; voter tokens are',
    'minted beforehand. (a) conditional PutItems of ballot-shaped items (the store’s keys, GSI1 bucket,',
    'attributes and condition `attribute_not_exists(PK) OR castAt <= :castAt`) straight into that DynamoDB',
    'Local, closed loop; (b) distinct residents each `PUT …/ballots/me` once, closed loop at the same',
    'concurrency, warm-up excluded (a ballot costs its put plus the token check, the reads of the request —',
    'the community and the caller’s roles, the budget, its projects — and the ballot rules); (c) voting is',
    'closed, `POST …/results` asked, and the council’s',
    `\`…/results/preview\` read every ${POLL_EVERY_MS} ms until done: the city pot must count every ballot answered`,
    '200, warm-up included; (d) and (e) the result rules after the runtime has stopped, as',
    '`npm run bench -- budget-rules` measures them alone: (d) is the generated election in whole units.',
    'CPU is each process’s user + system time over the phase; `java` is DynamoDB Local, `api` the runtime,',
    '`bench` this load generator, `other` the rest of the machine. Two cores are 200%.',
    '',
    ...rulesHowMeasured(results.rules, relative(ROOT, PABULIB_DIR)),
  ].join('\n');
}

// ---- the run ----------------------------------------------------------------------------------

const say = (line: string) => process.stdout.write(`${line}\n`);

async function runBudgets(): Promise<void> {
  const sizes = sizesFromEnv();
  const ruleLimitSeconds = ruleLimitFromEnv();
  say('budgets: reading the machine…');
  const machine = describeMachine();
  const before = await machineLoadBefore();
  say('budgets: starting the local runtime (child process)…');
  const runtime = await startChildRuntime();
  const http = createHttpClient(runtime.url, { maxSockets: sizes.concurrency });
  const processes = { java: runtime.pids.java, api: runtime.pids.runtime, bench: process.pid };
  let measured: Pick<Results, 'raw' | 'api' | 'ratio' | 'tally'>;
  try {
    say(`budgets: API ${runtime.url}, DynamoDB Local ${runtime.endpoint} (table ${runtime.tableName})`);
    const setup = await setUp(http, runtime, sizes);
    say(`budgets: budget ${setup.budgetId} with ${setup.projectIds.length} feasible projects, voting open`);
    say(`budgets: minting ${sizes.warmUp + sizes.voters} voter tokens…`);
    const tokens = {
      warmUp: await residentTokens(setup.identity, COMMUNITY, 'warm-up', sizes.warmUp),
      api: await residentTokens(setup.identity, COMMUNITY, 'voter', sizes.voters),
    };

    say(`budgets: (a) ${sizes.puts} conditional PutItems at concurrency ${sizes.concurrency}…`);
    const raw = await measureRawBallotPuts(runtime, sizes, setup.projectIds, processes);
    say(
      `  ${rate(raw.load.okPerSecond)}, p50 ${ms(raw.load.p50Ms)}, p99 ${ms(raw.load.p99Ms)}, errors ${errorsText(raw.load)}`,
    );

    say(`budgets: (b) warm-up, ${sizes.warmUp} voters…`);
    const warmUp = summarize(
      await closedLoop(
        sizes.warmUp,
        sizes.concurrency,
        voteTask(http, setup.budgetId, setup.projectIds, tokens.warmUp),
      ),
    );
    say(`budgets: (b) ${sizes.voters} distinct voters at concurrency ${sizes.concurrency}…`);
    const meter = measureCpu(processes, 'java');
    const run = await closedLoop(
      sizes.voters,
      sizes.concurrency,
      voteTask(http, setup.budgetId, setup.projectIds, tokens.api),
    );
    const api = { load: summarize(run), cpu: meter.stop() };
    say(
      `  ${rate(api.load.okPerSecond)}, p50 ${ms(api.load.p50Ms)}, p99 ${ms(api.load.p99Ms)}, errors ${errorsText(api.load)}`,
    );

    say('budgets: (c) closing the vote and computing the results…');
    const tally = await tallyBallots(http, setup, warmUp.ok + api.load.ok);
    say(
      `  city pot: ${tallyText(tally)}${tally.seconds === undefined ? '' : ` in ${secondsText(tally.seconds)}`}`,
    );
    measured = {
      raw,
      api,
      ratio: raw.load.okPerSecond > 0 ? api.load.okPerSecond / raw.load.okPerSecond : 0,
      tally,
    };
  } finally {
    http.close();
    await stopRuntime(runtime);
  }

  say(`budgets: (d) timing greedy and equal shares + add1 (a process each, limit ${ruleLimitSeconds} s)…`);
  const rules = await measureRuleTimings({
    limitSeconds: ruleLimitSeconds,
    onRow: (row) => say(ruleProgressLine(row)),
  });

  const results: Results = { machine, before, date: new Date().toISOString(), sizes, ...measured, rules };
  writeSection(DOCS_FILE, 'budgets', section(results));
  say('');
  for (const line of table(results)) say(line);
  say('');
  for (const line of rulesTable(rules)) say(line);
  say('');
  say(`Written to ${DOCS_FILE}.`);
  const mes = mes100kRow(rules)?.outcome;
  say(
    `budgets: ratio=${results.ratio.toFixed(2)} mes100k_s=${mes?.kind === 'timed' ? mes.seconds.toFixed(2) : 'stopped'}`,
  );
}

export const budgetsBenchmark: Benchmark = {
  name: 'budgets',
  summary:
    'PutItem ceiling vs ballots/s through the API; exact count in the results; greedy and MES+add1 times',
  settings: [
    ...sizeKeys.map((key) => `${SIZE_VARIABLES[key]}=${DEFAULT_SIZES[key]}`),
    `${RULE_LIMIT_VARIABLE}=${DEFAULT_RULE_LIMIT_SECONDS}`,
  ],
  run: runBudgets,
};
