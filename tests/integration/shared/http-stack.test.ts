import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/communities/http';
import { PROBLEM_TYPES } from '../../../functions/shared/problems';
import { routeKey } from '../../../functions/shared/routes';
import { TOOLS } from '../../../functions/tools';
import { seedDemo } from '../../../infra/local/demo';
import { createTestTable, type TestTable } from '../../support/table';

const ISSUER = 'https://issuer.test';
let table: TestTable;

/** An event as API Gateway would send it after its JWT authorizer accepted the token. */
function event(
  method: string,
  path: string,
  template: string,
  options: { claims?: Record<string, string>; body?: string; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const communityId = /^\/v1\/communities\/([^/]+)/.exec(path)?.[1];
  return {
    version: '2.0',
    routeKey: `${method} ${template}`,
    rawPath: path,
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer secret.token.value',
      ...options.headers,
    },
    pathParameters: communityId ? { communityId } : {},
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'api.test',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey: `${method} ${template}`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: [] } } } : {}),
    },
    ...(options.body ? { body: options.body } : {}),
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2;
}

beforeAll(async () => {
  table = await createTestTable('http');
  process.env.ISSUERS = JSON.stringify([{ issuer: ISSUER, audience: 'a' }]);
  process.env.SIGNER_SECRET = 'test-secret';
  delete process.env.LOG_LEVEL;
  await seedDemo({ ...table, issuer: ISSUER, signerSecret: 'test-secret', dynamoEndpoint: table.endpoint });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const invoke = (e: APIGatewayProxyEventV2) =>
  (
    handler as unknown as (
      e: APIGatewayProxyEventV2,
      c: object,
    ) => Promise<{ statusCode: number; body?: string }>
  )(e, {});

describe('the HTTP stack', () => {
  it('writes one JSON log line per request, without token, subject or body', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });

    const response = await invoke(
      event('PATCH', '/v1/communities/demo/settings', '/v1/communities/{communityId}/settings', {
        claims: { iss: ISSUER, sub: 'council-1', community: 'demo', birthdate: '1980-04-12' },
        body: JSON.stringify({ names: { uk: 'Приватна назва', en: 'Private name' } }),
      }),
    );

    expect(response.statusCode).toBe(200);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string);
    expect(line).toMatchObject({
      level: 'info',
      msg: 'request',
      requestId: 'req-1',
      routeKey: 'PATCH /v1/communities/{communityId}/settings',
      status: 200,
      communityId: 'demo',
      authenticated: true,
    });
    expect(typeof line.durationMs).toBe('number');
    for (const secret of ['secret.token.value', 'council-1', '1980-04-12', 'Приватна', '203.0.113.9']) {
      expect(lines[0]).not.toContain(secret);
    }
  });

  it('logs an unexpected failure as an error and answers a 500 problem that names the request id', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    process.env.TABLE_NAME = 'no-such-table';

    const response = await invoke(event('GET', '/v1/communities/demo', '/v1/communities/{communityId}'));
    process.env.TABLE_NAME = table.tableName;

    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body as string)).toMatchObject({
      code: 'internal_error',
      detail: expect.stringContaining('req-1'),
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 'error',
      status: 500,
      error: { name: expect.any(String) },
    });
  });

  it('refuses claims without a subject or from an unknown issuer, even past the authorizer', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

    const unknown = await invoke(
      event('GET', '/v1/communities/demo/members', '/v1/communities/{communityId}/members', {
        claims: { iss: 'https://other', sub: 'council-1' },
      }),
    );

    expect(unknown.statusCode).toBe(401);
  });
});

describe('the route tables', () => {
  it('map every error code a route declares to a status', () => {
    for (const tool of TOOLS) {
      for (const route of tool.routes) {
        for (const code of route.errors ?? []) {
          expect(PROBLEM_TYPES, `${routeKey(route)} declares ${code}`).toHaveProperty(code);
        }
      }
    }
  });

  it('declare each route key once across all tools', () => {
    const keys = TOOLS.flatMap((tool) => tool.routes.map(routeKey));

    expect(new Set(keys).size).toBe(keys.length);
  });
});
