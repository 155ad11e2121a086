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
