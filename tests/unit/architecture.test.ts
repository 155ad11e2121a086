import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering of ARCHITECTURE.md, enforced: `domain/` and `events/` stay pure
 * (no AWS, no middy, no node I/O, nothing from `functions/` or `infra/`), and
 * `events/` needs nothing but zod.
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Repository-relative paths (with `/`) of the `.ts` files under `folder`. */
function typeScriptFiles(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => posix.join(folder, file.replaceAll('\\', '/')))
    .sort();
}

/**
 * The source without comments, so that an `@example` in a TSDoc block is not
 * read as an import. Strings are kept whole: `'@aws-sdk/*'` does not open a comment.
 */
function withoutComments(source: string): string {
  let kept = '';
  let quote: string | undefined;
  for (let index = 0; index < source.length; index++) {
    const char = source[index] as string;
    const next = source[index + 1];
    if (quote) {
      kept += char;
      if (char === '\\') kept += source[++index] ?? '';
      else if (char === quote) quote = undefined;
    } else if (char === '/' && next === '/') {
      while (index < source.length && source[index] !== '\n') index++;
      kept += '\n';
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', index + 2);
      index = end === -1 ? source.length : end + 1;
      kept += ' ';
    } else {
      if (char === "'" || char === '"' || char === '`') quote = char;
      kept += char;
    }
  }
  return kept;
}

const IMPORT_PATTERNS = [
  // import x from 'm'; import type { a,\n b } from 'm'; export * from 'm'; export { a } from 'm'
  /\b(?:import|export)\b[^'"`;]*?\bfrom\s*(['"])([^'"]+)\1/g,
  // import 'm'; import('m'); await import ('m')
  /\bimport\s*\(?\s*(['"])([^'"]+)\1/g,
  // require('m'); import x = require('m')
  /\brequire\s*\(\s*(['"])([^'"]+)\1\s*\)/g,
];

/** Every module specifier a source file imports, re-exports, requires or imports dynamically. */
function importsOf(source: string): string[] {
  const code = withoutComments(source);
  return [
    ...new Set(
      IMPORT_PATTERNS.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[2] as string)),
    ),
  ];
}

/** Node built-ins that reach outside the process: files, network, processes, threads. */
const NODE_IO_MODULES = new Set([
  'fs',
  'http',
  'http2',
  'https',
  'net',
  'tls',
  'dgram',
  'dns',
  'child_process',
  'worker_threads',
  'cluster',
]);

/** Where a relative specifier of `fromFile` leads, relative to the repository root. */
const targetOf = (specifier: string, fromFile: string): string =>
  posix.normalize(posix.join(posix.dirname(fromFile), specifier));

const isRelative = (specifier: string): boolean => specifier.startsWith('./') || specifier.startsWith('../');

/** Why `domain/` may not import `specifier`, or `undefined` when it may. */
function domainViolation(specifier: string, fromFile: string): string | undefined {
  if (/^(?:@aws-sdk\/|aws-sdk(?:\/|$)|aws-lambda$|@aws-lambda-powertools\/)/.test(specifier)) return 'AWS';
  if (specifier.startsWith('@middy/')) return 'middy';
  if (/^(?:aws-cdk-lib|constructs)(?:\/|$)/.test(specifier)) return 'the CDK';
  const builtin = specifier.replace(/^node:/, '').split('/')[0] as string;
  if (NODE_IO_MODULES.has(builtin)) return 'node I/O';
  if (isRelative(specifier) && /^(?:functions|infra)\//.test(targetOf(specifier, fromFile))) {
    return 'an outer layer (functions/ or infra/)';
  }
  return undefined;
}

/** Why `events/` may not import `specifier`: it may import zod and other `events/` files, nothing else. */
function eventsViolation(specifier: string, fromFile: string): string | undefined {
  if (specifier === 'zod' || specifier.startsWith('zod/')) return undefined;
  if (isRelative(specifier) && targetOf(specifier, fromFile).startsWith('events/')) return undefined;
  return domainViolation(specifier, fromFile) ?? 'anything but zod and events/';
}

type Rule = (specifier: string, fromFile: string) => string | undefined;

/** `file: 'specifier' (reason)` for each import of `source` that `rule` refuses. */
function violations(file: string, source: string, rule: Rule): string[] {
  return importsOf(source).flatMap((specifier) => {
    const reason = rule(specifier, file);
    return reason ? [`${file}: '${specifier}' (${reason})`] : [];
  });
}

const read = (file: string): string => readFileSync(join(REPO_ROOT, file), 'utf8');

describe('the import matcher', () => {
  it.each([
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    'import {\n  GetCommand,\n  type PutCommandInput,\n} from "@aws-sdk/lib-dynamodb";',
    "import type { APIGatewayProxyEventV2 } from 'aws-lambda';",
    "import middy from '@middy/core';",
    "import { Stack } from 'aws-cdk-lib';",
    "import { Table } from 'aws-cdk-lib/aws-dynamodb';",
    "import type { Construct } from 'constructs';",
    "import { readFile } from 'node:fs/promises';",
    "import * as fs from 'fs';",
    "import http from 'node:http';",
    "import { request } from 'https';",
    "import { spawn } from 'node:child_process';",
    "import 'node:net';",
    "const dns = await import('node:dns');",
    "const { Worker } = require('worker_threads');",
    "export { handler } from '../../functions/shared/http';",
    "export * from '../../infra/aws/app';",
    "const url = 'https://example.org'; import { x } from '../../functions/tools';",
  ])('flags %j in domain/', (source) => {
    expect(violations('domain/petitions/petition.ts', source, domainViolation)).toHaveLength(1);
  });

  it.each([
    "import { z } from 'zod';",
    "import type { Actor } from '../identity/actor';",
    "import { envelope } from '../../events/envelope';",
    "import { createHash } from 'node:crypto';",
    "import { helpers } from './fs';",
    "import { functionsOf } from './functions/list';",
    "// import { readFile } from 'node:fs';",
    "/** @example import middy from '@middy/core' */",
    "const glob = '@aws-sdk/*'; import { z } from 'zod';",
    "const moduleName = 'node:fs';",
  ])('lets %j through in domain/', (source) => {
    expect(violations('domain/petitions/petition.ts', source, domainViolation)).toEqual([]);
  });

  it('names the file and the import it refuses', () => {
    expect(violations('domain/a/b.ts', "import { x } from 'node:fs';", domainViolation)).toEqual([
      "domain/a/b.ts: 'node:fs' (node I/O)",
    ]);
  });

  it.each([
    ["import { z } from 'zod';", 0],
    ["import { envelope } from './envelope';", 0],
    ["import { text } from '../domain/shared/localized';", 1],
    ["import { ulid } from 'ulid';", 1],
    ["import { createHash } from 'node:crypto';", 1],
    ["import { DynamoDBClient } from '@aws-sdk/client-dynamodb';", 1],
  ])('in events/, %j gives %i violations', (source, count) => {
    expect(violations('events/petitions.ts', source, eventsViolation)).toHaveLength(count);
  });
});

describe('the layers', () => {
  const domainFiles = typeScriptFiles('domain');
  const eventsFiles = typeScriptFiles('events');

  it('finds the files and their imports, so that the checks below are not vacuous', () => {
    expect(domainFiles.length).toBeGreaterThan(0);
    expect(eventsFiles.length).toBeGreaterThan(0);
    expect(domainFiles.flatMap((file) => importsOf(read(file))).length).toBeGreaterThan(0);
    expect(eventsFiles.flatMap((file) => importsOf(read(file)))).toContain('zod');
  });

  it('keeps domain/ free of AWS, middy, the CDK, node I/O and the outer layers', () => {
    expect(domainFiles.flatMap((file) => violations(file, read(file), domainViolation))).toEqual([]);
  });

  it('lets events/ import only zod and other events/ files', () => {
    expect(eventsFiles.flatMap((file) => violations(file, read(file), eventsViolation))).toEqual([]);
  });
});

describe('the test suite', () => {
  /** A call to `only`, `skip` or `todo` on a test, a suite or a test's context: each hides tests from the run. */
  const EXCLUSION = /\.(?:only|skip|todo)\s*\(/;

  it.each([
    [`it.${'only'}('runs alone', () => {})`, true],
    [`describe.${'skip'}('is hidden', () => {})`, true],
    [`test.${'todo'} ('is empty')`, true],
    [`describe.concurrent.${'only'}('x', () => {})`, true],
    ["it('runs', () => {})", false],
    ["it.each([1])('runs %i', () => {})", false],
    ['const skipped = items.filter(isSkippable);', false],
  ])('reads %j as excluding a test: %s', (source, excludes) => {
    expect(EXCLUSION.test(source)).toBe(excludes);
  });

  it('has no focused, skipped or todo tests', () => {
    const excluding = typeScriptFiles('tests').filter((file) => EXCLUSION.test(read(file)));
    expect(excluding).toEqual([]);
  });
});
