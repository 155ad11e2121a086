import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Clock ticks per second of `/proc/<pid>/stat` times; 100 on every common Linux. */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) a process has used so far; undefined when it cannot be read. */
export function cpuSecondsOf(pid: number): number | undefined {
  if (pid === process.pid) {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of proc(5); the list here starts at field 3.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU seconds each thread of a process has used so far, by thread id; empty when it cannot be read. */
function threadSecondsOf(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  try {
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(thread, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
    }
  } catch {
    // The process or a thread ended while being read: what was read still counts.
  }
  return threads;
}

/**
 * Busy CPU seconds of the whole machine so far (every core, every process), from
 * `/proc/stat`; undefined when it cannot be read.
 */
export function machineBusySeconds(): number | undefined {
  try {
    const total = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // cpu  user nice system idle iowait irq softirq steal …: busy is all but idle and iowait.
    const [user, nice, system, , , irq, softirq, steal] = total.trim().split(/\s+/).slice(1).map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>(
      (sum, value) => sum + (value ?? 0),
      0,
    );
    return busy / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU seconds per named process since the meter was made. */
export interface CpuUse {
  /** Per process name; undefined when it could not be read. */
  readonly seconds: Readonly<Record<string, number | undefined>>;
  /** The busiest single thread of the process named in `busiestThreadOf`. */
  readonly busiestThread?: number;
  /** The rest of the machine: other processes (another test run, say) take cores from the measurement. */
  readonly other?: number;
  readonly wallSeconds: number;
}

export interface CpuMeter {
  stop(): CpuUse;
}

/**
 * Starts measuring how the CPU time of `processes` (name → pid) grows, and the
 * busiest thread of one of them (a server that runs its work on one thread is
 * bound by that thread, whatever the cores).
 * @example
 * const meter = measureCpu({ java: 1234, bench: process.pid }, 'java');
 * await work();
 * meter.stop(); // { seconds: { java: 3.1, bench: 0.8 }, busiestThread: 2.9, other: 0.1, wallSeconds: 3.3 }
 */
export function measureCpu(
  processes: Readonly<Record<string, number | undefined>>,
  busiestThreadOf?: string,
): CpuMeter {
  const read = (pid: number | undefined) => (pid === undefined ? undefined : cpuSecondsOf(pid));
  const watchedPid = busiestThreadOf === undefined ? undefined : processes[busiestThreadOf];
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, read(pid)]));
  const threadsBefore = watchedPid === undefined ? undefined : threadSecondsOf(watchedPid);
  const machineBefore = machineBusySeconds();
  const startedAt = performance.now();
  return {
    stop: () => {
      const seconds: Record<string, number | undefined> = Object.fromEntries(
        Object.entries(processes).map(([name, pid]) => {
          const start = before[name];
          const end = read(pid);
          return [name, start === undefined || end === undefined ? undefined : end - start];
        }),
      );
      const machineAfter = machineBusySeconds();
      const ours = Object.values(seconds);
      const other =
        machineBefore === undefined || machineAfter === undefined || ours.some((value) => value === undefined)
          ? undefined
          : Math.max(
              0,
              machineAfter - machineBefore - ours.reduce<number>((sum, value) => sum + (value ?? 0), 0),
            );
      const busiestThread =
        watchedPid === undefined || threadsBefore === undefined
          ? undefined
          : Math.max(
              0,
              ...[...threadSecondsOf(watchedPid)].map(
                ([thread, used]) => used - (threadsBefore.get(thread) ?? 0),
              ),
            );
      return {
        seconds,
        ...(busiestThread === undefined ? {} : { busiestThread }),
        ...(other === undefined ? {} : { other }),
        wallSeconds: (performance.now() - startedAt) / 1000,
      };
    },
  };
}
