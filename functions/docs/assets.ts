import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the renderer's files are, relative to the repository root locally and to the bundle in AWS. */
const SWAGGER_UI_DIR = 'node_modules/swagger-ui-dist';

const CSS = 'text/css; charset=utf-8';
const JAVASCRIPT = 'text/javascript; charset=utf-8';

/**
 * The only files of swagger-ui-dist the docs page serves, with their content
 * types. An allow-list rather than a directory, so that no path a caller sends
 * can reach any other file.
 */
const DIST_FILES: Readonly<Record<string, string>> = {
  'swagger-ui.css': CSS,
  'index.css': CSS,
  'swagger-ui-bundle.js': JAVASCRIPT,
};

/** The files the docs Lambda reads at run time, relative to the repository root (the tool's `assets`). */
export const DOCS_ASSET_FILES: readonly string[] = Object.keys(DIST_FILES).map(
  (file) => `${SWAGGER_UI_DIR}/${file}`,
);

/** Where the docs page finds the API description. */
export const OPENAPI_PATH = '/v1/openapi.json';

/**
 * Starts Swagger UI. A file of its own, not an inline script, so that the page
 * works under a Content-Security-Policy without `'unsafe-inline'`. The
 * validator is switched off because it would send the document to swagger.io.
 */
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '${OPENAPI_PATH}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

/** The interactive docs page: everything it loads comes from this API, nothing from a CDN. */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Hromada API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="stylesheet" href="/docs/index.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

/**
 * Scripts only from this origin; inline styles stay allowed because Swagger UI
 * renders descriptions (Markdown) that may carry them.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A file the docs page loads. */
export interface DocsAsset {
  readonly body: string;
  readonly contentType: string;
}

const reads = new Map<string, Promise<string>>();

/**
 * The docs file called `name`, or `undefined` when it is not one the page uses.
 * Each file is read once per Lambda instance.
 */
export async function docsAsset(name: string): Promise<DocsAsset | undefined> {
  if (name === 'init.js') return { body: INIT_SCRIPT, contentType: JAVASCRIPT };
  const contentType = Object.hasOwn(DIST_FILES, name) ? DIST_FILES[name] : undefined;
  if (!contentType) return undefined;
  let read = reads.get(name);
  if (!read) {
    read = readFile(join(distDirectory(), name), 'utf8');
    // A failed read is not remembered, so that the next request tries again.
    read.catch(() => reads.delete(name));
    reads.set(name, read);
  }
  return { body: await read, contentType };
}

/**
 * swagger-ui-dist's directory: next to the bundle in AWS (`LAMBDA_TASK_ROOT`,
 * where the CDK stack copies the tool's assets), else under the repository root
 * (from this module's location, or the working directory when bundled elsewhere).
 */
function distDirectory(): string {
  const roots = [
    process.env.LAMBDA_TASK_ROOT,
    fileURLToPath(new URL('../../', import.meta.url)),
    process.cwd(),
  ];
  for (const root of roots) {
    if (root && existsSync(join(root, SWAGGER_UI_DIR, 'swagger-ui-bundle.js')))
      return join(root, SWAGGER_UI_DIR);
  }
  throw new Error(`swagger-ui-dist was not found under any of ${roots.filter(Boolean).join(', ')}`);
}
