import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER } from '../../../functions/shared/config';
import { createHttpHandler } from '../../../functions/shared/http';
import { defineRoute, type ToolDefinition } from '../../../functions/shared/routes';

// Behind CloudFront and its WAF (hromada:waf), a request straight to the execute-api endpoint
// would go around the per-IP limit: the handlers refuse a request without CloudFront's header.

let reached = 0;

const tool: ToolDefinition = {
  name: 'probe',
  entry: 'tests/unit/shared/origin-verify.test.ts',
  tableActions: [],
  indexes: [],
  routes: [
    defineRoute({
      method: 'GET',
      path: '/v1/probe',
      auth: 'public',
      operationId: 'probe',
      summary: 'Answers 200',
      responses: { 200: { description: 'Reached' } },
      handle: async () => {
        reached += 1;
        return { status: 200, body: { ok: true } };
      },
    }),
  ],
};

async function call(headers: Record<string, string>) {
  const event = {
    routeKey: 'GET /v1/probe',
    rawPath: '/v1/probe',
    headers: { 'accept-language': 'en', ...headers },
    requestContext: { requestId: 'probe-1', http: { method: 'GET', path: '/v1/probe' } },
  };
  const result = await createHttpHandler(tool)(event as never, {} as Context);
  return result as { statusCode: number; body?: string; headers?: Record<string, string> };
}

const EXPECTED = 'Zq3vR8sT1uW4xY7zA0bC2dE5fG8hJ1kL3mN6pQ9r';

describe('the origin-verify header', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    reached = 0;
    process.env.LOG_LEVEL = 'silent';
    process.env.TABLE_NAME ??= 'unused';
    delete process.env.ORIGIN_VERIFY;
  });
  afterEach(() => {
    for (const key of ['ORIGIN_VERIFY', 'LOG_LEVEL', 'TABLE_NAME'] as const) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it('is not checked when the stack sets no value (locally, or with the WAF off)', async () => {
    expect((await call({})).statusCode).toBe(200);
    expect(reached).toBe(1);
  });

  it('refuses a request without it, or with another value, with a 403 problem before the route runs', async () => {
    process.env.ORIGIN_VERIFY = EXPECTED;
    const attempts: Record<string, string>[] = [
      {},
      { [ORIGIN_VERIFY_HEADER]: '' },
      { [ORIGIN_VERIFY_HEADER]: EXPECTED.slice(0, -1) },
      { [ORIGIN_VERIFY_HEADER]: `${EXPECTED}x` },
      { [ORIGIN_VERIFY_HEADER]: EXPECTED.toLowerCase() },
    ];
    for (const headers of attempts) {
      const result = await call(headers);
      expect(result.statusCode, JSON.stringify(headers)).toBe(403);
      expect(result.headers?.['content-type']).toMatch(/^application\/problem\+json/);
      const body = JSON.parse(result.body ?? '{}') as { status: number; detail: string };
      expect(body.status).toBe(403);
      expect(body.detail).toBe('Call the API at its public address.');
    }
    expect(reached).toBe(0);
  });

  it('answers in Ukrainian when asked', async () => {
    process.env.ORIGIN_VERIFY = EXPECTED;
    const result = await call({ 'accept-language': 'uk' });
    expect(JSON.parse(result.body ?? '{}').detail).toBe('Звертайтеся до API за його публічною адресою.');
  });

  it('lets a request with the exact value through', async () => {
    process.env.ORIGIN_VERIFY = EXPECTED;
    const result = await call({ [ORIGIN_VERIFY_HEADER]: EXPECTED });
    expect(result.statusCode).toBe(200);
    expect(reached).toBe(1);
  });
});
