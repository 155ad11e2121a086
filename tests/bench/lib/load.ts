import { performance } from 'node:perf_hooks';

/** One request's outcome as the load generator saw it. */
export interface Sample {
  /** 2xx. */
  readonly ok: boolean;
  /** HTTP status, or 0 for a network failure. */
  readonly status: number;
  /** From the moment the request was due (open loop) or sent (closed loop) to its last byte. */
  readonly latencyMs: number;
  /** `performance.now()` when the answer arrived. */
  readonly doneAt: number;
}

export interface LoadRun {
  readonly samples: readonly Sample[];
  /** `performance.now()` of the first request, and of the last answer. */
  readonly startedAt: number;
  readonly endedAt: number;
}

/** A task of the generator: send request number `index`, say how it went. */
export type Task = (index: number) => Promise<{ ok: boolean; status: number }>;

async function timed(task: Task, index: number, dueAt: number): Promise<Sample> {
  const { ok, status } = await task(index);
  const doneAt = performance.now();
  return { ok, status, latencyMs: doneAt - dueAt, doneAt };
}

/**
 * Closed loop: `concurrency` workers each send the next request as soon as
 * their previous one is answered, until `count` requests are done.
 * @example const run = await closedLoop(5000, 32, (i) => sign(tokens[i]));
 */
export async function closedLoop(count: number, concurrency: number, task: Task): Promise<LoadRun> {
  const samples: Sample[] = [];
  let next = 0;
  const startedAt = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      samples.push(await timed(task, index, performance.now()));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { samples, startedAt, endedAt: Math.max(startedAt, ...samples.map((sample) => sample.doneAt)) };
}

export interface OpenLoopRun extends LoadRun {
  /** The worst delay between a request's due time and the moment it was sent (generator lag). */
  readonly maxSendLagMs: number;
}

/**
 * Open loop: request `i` is due at `start + i / ratePerSecond` whatever happened
 * to the earlier ones, so a slow server meets a growing queue instead of a
 * politely waiting client. Latency counts from the due time, so time spent
 * waiting for a connection or behind a late generator is not hidden.
 * @example const run = await openLoop(330, 60, (i) => sign(tokens[i]));
 */
export async function openLoop(ratePerSecond: number, seconds: number, task: Task): Promise<OpenLoopRun> {
  const count = Math.round(ratePerSecond * seconds);
  const intervalMs = 1000 / ratePerSecond;
  const pending: Promise<Sample>[] = [];
  let maxSendLagMs = 0;
  const startedAt = performance.now();
  await new Promise<void>((finished) => {
    let next = 0;
    const fire = () => {
      const now = performance.now();
      while (next < count && startedAt + next * intervalMs <= now) {
        const dueAt = startedAt + next * intervalMs;
        maxSendLagMs = Math.max(maxSendLagMs, now - dueAt);
        pending.push(timed(task, next, dueAt));
        next += 1;
      }
      if (next >= count) return finished();
      setTimeout(fire, Math.max(0, startedAt + next * intervalMs - performance.now()));
    };
    fire();
  });
  const samples = await Promise.all(pending);
  return {
    samples,
    startedAt,
    endedAt: Math.max(startedAt, ...samples.map((sample) => sample.doneAt)),
    maxSendLagMs,
  };
}

/** Nearest-rank percentile of `values` (0 < p ≤ 100); NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** What a load run comes to: throughput of accepted requests, latencies, errors by status. */
export interface LoadSummary {
  readonly requests: number;
  readonly ok: number;
  readonly errors: number;
  /** Count per failing status (`0` = network failure). */
  readonly errorsByStatus: Readonly<Record<string, number>>;
  readonly seconds: number;
  /** 2xx answers per second over the run. */
  readonly okPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export function summarize(run: LoadRun): LoadSummary {
  const ok = run.samples.filter((sample) => sample.ok).length;
  const errorsByStatus: Record<string, number> = {};
  for (const sample of run.samples) {
    if (!sample.ok) errorsByStatus[sample.status] = (errorsByStatus[sample.status] ?? 0) + 1;
  }
  const latencies = run.samples.map((sample) => sample.latencyMs);
  const seconds = (run.endedAt - run.startedAt) / 1000;
  return {
    requests: run.samples.length,
    ok,
    errors: run.samples.length - ok,
    errorsByStatus,
    seconds,
    okPerSecond: seconds > 0 ? ok / seconds : 0,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.reduce((max, value) => Math.max(max, value), 0),
  };
}
