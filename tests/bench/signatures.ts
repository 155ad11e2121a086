import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type DevIdentity, issueDevToken, loadDevIdentity } from '../../infra/local/dev-identity';
import { expectStatus, residentTokens } from './lib/api';
import { type Benchmark, sizeFromEnv } from './lib/benchmark';
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
import { closedLoop, type LoadSummary, openLoop, summarize, type Task } from './lib/load';
import { measureRawPuts as measureConditionalPuts } from './lib/raw-puts';
import { describeMachine, type Machine, machineRows, shareOfCore, writeSection } from './lib/report';
import { machineLoadBefore, stopRuntime } from './lib/session';

/**
 * `npm run bench -- signatures`: how close signing through the API comes to
 * the one conditional write it is built on, whether the count becomes exact
 * and how fast, and whether a 10× "Revoke Article 50" peak goes through clean.
 * See the issue's acceptance criteria and ARCHITECTURE.md, "Scale targets".
 */

/** The 2019 peak was about 2,000 signatures a minute; ten times that, per second. */
const REVOKE_ARTICLE_50_PEAK_TIMES_10 = 330;
const GOAL = { ratio: 0.7, delaySeconds: 2 } as const;
const COMMUNITY = 'bench';
const POLL_EVERY_MS = 50;
const COUNT_TIMEOUT_MS = 60_000;
/** After the count first reads exact, read again this much later: it must not move on. */
const CONFIRM_AFTER_MS = 1_000;
const DOCS_FILE = join(ROOT, 'docs/benchmarks.md');

interface Sizes {
  readonly puts: number;
  readonly signers: number;
  readonly warmUp: number;
  readonly concurrency: number;
  readonly replayRate: number;
  readonly replaySeconds: number;
}

/** The sizes of the issue's acceptance criteria; `BENCH_*` variables override them for trial runs. */
const DEFAULT_SIZES: Sizes = {
  puts: 5000,
  signers: 5000,
  warmUp: 500,
  concurrency: 32,
  replayRate: REVOKE_ARTICLE_50_PEAK_TIMES_10,
  replaySeconds: 60,
};
const SIZE_VARIABLES: Record<keyof Sizes, string> = {
  puts: 'BENCH_PUTS',
  signers: 'BENCH_SIGNERS',
  warmUp: 'BENCH_WARMUP',
  concurrency: 'BENCH_CONCURRENCY',
  replayRate: 'BENCH_REPLAY_RATE',
  replaySeconds: 'BENCH_REPLAY_SECONDS',
};
const sizeKeys = Object.keys(DEFAULT_SIZES) as (keyof Sizes)[];

function sizesFromEnv(): Sizes {
  const size = (key: keyof Sizes) => sizeFromEnv(SIZE_VARIABLES[key], DEFAULT_SIZES[key]);
  return {
    puts: size('puts'),
    signers: size('signers'),
    warmUp: size('warmUp'),
    concurrency: size('concurrency'),
    replayRate: size('replayRate'),
    replaySeconds: size('replaySeconds'),
  };
}

const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

interface CountWatch {
  readonly expected: number;
  /** Seconds from the last accepted signature's 201 until a read showed exactly `expected`. */
  readonly delaySeconds?: number;
  /** The count a second after it first read exact (or at the time-out). */
  readonly final: number;
  readonly highest: number;
  readonly overshot: boolean;
  readonly exact: boolean;
}

interface SigningPhase {
  readonly load: LoadSummary;
  /** Signers answered 201. */
  readonly accepted: number;
  /** 200 `alreadySigned`: there should be none, every signer is new. */
  readonly repeats: number;
  readonly count: CountWatch;
  readonly cpu: CpuUse;
}

interface Results {
  readonly machine: Machine;
  /** Share of one core that other processes used in the 2 s before the run. */
  readonly busyBefore: number | undefined;
  readonly date: string;
  readonly sizes: Sizes;
  readonly raw: { readonly load: LoadSummary; readonly cpu: CpuUse };
  readonly api: SigningPhase;
  readonly ratio: number;
  readonly replay: SigningPhase & { readonly maxSendLagMs: number };
}

// ---- setting up -------------------------------------------------------------------------------

interface Setup {
  readonly identity: DevIdentity;
  readonly petitions: { readonly warmUp: string; readonly api: string; readonly replay: string };
}

/** A community that opens petitions at once, and three open petitions in it. */
async function setUp(http: HttpClient, runtime: ChildRuntime): Promise<Setup> {
  const identity = await loadDevIdentity(runtime.identityFile);
  const admin = await issueDevToken(identity, { sub: 'admin' });
  expectStatus(
    'Creating the community',
    await http.send('POST', '/v1/communities', {
      token: admin,
      body: {
        id: COMMUNITY,
        settings: {
          names: { uk: 'Навантаження', en: 'Benchmark' },
          petitions: { thresholds: [{ name: 'response', signatures: 1000 }] },
          moderation: { petitions: 'post' },
        },
        council: [{ subject: 'bench-council' }],
      },
    }),
    201,
  );
  const author = await issueDevToken(identity, {
    sub: 'author',
    community: COMMUNITY,
    birthdate: '1980-01-01',
  });
  const open = async (title: string): Promise<string> => {
    const created = expectStatus(
      `Creating petition "${title}"`,
      await http.send('POST', `/v1/communities/${COMMUNITY}/petitions`, {
        token: author,
        body: { title, text: 'Measured by npm run bench -- signatures.' },
      }),
      201,
    ) as { id: string };
    const submitted = expectStatus(
      `Submitting petition "${title}"`,
      await http.send('POST', `/v1/communities/${COMMUNITY}/petitions/${created.id}/submit`, {
        token: author,
      }),
      200,
    ) as { state: string };
    if (submitted.state !== 'open') throw new Error(`Petition "${title}" is ${submitted.state}, not open`);
    return created.id;
  };
  return {
    identity,
    petitions: {
      warmUp: await open('Warm-up petition for the benchmark'),
      api: await open('Throughput petition for the benchmark'),
      replay: await open('Revoke Article 50 replay petition'),
    },
  };
}

// ---- measuring --------------------------------------------------------------------------------

/**
 * (a) The ceiling: conditional PutItems straight into the runtime's DynamoDB
 * Local, one new partition each, shaped like a signature item (same key and
 * GSI1 attributes, so the index is written as well). The stream consumer
 * skips them: their entity is not a signature.
 */
const measureRawPuts = (
  runtime: ChildRuntime,
  sizes: Sizes,
  processes: Record<string, number | undefined>,
): Promise<Results['raw']> =>
  measureConditionalPuts(
    runtime,
    { count: sizes.puts, warmUp: sizes.warmUp, concurrency: sizes.concurrency },
    processes,
    (index) => {
      const signerKey = createHash('sha256').update(`bench-${index}`).digest('hex');
      const signedAt = new Date().toISOString();
      return {
        TableName: runtime.tableName,
        Item: {
          PK: { S: `BENCH#${index}` },
          SK: { S: 'BENCH' },
          GSI1PK: { S: `BENCH#BUCKET#${index % 16}` },
          GSI1SK: { S: `${signedAt}#${signerKey}` },
          entity: { S: 'bench' },
          communityId: { S: COMMUNITY },
          petitionId: { S: 'raw' },
          signerKey: { S: signerKey },
          signedAt: { S: signedAt },
          districtId: { S: `d${index % 7}` },
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      };
    },
  );

/** One signature through the API; 201 and 200 both count as answered. */
const signTask =
  (http: HttpClient, petitionId: string, tokens: readonly string[], outcomes: number[]): Task =>
  async (index) => {
    const reply = await http.send('POST', `/v1/communities/${COMMUNITY}/petitions/${petitionId}/signatures`, {
      token: tokens[index] ?? '',
    });
    outcomes[index] = reply.status;
    return { ok: reply.status >= 200 && reply.status < 300, status: reply.status };
  };

/**
 * (d) Polls the petition every {@link POLL_EVERY_MS} ms until its online count
 * is `expected`, then once more a second later; the count must never read
 * more than `expected`. The delay counts from `lastAcceptedAt`.
 */
async function watchCount(
  http: HttpClient,
  petitionId: string,
  expected: number,
  lastAcceptedAt: number,
): Promise<CountWatch> {
  const read = async (): Promise<number> => {
    const reply = await http.send('GET', `/v1/communities/${COMMUNITY}/petitions/${petitionId}`);
    if (reply.status !== 200) return Number.NaN;
    return (JSON.parse(reply.body) as { signatureCount: { online: number } }).signatureCount.online;
  };
  const deadline = performance.now() + COUNT_TIMEOUT_MS;
  let highest = 0;
  let exactAt: number | undefined;
  let latest = Number.NaN;
  while (performance.now() < deadline) {
    const sentAt = performance.now();
    latest = await read();
    if (latest > highest) highest = latest;
    if (latest === expected) {
      exactAt = performance.now();
      break;
    }
    await sleep(Math.max(0, sentAt + POLL_EVERY_MS - performance.now()));
  }
  if (exactAt !== undefined) {
    await sleep(CONFIRM_AFTER_MS);
    latest = await read();
    if (latest > highest) highest = latest;
  }
  const overshot = highest > expected;
  return {
    expected,
    ...(exactAt === undefined ? {} : { delaySeconds: Math.max(0, exactAt - lastAcceptedAt) / 1000 }),
    final: latest,
    highest,
    overshot,
    exact: exactAt !== undefined && latest === expected && !overshot,
  };
}

/** When the last 201 of a run arrived. */
const lastAcceptedAt = (samples: readonly { status: number; doneAt: number }[]): number =>
  samples
    .filter((sample) => sample.status === 201)
    .reduce((last, sample) => Math.max(last, sample.doneAt), 0);

// ---- reporting --------------------------------------------------------------------------------

const seconds = (value: number | undefined) => (value === undefined ? 'never' : `${value.toFixed(2)} s`);
const countText = (count: CountWatch) =>
  `${count.final} of ${count.expected}${count.overshot ? `, read ${count.highest} at most (overshot)` : ''}`;

/** CPU of every process together per operation, and the ratio those two predict when CPU is the limit. */
function cpuModelText(raw: Results['raw'], api: SigningPhase): string {
  const perPut = totalCpuPerOperation(raw.cpu, raw.load.requests);
  const perSignature = totalCpuPerOperation(api.cpu, api.load.requests);
  if (perPut === undefined || perSignature === undefined) return '?';
  return `${perPut.toFixed(2)} ms ÷ ${perSignature.toFixed(2)} ms = ${(perPut / perSignature).toFixed(2)}`;
}

/** The results table: figure, value, goal, verdict. */
function table(results: Results): string[] {
  const { machine, sizes, raw, api, replay } = results;
  const defaults = sizeKeys.every((key) => sizes[key] === DEFAULT_SIZES[key]);
  const rows: [string, string, string, string][] = [
    ...machineRows(results.date, machine, shareOfCore(results.busyBefore)),
    [
      'Sizes',
      `${sizes.puts} puts, ${sizes.signers} signers, concurrency ${sizes.concurrency}, warm-up ${sizes.warmUp}, ` +
        `replay ${sizes.replayRate}/s × ${sizes.replaySeconds} s${defaults ? '' : ' (not the defaults)'}`,
      '',
      '',
    ],
    ['(a) DynamoDB Local conditional PutItem', rate(raw.load.okPerSecond), '', ''],
    ['(a) PutItem latency p50 / p99', `${ms(raw.load.p50Ms)} / ${ms(raw.load.p99Ms)}`, '', ''],
    ['(a) errors', errorsText(raw.load), '0', ''],
    ['(a) CPU (share of one core)', cpuShareText(raw.cpu), '', ''],
    ['(a) CPU per put', cpuPerOperationText(raw.cpu, raw.load.requests), '', ''],
    ['(b) signatures through the API', rate(api.load.okPerSecond), '', ''],
    ['(b) latency p50 / p99', `${ms(api.load.p50Ms)} / ${ms(api.load.p99Ms)}`, '', ''],
    ['(b) errors', errorsText(api.load), '0', ''],
    ['(b) answered 201 / 200 alreadySigned', `${api.accepted} / ${api.repeats}`, '', ''],
    ['(b) CPU (share of one core)', cpuShareText(api.cpu), '', ''],
    ['(b) CPU per signature', cpuPerOperationText(api.cpu, api.load.requests), '', ''],
    ['(c) ratio b/a', results.ratio.toFixed(2), `≥ ${GOAL.ratio}`, verdict(results.ratio >= GOAL.ratio)],
    ['(c) CPU model: all CPU per put ÷ per signature', cpuModelText(raw, api), '', ''],
    ['(d) final count', countText(api.count), 'exact, never over', verdict(api.count.exact)],
    [
      '(d) delay until exact',
      seconds(api.count.delaySeconds),
      `≤ ${GOAL.delaySeconds} s`,
      verdict(api.count.delaySeconds !== undefined && api.count.delaySeconds <= GOAL.delaySeconds),
    ],
    [
      `(e) replay ${sizes.replayRate}/s × ${sizes.replaySeconds} s: errors`,
      errorsText(replay.load),
      '0',
      verdict(replay.load.errors === 0),
    ],
    ['(e) achieved rate', rate(replay.load.okPerSecond), '', ''],
    ['(e) answered 201 / 200 alreadySigned', `${replay.accepted} / ${replay.repeats}`, '', ''],
    ['(e) latency p50 / p99 (from due time)', `${ms(replay.load.p50Ms)} / ${ms(replay.load.p99Ms)}`, '', ''],
    ['(e) generator lag, worst', ms(replay.maxSendLagMs), '', ''],
    ['(e) CPU (share of one core)', cpuShareText(replay.cpu), '', ''],
    ['(e) CPU per signature', cpuPerOperationText(replay.cpu, replay.load.requests), '', ''],
    ['(e) final count', countText(replay.count), 'exact, never over', verdict(replay.count.exact)],
    [
      '(e) delay until exact',
      seconds(replay.count.delaySeconds),
      `≤ ${GOAL.delaySeconds} s`,
      verdict(replay.count.delaySeconds !== undefined && replay.count.delaySeconds <= GOAL.delaySeconds),
    ],
  ];
  return markdownTable(rows);
}

function section(results: Results): string {
  return [
    '## Signatures (`npm run bench -- signatures`)',
    '',
    ...table(results),
    '',
    'How it is measured: the benchmark starts `infra/local/start.ts` as a child process (the API and',
    'DynamoDB Local in their own processes, not in the load generator’s) and mints tokens beforehand.',
    '(a) conditional PutItems of signature-shaped items (own partition each, GSI1 attributes) straight',
    'into that DynamoDB Local, closed loop; (b) distinct residents sign one open petition through the',
    'HTTP API, closed loop at the same concurrency, warm-up excluded; (d) the petition is read every',
    `${POLL_EVERY_MS} ms from the end of the load until its online count equals the 201s, then once more`,
    'a second later (any read above the 201s is an overshoot); the delay counts from the last 201; (e) arrivals on a fixed schedule (open loop) on a fresh petition, latency counted from',
    'each arrival’s due time. CPU is each process’s user + system time over the phase;',
    '`java` is DynamoDB Local, `api` the runtime (HTTP server, handlers, stream tally), `bench` this',
    'load generator, `other` the rest of the machine (near 0% on a quiet machine; more means the',
    'figures are low). Two cores are 200%. When the phases use nearly all of both cores, b/a comes to',
    'about the CPU per put over the CPU per signature, all processes together (the “CPU model” row):',
    'a signature costs its put plus the HTTP API, the token check and the stream tally’s share.',
  ].join('\n');
}

// ---- the run ----------------------------------------------------------------------------------

const say = (line: string) => process.stdout.write(`${line}\n`);

async function runSignatures(): Promise<void> {
  const sizes = sizesFromEnv();
  say('signatures: reading the machine…');
  const machine = describeMachine();
  // Another test run on the same two cores would make every figure low: say so in the results.
  const busyBefore = (await machineLoadBefore()).share;
  say('signatures: starting the local runtime (child process)…');
  const runtime = await startChildRuntime();
  const http = createHttpClient(runtime.url, { maxSockets: sizes.concurrency });
  const replayHttp = createHttpClient(runtime.url, { maxSockets: 512 });
  const poll = createHttpClient(runtime.url, { maxSockets: 1 });
  const processes = { java: runtime.pids.java, api: runtime.pids.runtime, bench: process.pid };
  let results: Results;
  try {
    say(`signatures: API ${runtime.url}, DynamoDB Local ${runtime.endpoint} (table ${runtime.tableName})`);
    const { identity, petitions } = await setUp(http, runtime);
    const replayCount = Math.round(sizes.replayRate * sizes.replaySeconds);
    say(`signatures: minting ${sizes.warmUp + sizes.signers + replayCount} resident tokens…`);
    const tokens = {
      warmUp: await residentTokens(identity, COMMUNITY, 'warm-up', sizes.warmUp),
      api: await residentTokens(identity, COMMUNITY, 'signer', sizes.signers),
      replay: await residentTokens(identity, COMMUNITY, 'replay', replayCount),
    };

    say(`signatures: (a) ${sizes.puts} conditional PutItems at concurrency ${sizes.concurrency}…`);
    const raw = await measureRawPuts(runtime, sizes, processes);
    say(
      `  ${rate(raw.load.okPerSecond)}, p50 ${ms(raw.load.p50Ms)}, p99 ${ms(raw.load.p99Ms)}, errors ${errorsText(raw.load)}`,
    );

    say(`signatures: (b) warm-up, ${sizes.warmUp} signers…`);
    const warmUpOutcomes: number[] = [];
    const warmUp = await closedLoop(
      sizes.warmUp,
      sizes.concurrency,
      signTask(http, petitions.warmUp, tokens.warmUp, warmUpOutcomes),
    );
    // Let the tally finish the warm-up so that it does not spill into the measurement.
    await watchCount(
      poll,
      petitions.warmUp,
      warmUpOutcomes.filter((s) => s === 201).length,
      lastAcceptedAt(warmUp.samples),
    );

    say(`signatures: (b) ${sizes.signers} distinct signers at concurrency ${sizes.concurrency}…`);
    const apiOutcomes: number[] = [];
    const apiMeter = measureCpu(processes, 'java');
    const apiRun = await closedLoop(
      sizes.signers,
      sizes.concurrency,
      signTask(http, petitions.api, tokens.api, apiOutcomes),
    );
    const apiCpu = apiMeter.stop();
    const apiLoad = summarize(apiRun);
    const apiAccepted = apiOutcomes.filter((status) => status === 201).length;
    say(
      `  ${rate(apiLoad.okPerSecond)}, p50 ${ms(apiLoad.p50Ms)}, p99 ${ms(apiLoad.p99Ms)}, errors ${errorsText(apiLoad)}`,
    );
    say('signatures: (d) waiting for the count to be exact…');
    const apiCount = await watchCount(poll, petitions.api, apiAccepted, lastAcceptedAt(apiRun.samples));
    say(`  ${countText(apiCount)} after ${seconds(apiCount.delaySeconds)}`);

    say(`signatures: (e) replay, ${sizes.replayRate} signatures/s for ${sizes.replaySeconds} s, open loop…`);
    const replayOutcomes: number[] = [];
    const replayMeter = measureCpu(processes, 'java');
    const replayRun = await openLoop(
      sizes.replayRate,
      sizes.replaySeconds,
      signTask(replayHttp, petitions.replay, tokens.replay, replayOutcomes),
    );
    const replayCpu = replayMeter.stop();
    const replayLoad = summarize(replayRun);
    const replayAccepted = replayOutcomes.filter((status) => status === 201).length;
    say(
      `  ${rate(replayLoad.okPerSecond)}, p50 ${ms(replayLoad.p50Ms)}, p99 ${ms(replayLoad.p99Ms)}, errors ${errorsText(replayLoad)}`,
    );
    const replayCount2 = await watchCount(
      poll,
      petitions.replay,
      replayAccepted,
      lastAcceptedAt(replayRun.samples),
    );
    say(`  ${countText(replayCount2)} after ${seconds(replayCount2.delaySeconds)}`);

    results = {
      machine,
      busyBefore,
      date: new Date().toISOString(),
      sizes,
      raw,
      api: {
        load: apiLoad,
        accepted: apiAccepted,
        repeats: apiOutcomes.filter((status) => status === 200).length,
        count: apiCount,
        cpu: apiCpu,
      },
      ratio: raw.load.okPerSecond > 0 ? apiLoad.okPerSecond / raw.load.okPerSecond : 0,
      replay: {
        load: replayLoad,
        accepted: replayAccepted,
        repeats: replayOutcomes.filter((status) => status === 200).length,
        count: replayCount2,
        cpu: replayCpu,
        maxSendLagMs: replayRun.maxSendLagMs,
      },
    };
  } finally {
    http.close();
    replayHttp.close();
    poll.close();
    await stopRuntime(runtime);
  }

  writeSection(DOCS_FILE, 'signatures', section(results));
  say('');
  for (const line of table(results)) say(line);
  say('');
  say(`Written to ${DOCS_FILE}.`);
  const exact = results.api.count.exact && results.replay.count.exact;
  say(`signatures: ratio=${results.ratio.toFixed(2)} exact=${exact}`);
}

export const signaturesBenchmark: Benchmark = {
  name: 'signatures',
  summary: 'PutItem ceiling vs signatures/s through the API; exact count and its delay; 330/s replay',
  settings: sizeKeys.map((key) => `${SIZE_VARIABLES[key]}=${DEFAULT_SIZES[key]}`),
  run: runSignatures,
};
