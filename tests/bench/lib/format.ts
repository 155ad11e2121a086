import type { CpuUse } from './cpu';
import type { LoadSummary } from './load';

/**
 * How the benchmarks write their figures in docs/benchmarks.md and on the
 * terminal, so that every section reads alike.
 */

/** Operations per second, whole. */
export const rate = (value: number) => `${Math.round(value)}/s`;

/** Milliseconds: one decimal under 10, whole above; `–` for no value. */
export const ms = (value: number) =>
  Number.isNaN(value) ? '–' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

export const verdict = (pass: boolean) => (pass ? 'pass' : '**FAIL**');

/** `0`, or the failures by status (`network` for no answer). */
export const errorsText = (load: LoadSummary) =>
  load.errors === 0
    ? '0'
    : `${load.errors} (${Object.entries(load.errorsByStatus)
        .map(([status, count]) => `${status === '0' ? 'network' : status}: ${count}`)
        .join(', ')})`;

/** CPU seconds as a share of the wall time (one core is 100%). */
export const percent = (used: number | undefined, wallSeconds: number) =>
  used === undefined || wallSeconds <= 0 ? '?' : `${Math.round((used / wallSeconds) * 100)}%`;

/** Each process's CPU as a share of one core (two cores are 200%). */
export const cpuShareText = (cpu: CpuUse) =>
  [
    ...Object.entries(cpu.seconds).map(([name, used]) =>
      name === 'java' && cpu.busiestThread !== undefined
        ? `java ${percent(used, cpu.wallSeconds)} (busiest thread ${percent(cpu.busiestThread, cpu.wallSeconds)})`
        : `${name} ${percent(used, cpu.wallSeconds)}`,
    ),
    `other ${percent(cpu.other, cpu.wallSeconds)}`,
  ].join(', ');

/** CPU milliseconds per operation of the phase. */
export const cpuPerOperationText = (cpu: CpuUse, operations: number) =>
  Object.entries(cpu.seconds)
    .map(([name, used]) => `${name} ${used === undefined ? '?' : ((used * 1000) / operations).toFixed(2)} ms`)
    .join(', ');

/** CPU milliseconds of every measured process together per operation; undefined when one could not be read. */
export function totalCpuPerOperation(cpu: CpuUse, operations: number): number | undefined {
  const used = Object.values(cpu.seconds);
  if (used.some((value) => value === undefined) || operations === 0) return undefined;
  return (used.reduce<number>((sum, value) => sum + (value ?? 0), 0) * 1000) / operations;
}

/** A Markdown table of figure, value, goal, verdict; `|` in a cell is escaped. */
export function markdownTable(rows: readonly (readonly [string, string, string, string])[]): string[] {
  return [
    '| Figure | Value | Goal | Result |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`),
  ];
}
