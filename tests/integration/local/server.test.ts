import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LogLine } from '../../../infra/local/bus';
import { createLocalServer, MAX_REQUEST_BYTES } from '../../../infra/local/server';
import { BINARY_BYTES, fixtureTool, receivedEvents } from './fixture-tool';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  json(): Record<string, unknown>;
}

let baseUrl = '';
const logLines: LogLine[] = [];
const GOOD_TOKEN = 'Bearer good-token';
const CLAIMS = {
  iss: 'https://issuer.test',
  sub: 'resident-1',
  exp: 1_900_000_000,
  email_verified: true,
  groups: ['residents', 'volunteers'],
  address: { locality: 'Kyiv' },
  scope: 'petitions:sign petitions:read',
};

type Headers = Record<string, string | string[]>;

/** Sends a request; a header given as a list is sent once per value, as a browser or curl could. */
function send(method: string, path: string, headers: Headers = {}, body?: Buffer | string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${baseUrl}${path}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: bytes,
          json: () => JSON.parse(bytes.toString('utf8')) as Record<string, unknown>,
        });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** The event the fixture handler received, echoed in the response body. */
const echoedEvent = (reply: Reply) => reply.json() as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

const server = createLocalServer({
  tools: [fixtureTool],
  authorize: async (header) => {
    if (header === GOOD_TOKEN) return CLAIMS;
    throw new Error(header ? 'The token is invalid.' : 'Send the token as "Authorization: Bearer <token>".');
  },
  log: (line) => logLines.push(line),
});

beforeAll(async () => {
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', () => listening()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((closed) => server.close(closed));
});

beforeEach(() => {
  receivedEvents.length = 0;
  logLines.length = 0;
});

describe('the local server shapes requests as API Gateway HTTP API does', () => {
  it('builds a payload 2.0 event: route key, decoded path parameters, joined headers and query, cookies', async () => {
    const sentFrom = Date.now();
    const reply = await send('GET', '/v1/things/caf%C3%A9%20bar?tag=a&tag=b&q=x%20y', {
      'X-Custom': ['one', 'two'],
      Cookie: 'session=abc; theme=dark',
      'User-Agent': 'hromada-test/1.0',
    });
    const answeredBy = Date.now();

    expect(reply.status).toBe(201);
    const event = echoedEvent(reply);
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('GET /v1/things/{thingId}');
    expect(event.rawPath).toBe('/v1/things/caf%C3%A9%20bar');
    expect(event.rawQueryString).toBe('tag=a&tag=b&q=x%20y');
    expect(event.queryStringParameters).toEqual({ tag: 'a,b', q: 'x y' });
    expect(event.pathParameters).toEqual({ thingId: 'café bar' });
    expect(event.headers['x-custom']).toBe('one,two');
    expect(event.headers['user-agent']).toBe('hromada-test/1.0');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['session=abc', 'theme=dark']);
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).toMatchObject({
      accountId: 'local',
      apiId: 'local',
      domainName: new URL(baseUrl).host,
      domainPrefix: '127',
      http: {
        method: 'GET',
        path: '/v1/things/caf%C3%A9%20bar',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'hromada-test/1.0',
      },
      routeKey: 'GET /v1/things/{thingId}',
      stage: '$default',
    });
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    // Taken while the request was under way, however long it took.
    expect(event.requestContext.timeEpoch).toBeGreaterThanOrEqual(sentFrom);
    expect(event.requestContext.timeEpoch).toBeLessThanOrEqual(answeredBy);
    expect(event.requestContext.requestId).toBe(reply.headers['apigw-requestid']);
    expect('authorizer' in event.requestContext).toBe(false);
  });

  it('gives each request its own request id', async () => {
    const first = await send('GET', '/v1/things/a');
    const second = await send('GET', '/v1/things/a');

    expect(echoedEvent(first).requestContext.requestId).not.toBe(
      echoedEvent(second).requestContext.requestId,
    );
  });

  it('passes a JSON body as text and a binary body as base64', async () => {
    const json = await send('POST', '/v1/echo', { 'Content-Type': 'application/json' }, '{"name":"Київ"}');
    const binary = await send(
      'POST',
      '/v1/echo',
      { 'Content-Type': 'application/octet-stream' },
      BINARY_BYTES,
    );

    expect(echoedEvent(json)).toMatchObject({ body: '{"name":"Київ"}', isBase64Encoded: false });
    expect(echoedEvent(binary)).toMatchObject({
      body: BINARY_BYTES.toString('base64'),
      isBase64Encoded: true,
    });
  });

  it('writes back status, headers, cookies as Set-Cookie and a base64 body as bytes', async () => {
    const echoed = await send('GET', '/v1/things/a');
    const binary = await send('GET', '/v1/binary');

    expect(echoed.headers['x-fixture']).toBe('yes');
    expect(echoed.headers['x-count']).toBe('3');
    expect(echoed.headers['set-cookie']).toEqual(['session=abc; Path=/; HttpOnly', 'theme=dark']);
    expect(binary.status).toBe(200);
    expect(binary.headers['content-type']).toBe('application/octet-stream');
    expect(binary.body.equals(BINARY_BYTES)).toBe(true);
  });

  it('answers a result without statusCode as API Gateway does: 200 with it as JSON', async () => {
    const reply = await send('GET', '/v1/plain');

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.json()).toEqual({ hello: 'world' });
  });
});

describe('the local server picks routes as API Gateway does', () => {
  it.each([
    ['/v1/things/special', 'GET /v1/things/special', undefined],
    ['/v1/things/ordinary', 'GET /v1/things/{thingId}', { thingId: 'ordinary' }],
    ['/v1/files/docs/readme', 'GET /v1/files/{folder}/readme', { folder: 'docs' }],
    ['/v1/files/docs/a/b.txt', 'GET /v1/files/{proxy+}', { proxy: 'docs/a/b.txt' }],
  ])('routes %s to %s', async (path, expectedRouteKey, expectedParameters) => {
    const event = echoedEvent(await send('GET', path));

    expect(event.routeKey).toBe(expectedRouteKey);
    expect(event.pathParameters).toEqual(expectedParameters);
  });

  it.each([
    ['an unknown path', 'GET', '/v1/nothing-here'],
    ['a known path with another method', 'DELETE', '/v1/things/a'],
    ['a path one segment short', 'GET', '/v1/things'],
  ])('answers %s with a 404 problem and calls no handler', async (_case, method, path) => {
    const reply = await send(method, path, { 'Accept-Language': 'en' });

    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(reply.json()).toMatchObject({ status: 404, title: 'Not found' });
    expect(receivedEvents).toHaveLength(0);
  });
});

describe('the local server authorizes user routes as the JWT authorizer does', () => {
  it.each([
    ['without a token', {}],
    ['with a rejected token', { Authorization: 'Bearer forged' }],
  ])('answers 401 %s, in English when asked, and calls no handler', async (_case, authorization: Headers) => {
    const reply = await send('POST', '/v1/things/a', {
      ...authorization,
      'Accept-Language': 'en-GB,en;q=0.9',
    });

    expect(reply.status).toBe(401);
    expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(reply.headers['www-authenticate']).toMatch(/^Bearer/);
    const problem = reply.json();
    expect(problem).toMatchObject({ status: 401, title: 'Authentication is required' });
    expect(problem.type).toEqual(expect.any(String));
    expect(problem.detail).toEqual(expect.any(String));
    expect(receivedEvents).toHaveLength(0);
  });

  it('titles the 401 in Ukrainian when the caller prefers it', async () => {
    const reply = await send('POST', '/v1/things/a', { 'Accept-Language': 'en;q=0.5, uk-UA;q=0.9' });

    expect(reply.status).toBe(401);
    expect(reply.json()).toMatchObject({ title: 'Потрібна автентифікація' });
  });

  it('puts the claims, flattened to strings, and the scopes into the authorizer context', async () => {
    const event = echoedEvent(await send('POST', '/v1/things/a', { Authorization: GOOD_TOKEN }));

    expect(event.requestContext.authorizer.jwt).toEqual({
      claims: {
        iss: 'https://issuer.test',
        sub: 'resident-1',
        exp: '1900000000',
        email_verified: 'true',
        groups: '[residents volunteers]',
        address: '{"locality":"Kyiv"}',
        scope: 'petitions:sign petitions:read',
      },
      scopes: ['petitions:sign', 'petitions:read'],
    });
    expect(event.headers.authorization).toBe(GOOD_TOKEN);
  });

  it('gives public routes no authorizer, even with a token', async () => {
    const event = echoedEvent(await send('GET', '/v1/things/a', { Authorization: GOOD_TOKEN }));

    expect('authorizer' in event.requestContext).toBe(false);
  });
});

describe('the local server turns failures into problems', () => {
  it('answers 500 when the handler throws, and logs it', async () => {
    const reply = await send('GET', '/v1/boom', { 'Accept-Language': 'en' });

    expect(reply.status).toBe(500);
    expect(reply.json()).toMatchObject({ status: 500, title: 'Internal error' });
    expect(logLines).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'handler failed', routeKey: 'GET /v1/boom' }),
    );
  });

  it('leaves a handler Lambda’s longest time, so that a busy machine cannot cut a request off', async () => {
    const reply = await send('GET', '/v1/time-left');

    expect(reply.status).toBe(200);
    // middy answers 500 when the context's time runs out; a shared machine used 30 s up in one pabulib import.
    expect(reply.json().remainingMs).toBeGreaterThan(14 * 60_000);
  });

  it('refuses a body above API Gateway’s 10 MB with 413 and calls no handler', async () => {
    const reply = await send(
      'POST',
      '/v1/echo',
      { 'Content-Type': 'application/json', 'Accept-Language': 'en' },
      Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x20),
    );

    expect(reply.status).toBe(413);
    expect(reply.json()).toMatchObject({ status: 413 });
    expect(receivedEvents).toHaveLength(0);
  });
});
