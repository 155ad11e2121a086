import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { TableAction } from '../../functions/shared/routes';
import type { IndexName } from '../../functions/shared/table';
import { TABLE } from '../../functions/shared/table';
import { QUEUED_JOB_HANDLERS, SCHEDULED_HANDLERS, STREAM_HANDLER, TOOLS } from '../../functions/tools';

/**
 * Each function's `indexes` (functions/tools.ts, each tool's `routes.ts`) is the
 * one source of its `dynamodb:Query` grant on the table's indexes. This test
 * keeps the declaration equal to the code: it bundles every function's entry
 * the way the stack does (esbuild, ESM, tree-shaken) and collects the index
 * names its bundle still spells. A name the code uses but the list lacks would
 * be refused by IAM in AWS only (DynamoDB Local checks no grant); a name the
 * list has but the code never uses is a grant nobody needs.
 *
 * The code names an index one way: the string literal of its name (`'GSI1'`,
 * typed `IndexName`), given as `IndexName: …` or to a helper (`indexPage`,
 * `indexCursor`, `mergedAfter`), which passes it on. So the bundle is searched
 * for that literal. The table's own declaration (functions/shared/table.ts,
 * which lists all four) is left out of the bundle, or every function reading
 * `TABLE` would seem to query every index; the test then checks that no code
 * reads an index's name out of `TABLE.indexes` instead of spelling it.
 *
 * This is an over-approximation: it finds the indexes the reachable code names,
 * not those a run certainly queries (a branch never taken still counts). That is
 * the safe side: a grant that is not strictly needed is better than a function
 * IAM refuses in production on the one path no test took.
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TABLE_MODULE = join(REPO_ROOT, 'functions/shared/table');

interface DeployedFunction {
  readonly kind: 'tool' | 'stream' | 'scheduled' | 'queued';
  readonly name: string;
  readonly entry: string;
  readonly tableActions: readonly TableAction[];
  readonly indexes: readonly IndexName[];
}

/** Every deployed function: its name, entry, grant and declared indexes. */
const FUNCTIONS: readonly DeployedFunction[] = [
  ...TOOLS.map((tool) => ({ kind: 'tool' as const, ...tool })),
  { kind: 'stream', ...STREAM_HANDLER },
  ...SCHEDULED_HANDLERS.map((handler) => ({ kind: 'scheduled' as const, ...handler })),
  ...QUEUED_JOB_HANDLERS.map((handler) => ({ kind: 'queued' as const, ...handler })),
];

/** Leaves functions/shared/table.ts out of the bundle (an external import), so its list of every index does not count. */
const tableDeclarationLeftOut: Plugin = {
  name: 'table-declaration-left-out',
  setup(plugin) {
    plugin.onResolve({ filter: /(^|\/)table(\.ts)?$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path).replace(/\.ts$/, '');
      return target === TABLE_MODULE ? { path: 'hromada-table-declaration', external: true } : undefined;
    });
  },
};

/** Each function's bundle, by its name: one esbuild call with every entry (each output is a whole bundle). */
async function bundles(): Promise<Map<string, string>> {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: FUNCTIONS.map((fn) => ({ in: fn.entry, out: `${fn.kind}-${fn.name}` })),
    outdir: join(REPO_ROOT, 'index-grants-out'),
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    treeShaking: true,
    packages: 'external',
    logLevel: 'silent',
    plugins: [tableDeclarationLeftOut],
  });
  return new Map(
    result.outputFiles.map((file) => [file.path.replace(/^.*[\\/]/, '').replace(/\.js$/, ''), file.text]),
  );
}

const INDEX_NAMES = new Set<string>(TABLE.indexes.map((index) => index.name));

/** The index names a bundle spells as string literals, in the table's order. */
function indexesNamedIn(bundle: string): IndexName[] {
  const named = new Set<string>();
  for (const match of bundle.matchAll(/["'`](GSI\d+)["'`]/g)) named.add(match[1]!);
  for (const name of named) expect(INDEX_NAMES, `"${name}" is not an index of TABLE`).toContain(name);
  return TABLE.indexes.map((index) => index.name).filter((name) => named.has(name));
}

describe('index grants: each function declares exactly the indexes its code queries', async () => {
  const bundled = await bundles();

  it('bundles every function', () => {
    expect(bundled.size).toBe(FUNCTIONS.length);
  });

  it.each(FUNCTIONS.map((fn) => [`${fn.kind} ${fn.name}`, fn] as const))('%s', (_, fn) => {
    const bundle = bundled.get(`${fn.kind}-${fn.name}`);
    expect(bundle, fn.entry).toBeDefined();
    // Reading a name out of the declaration would hide the index from this search.
    expect(bundle!.match(/\bTABLE\d*\.indexes\b(?!\.find\()/g) ?? [], fn.entry).toEqual([]);
    const declared = TABLE.indexes.map((index) => index.name).filter((name) => fn.indexes.includes(name));
    expect(declared, 'each index once, in the order of TABLE').toEqual(fn.indexes);
    if (!fn.tableActions.includes('dynamodb:Query')) {
      // Query is the one action that reads an index: without it the function queries nothing, whatever its
      // bundle spells (the docs function bundles every route table to describe it and runs no handler).
      expect(fn.indexes, `${fn.name} may not Query`).toEqual([]);
      return;
    }
    expect(fn.indexes, `${fn.name}: indexes its code names`).toEqual(indexesNamedIn(bundle!));
  });
});

describe('index grants: the search', () => {
  it('finds the literals of index names and nothing else', () => {
    const bundle = [
      'const page = { IndexName: "GSI2", KeyConditionExpression: "GSI2PK = :pk" };',
      'const key = { GSI4PK: community, GSI4SK: at + "#GSI3" };',
      "indexCursor('GSI1', partition);",
    ].join('\n');
    expect(indexesNamedIn(bundle)).toEqual(['GSI1', 'GSI2']);
  });
});
