import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/docs/http';
import type { OpenApiDocument, OpenApiPathItem } from '../../../functions/docs/openapi';
import { serverUrlOf } from '../../../functions/docs/routes';
import { TOOLS } from '../../../functions/tools';

const CONTEXT = {
  functionName: 'docs',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** A request as API Gateway's HTTP API (payload 2.0) hands it to the Lambda. */
function request(
  routeKey: string,
  rawPath: string,
  options: { pathParameters?: Record<string, string>; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const [method = 'GET'] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { host: 'api.example.org', 'x-forwarded-proto': 'https', ...options.headers },
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.org',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: `request-${rawPath}`,
      routeKey,
      stage: '$default',
      time: '01/Jan/2030:00:00:00 +0000',
      timeEpoch: 1_893_456_000_000,
    },
  };
}

async function invoke(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  return (await handler(event, CONTEXT)) as APIGatewayProxyStructuredResultV2;
}

const asset = (name: string) =>
  invoke(request('GET /docs/{asset}', `/docs/${name}`, { pathParameters: { asset: name } }));

const header = (result: APIGatewayProxyStructuredResultV2, name: string) => result.headers?.[name];

beforeAll(() => {
  // The stack reads its configuration on every request; the docs never touch the table.
  vi.stubEnv('TABLE_NAME', 'unused');
  vi.stubEnv('LOG_LEVEL', 'silent');
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe('GET /docs', () => {
  it('serves a page that loads the renderer from this API, with no inline script and no CDN', async () => {
    const result = await invoke(request('GET /docs', '/docs'));

    expect(result.statusCode).toBe(200);
    expect(header(result, 'content-type')).toBe('text/html; charset=utf-8');
    const page = result.body ?? '';
    expect(page).toContain('href="/docs/swagger-ui.css"');
    expect(page).toContain('src="/docs/swagger-ui-bundle.js"');
    expect(page).toContain('src="/docs/init.js"');
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(/<script>/);
    expect(header(result, 'content-security-policy')).toContain("script-src 'self'");
  });

  it('starts Swagger UI on the OpenAPI document from an init script of its own', async () => {
    const result = await asset('init.js');

    expect(result.statusCode).toBe(200);
    expect(header(result, 'content-type')).toMatch(/^text\/javascript/);
    expect(result.body).toContain("url: '/v1/openapi.json'");
    expect(result.body).not.toMatch(/https?:\/\//);
  });
});

describe('GET /docs/{asset}', () => {
  it.each([
    ['swagger-ui-bundle.js', /^text\/javascript/],
    ['swagger-ui.css', /^text\/css/],
    ['index.css', /^text\/css/],
  ])('serves %s from swagger-ui-dist with its content type and cache headers', async (name, contentType) => {
    const result = await asset(name);

    expect(result.statusCode).toBe(200);
    expect(header(result, 'content-type')).toMatch(contentType);
    expect(result.body?.length).toBeGreaterThan(100);
    expect(header(result, 'cache-control')).toBe('public, max-age=86400');
    expect(header(result, 'etag')).toMatch(/^".+"$/);
  });

  it.each([
    '../../package.json',
    '..%2F..%2Fpackage.json',
    'swagger-ui-bundle.js.map',
    'index.html',
    'constructor',
    '__proto__',
  ])('answers %s with a 404 problem', async (name) => {
    const result = await asset(name);

    expect(result.statusCode).toBe(404);
    expect(header(result, 'content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(result.body ?? '{}')).toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('GET /v1/openapi.json', () => {
  it('serves the document of every tool, for the host it was asked on, with an ETag', async () => {
    const result = await invoke(request('GET /v1/openapi.json', '/v1/openapi.json'));

    expect(result.statusCode).toBe(200);
    expect(header(result, 'content-type')).toMatch(/^application\/json/);
    const document = JSON.parse(result.body ?? '{}') as OpenApiDocument;
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: 'https://api.example.org' }]);
    for (const route of TOOLS.flatMap((tool) => tool.routes).filter((route) => !route.internal)) {
      const method = route.method.toLowerCase() as keyof OpenApiPathItem;
      expect(document.paths[route.path]?.[method]?.operationId).toBe(route.operationId);
    }
    expect(header(result, 'etag')).toMatch(/^".+"$/);
    expect(header(result, 'cache-control')).toBe('public, max-age=300');
  });

  it('answers 304 without a body when the ETag is still current', async () => {
    const first = await invoke(request('GET /v1/openapi.json', '/v1/openapi.json'));
    const etag = header(first, 'etag') as string;

    const second = await invoke(
      request('GET /v1/openapi.json', '/v1/openapi.json', { headers: { 'if-none-match': etag } }),
    );

    expect(second.statusCode).toBe(304);
    expect(second.body).toBeUndefined();
  });

  it('names no server when the Host header is not a plain host', async () => {
    const result = await invoke(
      request('GET /v1/openapi.json', '/v1/openapi.json', { headers: { host: 'evil.example/"><script>' } }),
    );

    expect(result.statusCode).toBe(200);
    expect((JSON.parse(result.body ?? '{}') as OpenApiDocument).servers).toBeUndefined();
  });
});

describe('serverUrlOf', () => {
  it.each([
    [{ host: 'api.example.org', 'x-forwarded-proto': 'https' }, 'https://api.example.org'],
    [{ host: 'localhost:3000' }, 'http://localhost:3000'],
    [{ host: '[::1]:3000', 'x-forwarded-proto': 'http' }, 'http://[::1]:3000'],
    [{ host: 'api.example.org', 'x-forwarded-proto': 'https, http' }, 'https://api.example.org'],
    [{ host: 'api.example.org', 'x-forwarded-proto': 'gopher' }, 'http://api.example.org'],
    [{ host: 'a.example@b.example' }, undefined],
    [{}, undefined],
  ])('derives the server URL of %j as %s', (headers, expected) => {
    expect(serverUrlOf(headers)).toBe(expected);
  });
});
