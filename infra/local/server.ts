import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { type Localized, text } from '../../domain/shared/localized';
import { negotiateLocale } from '../../functions/shared/locale';
import { type ProblemCode, problemBody } from '../../functions/shared/problems';
import { type AnyRoute, type HttpMethod, routeKey, type ToolDefinition } from '../../functions/shared/routes';
import { jsonLog, type Log } from './bus';

/** The repository root: tool entries (`functions/communities/http.ts`) are relative to it. */
export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** API Gateway refuses request payloads above 10 MB before any Lambda sees them. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** A tool's Lambda handler, as its `entry` module exports it. */
export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/**
 * Verifies the `Authorization` header of a request to a `user` route and returns
 * the token's claims; rejects when the token is missing, invalid or expired.
 */
export type Authorize = (authorizationHeader: string | undefined) => Promise<Record<string, unknown>>;

export interface LocalServerOptions {
  readonly tools: readonly ToolDefinition[];
  readonly authorize: Authorize;
  readonly log?: Log;
  /** Region reported in the Lambda context. */
  readonly region?: string;
}

/** The JWT authorizer's part of the request context, as API Gateway sets it. */
export interface JwtAuthorizerContext {
  readonly jwt: { readonly claims: Record<string, string>; readonly scopes: string[] | null };
}

// ---- routing ----------------------------------------------------------------------------------

type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

/** How specific a segment is: API Gateway prefers literal segments, then `{param}`, then `{proxy+}`. */
const SPECIFICITY = { literal: 0, param: 1, greedy: 2 } as const;

interface CompiledRoute {
  readonly tool: ToolDefinition;
  readonly route: AnyRoute;
  readonly routeKey: string;
  readonly segments: readonly Segment[];
}

interface RouteMatch {
  readonly tool: ToolDefinition;
  readonly route: AnyRoute;
  readonly routeKey: string;
  readonly pathParameters: Record<string, string>;
}

function compileSegments(path: string): Segment[] {
  return path
    .split('/')
    .slice(1)
    .map((part): Segment => {
      const greedy = /^\{(\w+)\+\}$/.exec(part);
      if (greedy?.[1]) return { kind: 'greedy', name: greedy[1] };
      const param = /^\{(\w+)\}$/.exec(part);
      if (param?.[1]) return { kind: 'param', name: param[1] };
      return { kind: 'literal', value: part };
    });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape (`%zz`) is kept as sent rather than failing the whole request.
    return segment;
  }
}

/** Path parameters when `segments` match the request's path segments, else undefined. */
function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = parts.slice(index);
      if (rest.length === 0 || rest.every((part) => part === '')) return undefined;
      parameters[segment.name] = rest.map(decodeSegment).join('/');
      return parameters;
    }
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (decodeSegment(part) !== segment.value) return undefined;
    } else {
      if (part === '') return undefined;
      parameters[segment.name] = decodeSegment(part);
    }
  }
  return parts.length === segments.length ? parameters : undefined;
}

/** Negative when `a` is the more specific route: compared segment by segment, left to right. */
function compareSpecificity(a: readonly Segment[], b: readonly Segment[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const left = a[index];
    const right = b[index];
    if (!left || !right) return left ? -1 : right ? 1 : 0;
    const difference = SPECIFICITY[left.kind] - SPECIFICITY[right.kind];
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * A router over every tool's route table that picks routes as API Gateway's
 * HTTP API does: the method must match, and of the paths that match, the most
 * specific wins (literal segments over `{param}` over a greedy `{proxy+}`).
 * @example createRouter(TOOLS).match('GET', '/v1/communities/demo')?.routeKey
 */
function createRouter(tools: readonly ToolDefinition[]) {
  const compiled: CompiledRoute[] = tools.flatMap((tool) =>
    tool.routes.map((route) => ({
      tool,
      route,
      routeKey: routeKey(route),
      segments: compileSegments(route.path),
    })),
  );
  return {
    match(method: string, rawPath: string): RouteMatch | undefined {
      const parts = rawPath.split('/').slice(1);
      let best: (RouteMatch & { segments: readonly Segment[] }) | undefined;
      for (const candidate of compiled) {
        if (candidate.route.method !== (method as HttpMethod)) continue;
        const pathParameters = matchSegments(candidate.segments, parts);
        if (!pathParameters) continue;
        if (!best || compareSpecificity(candidate.segments, best.segments) < 0)
          best = { ...candidate, pathParameters };
      }
      if (!best) return undefined;
      const { segments: _segments, ...match } = best;
      return match;
    },
  };
}

// ---- the event --------------------------------------------------------------------------------

/**
 * Claims flattened the way API Gateway's JWT authorizer hands them to Lambda:
 * every value a string; arrays as `[a b c]`; objects as JSON.
 */
function flattenClaims(claims: Record<string, unknown>): Record<string, string> {
  const flat = (value: unknown): string =>
    typeof value === 'string'
      ? value
      : typeof value === 'object' && value !== null
        ? JSON.stringify(value)
        : String(value);
  return Object.fromEntries(
    Object.entries(claims)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, Array.isArray(value) ? `[${value.map(flat).join(' ')}]` : flat(value)]),
  );
}

/** The token's scopes from `scope` (space-separated) or `scp`, or null as API Gateway sends when there are none. */
function scopesOf(claims: Record<string, unknown>): string[] | null {
  const raw = claims.scope ?? claims.scp;
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw === 'string' && raw.trim() !== '') return raw.trim().split(/\s+/);
  return null;
}

/** Text content types travel as text; everything else API Gateway base64-encodes. */
function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    ['application/json', 'application/xml', 'application/javascript'].includes(type) ||
    /^application\/[\w.-]+\+(json|xml)$/.test(type)
  );
}

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
function apiGatewayTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

/**
 * Header names lower-cased; a header sent more than once is one value, joined by
 * commas. Cookies are not headers in payload format 2.0: each `name=value` pair
 * of every `Cookie` header becomes one entry of `cookies`.
 */
function readHeaders(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]?.toLowerCase() ?? '';
    const value = rawHeaders[index + 1] ?? '';
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((pair) => pair.trim())
          .filter((pair) => pair !== ''),
      );
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  return { headers, cookies };
}

interface RequestFacts {
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  readonly rawHeaders: readonly string[];
  readonly sourceIp: string;
  readonly localPort: number;
  readonly body: Buffer;
  readonly receivedAt: Date;
  readonly requestId: string;
}

/**
 * The `APIGatewayProxyEventV2` that API Gateway would send for a request
 * (payload format 2.0): cookies taken out of the headers, repeated headers and
 * query parameters joined by commas, path parameters decoded, a binary body in
 * base64. `routeKey` and `pathParameters` come from the matched route.
 */
function toApiGatewayEvent(request: RequestFacts, match: Pick<RouteMatch, 'routeKey' | 'pathParameters'>) {
  const [rawPath = '/', rawQueryString = ''] = splitOnce(request.url.split('#')[0] ?? '', '?');
  const { headers, cookies } = readHeaders(request.rawHeaders);
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${request.sourceIp}`
    : request.sourceIp;
  headers['x-forwarded-port'] = String(request.localPort);
  headers['x-forwarded-proto'] = 'http';

  const query = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const earlier = query.get(name);
    query.set(name, earlier === undefined ? value : `${earlier},${value}`);
  }
  const hasBody = request.body.length > 0;
  const asText = isTextContentType(headers['content-type']);
  const host = headers.host ?? 'localhost';

  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: match.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query.size > 0 ? { queryStringParameters: Object.fromEntries(query) } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      // The port stays in the domain name locally: without it, links built from it would not work.
      domainName: host,
      domainPrefix: host.split(/[.:]/)[0] ?? host,
      http: {
        method: request.method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: match.routeKey,
      stage: '$default',
      time: apiGatewayTime(request.receivedAt),
      timeEpoch: request.receivedAt.getTime(),
    },
    ...(Object.keys(match.pathParameters).length > 0 ? { pathParameters: match.pathParameters } : {}),
    ...(hasBody ? { body: request.body.toString(asText ? 'utf8' : 'base64') } : {}),
    isBase64Encoded: hasBody && !asText,
  };
  return event;
}

function splitOnce(value: string, separator: string): [string, string] {
  const at = value.indexOf(separator);
  return at < 0 ? [value, ''] : [value.slice(0, at), value.slice(at + 1)];
}

/**
 * A Lambda context for a local invocation, whose remaining time counts down from
 * `timeoutMs` as Lambda's does. It is not only reported: middy's early timeout
 * (functions/shared/http.ts) answers 500 `TimeoutError` when it runs out.
 */
export function lambdaContext(functionName: string, region = 'eu-central-1', timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The time a local HTTP invocation is given: Lambda's maximum, so that a request
 * is never cut off here. On a shared machine the time goes to DynamoDB Local
 * waiting for a core, not to the handler: a pabulib import that costs DynamoDB
 * Local 1–3 s of CPU took over 100 s on two cores with eighteen runnable tasks,
 * and API Gateway's 30 s turned that into a 500 while the handler went on
 * writing. Whether a handler is fast enough is for `npm run bench` to say; a
 * request that really hangs is left to its caller's own time limit.
 */
export const LOCAL_HTTP_TIME_LIMIT_MS = 15 * 60_000;

// ---- the server -------------------------------------------------------------------------------

/** A structured result for whatever a handler returned, as API Gateway interprets payload format 2.0. */
function structured(result: APIGatewayProxyResultV2): APIGatewayProxyStructuredResultV2 {
  if (typeof result === 'object' && result !== null && typeof result.statusCode === 'number') return result;
  // Without a statusCode API Gateway assumes 200 with the returned value as a JSON body.
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: typeof result === 'string' ? result : JSON.stringify(result),
  };
}

class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

/** Reads the body, discarding (but still consuming) everything past the cap so the client can read the answer. */
function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, rejectBody) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      size > MAX_REQUEST_BYTES
        ? rejectBody(new PayloadTooLargeError(`${size} bytes`))
        : resolveBody(Buffer.concat(chunks)),
    );
    request.on('error', rejectBody);
  });
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2, requestId: string): void {
  const body =
    result.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.statusCode = result.statusCode ?? 200;
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, String(value));
  if (result.cookies && result.cookies.length > 0) response.setHeader('set-cookie', result.cookies);
  // API Gateway's own request id header, which clients quote when reporting a failure.
  response.setHeader('apigw-requestid', requestId);
  response.setHeader('content-length', body.length);
  response.end(body);
}

function problem(
  code: ProblemCode,
  detail: Localized,
  acceptLanguage: string | undefined,
  headers: Record<string, string> = {},
) {
  const body = problemBody(code, detail, negotiateLocale(acceptLanguage));
  return {
    statusCode: body.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  } satisfies APIGatewayProxyStructuredResultV2;
}

/** A request id in API Gateway's style (16 characters of base64). */
const newRequestId = (): string => randomBytes(11).toString('base64');

/**
 * The local stand-in for API Gateway's HTTP API: a `node:http` server (the
 * caller listens) that routes requests over the tools' route tables, runs the
 * JWT authorizer's part on `user` routes, turns each request into the
 * `APIGatewayProxyEventV2` API Gateway would send, calls the tool's real
 * handler (imported from its `entry`) and writes back what it returns.
 * Errors it answers itself are problem details in the caller's language.
 * @example
 * const server = createLocalServer({ tools: TOOLS, authorize: (header) => verifyBearer(header, issuers) });
 * server.listen(3000, '127.0.0.1');
 */
export function createLocalServer(options: LocalServerOptions): Server {
  const log = options.log ?? jsonLog;
  const router = createRouter(options.tools);
  const handlers = new Map<string, Promise<HttpHandler>>();

  const handlerOf = (tool: ToolDefinition): Promise<HttpHandler> => {
    let loading = handlers.get(tool.entry);
    if (!loading) {
      loading = import(pathToFileURL(resolve(REPOSITORY_ROOT, tool.entry)).href).then(
        (module: { handler?: unknown }) => {
          if (typeof module.handler !== 'function')
            throw new Error(`${tool.entry} does not export a handler function`);
          return module.handler as HttpHandler;
        },
      );
      // A module that failed to load is tried again on the next request, not remembered as broken.
      loading.catch(() => handlers.delete(tool.entry));
      handlers.set(tool.entry, loading);
    }
    return loading;
  };

  const answer = async (
    request: IncomingMessage,
    requestId: string,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const acceptLanguage = request.headers['accept-language'];
    const method = request.method ?? 'GET';
    const rawPath = splitOnce(request.url ?? '/', '?')[0];
    // An unknown path and a known path with another method are both 404: API Gateway's HTTP API
    // answers so (it has no 405), and a client that works locally must work there too.
    const match = router.match(method, rawPath);
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (!(error instanceof PayloadTooLargeError)) throw error;
      return problem(
        'payload_too_large',
        text('Запит більший за 10 МБ.', 'The request is larger than 10 MB.'),
        acceptLanguage,
      );
    }
    if (!match) {
      log({ level: 'info', msg: 'no route', method, status: 404, requestId });
      return problem(
        'not_found',
        text(`Маршруту ${method} для цього шляху немає.`, `There is no ${method} route for this path.`),
        acceptLanguage,
      );
    }

    let authorizer: JwtAuthorizerContext | undefined;
    if (match.route.auth === 'user') {
      try {
        const claims = await options.authorize(request.headers.authorization);
        authorizer = { jwt: { claims: flattenClaims(claims), scopes: scopesOf(claims) } };
      } catch (error) {
        const reason = error instanceof Error ? error.message : 'The token was refused.';
        log({ level: 'info', msg: 'unauthorized', routeKey: match.routeKey, status: 401, requestId, reason });
        return problem(
          'unauthorized',
          text('Потрібен дійсний токен доступу: надішліть заголовок Authorization: Bearer <токен>.', reason),
          acceptLanguage,
          { 'www-authenticate': 'Bearer error="invalid_token"' },
        );
      }
    }

    const socket = request.socket;
    const event = toApiGatewayEvent(
      {
        method,
        url: request.url ?? '/',
        httpVersion: request.httpVersion,
        rawHeaders: request.rawHeaders,
        sourceIp: (socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        localPort: socket.localPort ?? 0,
        body,
        receivedAt: new Date(),
        requestId,
      },
      match,
    );
    if (authorizer) Object.assign(event.requestContext, { authorizer });

    try {
      const handler = await handlerOf(match.tool);
      const context = lambdaContext(match.tool.name, options.region, LOCAL_HTTP_TIME_LIMIT_MS);
      return structured(await handler(event, context));
    } catch (error) {
      log({ level: 'error', msg: 'handler failed', routeKey: match.routeKey, requestId, error });
      return problem(
        'internal_error',
        text(
          `Сталася непередбачена помилка (запит ${requestId}).`,
          `Something unexpected went wrong (request ${requestId}).`,
        ),
        acceptLanguage,
      );
    }
  };

  return createServer((request, response) => {
    const requestId = newRequestId();
    answer(request, requestId)
      .then((result) => send(response, result, requestId))
      .catch((error: unknown) => {
        log({ level: 'error', msg: 'request failed', requestId, error });
        if (!response.headersSent) response.writeHead(500).end();
        else response.destroy();
      });
  });
}
