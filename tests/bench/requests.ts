import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Comment, CommentState, STANCES } from '../../domain/consultations/comment';
import { commentRanking, commentToItem } from '../../functions/consultations/items';
import { documentClient } from '../../functions/shared/dynamo';
import { issueDevToken, loadDevIdentity } from '../../infra/local/dev-identity';
import { expectStatus } from './lib/api';
import { type Benchmark, sizeFromEnv } from './lib/benchmark';
import { type ChildRuntime, ROOT, startChildRuntime } from './lib/child-runtime';
import { markdownTable, ms, verdict } from './lib/format';
import { createHttpClient, type HttpClient } from './lib/http';
import { describeMachine, type Machine, machineRows, shareOfCore, writeSection } from './lib/report';
import { machineLoadBefore, stopRuntime } from './lib/session';

/**
 * `npm run bench -- requests`: the heaviest requests at two data sizes, ten
 * times apart — a consultation's page and its comment lists with 1,000 and
 * with 10,000 comments, and a revision of a draft of 200 and of 2,000
 * paragraphs, every paragraph edited — with the time per request at each size
 * and their ratio. A read whose cost does not grow with the data has a ratio
 * near 1. See issue 10, "A bounded cost for every request".
 */

const GOAL = { readsRatio: 2, revisionMs: 1_000 } as const;
const COMMUNITY = 'bench-requests';
const DOCS_FILE = join(ROOT, 'docs/benchmarks.md');
const COUNT_TIMEOUT_MS = 180_000;
/** Comments written per BatchWriteItem (its limit) and calls in flight. */
const BATCH = 25;
const WRITERS = 8;

interface Sizes {
  readonly comments: number;
  readonly paragraphs: number;
  readonly requests: number;
  readonly revisions: number;
}

/** The sizes of the issue's acceptance criteria; `BENCH_*` variables override them for trial runs. */
const DEFAULT_SIZES: Sizes = { comments: 1_000, paragraphs: 200, requests: 30, revisions: 2 };
const SIZE_VARIABLES: Record<keyof Sizes, string> = {
  comments: 'BENCH_COMMENTS',
  paragraphs: 'BENCH_PARAGRAPHS',
  requests: 'BENCH_REQUESTS',
  revisions: 'BENCH_REVISIONS',
};
const sizeKeys = Object.keys(DEFAULT_SIZES) as (keyof Sizes)[];
/** The larger size is always ten times the smaller. */
const FACTOR = 10;

function sizesFromEnv(): Sizes {
  const size = (key: keyof Sizes) => sizeFromEnv(SIZE_VARIABLES[key], DEFAULT_SIZES[key]);
  return {
    comments: size('comments'),
    paragraphs: size('paragraphs'),
    requests: size('requests'),
    revisions: size('revisions'),
  };
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

/** A read measured at both sizes: median milliseconds per request. */
interface Measured {
  readonly name: string;
  readonly small: number;
  readonly large: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/**
 * The median times of requests to `paths` (one per size), sent in turns — one
 * to each, `count` rounds after three unmeasured ones — so that whatever else
 * the machine does weighs on both sizes alike.
 */
async function timeSideBySide(http: HttpClient, paths: readonly string[], count: number): Promise<number[]> {
  const once = async (path: string) => {
    const started = performance.now();
    const reply = await http.send('GET', path);
    const elapsed = performance.now() - started;
    expectStatus(`GET ${path}`, reply, 200);
    return elapsed;
  };
  for (let warm = 0; warm < 3; warm += 1) for (const path of paths) await once(path);
  const times: number[][] = paths.map(() => []);
  for (let round = 0; round < count; round += 1) {
    for (const [index, path] of paths.entries()) times[index]?.push(await once(path));
  }
  return times.map(median);
}

// ---- setting up -------------------------------------------------------------------------------

/** A consultation that comments are loaded onto. */
interface Commented {
  readonly consultationId: string;
  /** The ids of the draft's sections and paragraphs, comments are spread over. */
  readonly targets: readonly { kind: 'section' | 'paragraph'; id: string }[];
}

interface Setup {
  readonly council: string;
  /** The consultation of the smaller size and the one of the larger, measured side by side. */
  readonly small: Commented;
  readonly large: Commented;
}

/**
 * Markdown of `paragraphs` paragraphs, with a heading every 20 when
 * `headings`; `variant` changes one word in every paragraph.
 */
function draftMarkdown(paragraphs: number, variant: number, headings = true): string {
  const verbs = ['proposes', 'suggests', 'plans', 'intends'];
  const lines: string[] = [];
  for (let n = 0; n < paragraphs; n += 1) {
    if (headings && n % 20 === 0) lines.push(`# Part ${n / 20 + 1} {#part-${n / 20 + 1}}`);
    lines.push(
      `Item ${n + 1}: the council ${verbs[variant % verbs.length]} to improve street number ${n + 1}.`,
    );
  }
  return lines.join('\n\n');
}

async function createConsultation(http: HttpClient, council: string, markdown: string, title: string) {
  const hour = 3_600_000;
  return expectStatus(
    `Creating consultation "${title}"`,
    await http.send('POST', `/v1/communities/${COMMUNITY}/consultations`, {
      token: council,
      body: {
        title,
        summary: 'Measured by npm run bench -- requests.',
        ownerDepartment: 'Benchmarks',
        opensAt: new Date(Date.now() + hour).toISOString(),
        closesAt: new Date(Date.now() + 240 * hour).toISOString(),
        markdown,
      },
    }),
    201,
  ) as { id: string; draft: { blocks: { kind: 'section' | 'paragraph'; id: string }[] } };
}

async function setUp(http: HttpClient, runtime: ChildRuntime): Promise<Setup> {
  const identity = await loadDevIdentity(runtime.identityFile);
  const admin = await issueDevToken(identity, { sub: 'admin' });
  expectStatus(
    'Creating the community',
    await http.send('POST', '/v1/communities', {
      token: admin,
      body: {
        id: COMMUNITY,
        settings: { names: { uk: 'Навантаження', en: 'Benchmark' } },
        council: [{ subject: 'bench-council' }],
      },
    }),
    201,
  );
  const council = await issueDevToken(identity, { sub: 'bench-council', community: COMMUNITY });
  const commented = async (title: string): Promise<Commented> => {
    const consultation = await createConsultation(http, council, draftMarkdown(60, 0), title);
    return {
      consultationId: consultation.id,
      targets: consultation.draft.blocks.map(({ kind, id }) => ({ kind, id })),
    };
  };
  return { council, small: await commented('Fewer comments'), large: await commented('More comments') };
}

/**
 * `count` comments, written straight into the table as the API
 * writes them (the count tally counts them off the stream, as it would
 * theirs): one in five a reply, one in fifty hidden, votes spread so that the
 * `top` and `controversial` orders have work to do (their index keys written
 * as the vote tally writes them). Returns how many are visible.
 */
async function writeComments(runtime: ChildRuntime, setup: Commented, count: number): Promise<number> {
  // DynamoDB Local keeps one database per access key and region: the runtime's.
  const client = documentClient({ dynamoEndpoint: runtime.endpoint, region: 'eu-central-1' });
  const start = Date.parse('2026-05-01T09:00:00.000Z');
  const idOf = (n: number) => `01BENCH${setup.consultationId.slice(-6)}${String(n).padStart(13, '0')}`;
  let visible = 0;
  const items: Record<string, unknown>[] = [];
  for (let n = 0; n < count; n += 1) {
    // Every fifth comment replies to the one before it, a top-level comment.
    const isReply = n % 5 === 4;
    const threadRoot = isReply ? n - 1 : n;
    const target = setup.targets[threadRoot % setup.targets.length] as Commented['targets'][number];
    const state = n % 50 === 7 ? CommentState.hidden : CommentState.visible;
    if (state === CommentState.visible) visible += 1;
    const comment: Comment = {
      id: idOf(n),
      communityId: COMMUNITY,
      consultationId: setup.consultationId,
      target,
      draftVersion: 1,
      ...(isReply ? { parentCommentId: idOf(threadRoot) } : {}),
      threadId: idOf(isReply ? threadRoot : n),
      depth: isReply ? 2 : 1,
      stance: STANCES[n % STANCES.length] as Comment['stance'],
      text: `Comment number ${n} on the plan: more buses, fewer cars, safer crossings.`,
      state,
      authorKey: `${String(n % 997).padStart(4, '0')}${'a'.repeat(60)}`,
      createdAt: new Date(start + n * 1_000).toISOString(),
      revision: 1,
    };
    const counts = { up: (n * 37) % 23, down: (n * 11) % 17 };
    items.push({
      ...commentToItem(comment),
      ...counts,
      ...(isReply ? {} : commentRanking(comment, counts)),
    });
  }
  let next = 0;
  const writer = async () => {
    while (next < items.length) {
      const chunk = items.slice(next, next + BATCH);
      next += BATCH;
      let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const result = await client.send(
          new BatchWriteCommand({ RequestItems: { [runtime.tableName]: pending } }),
        );
        pending = (result.UnprocessedItems?.[runtime.tableName] ?? []) as typeof pending;
        if (pending.length > 0) await sleep(50);
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  return visible;
}

/** Waits until the consultation's page counts `expected` visible comments (the count tally has run); ms waited. */
async function waitForCounts(http: HttpClient, path: string, expected: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < COUNT_TIMEOUT_MS) {
    const reply = await http.send('GET', path);
    const shown = (JSON.parse(reply.body) as { counts?: { all?: { total?: number } } }).counts?.all?.total;
    if (shown === expected) return performance.now() - started;
    await sleep(200);
  }
  throw new Error(`The counts did not reach ${expected} within ${COUNT_TIMEOUT_MS / 1000} s`);
}

/** The path of a later page: the fourth, reached by following cursors. */
async function laterPage(http: HttpClient, path: string): Promise<string> {
  let cursor: string | undefined;
  for (let page = 1; page < 4; page += 1) {
    const reply = await http.send('GET', `${path}${cursor ? `&cursor=${cursor}` : ''}`);
    cursor = (expectStatus(`GET ${path}`, reply, 200) as { cursor?: string }).cursor;
    if (!cursor) throw new Error(`${path} has fewer than four pages`);
  }
  return `${path}&cursor=${cursor}`;
}

const READS = [
  'GET …/consultations/{c}',
  'GET …/comments newest, page 1',
  'GET …/comments newest, page 4',
  'GET …/comments top, page 1',
  'GET …/comments top, page 4',
  'GET …/comments controversial, page 1',
  'GET …/comments controversial, page 4',
] as const;

/** Every read of {@link READS}, at both sizes side by side. */
async function measureReads(http: HttpClient, setup: Setup, requests: number): Promise<Measured[]> {
  const item = (of: Commented) => `/v1/communities/${COMMUNITY}/consultations/${of.consultationId}`;
  const list = (of: Commented, sort: string) => `${item(of)}/comments?sort=${sort}&limit=25`;
  const pathsOf = async (of: Commented) => {
    const paths = [item(of)];
    for (const sort of ['newest', 'top', 'controversial'])
      paths.push(list(of, sort), await laterPage(http, list(of, sort)));
    return paths;
  };
  const small = await pathsOf(setup.small);
  const large = await pathsOf(setup.large);
  const measured: Measured[] = [];
  for (const [index, name] of READS.entries()) {
    const [smallMs = Number.NaN, largeMs = Number.NaN] = await timeSideBySide(
      http,
      [small[index] as string, large[index] as string],
      requests,
    );
    measured.push({ name, small: smallMs, large: largeMs });
  }
  return measured;
}

/** Median time of `runs` revisions of a draft of `paragraphs` paragraphs, each revision editing every paragraph. */
async function measureRevision(
  http: HttpClient,
  council: string,
  paragraphs: number,
  runs: number,
): Promise<number> {
  const consultation = await createConsultation(
    http,
    council,
    draftMarkdown(paragraphs, 0),
    `Revision ${paragraphs}`,
  );
  const times: number[] = [];
  for (let run = 1; run <= runs; run += 1) {
    const started = performance.now();
    const reply = await http.send(
      'POST',
      `/v1/communities/${COMMUNITY}/consultations/${consultation.id}/revisions`,
      { token: council, body: { markdown: draftMarkdown(paragraphs, run, false) } },
    );
    times.push(performance.now() - started);
    expectStatus(`Revising the draft of ${paragraphs} paragraphs`, reply, 201);
  }
  return median(times);
}

// ---- reporting --------------------------------------------------------------------------------

interface Results {
  readonly machine: Machine;
  readonly busyBefore: number | undefined;
  readonly date: string;
  readonly sizes: Sizes;
  readonly reads: readonly Measured[];
  readonly revision: Measured;
  /** How long the count tally took to count each load, in ms. */
  readonly tallyMs: { readonly small: number; readonly large: number };
}

const ratioOf = (measured: Measured) => measured.large / measured.small;
const readsRatioMax = (results: Results) => Math.max(...results.reads.map(ratioOf));

function table(results: Results): string[] {
  const { machine, sizes } = results;
  const defaults = sizeKeys.every((key) => sizes[key] === DEFAULT_SIZES[key]);
  const rows: [string, string, string, string][] = [
    ...machineRows(results.date, machine, shareOfCore(results.busyBefore)),
    [
      'Sizes',
      `${sizes.comments} and ${sizes.comments * FACTOR} comments, ${sizes.paragraphs} and ` +
        `${sizes.paragraphs * FACTOR} paragraphs, median of ${sizes.requests} requests (${sizes.revisions} revisions)` +
        `${defaults ? '' : ' (not the defaults)'}`,
      '',
      '',
    ],
    [
      'Count tally: loaded comments counted in',
      `${ms(results.tallyMs.small)} / ${ms(results.tallyMs.large)}`,
      '',
      '',
    ],
    ...results.reads.map((read): [string, string, string, string] => [
      `${read.name}: ${sizes.comments} / ${sizes.comments * FACTOR} comments (ratio)`,
      `${ms(read.small)} / ${ms(read.large)} (${ratioOf(read).toFixed(2)})`,
      `ratio < ${GOAL.readsRatio}`,
      verdict(ratioOf(read) < GOAL.readsRatio),
    ]),
    [
      `POST …/revisions: ${sizes.paragraphs} / ${sizes.paragraphs * FACTOR} paragraphs, all edited (ratio)`,
      `${ms(results.revision.small)} / ${ms(results.revision.large)} (${ratioOf(results.revision).toFixed(2)})`,
      `< ${ms(GOAL.revisionMs)} at ${sizes.paragraphs * FACTOR}`,
      verdict(results.revision.large < GOAL.revisionMs),
    ],
  ];
  return markdownTable(rows);
}

function section(results: Results): string {
  return [
    '## Requests (`npm run bench -- requests`)',
    '',
    ...table(results),
    '',
    'How it is measured: the benchmark starts `infra/local/start.ts` as a child process. Two',
    'consultations get their comments written straight into the table as the API writes them (one in',
    'five a reply, one in fifty hidden, vote counts and ranking keys set as the vote tally sets them),',
    'one the smaller number, the other ten times as many; the stream’s count tally counts them before',
    'anything is timed. Each read is sent sequentially, to the two consultations in turns (three rounds',
    'unmeasured, then as many as the sizes say), so that other work on the machine weighs on both alike;',
    'the table shows the median time per request from the load generator (HTTP included) at both sizes,',
    'and their ratio: near 1 when the cost does not grow with the comments. Page 4 is reached by',
    'following the cursors (25 threads a page). The revision publishes a draft without headings (every',
    'paragraph under one parent, the hardest case for matching) whose every paragraph has one word',
    'changed, on a consultation created with the previous text.',
  ].join('\n');
}

// ---- the run ----------------------------------------------------------------------------------

async function runRequests(): Promise<void> {
  const sizes = sizesFromEnv();
  say('requests: reading the machine…');
  const machine = describeMachine();
  const busyBefore = (await machineLoadBefore()).share;
  say('requests: starting the local runtime (child process)…');
  const runtime = await startChildRuntime();
  const http = createHttpClient(runtime.url, { maxSockets: 4, timeoutMs: 120_000 });
  let results: Results;
  try {
    const setup = await setUp(http, runtime);
    const large = sizes.comments * FACTOR;
    const itemOf = (of: Commented) => `/v1/communities/${COMMUNITY}/consultations/${of.consultationId}`;

    say(`requests: writing ${sizes.comments} comments on one consultation…`);
    const tallySmall = await waitForCounts(
      http,
      itemOf(setup.small),
      await writeComments(runtime, setup.small, sizes.comments),
    );
    say(`requests: writing ${large} comments on another…`);
    const tallyLarge = await waitForCounts(
      http,
      itemOf(setup.large),
      await writeComments(runtime, setup.large, large),
    );
    say(`requests: measuring the reads at ${sizes.comments} and ${large} comments, side by side…`);
    const reads = await measureReads(http, setup, sizes.requests);

    say(`requests: revising drafts of ${sizes.paragraphs} and ${sizes.paragraphs * FACTOR} paragraphs…`);
    const revisionSmall = await measureRevision(http, setup.council, sizes.paragraphs, sizes.revisions);
    const revisionLarge = await measureRevision(
      http,
      setup.council,
      sizes.paragraphs * FACTOR,
      sizes.revisions,
    );

    results = {
      machine,
      busyBefore,
      date: new Date().toISOString().slice(0, 10),
      sizes,
      reads,
      revision: { name: 'revision', small: revisionSmall, large: revisionLarge },
      tallyMs: { small: tallySmall, large: tallyLarge },
    };
  } finally {
    http.close();
    await stopRuntime(runtime);
  }
  const lines = table(results);
  for (const line of lines) say(line);
  writeSection(DOCS_FILE, 'requests', section(results));
  say(`requests: written to ${DOCS_FILE}`);
  say(
    `requests: revision2000_ms=${Math.round(results.revision.large)} reads_ratio_max=${readsRatioMax(results).toFixed(2)}`,
  );
}

export const requestsBenchmark: Benchmark = {
  name: 'requests',
  summary:
    'the heaviest requests at two sizes 10× apart: consultation page and comment lists (1,000 / 10,000 comments), revision (200 / 2,000 paragraphs)',
  settings: sizeKeys.map((key) => `${SIZE_VARIABLES[key]}=${DEFAULT_SIZES[key]}`),
  run: runRequests,
};
