import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogLine } from '../../../infra/local/bus';
import { createScheduler, type Scheduler, UnknownJobError } from '../../../infra/local/scheduler';

/** A run that ends only when the test says so. */
function controllable() {
  let finish: () => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const run = vi.fn(
    () =>
      new Promise<void>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      }),
  );
  return { run, finish: () => finish(), fail: (error: Error) => fail(error) };
}

let scheduler: Scheduler | undefined;
const lines: LogLine[] = [];
const log = (line: LogLine) => void lines.push(line);

beforeEach(() => {
  vi.useFakeTimers();
  lines.length = 0;
});

afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  vi.useRealTimers();
});

describe('the scheduler', () => {
  it('runs each job once per period after start, not at start', async () => {
    const run = vi.fn(async () => undefined);
    scheduler = createScheduler([{ name: 'close-petitions', everyMs: 1_000, run }], log);

    scheduler.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_001);

    expect(run).toHaveBeenCalledTimes(3);
  });

  it('never overlaps a run with itself: ticks during a run are skipped', async () => {
    const job = controllable();
    scheduler = createScheduler([{ name: 'slow', everyMs: 100, run: job.run }], log);

    scheduler.start();
    await vi.advanceTimersByTimeAsync(450);
    expect(job.run).toHaveBeenCalledTimes(1);
    job.finish();
    await vi.advanceTimersByTimeAsync(100);
    job.finish();

    expect(job.run).toHaveBeenCalledTimes(2);
    expect(lines.filter((line) => line.msg.includes('tick skipped'))).toHaveLength(3);
  });

  it('joins a run in progress when asked to run now, instead of starting another', async () => {
    const job = controllable();
    scheduler = createScheduler([{ name: 'slow', everyMs: 60_000, run: job.run }], log);

    const first = scheduler.runNow('slow');
    const second = scheduler.runNow('slow');
    job.finish();
    await Promise.all([first, second]);

    expect(job.run).toHaveBeenCalledTimes(1);
  });

  it('logs a failed run and keeps the schedule', async () => {
    let calls = 0;
    const run = vi.fn(async () => {
      calls += 1;
      if (calls === 1) throw new Error('the table is unavailable');
    });
    scheduler = createScheduler([{ name: 'phases', everyMs: 100, run }], log);

    scheduler.start();
    await vi.advanceTimersByTimeAsync(200);

    expect(run).toHaveBeenCalledTimes(2);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'scheduled job failed', job: 'phases' }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'info', msg: 'scheduled job done', job: 'phases' }),
    );
  });

  it('runs each job on its own timer', async () => {
    const fast = vi.fn(async () => undefined);
    const slow = vi.fn(async () => undefined);
    scheduler = createScheduler(
      [
        { name: 'fast', everyMs: 100, run: fast },
        { name: 'slow', everyMs: 300, run: slow },
      ],
      log,
    );

    scheduler.start();
    await vi.advanceTimersByTimeAsync(600);

    expect(fast).toHaveBeenCalledTimes(6);
    expect(slow).toHaveBeenCalledTimes(2);
  });

  it('stops its timers and waits for the run in progress', async () => {
    const job = controllable();
    scheduler = createScheduler([{ name: 'slow', everyMs: 100, run: job.run }], log);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(100);

    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    job.finish();
    await stopping;
    await vi.advanceTimersByTimeAsync(1_000);

    expect(stopped).toBe(true);
    expect(job.run).toHaveBeenCalledTimes(1);
  });

  it('refuses to run a job it does not know', async () => {
    scheduler = createScheduler([], log);

    await expect(scheduler.runNow('nope')).rejects.toBeInstanceOf(UnknownJobError);
  });
});
