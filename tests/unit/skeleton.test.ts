import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The skeleton of docs/architecture.md, kept: one retry loop (the runner's),
 * the clock injected, `version_conflict` built once, `Location` from the route
 * table, and files small enough to read.
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Repository-relative paths (with `/`) of the `.ts` files under `folder`. */
const typeScriptFiles = (folder: string): string[] =>
  readdirSync(join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => posix.join(folder, file.replaceAll('\\', '/')))
    .sort();

const FUNCTIONS = typeScriptFiles('functions');
const DOMAIN = typeScriptFiles('domain');

const source = (file: string): string => readFileSync(join(REPO_ROOT, file), 'utf8');

/** The files of functions/ (or `files`) whose source matches `pattern`, except `allowed`. */
const matching = (pattern: RegExp, allowed: readonly string[] = [], files = FUNCTIONS): string[] =>
  files.filter((file) => !allowed.includes(file) && pattern.test(source(file)));

const RUNNER = 'functions/shared/use-case.ts';

describe('the skeleton of functions/', () => {
  it('finds the files, so that the checks below are not vacuous', () => {
    expect(FUNCTIONS).toContain(RUNNER);
    expect(FUNCTIONS.length).toBeGreaterThan(50);
  });

  it('keeps every file under 500 lines', () => {
    const long = FUNCTIONS.map((file) => [file, source(file).split('\n').length] as const).filter(
      ([, lines]) => lines > 500,
    );
    expect(long).toEqual([]);
  });

  it('has one retry loop: the runner’s (`retrying`); nobody else pauses and tries again', () => {
    expect(matching(/for\s*\(\s*let\s+(?:attempt|round|misses|tries|tryNumber)\b/, [RUNNER])).toEqual([]);
    expect(matching(/while\s*\([^)]*\b(?:attempt|misses|tries)/, [RUNNER])).toEqual([]);
    // Whoever pauses between tries does it inside `retrying` (its `pause`), with the runner's jitter.
    expect(matching(/setTimeout\([^)]*Math\.random/, [RUNNER])).toEqual([]);
    // A bound on attempts is a policy handed to `retrying`, not a loop of its own.
    const bounded = matching(/\bconst\s+(?:[A-Z_]+_)?ATTEMPTS\s*=/);
    expect(bounded.filter((file) => !/\bretrying[<(]/.test(source(file)))).toEqual([]);
    // A batch's unprocessed items or keys are sent again inside `retrying`, bounded, never in a loop of their own.
    expect(matching(/while\s*\([^)]*\b(?:pending|unprocessed)/i, [RUNNER])).toEqual([]);
    const resending = matching(/\bUnprocessed(?:Items|Keys)\b/);
    expect(resending.filter((file) => !/\bretrying[<(]/.test(source(file)))).toEqual([]);
  });

  it('builds version_conflict in one place', () => {
    const builder = 'domain/shared/conflict.ts';
    expect(DOMAIN).toContain(builder);
    expect(
      matching(
        /code:\s*'version_conflict'|fail\(\s*'version_conflict'/,
        [builder],
        [...FUNCTIONS, ...DOMAIN],
      ),
    ).toEqual([]);
  });

  it('reads the wall clock only through the injected Clock', () => {
    // http.ts times requests for the log (a duration, not a business time).
    expect(
      matching(/new Date\(\)|Date\.now\(\)/, [
        'functions/shared/ids.ts',
        'functions/shared/log.ts',
        'functions/shared/http.ts',
      ]),
    ).toEqual([]);
  });

  it('builds Location headers from the route table, never by hand', () => {
    expect(matching(/\blocation:\s*`/, [])).toEqual([]);
  });

  it("does not duck-type rejections with `'code' in`", () => {
    expect(matching(/'code' in /)).toEqual([]);
  });
});
