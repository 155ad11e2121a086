import { budgetsBenchmark } from './budgets';
import { type Benchmark, BenchUsageError } from './lib/benchmark';
import { requestsBenchmark } from './requests';
import { budgetRulesBenchmark } from './rules';
import { signaturesBenchmark } from './signatures';

/**
 * `npm run bench -- <name>`: runs one benchmark. Exits 0 when the run completed
 * (a missed goal is a result, printed and written to docs/benchmarks.md),
 * 1 when the run itself broke, 2 for an unknown name or a bad setting.
 */
const BENCHMARKS: readonly Benchmark[] = [
  signaturesBenchmark,
  budgetsBenchmark,
  budgetRulesBenchmark,
  requestsBenchmark,
];

function usage(): string {
  const width = Math.max(...BENCHMARKS.map((benchmark) => benchmark.name.length));
  return [
    'Usage: npm run bench -- <name>',
    '',
    'Benchmarks:',
    ...BENCHMARKS.flatMap((benchmark) => [
      `  ${benchmark.name.padEnd(width)}  ${benchmark.summary}`,
      `  ${''.padEnd(width)}  sizes: ${benchmark.settings.join(' ')}`,
    ]),
    '',
  ].join('\n');
}

const name = process.argv[2];
if (name === '--help' || name === '-h') {
  process.stdout.write(usage());
  process.exit(0);
}
const benchmark = BENCHMARKS.find((candidate) => candidate.name === name);
if (!benchmark) {
  process.stderr.write(`${name ? `No benchmark named "${name}".\n\n` : ''}${usage()}`);
  process.exit(2);
}

try {
  await benchmark.run();
} catch (error) {
  if (error instanceof BenchUsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `The ${benchmark.name} benchmark broke: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
// Kept-alive sockets or SDK timers must not hold the process open after the report.
process.exit(process.exitCode ?? 0);
