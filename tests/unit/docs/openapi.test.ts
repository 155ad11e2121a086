import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  buildOpenApi,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiPathItem,
} from '../../../functions/docs/openapi';
import { docsTool } from '../../../functions/docs/routes';
import type { ProblemCode } from '../../../functions/shared/problems';
import { PROBLEM_TYPES } from '../../../functions/shared/problems';
import { type AnyRoute, pathParameterNames, type ToolDefinition } from '../../../functions/shared/routes';
import { TOOLS } from '../../../functions/tools';

// ---- fixtures ---------------------------------------------------------------------------------

const Item = z
  .object({ id: z.string(), title: z.string(), votes: z.number().int().default(0) })
  .meta({ id: 'FixtureItem' });

interface Folder {
  name: string;
  children: Folder[];
}
const Folder: z.ZodType<Folder> = z.object({
  name: z.string(),
  get children() {
    return z.array(Folder);
  },
});

const communityParams = z.object({ communityId: z.string().describe('The community id.') });
const handle = async () => ({ status: 200 });

const listItems: AnyRoute = {
  method: 'GET',
  path: '/v1/communities/{communityId}/items',
  auth: 'public',
  operationId: 'listItems',
  summary: 'Lists items',
  params: communityParams,
  query: z.object({
    limit: z.coerce.number().int().min(1).max(100).optional(),
    cursor: z.string().optional().describe('Where the previous page ended.'),
  }),
  responses: {
    200: { description: 'A page', schema: z.object({ items: z.array(Item), next: z.string().optional() }) },
  },
  errors: ['invalid_cursor'],
  cache: { maxAgeSeconds: 60 },
  handle,
};

const createItem: AnyRoute = {
  method: 'POST',
  path: '/v1/communities/{communityId}/items',
  auth: 'user',
  operationId: 'createItem',
  summary: 'Creates an item',
  description: 'A longer text.',
  params: communityParams,
  body: z.object({ title: z.string().min(1), votes: z.number().int().default(0) }),
  responses: { 201: { description: 'Created', schema: Item } },
  errors: ['forbidden', 'version_conflict'],
  handle,
};

const getTree: AnyRoute = {
  method: 'GET',
  path: '/v1/tree',
  auth: 'public',
  operationId: 'getTree',
  summary: 'The folder tree',
  responses: { 200: { description: 'The root folder', schema: Folder } },
  handle,
};

const importItems: AnyRoute = {
  method: 'POST',
  path: '/v1/communities/{communityId}/imports/{importId}',
  auth: 'user',
  operationId: 'importItems',
  summary: 'Imports items from CSV',
  params: communityParams.extend({ importId: z.string() }),
  body: z.string(),
  bodyContentType: 'text/csv',
  responses: { 202: { description: 'Accepted' } },
  // Not a code at all: the type forbids it, the document must still not invent a status for it.
  errors: ['not_a_mapped_code' as ProblemCode],
  handle,
};

const preflight: AnyRoute = {
  method: 'OPTIONS',
  path: '/{proxy+}',
  auth: 'public',
  operationId: 'preflight',
  summary: 'CORS preflight',
  internal: true,
  responses: { 204: { description: 'No content' } },
  handle,
};

const FIXTURE_TOOLS: readonly ToolDefinition[] = [
  {
    name: 'things',
    entry: 'functions/things/http.ts',
    routes: [listItems, createItem, getTree, importItems],
    tableActions: [],
    indexes: [],
  },
  {
    name: 'plumbing',
    entry: 'functions/plumbing/http.ts',
    routes: [preflight],
    tableActions: [],
    indexes: [],
  },
];

/** docsTool is added whether or not TOOLS lists it yet, so that its own route table is checked too. */
const REAL_TOOLS: readonly ToolDefinition[] = [...new Set([...TOOLS, docsTool])];

const fixture = buildOpenApi(FIXTURE_TOOLS);
const real = buildOpenApi(REAL_TOOLS);

// ---- helpers ----------------------------------------------------------------------------------

function operationOf(document: OpenApiDocument, route: AnyRoute): OpenApiOperation {
  const operation = document.paths[route.path]?.[route.method.toLowerCase() as keyof OpenApiPathItem];
  if (!operation) throw new Error(`${route.method} ${route.path} is not in the document`);
  return operation;
}

function allOperations(document: OpenApiDocument): { key: string; operation: OpenApiOperation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      operation: operation as OpenApiOperation,
    })),
  );
}

const visibleRoutes = (tools: readonly ToolDefinition[]) =>
  tools.flatMap((tool) => tool.routes.filter((route) => !route.internal).map((route) => ({ tool, route })));

/** Resolves a local `$ref` (`#/a/b`) against the document, or `undefined` when it leads nowhere. */
function resolve(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>(
      (node, segment) =>
        node && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined,
      document,
    );
}

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [value] : refsIn(value),
  );
}

const schemaOf = (document: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema => {
  const ref = schema?.$ref;
  return (typeof ref === 'string' ? resolve(document, ref) : schema) as JsonSchema;
};

const documents = [
  ['the fixture tools', FIXTURE_TOOLS, fixture],
  ['the real tools', REAL_TOOLS, real],
] as const;

// ---- tests ------------------------------------------------------------------------------------

describe('buildOpenApi', () => {
  it('produces an OpenAPI 3.1.0 document named Hromada API with a version', () => {
    expect(fixture.openapi).toBe('3.1.0');
    expect(fixture.info.title).toBe('Hromada API');
    expect(fixture.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(fixture.servers).toBeUndefined();
  });

  it('names the server when it is known', () => {
    const served = buildOpenApi(FIXTURE_TOOLS, { serverUrl: 'https://api.example.org' });
    expect(served.servers).toEqual([{ url: 'https://api.example.org' }]);
  });

  it.each(documents)(
    'lists every visible route of %s exactly once, under its path and method',
    (_, tools, document) => {
      const expected = visibleRoutes(tools).map(({ route }) => `${route.method} ${route.path}`);
      const listed = allOperations(document).map(({ key }) => key);
      expect(listed.sort()).toEqual([...expected].sort());
      for (const { tool, route } of visibleRoutes(tools)) {
        const operation = operationOf(document, route);
        expect(operation.operationId).toBe(route.operationId);
        expect(operation.tags).toEqual([tool.name]);
      }
    },
  );

  it('leaves internal routes and tools without visible routes out', () => {
    expect(Object.keys(fixture.paths)).not.toContain('/{proxy+}');
    expect(fixture.tags).toEqual([{ name: 'things' }]);
    expect(Object.keys(real.paths).filter((path) => path.startsWith('/docs'))).toEqual([]);
  });

  it.each(documents)('gives every operation of %s a unique operationId', (_, _tools, document) => {
    const ids = allOperations(document).map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(documents)(
    'declares exactly the path parameters each template of %s names',
    (_, tools, document) => {
      for (const { route } of visibleRoutes(tools)) {
        const declared = (operationOf(document, route).parameters ?? [])
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => parameter.name);
        expect({ route: `${route.method} ${route.path}`, params: declared.sort() }).toEqual({
          route: `${route.method} ${route.path}`,
          params: pathParameterNames(route.path).sort(),
        });
      }
    },
  );

  it.each(documents)(
    'asks for a bearer token on the user routes of %s and on no public one',
    (_, tools, document) => {
      expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      for (const { route } of visibleRoutes(tools)) {
        const security = operationOf(document, route).security;
        if (route.auth === 'user') expect(security).toEqual([{ bearer: [] }]);
        else expect(security).toBeUndefined();
      }
    },
  );

  it.each(documents)(
    'answers every 4xx and 5xx of %s with the shared Problem schema',
    (_, _tools, document) => {
      expect(document.components.schemas.Problem).toMatchObject({ type: 'object' });
      for (const { key, operation } of allOperations(document)) {
        const problems = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
        expect(problems.length, key).toBeGreaterThan(0);
        for (const [, response] of problems) {
          expect(response.content, key).toEqual({
            'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
          });
        }
      }
    },
  );

  it('derives the problems of a route from its codes and its shape', () => {
    const create = operationOf(fixture, createItem);
    expect(create['x-problem-codes']).toEqual([
      'malformed_json',
      'validation_failed',
      'unauthorized',
      'forbidden',
      'community_not_found',
      'version_conflict',
      'payload_too_large',
      'unsupported_media_type',
      'internal_error',
    ]);
    expect(Object.keys(create.responses).sort()).toEqual([
      '201',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
      '500',
    ]);

    const list = operationOf(fixture, listItems);
    expect(list['x-problem-codes']).toEqual([
      'invalid_cursor',
      'validation_failed',
      'community_not_found',
      'internal_error',
    ]);

    expect(operationOf(fixture, getTree)['x-problem-codes']).toEqual(['internal_error']);
    expect(Object.keys(operationOf(fixture, getTree).responses).sort()).toEqual(['200', '500']);
  });

  it('documents a code without a status as the 500 the stack answers it with, and no JSON error for a CSV body', () => {
    const imports = operationOf(fixture, importItems);
    expect(imports['x-problem-codes']).not.toContain('malformed_json');
    expect(imports.responses['500']?.description).toContain('not_a_mapped_code');
    expect(Object.keys(imports.requestBody?.content ?? {})).toEqual(['text/csv']);
    expect(schemaOf(fixture, imports.requestBody?.content['text/csv']?.schema)).toEqual({ type: 'string' });
  });

  it('describes requests by what a client may send and responses by what it receives', () => {
    const create = operationOf(fixture, createItem);
    const request = schemaOf(fixture, create.requestBody?.content['application/json']?.schema);
    expect(request.required).toEqual(['title']);
    expect(create.requestBody?.required).toBe(true);

    const created = create.responses['201']?.content?.['application/json']?.schema;
    expect(created).toEqual({ $ref: '#/components/schemas/FixtureItem' });
    expect(schemaOf(fixture, created).required).toEqual(['id', 'title', 'votes']);
  });

  it('turns path and query objects into parameters', () => {
    const parameters = operationOf(fixture, listItems).parameters ?? [];
    expect(parameters).toEqual([
      {
        name: 'communityId',
        in: 'path',
        required: true,
        description: 'The community id.',
        schema: { type: 'string', description: 'The community id.' },
      },
      { name: 'limit', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer' }) },
      {
        name: 'cursor',
        in: 'query',
        required: false,
        description: 'Where the previous page ended.',
        schema: { type: 'string', description: 'Where the previous page ended.' },
      },
      expect.objectContaining({ name: 'If-None-Match', in: 'header', required: false }),
    ]);
  });

  it('documents the ETag and the 304 of cacheable routes', () => {
    const list = operationOf(fixture, listItems);
    expect(Object.keys(list.responses['200']?.headers ?? {})).toEqual(['ETag', 'Cache-Control']);
    expect(list.responses['304']).toBeDefined();
    expect(operationOf(fixture, getTree).responses['304']).toBeUndefined();
  });

  it('documents Retry-After on the 429 of each rate-limited route, and a 429 on exactly those', () => {
    const limited = allOperations(real)
      .filter(({ operation }) => operation.responses['429'])
      .map(({ operation }) => operation.operationId)
      .sort();

    expect(limited).toEqual([
      'answerConsultationSurvey',
      'createPetition',
      'editConsultationComment',
      'postConsultationComment',
      'reportModerationItem',
      'submitBudgetProject',
    ]);
    for (const { operation } of allOperations(real).filter(({ operation }) => operation.responses['429']))
      expect(Object.keys(operation.responses['429']?.headers ?? {})).toEqual(['Retry-After']);
  });

  it.each(documents)('resolves every $ref of %s inside the document', (_, _tools, document) => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(resolve(document, ref), ref).toBeDefined();
  });

  it('keeps a recursive schema recursive through a component of its own', () => {
    const tree = operationOf(fixture, getTree).responses['200']?.content?.['application/json']?.schema;
    expect(tree).toEqual({ $ref: '#/components/schemas/GetTreeResponse200' });
    expect(refsIn(schemaOf(fixture, tree))).toEqual(['#/components/schemas/GetTreeResponse200']);
  });

  it.each(documents)('makes %s plain JSON that survives a round trip unchanged', (_, _tools, document) => {
    expect(JSON.parse(JSON.stringify(document))).toStrictEqual(document);
  });

  it('lists every problem code with its status and both titles in the description', () => {
    for (const [code, type] of Object.entries(PROBLEM_TYPES)) {
      expect(fixture.info.description).toContain(
        `| \`${code}\` | ${type.status} | ${type.title.uk} | ${type.title.en} |`,
      );
    }
  });

  it('maps every error code a real route declares to a problem type', () => {
    for (const { route } of visibleRoutes(REAL_TOOLS)) {
      for (const code of route.errors ?? [])
        expect(Object.keys(PROBLEM_TYPES), `${route.operationId}`).toContain(code);
    }
  });

  it('refuses a route declared twice', () => {
    const twice: ToolDefinition = { ...FIXTURE_TOOLS[0]!, name: 'again', routes: [getTree] };
    expect(() => buildOpenApi([...FIXTURE_TOOLS, twice])).toThrow('GET /v1/tree is declared twice');
  });

  it('refuses two different schemas under one id', () => {
    const Other = z.object({ other: z.boolean() }).meta({ id: 'FixtureItem' });
    const clash: ToolDefinition = {
      ...FIXTURE_TOOLS[0]!,
      name: 'clash',
      routes: [
        {
          ...getTree,
          path: '/v1/other',
          operationId: 'getOther',
          responses: { 200: { description: 'x', schema: Other } },
        },
      ],
    };
    expect(() => buildOpenApi([...FIXTURE_TOOLS, clash])).toThrow('components.schemas.FixtureItem');
  });
});
