import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePabulib } from '../../../domain/budgets/pabulib/parse';
import { RESULTS_FAILURES } from '../../../domain/budgets/results-failure';
import { QUEUED_JOB_HANDLERS } from '../../../functions/tools';
import { controlFile, JOB_CONTROL_ENV } from '../../support/held-results-job';
import { pabulibText } from '../../support/pabulib';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';

/**
 * The budget results job runs off the stream and off the HTTP server's event
 * loop: while a job holds its thread (as a long equal-shares run would),
 * residents sign a petition and every signature is counted, and the API keeps
 * answering. A job that throws, or runs out of time, ends `failed` with its
 * reason for the council, and the council can request the results again.
 *
 * The job is the real one with a computation held or made to throw on
 * purpose (tests/support/held-results-job.ts), run by the real local job worker.
 */
const COMMUNITY = 'heavy';
const SIGNERS = 12;
const REMBERTOW = 'Poland_Warszawa_2023_Rembertow.pb';
/** For the job that must finish within a short time limit once released: a handful of reads and a tiny count. */
const TINY = 'Synthetic_MES_seed11_12voters.pb';
/**
 * The short limit of the runtime in which a held job runs out of time. It
 * starts once the job's module is loaded (as Lambda's timeout leaves out
 * initialisation), so the released job after it only reads and counts 12 ballots: 15 s
 * leaves a busy machine a wide margin for that.
 */
const SHORT_LIMIT_MS = 15_000;
const HELD_JOB = [{ ...QUEUED_JOB_HANDLERS[0]!, entry: 'tests/support/held-results-job.ts' }];
const base = `/v1/communities/${COMMUNITY}`;

let folder: string;
const tokens: Record<string, string> = {};

const call = (token: string | undefined, method: string, body?: unknown) => ({
  method,
  ...(token ? { token } : {}),
  headers: { 'content-type': 'application/json', 'accept-language': 'en' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

/** Polls `read` until `done` holds of its value; the limit is a safety net, not a measurement. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, limitMs = 60_000): Promise<T> {
  const giveUpAt = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > giveUpAt)
      throw new Error(`still not there after ${limitMs} ms: ${JSON.stringify(value)}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

/** A runtime whose results job is the controllable one, with a community, its council and an open petition. */
async function startRuntime(jobTimeLimitMs?: number): Promise<TestRuntime> {
  const api = await startTestRuntime({
    runtime: { queuedJobs: HELD_JOB, ...(jobTimeLimitMs === undefined ? {} : { jobTimeLimitMs }) },
  });
  tokens.admin = await api.token({ sub: 'admin' });
  tokens.council = await api.token({ sub: 'council', community: COMMUNITY });
  const created = await api.call(
    '/v1/communities',
    call(tokens.admin, 'POST', {
      id: COMMUNITY,
      settings: { names: { uk: 'Важка', en: 'Heavy' }, moderation: { petitions: 'post' } },
      council: [{ subject: 'council' }],
    }),
  );
  expect(created.status).toBe(201);
  return api;
}

/** A pabulib file (Rembertów 2023 unless told) imported for greedy: a budget in tallying, and the projects it says were selected. */
async function importBudget(
  api: TestRuntime,
  file = REMBERTOW,
): Promise<{ budgetId: string; official: string[] }> {
  const text = pabulibText(file);
  const imported = await api.call(`${base}/budgets/import?rule=greedy`, {
    method: 'POST',
    token: tokens.council,
    headers: { 'content-type': 'text/plain' },
    body: text,
  });
  expect(imported.status).toBe(201);
  const official = parsePabulib(text)
    .projects.filter((project) => project.fields.selected === '1')
    .map((project) => project.id)
    .sort();
  return { budgetId: (await jsonOf(imported)).id, official };
}

const requestResults = (api: TestRuntime, budgetId: string) =>
  api.call(`${base}/budgets/${budgetId}/results`, call(tokens.council, 'POST'));

const preview = async (api: TestRuntime, budgetId: string, language = 'en') =>
  jsonOf(
    await api.call(`${base}/budgets/${budgetId}/results/preview`, {
      ...call(tokens.council, 'GET'),
      headers: { 'accept-language': language },
    }),
  );

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'hromada-jobs-'));
  // Read by the job worker, which copies the environment when the runtime starts it.
  process.env[JOB_CONTROL_ENV] = folder;
});

afterAll(() => {
  delete process.env[JOB_CONTROL_ENV];
  rmSync(folder, { recursive: true, force: true });
});

describe('a results job beside the counting', () => {
  let api: TestRuntime;
  beforeAll(async () => {
    api = await startRuntime();
  });
  afterAll(async () => {
    await api.stop();
  });

  it('counts every signature and keeps answering while a results job holds its thread', async () => {
    const author = await api.token({ sub: 'author', community: COMMUNITY, birthdate: '1990-01-01' });
    const petition = await jsonOf(
      await api.call(`${base}/petitions`, call(author, 'POST', { title: 'Light the river path', text: 'x' })),
    );
    expect(
      (await jsonOf(await api.call(`${base}/petitions/${petition.id}/submit`, call(author, 'POST')))).state,
    ).toBe('open');
    const { budgetId, official } = await importBudget(api);
    writeFileSync(controlFile(folder, budgetId, 'hold'), '');

    expect((await requestResults(api, budgetId)).status).toBe(202);
    // The job has begun computing, on a thread of its own, before anyone signs.
    const started = controlFile(folder, budgetId, 'started');
    await until(async () => existsSync(started), Boolean);
    expect(Number(readFileSync(started, 'utf8'))).not.toBe(threadId);

    const counted: number[] = [];
    for (let signer = 0; signer < SIGNERS; signer += 1) {
      const token = await api.token({
        sub: `signer-${signer}`,
        community: COMMUNITY,
        birthdate: '1985-03-03',
      });
      const signed = await api.call(`${base}/petitions/${petition.id}/signatures`, call(token, 'POST'));
      expect(signed.status).toBe(201);
      const read = await until(
        async () => jsonOf(await api.call(`${base}/petitions/${petition.id}`)),
        (current) => current.signatureCount.online > signer,
      );
      counted.push(read.signatureCount.online);
      // The API answers other requests meanwhile, the council's included.
      expect((await api.call(`${base}`)).status).toBe(200);
    }
    const during = await preview(api, budgetId);

    expect(counted).toEqual(Array.from({ length: SIGNERS }, (_, index) => index + 1));
    // Every count above arrived while the job was still holding its thread.
    expect(during).toMatchObject({ status: 'running', pots: [] });
    expect(existsSync(controlFile(folder, budgetId, 'hold'))).toBe(true);

    rmSync(controlFile(folder, budgetId, 'hold'));
    const after = await until(
      () => preview(api, budgetId),
      (current) => current.status !== 'running',
    );
    expect(after.status).toBe('done');
    expect([...after.pots[0].selected].sort()).toEqual(official);
  });

  it('ends a job that throws as failed with its reason, and a new request succeeds', async () => {
    const { budgetId, official } = await importBudget(api);
    writeFileSync(controlFile(folder, budgetId, 'throw'), 'the ledger caught fire');

    const first = await requestResults(api, budgetId);
    expect(first.status).toBe(202);
    const failed = await until(
      () => preview(api, budgetId),
      (current) => current.status !== 'running',
    );
    expect(failed).toMatchObject({
      status: 'failed',
      error: 'The results job failed unexpectedly: the ledger caught fire',
      pots: [],
    });
    // The same failure, by its code, in Ukrainian.
    expect(await preview(api, budgetId, 'uk')).toMatchObject({
      status: 'failed',
      errorCode: 'results_job_failed',
      error: 'Обчислення результатів несподівано завершилося помилкою: the ledger caught fire',
    });

    const again = await requestResults(api, budgetId);
    expect(again.status).toBe(202);
    const done = await until(
      () => preview(api, budgetId),
      (current) => current.status !== 'running',
    );
    expect(done.status).toBe('done');
    expect([...done.pots[0].selected].sort()).toEqual(official);
    expect((await jsonOf(again)).jobId).not.toBe((await jsonOf(first)).jobId);
  });
});

describe('a results job that runs out of time', () => {
  let api: TestRuntime;
  beforeAll(async () => {
    api = await startRuntime(SHORT_LIMIT_MS);
  });
  afterAll(async () => {
    await api.stop();
  });

  it('is stopped and ends failed with the reason, and a new request succeeds on a new worker', async () => {
    const { budgetId } = await importBudget(api, TINY);
    writeFileSync(controlFile(folder, budgetId, 'hold'), '');

    expect((await requestResults(api, budgetId)).status).toBe(202);
    const failed = await until(
      () => preview(api, budgetId),
      (current) => current.status !== 'running',
    );
    rmSync(controlFile(folder, budgetId, 'hold'));
    expect(failed).toMatchObject({
      status: 'failed',
      errorCode: 'results_out_of_time',
      error: RESULTS_FAILURES.results_out_of_time.text.en,
      pots: [],
    });

    expect((await requestResults(api, budgetId)).status).toBe(202);
    await api.runtime.drain();
    const done = await preview(api, budgetId);
    expect(done.status).toBe('done');
    expect(done.pots[0]).toMatchObject({ rule: 'greedy', ballots: 12 });
  });
});
