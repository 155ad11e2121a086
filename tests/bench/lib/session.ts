import { loadavg } from 'node:os';
import type { ChildRuntime } from './child-runtime';
import { measureCpu } from './cpu';

const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

/** How busy the machine was before a benchmark: other test runs on the same cores make every figure low. */
export interface MachineLoad {
  /** Share of one core that other processes used over the sample (0.5 = half a core); undefined off Linux. */
  readonly share: number | undefined;
  /** The 1, 5 and 15 minute load averages at the end of the sample. */
  readonly loadAverage: readonly [number, number, number];
}

/**
 * Watches the machine for `ms` before anything of the benchmark runs.
 * @example const before = await machineLoadBefore(); // { share: 0.02, loadAverage: [0.3, 0.4, 0.5] }
 */
export async function machineLoadBefore(ms = 2_000): Promise<MachineLoad> {
  const meter = measureCpu({});
  await sleep(ms);
  const idle = meter.stop();
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return {
    share: idle.other === undefined ? undefined : idle.other / idle.wallSeconds,
    loadAverage: [one, five, fifteen],
  };
}

/**
 * Stops the child runtime; when it did not stop cleanly, says so on stderr
 * with the tail of its output and sets a failing exit code.
 */
export async function stopRuntime(runtime: ChildRuntime): Promise<void> {
  const stopped = await runtime.stop();
  if (stopped.exitCode !== 0 || stopped.leftBehind) {
    const left = stopped.leftBehind ? 'processes were left behind and have been killed' : 'nothing left';
    process.stderr.write(
      `The local runtime did not stop cleanly (exit ${stopped.exitCode}, ${left}):\n` +
        `${runtime.output().slice(-2000)}\n`,
    );
    process.exitCode = 1;
  }
}
