import type { z } from 'zod';
import type { Community } from '../../domain/communities/community';
import type { Actor } from '../../domain/identity/actor';
import type { Clock } from '../../domain/shared/clock';
import type { CommandContext } from '../../domain/shared/command';
import type { Locale } from '../../domain/shared/localized';
import type { DomainError, Outcome } from '../../domain/shared/outcome';
import type { ProblemCode } from '../../domain/shared/problem-codes';
import type { AppConfig } from './config';
import type { IndexName } from './table';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/**
 * `public`: no token needed (in AWS: no authorizer on the route).
 * `user`: a valid token is required (in AWS: the JWT authorizer guards the route).
 */
export type RouteAuth = 'public' | 'user';

/** What a route's handler receives once the HTTP stack has parsed, authenticated and validated. */
export interface RouteRequest<Params = unknown, Query = unknown, Body = unknown> {
  readonly params: Params;
  readonly query: Query;
  readonly body: Body;
  /** Present on `user` routes, absent for anonymous callers of `public` routes. */
  readonly actor?: Actor;
  /** Loaded by the stack when the path names `{communityId}`; a missing one is already a 404. */
  readonly community?: Community;
  readonly locale: Locale;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly requestId: string;
  readonly config: AppConfig;
  /** The injected clock: the one source of "now" for every route, public or not. */
  readonly clock: Clock;
  /** Clock, ids and actor for commands; only on `user` routes. */
  readonly command?: CommandContext;
}

/**
 * A route answers with a status and a body, or with a domain error that the stack turns into a problem;
 * either may carry response headers (a 429 its `Retry-After`).
 */
export type RouteReply =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly error: DomainError; readonly headers?: Readonly<Record<string, string>> };

export interface RouteResponse {
  readonly description: string;
  readonly schema?: z.ZodType;
  readonly contentType?: string;
}

/**
 * One route, declared once: the CDK stack, the local runtime and the OpenAPI
 * document are all built from these objects.
 */
export interface Route<Params = unknown, Query = unknown, Body = unknown> {
  readonly method: HttpMethod;
  /** API Gateway path template, e.g. `/v1/communities/{communityId}`. */
  readonly path: string;
  readonly auth: RouteAuth;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly params?: z.ZodType<Params>;
  readonly query?: z.ZodType<Query>;
  readonly body?: z.ZodType<Body>;
  /** Non-JSON bodies (e.g. `text/plain`) are passed through as a string. */
  readonly bodyContentType?: string;
  /** Bodies above this many bytes are refused with 413; `BODY_LIMIT_BYTES` (256 KiB) when absent. */
  readonly bodyLimitBytes?: number;
  readonly responses: Readonly<Record<number, RouteResponse>>;
  /**
   * Domain error codes this route can answer with, besides those the HTTP stack
   * adds for its shape ({@link documentedProblems}). The stack checks every
   * answer against them: outside AWS an undocumented code is a 500, so a test
   * fails; in AWS it is logged.
   */
  readonly errors?: readonly ProblemCode[];
  /**
   * Public, cacheable reads: the stack adds `Cache-Control` and a strong `ETag`
   * and answers a matching `If-None-Match` with 304.
   */
  readonly cache?: { readonly maxAgeSeconds: number };
  /**
   * For hot paths (signing): `roles: false` skips reading the caller's
   * memberships, and `communityCacheMs` lets the community's settings be that
   * old. Both default to the safe choice (read roles, read settings fresh).
   */
  readonly scope?: { readonly roles?: boolean; readonly communityCacheMs?: number };
  /** Hidden from the OpenAPI document (CORS preflight, the docs page itself). */
  readonly internal?: boolean;
  handle(request: RouteRequest<Params, Query, Body>): Promise<RouteReply>;
}

// biome-ignore lint/suspicious/noExplicitAny: a tool's route list mixes routes of different parameter types
export type AnyRoute = Route<any, any, any>;

/**
 * The actor's command context and the community of a `user` route, which the
 * stack guarantees; one helper keeps handlers free of assertions.
 * @throws Error when called on a route without them: a programming error.
 */
export function userScope(request: RouteRequest): { command: CommandContext; community: Community } {
  if (!request.command || !request.community) throw new Error('A user route ran without actor or community');
  return { command: request.command, community: request.community };
}

/**
 * A use case's outcome as the route answers it: the view of the value, or the
 * rejection as a problem.
 * @example return answer(await runChange(...), (petition) => ({ status: 200, body: view(petition) }));
 */
export function answer<T>(outcome: Outcome<T>, view: (value: T) => RouteReply): RouteReply {
  return outcome.ok ? view(outcome.value) : { error: outcome.error };
}

/** Declares a route with its types inferred from its schemas. */
export function defineRoute<Params, Query, Body>(
  route: Route<Params, Query, Body>,
): Route<Params, Query, Body> {
  return route;
}

/** Names `{param}` segments of an API Gateway path template, in order (`{proxy+}` gives `proxy+`). */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
}

/**
 * The path of a resource, filled in from a route's template: how every
 * `Location` header is built, so it cannot drift from the route that serves it.
 * @throws Error when the template names a parameter `values` lacks: a programming error.
 * @example pathTo(PETITION, { communityId: 'demo', petitionId: id }) // → '/v1/communities/demo/petitions/01H…'
 */
export function pathTo(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^}+]+)\}/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`pathTo: ${template} needs ${name}`);
    return encodeURIComponent(value);
  });
}

/** A 201 with its `Location`: the path of the new resource, from the template of the route that serves it. */
export function created(
  template: string,
  values: Readonly<Record<string, string>>,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): RouteReply {
  return { status: 201, body, headers: { ...headers, location: pathTo(template, values) } };
}

/**
 * The problem codes a route can answer with: the ones it declares, plus those
 * the HTTP stack itself produces for any route of its shape.
 */
export function documentedProblems(route: AnyRoute): ReadonlySet<ProblemCode> {
  const codes = new Set<ProblemCode>(route.errors ?? []);
  if (route.params || route.query || route.body) codes.add('validation_failed');
  if (route.body) {
    if ((route.bodyContentType ?? 'application/json') === 'application/json') codes.add('malformed_json');
    codes.add('payload_too_large');
    codes.add('unsupported_media_type');
  }
  if (route.auth === 'user') codes.add('unauthorized');
  // The stack loads the community named in the path and answers 404 when it is missing.
  if (pathParameterNames(route.path).includes('communityId')) codes.add('community_not_found');
  codes.add('internal_error');
  return codes;
}

/** The key API Gateway puts in `event.routeKey`, and the local runtime too. */
export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** DynamoDB actions a tool's Lambda may call on the table; the CDK stack grants exactly these. */
export type TableAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:BatchWriteItem'
  | 'dynamodb:ConditionCheckItem'
  | 'dynamodb:TransactWriteItems';

/** The reads a tool's routes make: single items, batches, queries. */
export const TABLE_READS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
] as const satisfies readonly TableAction[];

/**
 * The usual grant of a tool that reads and changes its items: the reads, the
 * single writes and the conditional transactions. A tool that needs less lists
 * its own (least privilege).
 */
export const TABLE_READ_WRITE: readonly TableAction[] = [
  ...TABLE_READS,
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:TransactWriteItems',
];

/**
 * A participation tool as deployed: one Lambda (`entry` exports `handler`) that
 * serves `routes`, allowed `tableActions` on the table and nothing else.
 */
export interface ToolDefinition {
  readonly name: string;
  /** Path of the handler module, relative to the repository root. */
  readonly entry: string;
  readonly routes: readonly AnyRoute[];
  readonly tableActions: readonly TableAction[];
  /**
   * The indexes its code queries, exactly: `dynamodb:Query` is granted on these
   * and no other (none when empty). tests/unit/index-grants.test.ts checks the
   * list against the index names the bundled handler references.
   */
  readonly indexes: readonly IndexName[];
  /** Files the handler reads at run time, copied next to the bundle (e.g. the docs page's assets). */
  readonly assets?: readonly string[];
  /** Writes large exports to the exports bucket (and so gets read/write under its `exports/` prefix). */
  readonly usesExports?: boolean;
}
