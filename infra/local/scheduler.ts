import { jsonLog, type Log } from './bus';

/** A scheduled handler as the local runtime runs it. */
export interface ScheduledJob {
  readonly name: string;
  readonly run: () => Promise<void>;
  readonly everyMs: number;
}

export interface Scheduler {
  /** Starts one timer per job; the first run is one period after start, as with an EventBridge rate. */
  start(): void;
  /** Clears the timers and waits for runs in progress to finish. */
  stop(): Promise<void>;
  /** Runs a job at once (or joins its run in progress) and resolves when it has finished. */
  runNow(name: string): Promise<void>;
}

/** Thrown by {@link Scheduler.runNow} for a name no job has. */
export class UnknownJobError extends Error {
  override readonly name = 'UnknownJobError';
  constructor(readonly jobName: string) {
    super(`No scheduled job is named "${jobName}"`);
  }
}

/**
 * Timers for the scheduled handlers (closing expired petitions, phase changes).
 * A run never overlaps itself: a tick that comes while the job is still running
 * is skipped, as a second copy would only race the first over the same items.
 * A run that fails is logged and the job keeps its schedule.
 * @example
 * const scheduler = createScheduler([{ name: 'close-petitions', everyMs: 60_000, run: closePetitions }]);
 * scheduler.start();
 */
export function createScheduler(jobs: readonly ScheduledJob[], log: Log = jsonLog): Scheduler {
  const running = new Map<string, Promise<void>>();
  const timers: NodeJS.Timeout[] = [];

  const runJob = (job: ScheduledJob): Promise<void> => {
    const inProgress = running.get(job.name);
    if (inProgress) return inProgress;
    const startedAt = Date.now();
    const run = (async () => {
      try {
        await job.run();
        log({ level: 'info', msg: 'scheduled job done', job: job.name, ms: Date.now() - startedAt });
      } catch (error) {
        log({ level: 'error', msg: 'scheduled job failed', job: job.name, error });
      } finally {
        running.delete(job.name);
      }
    })();
    running.set(job.name, run);
    return run;
  };

  return {
    start() {
      if (timers.length > 0) return;
      for (const job of jobs) {
        const timer = setInterval(() => {
          if (running.has(job.name)) {
            log({ level: 'warn', msg: 'scheduled job still running; tick skipped', job: job.name });
            return;
          }
          void runJob(job);
        }, job.everyMs);
        // The timers alone must not keep the process alive (tests, Ctrl-C).
        timer.unref();
        timers.push(timer);
      }
    },
    async stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      await Promise.all(running.values());
    },
    runNow(name) {
      const job = jobs.find((candidate) => candidate.name === name);
      if (!job) return Promise.reject(new UnknownJobError(name));
      return runJob(job);
    },
  };
}
