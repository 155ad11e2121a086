import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EventEnvelope } from '../../events/envelope';
import { jsonLog, type LocalBus, type Log } from './bus';

/** A long job as the local runtime runs it (the fields of `QUEUED_JOB_HANDLERS` it needs). */
export interface QueuedJob {
  readonly name: string;
  /** Module exporting `runJob` and `failJob` ({@link QueuedJobModule}), relative to the repository root. */
  readonly entry: string;
  /** The event names that start a run. */
  readonly events: readonly string[];
  readonly timeoutMinutes: number;
}

/** What a queued job's module exports for the local runtime (in AWS its `handler` is fed by SQS). */
export interface QueuedJobModule {
  /** Runs the event's job; it records its own outcome (done or failed) and throws only when it could not. */
  runJob(event: EventEnvelope, options: { timeLimitMs: number }): Promise<unknown>;
  /** Records that the event's job failed; the module turns the failure into the reason its readers see. */
  failJob(event: EventEnvelope, failure: JobFailure): Promise<void>;
}

/**
 * Why the runtime ended a job: `out_of_time` when it ran past its time limit or
 * the runtime stopped before it finished; `failed` when its worker died or it
 * threw. `detail` says what happened, for whoever looks into it.
 */
export interface JobFailure {
  readonly kind: 'out_of_time' | 'failed';
  readonly detail?: string;
}

/** A message to the worker: run this job. */
export interface JobRequest {
  readonly id: number;
  readonly entry: string;
  readonly event: EventEnvelope;
  readonly timeLimitMs: number;
}

/**
 * The worker's answers to a {@link JobRequest}: `started` once the job's module
 * is loaded (the time limit starts then, as Lambda's timeout leaves out the
 * module's initialisation), then the outcome.
 */
export type JobResponse =
  | { readonly id: number; readonly started: true }
  | { readonly id: number; readonly ok: true; readonly outcome: string }
  | { readonly id: number; readonly ok: false; readonly error: string };

export interface JobRunner {
  /** Queues the job of `event`; returns at once (the bus, and so the stream poller, never wait for a job). */
  enqueue(job: QueuedJob, event: EventEnvelope): void;
  /** Whether a job is queued or running. */
  readonly busy: boolean;
  /** Resolves once no job is queued or running. */
  idle(): Promise<void>;
  /** Stops the worker; jobs still queued or running are marked failed (best effort). */
  stop(): Promise<void>;
}

export interface JobRunnerOptions {
  /** The repository root: entries are relative to it. */
  readonly root: string;
  readonly log?: Log;
  /** Overrides every job's own time limit (`timeoutMinutes`); tests use a short one. */
  readonly timeLimitMs?: number;
}

/** The runtime stopped before the job finished (its detail, as the job is out of time). */
const STOPPED: JobFailure = {
  kind: 'out_of_time',
  detail: 'the local runtime stopped before the job finished',
};

/** tsx's loader, resolved from here so that the worker finds it whatever the working directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * The local stand-in for a queued job's function: jobs run one at a time in a
 * worker thread (TypeScript loaded by tsx, as `npm start` loads the runtime),
 * off the event loop of the HTTP server and the stream poller. The worker is
 * started with the first job and kept for the next.
 *
 * A job ends `failed` with a reason, never silently and never retried: the
 * job's module records its own errors; when the job runs past its time limit
 * the worker is terminated (as Lambda stops a function) and the runner records
 * the failure through the module's `failJob`; so too when the worker dies or
 * the runtime stops.
 * @example
 * const runner = createJobRunner({ root: REPOSITORY_ROOT });
 * subscribeJobs(bus, runner, QUEUED_JOB_HANDLERS);
 * await runner.idle();
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const log = options.log ?? jsonLog;
  const queue: { job: QueuedJob; event: EventEnvelope }[] = [];
  const waiting: (() => void)[] = [];
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let stopping = false;
  let nextId = 0;
  /** Per worker, how to end its job in progress with a reason, when the worker has to go. */
  const interrupts = new Map<Worker, (failure: JobFailure) => void>();

  const moduleOf = (job: QueuedJob) =>
    import(pathToFileURL(resolve(options.root, job.entry)).href) as Promise<QueuedJobModule>;

  const fail = async (job: QueuedJob, event: EventEnvelope, failure: JobFailure) => {
    log({ level: 'error', msg: 'job failed', job: job.name, id: event.id, ...failure });
    try {
      await (await moduleOf(job)).failJob(event, failure);
    } catch (error) {
      log({ level: 'error', msg: 'could not record a failed job', job: job.name, id: event.id, error });
    }
  };

  const startWorker = (): Worker => {
    const started = new Worker(new URL('./job-worker.ts', import.meta.url), {
      execArgv: ['--import', TSX_LOADER],
      // A copy of the environment as it is now: the handlers read the table and endpoint from it.
      env: { ...process.env },
      workerData: { root: options.root },
    });
    // A runtime left running must not keep its process alive for the worker alone.
    started.unref();
    started.on('error', (error) =>
      interrupts.get(started)?.({ kind: 'failed', detail: `the job's worker failed: ${error.message}` }),
    );
    started.on('exit', (code) => {
      if (worker === started) worker = undefined;
      interrupts.get(started)?.(
        stopping ? STOPPED : { kind: 'failed', detail: `the job's worker stopped (exit code ${code})` },
      );
    });
    return started;
  };

  const runOne = (job: QueuedJob, event: EventEnvelope): Promise<void> => {
    worker ??= startWorker();
    const current = worker;
    nextId += 1;
    const id = nextId;
    const timeLimitMs = options.timeLimitMs ?? job.timeoutMinutes * 60_000;
    const startedAt = Date.now();
    return new Promise<void>((settled) => {
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (failure?: JobFailure) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        current.off('message', onMessage);
        interrupts.delete(current);
        if (failure) void fail(job, event, failure).then(settled);
        else settled();
      };
      const onMessage = (response: JobResponse) => {
        if (response.id !== id) return;
        if ('started' in response) {
          // Like Lambda at its timeout: the computation is stopped, whatever it is doing.
          timer = setTimeout(() => {
            finish({ kind: 'out_of_time' });
            if (worker === current) worker = undefined;
            void current.terminate();
          }, timeLimitMs);
        } else if (response.ok) {
          log({
            level: 'info',
            msg: 'job done',
            job: job.name,
            outcome: response.outcome,
            ms: Date.now() - startedAt,
          });
          finish();
        } else {
          finish({ kind: 'failed', detail: response.error });
        }
      };
      interrupts.set(current, finish);
      current.on('message', onMessage);
      current.postMessage({ id, entry: job.entry, event, timeLimitMs } satisfies JobRequest);
    });
  };

  const pump = () => {
    if (running || stopping) return;
    const next = queue.shift();
    if (!next) {
      for (const wake of waiting.splice(0)) wake();
      return;
    }
    running = runOne(next.job, next.event).finally(() => {
      running = undefined;
      pump();
    });
  };

  return {
    enqueue(job, event) {
      if (stopping) return;
      queue.push({ job, event });
      pump();
    },
    get busy() {
      return running !== undefined || queue.length > 0;
    },
    idle() {
      if (!running && queue.length === 0) return Promise.resolve();
      return new Promise((wake) => waiting.push(wake));
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      const dropped = queue.splice(0);
      await worker?.terminate();
      await running;
      for (const { job, event } of dropped) await fail(job, event, STOPPED);
      for (const wake of waiting.splice(0)) wake();
    },
  };
}

/** Hands every event that starts a queued job to the runner, as the EventBridge rules do in AWS. */
export function subscribeJobs(bus: LocalBus, runner: JobRunner, jobs: readonly QueuedJob[]): () => void {
  const unsubscribes = jobs.flatMap((job) =>
    job.events.map((name) => bus.subscribe(name, (event) => runner.enqueue(job, event))),
  );
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
