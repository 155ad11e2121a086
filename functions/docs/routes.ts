import { z } from 'zod';
import { text } from '../../domain/shared/localized';
import { defineRoute, type ToolDefinition } from '../shared/routes';
import { DOCS_ASSET_FILES, DOCS_CONTENT_SECURITY_POLICY, DOCS_PAGE, docsAsset, OPENAPI_PATH } from './assets';
import { buildOpenApi, type OpenApiDocument, withServerUrl } from './openapi';

/** The document only changes with a deployment; five minutes keeps a fresh deployment visible soon. */
const DOCUMENT_MAX_AGE_SECONDS = 300;
/** The renderer's files change only when swagger-ui-dist is upgraded; a day, revalidated by ETag after. */
const ASSET_MAX_AGE_SECONDS = 24 * 60 * 60;

let document: Promise<OpenApiDocument> | undefined;

/**
 * The document of every tool, built on the first request. `TOOLS` is imported
 * here, lazily, because `functions/tools.ts` imports this module: a static
 * import would be circular.
 */
function apiDocument(): Promise<OpenApiDocument> {
  document ??= import('../tools').then(({ TOOLS }) => buildOpenApi(TOOLS));
  return document;
}

/** A host name, IPv4 or bracketed IPv6 address, with an optional port: nothing that could smuggle a URL. */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The URL the caller reached the API on, from `Host` and `X-Forwarded-Proto`.
 * API Gateway always sends the latter; without it the caller is the local
 * runtime, which speaks plain HTTP. An implausible host gives no URL at all.
 */
export function serverUrlOf(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const host = headers.host;
  if (!host || !HOST.test(host)) return undefined;
  const forwarded = headers['x-forwarded-proto']?.split(',')[0]?.trim().toLowerCase();
  const protocol = forwarded === 'https' ? 'https' : 'http';
  return `${protocol}://${host}`;
}

const openApiRoute = defineRoute({
  method: 'GET',
  path: OPENAPI_PATH,
  auth: 'public',
  operationId: 'getOpenApiDocument',
  summary: 'This API as an OpenAPI 3.1 document',
  description: 'Generated from the route tables that API Gateway and the local runtime also serve.',
  responses: {
    200: { description: 'The OpenAPI 3.1 document.', schema: z.record(z.string(), z.unknown()) },
  },
  cache: { maxAgeSeconds: DOCUMENT_MAX_AGE_SECONDS },
  async handle({ headers }) {
    const serverUrl = serverUrlOf(headers);
    const base = await apiDocument();
    return { status: 200, body: serverUrl ? withServerUrl(base, serverUrl) : base };
  },
});

const pageRoute = defineRoute({
  method: 'GET',
  path: '/docs',
  auth: 'public',
  internal: true,
  operationId: 'getDocsPage',
  summary: 'The interactive API documentation',
  responses: { 200: { description: 'An HTML page.', contentType: 'text/html; charset=utf-8' } },
  cache: { maxAgeSeconds: DOCUMENT_MAX_AGE_SECONDS },
  async handle() {
    return {
      status: 200,
      body: DOCS_PAGE,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': DOCS_CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      },
    };
  },
});

const assetRoute = defineRoute({
  method: 'GET',
  path: '/docs/{asset}',
  auth: 'public',
  internal: true,
  operationId: 'getDocsAsset',
  summary: 'A file of the interactive documentation',
  // Any name passes validation: an unknown file is a 404, not an invalid request.
  params: z.object({ asset: z.string() }),
  errors: ['not_found'],
  responses: { 200: { description: 'A stylesheet or script of the docs page.', contentType: 'text/plain' } },
  cache: { maxAgeSeconds: ASSET_MAX_AGE_SECONDS },
  async handle({ params }) {
    const asset = await docsAsset(params.asset);
    if (!asset) {
      return {
        error: {
          code: 'not_found',
          message: text(
            `Файлу документації «${params.asset}» немає; сторінка документації: /docs.`,
            `There is no documentation file "${params.asset}"; the documentation page is /docs.`,
          ),
        },
      };
    }
    return {
      status: 200,
      body: asset.body,
      headers: { 'content-type': asset.contentType, 'x-content-type-options': 'nosniff' },
    };
  },
});

/**
 * The API's own documentation: the OpenAPI document and a Swagger UI page,
 * served from the npm-installed renderer (no CDN). It never touches the table.
 */
export const docsTool: ToolDefinition = {
  name: 'docs',
  entry: 'functions/docs/http.ts',
  routes: [openApiRoute, pageRoute, assetRoute],
  tableActions: [],
  indexes: [],
  assets: DOCS_ASSET_FILES,
};
