import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { text } from '../../../domain/shared/localized';
import { PROBLEM_CODES } from '../../../domain/shared/problem-codes';
import { createHttpHandler } from '../../../functions/shared/http';
import { PROBLEM_TYPES } from '../../../functions/shared/problems';
import { defineRoute, documentedProblems, type ToolDefinition } from '../../../functions/shared/routes';
import { TOOLS } from '../../../functions/tools';

// Problem codes are typed end to end: the domain's list, the HTTP table and every route's `errors`.

describe('the problem table', () => {
  it('maps every code of the domain, and nothing else', () => {
    expect(Object.keys(PROBLEM_TYPES).sort()).toEqual([...PROBLEM_CODES].sort());
  });

  it('lists each code once', () => {
    expect(new Set(PROBLEM_CODES).size).toBe(PROBLEM_CODES.length);
  });

  it('documents, on every route, only codes the table maps', () => {
    for (const tool of TOOLS)
      for (const route of tool.routes)
        for (const code of documentedProblems(route))
          expect(PROBLEM_CODES, `${route.operationId}`).toContain(code);
  });
});

/** A tool of one public route that answers `code`, documenting only `forbidden`. */
const toolAnswering = (code: 'forbidden' | 'already_answered'): ToolDefinition => ({
  name: 'probe',
  entry: 'tests/unit/shared/problem-codes.test.ts',
  tableActions: [],
  indexes: [],
  routes: [
    defineRoute({
      method: 'GET',
      path: '/v1/probe',
      auth: 'public',
      operationId: 'probe',
      summary: 'Answers one rejection',
      responses: { 200: { description: 'Never' } },
      errors: ['forbidden'],
      handle: async () => ({ error: { code, message: text('Ні.', 'No.') } }),
    }),
  ],
});

const event = {
  routeKey: 'GET /v1/probe',
  rawPath: '/v1/probe',
  headers: { 'accept-language': 'en' },
  requestContext: { requestId: 'probe-1', http: { method: 'GET', path: '/v1/probe' } },
};

async function status(tool: ToolDefinition, strict: string): Promise<number | undefined> {
  process.env.STRICT_PROBLEMS = strict;
  process.env.TABLE_NAME ??= 'unused';
  const result = await createHttpHandler(tool)(structuredClone(event) as never, {} as Context);
  return typeof result === 'object' ? result.statusCode : undefined;
}

describe('a route answering a code it does not document', () => {
  const saved = { strict: process.env.STRICT_PROBLEMS, level: process.env.LOG_LEVEL };
  beforeEach(() => {
    process.env.LOG_LEVEL = 'silent';
  });
  afterEach(() => {
    if (saved.strict === undefined) delete process.env.STRICT_PROBLEMS;
    else process.env.STRICT_PROBLEMS = saved.strict;
    if (saved.level === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved.level;
  });

  it('answers a documented code with its own status', async () => {
    expect(await status(toolAnswering('forbidden'), '1')).toBe(403);
  });

  it('is a 500 outside AWS (strict), so that the test that reaches it fails', async () => {
    expect(await status(toolAnswering('already_answered'), '1')).toBe(500);
  });

  it('still answers the code in AWS (not strict), where the mismatch is only logged', async () => {
    expect(await status(toolAnswering('already_answered'), '0')).toBe(409);
  });
});
