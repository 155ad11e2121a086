import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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

/** CPU seconds per named process since the meter was made. */
export interface CpuMeter {
  stop(): Record<string, number | undefined>;
}

/**
 * Starts measuring how the CPU time of `processes` (name → pid) grows.
 * @example
 * const meter = measureCpu({ java: 1234, bench: process.pid });
 * await work();
 * meter.stop(); // { java: 3.1, bench: 0.8 }
 */
export function measureCpu(processes: Readonly<Record<string, number | undefined>>): CpuMeter {
  const before = Object.fromEntries(
    Object.entries(processes).map(([name, pid]) => [name, pid === undefined ? undefined : cpuSecondsOf(pid)]),
  );
  return {
    stop: () =>
      Object.fromEntries(
        Object.entries(processes).map(([name, pid]) => {
          const start = before[name];
          const end = pid === undefined ? undefined : cpuSecondsOf(pid);
          return [name, start === undefined || end === undefined ? undefined : end - start];
        }),
      ),
  };
}
