import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_COMMUNITY_ID, seedDemo } from '../../infra/local/demo';
import { type DevTokenClaims, issueDevToken, loadDevIdentity } from '../../infra/local/dev-identity';
import { type LocalRuntimeOptions, startLocalRuntime } from '../../infra/local/runtime';
import { dynamoEndpoint } from './dynamo-endpoint';
import { createTestTable, type TestTable } from './table';

export interface TestRuntime {
  readonly url: string;
  readonly table: TestTable;
  readonly runtime: Awaited<ReturnType<typeof startLocalRuntime>>;
  /** A token of the local issuer; `{ sub: 'council-1', community: 'demo' }` is the demo council. */
  token(claims: DevTokenClaims): Promise<string>;
  /** fetch against the runtime, with a bearer token when given. */
  call(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /**
   * Every item once the stream has been drained: the outbox publisher marks
   * items sent in the background, so compare tables only after it has settled.
   */
  settledItems(): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

/**
 * The whole local runtime (HTTP server, stream poller, bus) on a free port, on
 * its own table in the run's DynamoDB Local, with the demo community loaded.
 */
export async function startTestRuntime(
  options: {
    demo?: boolean;
    /** Runtime options a test changes: a stand-in job module, a short job time limit. */
    runtime?: Pick<LocalRuntimeOptions, 'queuedJobs' | 'jobTimeLimitMs'>;
  } = {},
): Promise<TestRuntime> {
  process.env.LOG_LEVEL = process.env.TEST_LOG ? '' : 'silent';
  const folder = mkdtempSync(join(tmpdir(), 'hromada-identity-'));
  const identity = await loadDevIdentity(join(folder, 'dev-identity.json'));
  const table = await createTestTable('api');
  const runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: dynamoEndpoint(),
    tableName: table.tableName,
    issuers: [identity.issuer],
    signerSecret: identity.signerSecret,
    log: () => {},
    ...options.runtime,
  });
  if (options.demo !== false) {
    await seedDemo({
      tableName: table.tableName,
      dynamoEndpoint: table.endpoint,
      region: table.region,
      issuer: identity.issuer.issuer,
      signerSecret: identity.signerSecret,
    });
  }
  return {
    url: runtime.url,
    table,
    runtime,
    token: (claims) => issueDevToken(identity, claims),
    call: (path, init = {}) => {
      const { token, headers, ...rest } = init;
      return fetch(`${runtime.url}${path}`, {
        ...rest,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(headers as Record<string, string>),
        },
      });
    },
    settledItems: async () => {
      await runtime.drain();
      return table.scanAll();
    },
    stop: async () => {
      await runtime.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export { DEMO_COMMUNITY_ID };

const bodies = new WeakMap<Response, Promise<unknown>>();

/**
 * A response body as JSON, read once however often it is asked for. Typed
 * loosely on purpose: API tests assert the shape with `expect`, the real check.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export const jsonOf = (response: Response): Promise<any> => {
  if (!bodies.has(response)) bodies.set(response, response.json());
  return bodies.get(response) as Promise<unknown>;
};
