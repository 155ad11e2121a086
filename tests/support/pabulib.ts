import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The pabulib instances of the team's shared data (see their README), copied
 * into the repository so that a clean clone tests on its own; `PABULIB_DIR`
 * points elsewhere, e.g. at a bigger collection.
 */
export const PABULIB_DIR = process.env.PABULIB_DIR ?? join(import.meta.dirname, '../fixtures/pabulib');

/** The names of the `.pb` files there, sorted. */
export function pabulibFiles(): string[] {
  return readdirSync(PABULIB_DIR)
    .filter((file) => file.endsWith('.pb'))
    .sort();
}

/** The exact text of one of them. */
export function pabulibText(file: string): string {
  return readFileSync(join(PABULIB_DIR, file), 'utf8');
}

/**
 * What an earlier, independent implementation of the rules gave on one of
 * the repository's pabulib files with every cost and the budget ×`scale`
 * (see `tests/fixtures/pabulib/reference-results.json`): the greedy
 * selection, and for approval files equal shares with add1 — its selection,
 * cost, increment, final share (`n/d`) and the SHA-256 of what each voter
 * keeps, written `n/d` and joined by commas.
 */
export interface ReferenceResult {
  readonly file: string;
  readonly scale: number;
  readonly greedy: readonly string[];
  readonly equalShares?: readonly string[];
  readonly cost?: string;
  readonly increment?: string;
  readonly share?: string;
  readonly remainingSha256?: string;
}

const REFERENCE_RESULTS = join(import.meta.dirname, '../fixtures/pabulib/reference-results.json');

/** The reference result of `file` ×`scale`; throws when there is none, so that a new file gets one. */
export function referenceResult(file: string, scale: number): ReferenceResult {
  const results = JSON.parse(readFileSync(REFERENCE_RESULTS, 'utf8')) as ReferenceResult[];
  const found = results.find((result) => result.file === file && result.scale === scale);
  if (!found) throw new Error(`reference-results.json has no result for ${file} ×${scale}.`);
  return found;
}

/** From this many ballots on, a file is city-sized: stepping add1 through it ×100 takes minutes. */
export const CITY_SIZED_BALLOTS = 5_000;
