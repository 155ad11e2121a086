import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import { PROBLEM_TYPES, type ProblemCode, problemTypeUri } from '../shared/problems';
import { type AnyRoute, documentedProblems, type ToolDefinition } from '../shared/routes';

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1) as plain JSON. */
export type JsonSchema = { [keyword: string]: unknown };

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly description?: string;
  readonly schema: JsonSchema;
}

export interface OpenApiMediaType {
  readonly schema: JsonSchema;
}

export interface OpenApiResponse {
  readonly description: string;
  readonly headers?: Readonly<Record<string, { readonly description: string; readonly schema: JsonSchema }>>;
  readonly content?: Readonly<Record<string, OpenApiMediaType>>;
}

export interface OpenApiOperation {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: {
    readonly required: boolean;
    readonly content: Readonly<Record<string, OpenApiMediaType>>;
  };
  readonly responses: Readonly<Record<string, OpenApiResponse>>;
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
  /** Every problem `code` the operation can answer with, so that clients can switch on them. */
  readonly 'x-problem-codes': readonly string[];
}

export type OpenApiPathItem = Partial<
  Record<'get' | 'post' | 'put' | 'patch' | 'delete' | 'options', OpenApiOperation>
>;

/** The parts of an OpenAPI 3.1 document this API uses. */
export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly servers?: readonly { readonly url: string }[];
  readonly tags: readonly { readonly name: string }[];
  readonly paths: Readonly<Record<string, OpenApiPathItem>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, JsonSchema>>;
    readonly securitySchemes: Readonly<Record<string, JsonSchema>>;
  };
}

export interface BuildOpenApiOptions {
  /** Where the API is served, e.g. `https://api.example.org`; omitted when unknown. */
  readonly serverUrl?: string;
}

const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_SCHEMA_REF = '#/components/schemas/Problem';
const BEARER = 'bearer';

/**
 * The OpenAPI 3.1 document of every visible route of `tools`: the route tables
 * are the only source, so the document cannot drift from what is deployed.
 * Routes marked `internal` (the docs page, greedy `{proxy+}` catch-alls) are left out.
 *
 * @example
 * const document = buildOpenApi(TOOLS, { serverUrl: 'https://api.example.org' });
 */
export function buildOpenApi(
  tools: readonly ToolDefinition[],
  options: BuildOpenApiOptions = {},
): OpenApiDocument {
  const components = new SchemaComponents();
  components.reference('Problem', ProblemSchema, 'output');

  const paths: Record<string, OpenApiPathItem> = {};
  const tags: { name: string }[] = [];
  for (const tool of tools) {
    const visible = tool.routes.filter((route) => !route.internal);
    if (visible.length > 0) tags.push({ name: tool.name });
    for (const route of visible) {
      paths[route.path] ??= {};
      const pathItem = paths[route.path] as OpenApiPathItem;
      const method = route.method.toLowerCase() as keyof OpenApiPathItem;
      if (pathItem[method]) {
        throw new Error(
          `${route.method} ${route.path} is declared twice; a route belongs to exactly one tool`,
        );
      }
      pathItem[method] = operationOf(route, tool.name, components);
    }
  }

  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: { title: 'Hromada API', version: packageJson.version, description: apiDescription() },
    tags,
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        [BEARER]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An OIDC access or ID token from an issuer this deployment trusts.',
        },
      },
    },
  };
  return options.serverUrl ? withServerUrl(document, options.serverUrl) : document;
}

/** The same document, served from `serverUrl` (so that "Try it out" calls the host the reader is on). */
export function withServerUrl(document: OpenApiDocument, serverUrl: string): OpenApiDocument {
  const { openapi, info, ...rest } = document;
  return { openapi, info, servers: [{ url: serverUrl }], ...rest };
}

/** The problem codes a route can answer with, ordered by status, then code. */
export function problemCodesOf(route: AnyRoute): string[] {
  return [...documentedProblems(route)].sort((a, b) => statusOf(a) - statusOf(b) || a.localeCompare(b));
}

/** The status of a problem code; an unmapped code is answered as 500 by the stack, so it is documented as one. */
function statusOf(code: string): number {
  return (
    (PROBLEM_TYPES as Record<string, { status: number }>)[code]?.status ?? PROBLEM_TYPES.internal_error.status
  );
}

function englishTitleOf(code: string): string {
  return (PROBLEM_TYPES as Record<string, { title: { en: string } }>)[code]?.title.en ?? 'Unmapped code';
}

// ---- operations -------------------------------------------------------------------------------

function operationOf(route: AnyRoute, tag: string, components: SchemaComponents): OpenApiOperation {
  const owner = upperFirst(route.operationId);
  const parameters = [
    ...objectParameters(route.params, 'path', components, `${owner}Path`),
    ...objectParameters(route.query, 'query', components, `${owner}Query`),
    ...(route.cache ? [IF_NONE_MATCH] : []),
  ];
  const problemCodes = problemCodesOf(route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: requestBodyOf(route, route.body, components, owner) } : {}),
    responses: { ...successResponses(route, components, owner), ...problemResponses(problemCodes) },
    ...(route.auth === 'user' ? { security: [{ [BEARER]: [] }] } : {}),
    'x-problem-codes': problemCodes,
  };
}

/** Each property of a path or query object schema as one parameter; path parameters are always required. */
function objectParameters(
  schema: z.ZodType | undefined,
  location: 'path' | 'query',
  components: SchemaComponents,
  owner: string,
): OpenApiParameter[] {
  if (!schema) return [];
  const json = components.convert(schema, 'input', owner);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, propertySchema]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    // Swagger UI and most generators show a parameter's own description, not its schema's.
    ...(typeof propertySchema.description === 'string' ? { description: propertySchema.description } : {}),
    schema: propertySchema,
  }));
}

function requestBodyOf(
  route: AnyRoute,
  body: z.ZodType,
  components: SchemaComponents,
  owner: string,
): NonNullable<OpenApiOperation['requestBody']> {
  return {
    // A body is optional only when the schema itself accepts its absence.
    required: !body.safeParse(undefined).success,
    content: {
      [route.bodyContentType ?? 'application/json']: {
        schema: components.reference(`${owner}Request`, body, 'input'),
      },
    },
  };
}

const CACHE_HEADERS = {
  ETag: {
    description: 'A strong tag of the body; send it back in If-None-Match.',
    schema: { type: 'string' },
  },
  'Cache-Control': { description: 'How long the answer may be reused.', schema: { type: 'string' } },
} as const;

/** A 429 (`rate_limited`) says when the resident's window ends. */
const RETRY_HEADERS = {
  'Retry-After': {
    description: 'Seconds until the limit allows the action again (the end of the window).',
    schema: { type: 'integer', minimum: 1 },
  },
} as const;

const IF_NONE_MATCH: OpenApiParameter = {
  name: 'If-None-Match',
  in: 'header',
  required: false,
  description: 'An ETag from an earlier answer: an unchanged resource is answered with 304 and no body.',
  schema: { type: 'string' },
};

function successResponses(
  route: AnyRoute,
  components: SchemaComponents,
  owner: string,
): Record<string, OpenApiResponse> {
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const contentType = response.contentType ?? 'application/json';
    let content: Record<string, OpenApiMediaType> | undefined;
    if (response.schema) {
      content = {
        [contentType]: {
          schema: components.reference(`${owner}Response${status}`, response.schema, 'output'),
        },
      };
    } else if (response.contentType) {
      content = { [contentType]: { schema: isJson(contentType) ? {} : { type: 'string' } } };
    }
    responses[status] = {
      description: response.description,
      ...(route.cache && status === '200' ? { headers: CACHE_HEADERS } : {}),
      ...(content ? { content } : {}),
    };
  }
  if (route.cache) {
    responses['304'] = {
      description: 'Not modified: the If-None-Match tag is current.',
      headers: CACHE_HEADERS,
    };
  }
  return responses;
}

/** One problem response per status; every 4xx and 5xx the stack sends is a problem, whatever a route declares. */
function problemResponses(codes: readonly string[]): Record<string, OpenApiResponse> {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, statusCodes] of byStatus) {
    responses[String(status)] = {
      description: statusCodes.map((code) => `\`${code}\`: ${englishTitleOf(code)}`).join('; '),
      ...(status === 429 ? { headers: RETRY_HEADERS } : {}),
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: PROBLEM_SCHEMA_REF } } },
    };
  }
  return responses;
}

const isJson = (contentType: string): boolean => /[/+]json\b/.test(contentType);

const upperFirst = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

// ---- schemas ----------------------------------------------------------------------------------

/** RFC 9457 problem details as this API sends them (see `functions/shared/problems.ts`). */
const ProblemSchema = z
  .looseObject({
    type: z
      .string()
      .describe('The problem type, a URI that names the code.')
      .meta({ examples: [problemTypeUri('validation_failed')] }),
    title: z.string().describe("The problem type's title, in the language of the answer (Content-Language)."),
    status: z.number().int().min(100).max(599).describe('The HTTP status code.'),
    detail: z.string().describe('What went wrong in this request and what to do about it.'),
    code: z
      .enum(Object.keys(PROBLEM_TYPES) as [ProblemCode, ...ProblemCode[]])
      .describe('A stable code to switch on.'),
    errors: z
      .array(
        z.object({
          pointer: z
            .string()
            .describe('A JSON pointer into the request: `/body/...`, `/query/...` or `/path/...`.'),
          detail: z.string().describe('What is wrong with that field.'),
        }),
      )
      .optional()
      .describe('One entry per invalid field.'),
  })
  .describe('An RFC 9457 problem; further members carry context such as limits (`limitBytes`).');

const COMPONENT_REF_PREFIX = '#/components/schemas/';

/**
 * `components.schemas` of the document. zod puts shared and recursive parts of
 * a schema into `$defs` with refs relative to that schema's root, which do not
 * resolve once the schema sits inside an OpenAPI document; they are moved here
 * and their refs rewritten.
 */
class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  /**
   * `schema` as JSON Schema with its `$defs` moved to the components.
   * @param owner the component name the result is stored under (or would be), which
   *   names zod's anonymous defs and is the target of a root self-reference (`#`).
   */
  convert(schema: z.ZodType, io: 'input' | 'output', owner: string, stored = false): JsonSchema {
    const generated = jsonOnly(
      z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }),
    );
    const {
      $schema: _dialect,
      $defs = {},
      ...root
    } = generated as JsonSchema & { $defs?: Record<string, JsonSchema> };
    const names = new Map(Object.keys($defs).map((name) => [name, componentName(name, io, owner)] as const));
    const rewrite = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (node === null || typeof node !== 'object') return node;
      return Object.fromEntries(
        Object.entries(node).map(([key, value]) => [
          key,
          key === '$ref' ? rewriteRef(value as string) : rewrite(value),
        ]),
      );
    };
    const rewriteRef = (ref: string): string => {
      if (ref === '#') {
        if (!stored) throw new Error(`${owner} refers to itself, which only a stored schema (a body) can do`);
        return COMPONENT_REF_PREFIX + owner;
      }
      const name = names.get(ref.replace(/^#\/\$defs\//, ''));
      if (!name) throw new Error(`${owner} has a $ref this document cannot express: ${ref}`);
      return COMPONENT_REF_PREFIX + name;
    };
    for (const [name, definition] of Object.entries($defs)) {
      this.put(names.get(name) as string, rewrite(definition) as JsonSchema);
    }
    return rewrite(root) as JsonSchema;
  }

  /** Stores `schema` as the component `name` and refers to it; a schema that is already a bare ref is used as is. */
  reference(name: string, schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const converted = this.convert(schema, io, name, true);
    if (Object.keys(converted).length === 1 && typeof converted.$ref === 'string') return converted;
    this.put(name, converted);
    return { $ref: COMPONENT_REF_PREFIX + name };
  }

  /** Adds a component; two different schemas under one name would make one of them lie. */
  put(name: string, schema: JsonSchema): void {
    const existing = this.schemas[name];
    if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
      throw new Error(`Two different schemas would both be components.schemas.${name}; give one another id`);
    }
    this.schemas[name] = schema;
  }
}

/**
 * Schemas given an id (`.meta({ id: 'Community' })`) keep it, with `Input` for the
 * request side since defaults make it differ; zod's anonymous `__schemaN` defs
 * are named after their owner.
 */
function componentName(defName: string, io: 'input' | 'output', owner: string): string {
  const name = defName.startsWith('__')
    ? `${owner}_${defName.slice(2)}`
    : io === 'input'
      ? `${defName}Input`
      : defName;
  return name.replaceAll(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * Plain JSON: zod copies metadata as given, so an `undefined` member, a Date or a
 * bigint in `.meta()` would otherwise reach the document and change when serialised.
 */
function jsonOnly(value: unknown): JsonSchema {
  return JSON.parse(
    JSON.stringify(value, (_key, member) => (typeof member === 'bigint' ? member.toString() : member)),
  ) as JsonSchema;
}

// ---- the overview -----------------------------------------------------------------------------

const escapeCell = (cell: string): string => cell.replaceAll('|', '\\|');

/** The document's introduction: what the API is, how to authenticate, and every problem code. */
function apiDescription(): string {
  const rows = Object.entries(PROBLEM_TYPES).map(
    ([code, type]) =>
      `| \`${code}\` | ${type.status} | ${escapeCell(type.title.uk)} | ${escapeCell(type.title.en)} |`,
  );
  return [
    'Hromada is an e-participation backend for territorial communities (hromadas): petitions, ' +
      'public consultations and participatory budgets, with moderation and council-grade exports.',
    '## Authentication',
    'Public data is readable without a token. Operations marked with a lock need ' +
      '`Authorization: Bearer <token>`: an OIDC JWT from an issuer this deployment trusts ' +
      '(locally, `npm run token` prints one). Roles in a community (`moderator`, `council`) come from ' +
      "the community's membership records, never from the token.",
    '## Errors',
    'Every error is an RFC 9457 problem (`application/problem+json`) with `type`, `title`, `status`, ' +
      '`detail`, a stable `code` and, for invalid input, `errors[]` with a JSON pointer to each field. ' +
      '`title` and `detail` are in Ukrainian (`uk`, the default) or English (`en`), chosen by ' +
      '`Accept-Language`; `Content-Language` says which. Each operation lists the codes it can answer ' +
      'with in `x-problem-codes`.',
    ['| code | status | title (uk) | title (en) |', '|---|---|---|---|', ...rows].join('\n'),
  ].join('\n\n');
}
