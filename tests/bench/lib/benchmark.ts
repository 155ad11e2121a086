/** A benchmark that `npm run bench -- <name>` can run. */
export interface Benchmark {
  readonly name: string;
  /** One line for the usage text. */
  readonly summary: string;
  /** The environment variables that change its sizes, with their defaults (`BENCH_SIGNERS=5000`). */
  readonly settings: readonly string[];
  /**
   * Runs the whole measurement and reports it. Resolves even when a goal is
   * missed (that is a result); rejects only when the run itself broke.
   */
  run(): Promise<void>;
}

/** Thrown for a setting the benchmark cannot use (a bad `BENCH_*` value); the runner exits with 2. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

/**
 * A positive whole number from the environment, or `fallback` when unset.
 * @example const signers = sizeFromEnv('BENCH_SIGNERS', 5000);
 */
export function sizeFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new BenchUsageError(`${name} must be a whole number of at least 1, not "${raw}".`);
  }
  return value;
}
