import { createHash } from 'node:crypto';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { z } from 'zod';
import type { Community } from '../../domain/communities/community';
import type { Actor } from '../../domain/identity/actor';
import type { Clock } from '../../domain/shared/clock';
import { type Locale, text } from '../../domain/shared/localized';
import type { DomainError } from '../../domain/shared/outcome';
import { actorFromClaims, type FlatClaims, signerSecret } from './auth/actor';
import { claimsRefusal } from './auth/claims';
import { type AppConfig, loadConfig, ORIGIN_VERIFY_HEADER } from './config';
import { documentClient } from './dynamo';
import { systemClock, ulidGenerator } from './ids';
import { negotiateLocale } from './locale';
import { logLine } from './log';
import { type FieldError, ProblemError, problemBody, problemFromDomainError } from './problems';
import {
  type AnyRoute,
  documentedProblems,
  type RouteReply,
  type RouteRequest,
  routeKey,
  type ToolDefinition,
} from './routes';
import { sameSecret } from './secrets';
import { loadRequestScope, type RequestScope } from './tenancy';
import { ttlCache } from './ttl-cache';

/** Bodies above this are refused with 413 before anything is parsed. */
export const BODY_LIMIT_BYTES = 256 * 1024;

type Event = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: FlatClaims; scopes?: string[] | null } };
  };
};
type Result = APIGatewayProxyStructuredResultV2;

/** What the middlewares learn about a request, in the order they learn it. */
interface RequestState {
  readonly route?: AnyRoute;
  readonly startedAt: number;
  readonly requestId: string;
  readonly locale: Locale;
  readonly config: AppConfig;
  rawBody?: unknown;
  claims?: FlatClaims;
  params?: unknown;
  query?: unknown;
  body?: unknown;
  actor?: Actor;
  community?: Community;
  corsOrigins?: readonly string[];
}

const states = new WeakMap<object, RequestState>();
const ids = ulidGenerator();

function stateOf(event: object): RequestState {
  const state = states.get(event);
  if (!state) throw new Error('The HTTP stack ran a step before its request was observed');
  return state;
}

const header = (event: Event, name: string): string | undefined => event.headers?.[name];

/** A client's own request id is echoed when it is short and plain; otherwise API Gateway's is used. */
function requestIdOf(event: Event): string {
  const fromClient = header(event, 'x-request-id');
  if (fromClient && /^[A-Za-z0-9._-]{1,64}$/.test(fromClient)) return fromClient;
  return event.requestContext?.requestId ?? ids.next();
}

const communityIdOf = (event: Event): string | undefined => event.pathParameters?.communityId;

// ---- responses --------------------------------------------------------------------------------

function json(
  status: number,
  body: unknown,
  contentType = 'application/json; charset=utf-8',
  headers: Readonly<Record<string, string>> = {},
): Result {
  return {
    statusCode: status,
    headers: { ...headers, 'content-type': contentType },
    body: JSON.stringify(body),
  };
}

function problemResult(error: unknown, state: RequestState | undefined): Result {
  const locale = state?.locale ?? 'uk';
  if (error instanceof ProblemError) {
    const body = problemBody(error.code, error.detail, locale, error.errors, error.extensions);
    return json(body.status, body, 'application/problem+json; charset=utf-8');
  }
  const body = problemBody(
    'internal_error',
    text(
      `Сталася непередбачена помилка. Спробуйте ще раз; якщо повториться, повідомте ідентифікатор запиту ${state?.requestId ?? ''}.`,
      `Something unexpected went wrong. Try again; if it persists, report request id ${state?.requestId ?? ''}.`,
    ),
    locale,
  );
  return json(500, body, 'application/problem+json; charset=utf-8');
}

/** Strong ETag of a response body: equal bodies, equal tags. */
const etagOf = (body: string): string =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/**
 * A rejection whose code the route does not document is a programming error:
 * the docs (and every client generated from them) would not know it. Outside
 * AWS it becomes a 500 so that a test fails; in AWS the answer goes out, logged.
 */
function undocumented(reply: { readonly error: DomainError }, state: RequestState): Result | undefined {
  const route = state.route;
  if (!route || documentedProblems(route).has(reply.error.code)) return undefined;
  logLine('error', {
    msg: 'undocumented_problem',
    requestId: state.requestId,
    route: routeKey(route),
    problem: reply.error.code,
  });
  return state.config.strictProblems ? problemResult(new Error('undocumented problem'), state) : undefined;
}

function replyResult(reply: RouteReply, state: RequestState, event: Event): Result {
  if ('error' in reply) {
    const strict = undocumented(reply, state);
    if (strict) return strict;
    const body = problemFromDomainError(reply.error, state.locale);
    return json(body.status, body, 'application/problem+json; charset=utf-8', reply.headers);
  }
  const headers: Record<string, string> = { ...reply.headers };
  const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  let body: string | undefined;
  if (reply.body === undefined) body = undefined;
  // A string goes out as it is unless the route calls it JSON (`application/json`, `…+json`); NDJSON is text.
  else if (typeof reply.body === 'string' && contentType && !/[/+]json\b/.test(contentType))
    body = reply.body;
  else {
    body = JSON.stringify(reply.body);
    headers['content-type'] = contentType ?? 'application/json; charset=utf-8';
  }
  const cache = state.route?.cache;
  if (cache && body !== undefined && reply.status === 200) {
    const etag = etagOf(body);
    headers.etag = etag;
    headers['cache-control'] = `public, max-age=${cache.maxAgeSeconds}`;
    const ifNoneMatch = header(event, 'if-none-match');
    if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
      return { statusCode: 304, headers };
    }
  }
  return { statusCode: reply.status, headers, ...(body === undefined ? {} : { body }) };
}

// ---- CORS -------------------------------------------------------------------------------------

/** Exposed so that browsers let scripts read them. */
const EXPOSED_HEADERS =
  'x-request-id, etag, location, content-language, link, content-disposition, x-audit-next-from, ' +
  'idempotent-replayed, retry-after';

async function corsOriginsOf(state: RequestState, event: Event): Promise<readonly string[]> {
  if (state.corsOrigins) return state.corsOrigins;
  const communityId = communityIdOf(event);
  if (!communityId) return [];
  // The request failed before its community was read (a 401, say): read it now so
  // that the browser can still show the problem instead of a CORS failure.
  try {
    const scope = await loadRequestScope(documentClient(state.config), state.config.tableName, {
      communityId,
    });
    return scope.community?.settings.corsOrigins ?? [];
  } catch {
    return [];
  }
}

/** CORS headers for an allowed origin (a community's `corsOrigins`); none for any other. */
export function corsHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (!origin || !allowed.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSED_HEADERS,
    vary: 'Origin',
  };
}

// ---- middlewares ------------------------------------------------------------------------------

/**
 * First in, last out: sets up the request's state, and on the way back adds the
 * request id, language and CORS headers, turns any error into a problem, and
 * writes the one log line of the request.
 */
function observe(routes: ReadonlyMap<string, AnyRoute>): MiddlewareObj<Event, Result> {
  const finish = async (event: Event, response: Result, error?: unknown): Promise<Result> => {
    const state = stateOf(event);
    const headers = {
      ...response.headers,
      'x-request-id': state.requestId,
      'content-language': state.locale,
      ...corsHeaders(header(event, 'origin'), await corsOriginsOf(state, event)),
    };
    const unexpected = error !== undefined && !(error instanceof ProblemError);
    logLine(response.statusCode && response.statusCode >= 500 ? 'error' : 'info', {
      msg: 'request',
      requestId: state.requestId,
      routeKey: event.routeKey,
      status: response.statusCode,
      durationMs: Date.now() - state.startedAt,
      communityId: communityIdOf(event),
      authenticated: state.actor !== undefined,
      ...(error instanceof ProblemError ? { problem: error.code } : {}),
      ...(unexpected ? { error: { name: (error as Error)?.name, message: (error as Error)?.message } } : {}),
    });
    return { ...response, headers };
  };

  return {
    before: (request) => {
      const event = request.event;
      const state: RequestState = {
        route: routes.get(event.routeKey),
        startedAt: Date.now(),
        requestId: requestIdOf(event),
        locale: negotiateLocale(header(event, 'accept-language')),
        config: loadConfig(),
      };
      states.set(event, state);
      // Behind CloudFront and its WAF, a request without CloudFront's header went around the per-IP limit.
      const verify = state.config.originVerify;
      if (verify && !sameSecret(header(event, ORIGIN_VERIFY_HEADER), verify)) {
        throw new ProblemError(
          'forbidden',
          text('Звертайтеся до API за його публічною адресою.', 'Call the API at its public address.'),
        );
      }
      if (!state.route) {
        throw new ProblemError('not_found', text('Такого маршруту немає.', 'There is no such route.'), [], {
          routeKey: event.routeKey,
        });
      }
    },
    after: async (request) => {
      request.response = await finish(request.event, request.response ?? { statusCode: 204 });
    },
    onError: async (request) => {
      if (!states.has(request.event)) {
        // The error came before observe could set up; still answer as a problem.
        states.set(request.event, {
          startedAt: Date.now(),
          requestId: requestIdOf(request.event),
          locale: 'uk',
          config: loadConfig(),
        });
      }
      const state = states.get(request.event);
      request.response = await finish(request.event, problemResult(request.error, state), request.error);
    },
  };
}

/**
 * 413 above the route's `bodyLimitBytes` ({@link BODY_LIMIT_BYTES} unless it
 * sets one); 415 for a body of the wrong type; 400 for JSON that does not parse.
 */
const parseBody: MiddlewareObj<Event, Result> = {
  before: (request) => {
    const event = request.event;
    const state = stateOf(event);
    const raw = event.body ?? '';
    const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
    const limit = state.route?.bodyLimitBytes ?? BODY_LIMIT_BYTES;
    if (bytes.byteLength > limit) {
      throw new ProblemError(
        'payload_too_large',
        text(
          `Тіло запиту має ${bytes.byteLength} байт; максимум ${limit}.`,
          `The request body is ${bytes.byteLength} bytes; the limit is ${limit}.`,
        ),
        [],
        { limitBytes: limit },
      );
    }
    const route = state.route;
    if (!route?.body || bytes.byteLength === 0) return;

    const contentType = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const expected = route.bodyContentType ?? 'application/json';
    const isJson = expected === 'application/json';
    const matches = isJson
      ? contentType === 'application/json' || contentType.endsWith('+json')
      : contentType === expected;
    if (!matches) {
      throw new ProblemError(
        'unsupported_media_type',
        text(`Надішліть тіло як ${expected}.`, `Send the body as ${expected}.`),
        [],
        { expected },
      );
    }
    const textBody = bytes.toString('utf8');
    if (!isJson) {
      state.rawBody = textBody;
      return;
    }
    try {
      state.rawBody = JSON.parse(textBody);
    } catch (error) {
      throw new ProblemError(
        'malformed_json',
        text(
          `Тіло запиту не вдалося прочитати як JSON: ${(error as Error).message}`,
          `The body could not be read as JSON: ${(error as Error).message}`,
        ),
        [{ pointer: '/body', detail: 'not JSON' }],
      );
    }
  },
};

/**
 * `user` routes need verified claims (API Gateway's JWT authorizer, or the local
 * runtime acting as one); the claims must come from an issuer we know, and be
 * within bounds (`claimsRefusal`): refused before anyone's membership is read.
 */
const authenticate = (clock: Clock): MiddlewareObj<Event, Result> => ({
  before: (request) => {
    const state = stateOf(request.event);
    if (state.route?.auth !== 'user') return;
    const claims = request.event.requestContext.authorizer?.jwt?.claims;
    const refusal = claims && claimsRefusal(claims, clock.now());
    if (refusal) throw new ProblemError('unauthorized', refusal);
    const issuer = state.config.issuers.find((candidate) => candidate.issuer === claims?.iss);
    if (!claims?.sub || !issuer) {
      throw new ProblemError(
        'unauthorized',
        text(
          'Увійдіть і надішліть токен: Authorization: Bearer <токен>.',
          'Sign in and send Authorization: Bearer <token>.',
        ),
      );
    }
    state.claims = claims;
  },
});

function fieldErrors(where: 'path' | 'query' | 'body', error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    pointer: `/${where}${issue.path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')}`,
    detail: issue.message,
  }));
}

const ERROR_MAPS = { uk: z.locales.uk().localeError, en: z.locales.en().localeError } as const;

/** Path, query and body against the route's schemas; every invalid field is reported, not just the first. */
const validate: MiddlewareObj<Event, Result> = {
  before: (request) => {
    const event = request.event;
    const state = stateOf(event);
    const route = state.route as AnyRoute;
    const errors: FieldError[] = [];
    const check = (where: 'path' | 'query' | 'body', schema: z.ZodType | undefined, input: unknown) => {
      if (!schema) return input;
      const parsed = schema.safeParse(input, { error: ERROR_MAPS[state.locale] });
      if (parsed.success) return parsed.data;
      errors.push(...fieldErrors(where, parsed.error));
      return undefined;
    };
    state.params = check('path', route.params, event.pathParameters ?? {});
    state.query = check('query', route.query, event.queryStringParameters ?? {});
    state.body = check('body', route.body, state.rawBody);
    if (errors.length > 0) {
      throw new ProblemError(
        'validation_failed',
        text(
          'Деякі поля некоректні; див. errors: кожен елемент вказує на поле.',
          'Some fields are invalid; see errors: each entry points at a field.',
        ),
        errors,
      );
    }
  },
};

/** Communities read by routes that accept settings a few seconds old (see `Route.scope`). */
const cachedScopes = ttlCache<RequestScope>(5_000);

/** The community named in the path (404 when there is none) and the caller's roles in it. */
const scope: MiddlewareObj<Event, Result> = {
  before: async (request) => {
    const event = request.event;
    const state = stateOf(event);
    const communityId = communityIdOf(event);
    const claims = state.claims;
    const wantsRoles = state.route?.scope?.roles !== false;
    const identity =
      wantsRoles && claims?.sub && claims.iss ? { issuer: claims.iss, subject: claims.sub } : undefined;
    if (!communityId && !identity && !claims) return;

    const read = () =>
      loadRequestScope(documentClient(state.config), state.config.tableName, { communityId, identity });
    const cacheMs = state.route?.scope?.communityCacheMs;
    const found =
      cacheMs && !identity && communityId
        ? await cachedScopes.get(`${state.config.tableName}|${communityId}`, read)
        : await read();
    if (communityId) {
      if (!found.community) {
        throw new ProblemError(
          'community_not_found',
          text(`Громади «${communityId}» немає.`, `There is no community "${communityId}".`),
          [],
          { communityId },
        );
      }
      state.community = found.community;
      state.corsOrigins = found.community.settings.corsOrigins;
    }
    if (claims) {
      const secret = await signerSecret(state.config);
      state.actor = actorFromClaims(claims, state.config.issuers, secret, found);
    }
  },
};

// ---- the stack --------------------------------------------------------------------------------

/**
 * The Lambda handler of a tool: one middy stack for every route of it. The
 * route table is the only thing a tool supplies; parsing, authentication,
 * validation, errors, CORS, caching headers and logging happen here, once.
 */
export function createHttpHandler(tool: ToolDefinition, { clock = systemClock }: { clock?: Clock } = {}) {
  const routes = new Map(tool.routes.map((route) => [routeKey(route), route] as const));

  return middy<Event, Result>()
    .use(observe(routes))
    .use(parseBody)
    .use(authenticate(clock))
    .use(validate)
    .use(scope)
    .handler(async (event: Event, _context: Context): Promise<Result> => {
      const state = stateOf(event);
      const route = state.route as AnyRoute;
      const routeRequest: RouteRequest = {
        params: state.params,
        query: state.query,
        body: state.body,
        locale: state.locale,
        headers: event.headers ?? {},
        requestId: state.requestId,
        config: state.config,
        clock,
        ...(state.actor ? { actor: state.actor, command: { actor: state.actor, clock, ids } } : {}),
        ...(state.community ? { community: state.community } : {}),
      };
      return replyResult(await route.handle(routeRequest), state, event);
    });
}
