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

/** CPU seconds per named process since the meter was made, and `other` for the rest of the machine. */
export interface CpuMeter {
  stop(): Record<string, number | undefined>;
}

/**
 * Starts measuring how the CPU time of `processes` (name → pid) grows.
 * @example
 * const meter = measureCpu({ java: 1234, bench: process.pid });
 * await work();
 * meter.stop(); // { java: 3.1, bench: 0.8, other: 0.1 }
 */
export function measureCpu(processes: Readonly<Record<string, number | undefined>>): CpuMeter {
  const read = (pid: number | undefined) => (pid === undefined ? undefined : cpuSecondsOf(pid));
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, read(pid)]));
  const machineBefore = machineBusySeconds();
  return {
    stop: () => {
      const used: Record<string, number | undefined> = Object.fromEntries(
        Object.entries(processes).map(([name, pid]) => {
          const start = before[name];
          const end = read(pid);
          return [name, start === undefined || end === undefined ? undefined : end - start];
        }),
      );
      const machineAfter = machineBusySeconds();
      const ours = Object.values(used);
      // Other processes on the machine (another test run, say) take cores from the measurement.
      used.other =
        machineBefore === undefined || machineAfter === undefined || ours.some((value) => value === undefined)
          ? undefined
          : Math.max(
              0,
              machineAfter - machineBefore - ours.reduce<number>((sum, value) => sum + (value ?? 0), 0),
            );
      return used;
    },
  };
}
