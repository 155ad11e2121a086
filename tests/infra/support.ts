import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { AnyRoute, HttpMethod, RouteAuth } from '../../functions/shared/routes';
import { STREAM_HANDLER } from '../../functions/tools';
import { CONTEXT_KEYS, type DeploymentConfig, readDeploymentConfig } from '../../infra/aws/config';
import { addHromadaStacks, type HromadaHandlers, type HromadaStacks } from '../../infra/aws/hromada';
import type { ApiTool } from '../../infra/aws/stacks/api-stack';
import { FIXTURE_ASSET } from './fixtures/handler';

/** The fixture handler module, relative to the repository root like every real entry. */
export const FIXTURE_ENTRY = 'tests/infra/fixtures/handler.ts';

export const TEST_CONTEXT = {
  [CONTEXT_KEYS.stage]: 'test',
  [CONTEXT_KEYS.jwtIssuer]: 'https://id.example.test/realms/hromada',
  [CONTEXT_KEYS.jwtAudience]: 'hromada-test',
  // Used only where the WAF is on (prod by default): its cross-region reference needs explicit regions.
  [CONTEXT_KEYS.region]: 'eu-central-1',
} as const;

/**
 * Skips esbuild for every stack (CDK's own switch, the one `cdk ls` uses):
 * for tests that read templates and the construct tree, not bundles.
 */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

function fixtureRoute(method: HttpMethod, path: string, auth: RouteAuth): AnyRoute {
  return {
    method,
    path,
    auth,
    operationId: `${method.toLowerCase()}${path.replaceAll(/[^A-Za-z]/g, '')}`,
    summary: 'fixture route',
    responses: { 200: { description: 'ok' } },
    handle: async () => ({ status: 200 }),
  };
}

/**
 * Tools with public and user routes, different table actions, one with an
 * asset, one public only; one queries and names its index, none of the others query.
 */
export const FIXTURE_TOOLS: readonly ApiTool[] = [
  {
    name: 'alpha',
    entry: FIXTURE_ENTRY,
    routes: [fixtureRoute('GET', '/v1/alpha', 'public'), fixtureRoute('POST', '/v1/alpha', 'user')],
    tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
    indexes: ['GSI2'],
    usesExports: true,
  },
  {
    name: 'beta-tool',
    entry: FIXTURE_ENTRY,
    routes: [
      fixtureRoute('GET', '/v1/beta/{betaId}', 'public'),
      fixtureRoute('PUT', '/v1/beta/{betaId}', 'user'),
      fixtureRoute('DELETE', '/v1/beta/{betaId}', 'user'),
    ],
    tableActions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:TransactWriteItems'],
    indexes: [],
    assets: [FIXTURE_ASSET],
  },
  {
    // Public routes only and no exports: gets neither the signer secret nor the bucket.
    name: 'gamma',
    entry: FIXTURE_ENTRY,
    routes: [fixtureRoute('GET', '/v1/gamma', 'public')],
    tableActions: ['dynamodb:GetItem'],
    indexes: [],
  },
];

/** The real stream handler's name, table actions and indexes, on the fixture entry; one scheduled job that queries GSI2. */
export const FIXTURE_HANDLERS: HromadaHandlers = {
  tools: FIXTURE_TOOLS,
  streamHandler: { ...STREAM_HANDLER, entry: FIXTURE_ENTRY },
  scheduledHandlers: [
    {
      name: 'close-petitions',
      entry: FIXTURE_ENTRY,
      schedule: 'rate(5 minutes)',
      tableActions: ['dynamodb:Query', 'dynamodb:UpdateItem'],
      indexes: ['GSI2'],
    },
  ],
};

/**
 * Apps whose cloud assemblies go to fresh temp folders (never the OS temp dir's
 * shared `cdk.out*`), all removed by `removeAll()` in the test file's `afterAll`.
 */
export class TestApps {
  private readonly outdirs: string[] = [];

  create(context: Record<string, unknown> = TEST_CONTEXT): App {
    const outdir = mkdtempSync(join(tmpdir(), 'hromada-cdk-test-'));
    this.outdirs.push(outdir);
    return new App({ outdir, context });
  }

  /** A whole deployment (all stacks) built from `handlers`. */
  synthesize(
    handlers: HromadaHandlers = FIXTURE_HANDLERS,
    context?: Record<string, unknown>,
  ): { app: App; config: DeploymentConfig; stacks: HromadaStacks } {
    const app = this.create(context);
    const config = readDeploymentConfig(app.node);
    return { app, config, stacks: addHromadaStacks(app, config, handlers) };
  }

  removeAll(): void {
    for (const outdir of this.outdirs.splice(0)) rmSync(outdir, { recursive: true, force: true });
  }
}

interface IamPolicyResource {
  readonly Properties: { Roles: unknown[]; PolicyDocument: { Statement: PolicyStatementJson[] } };
}

/** The logical id of the one resource of `type` in `stack` whose id starts with `prefix`. */
export function logicalIdOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1)
    throw new Error(`Expected one ${type} named ${prefix}*, found ${ids.join(', ') || 'none'}`);
  return ids[0]!;
}

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every statement of the inline policies attached to the role of the function `functionId`. */
export function statementsOfFunction(template: Template, functionId: string): PolicyStatementJson[] {
  const fn = template.findResources('AWS::Lambda::Function')[functionId];
  if (!fn) throw new Error(`No function ${functionId}`);
  const roleRef = (fn.Properties as { Role: { 'Fn::GetAtt': [string, string] } }).Role['Fn::GetAtt'][0];
  const attached = (policy: IamPolicyResource) =>
    policy.Properties.Roles.some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleRef }));
  return (Object.values(template.findResources('AWS::IAM::Policy')) as IamPolicyResource[])
    .filter(attached)
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
}

/**
 * Resolves a cross-stack `Fn::ImportValue` to the value the exporting stack
 * exports, so tests can say "this is the table's ARN" rather than match export names.
 */
export function resolveImports(value: unknown, exporters: readonly Stack[]): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveImports(item, exporters));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record['Fn::ImportValue'] === 'string') {
    const name = record['Fn::ImportValue'];
    for (const stack of exporters) {
      const outputs = Template.fromStack(stack).toJSON().Outputs as Record<
        string,
        { Value: unknown; Export?: { Name: string } }
      >;
      const output = Object.values(outputs ?? {}).find((candidate) => candidate.Export?.Name === name);
      if (output) return { [stack.stackName]: output.Value };
    }
    throw new Error(`No stack exports ${name}`);
  }
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) => [key, resolveImports(item, exporters)]),
  );
}

/** The statements granting something on the table's indexes (their resources end in `/index/<name>`). */
export function indexStatementsOf(template: Template, functionId: string): PolicyStatementJson[] {
  return statementsOfFunction(template, functionId).filter((statement) =>
    JSON.stringify(statement.Resource).includes('/index/'),
  );
}

/** The ARNs of `indexes` of the table whose ARN is `tableArn`, as CDK writes a statement's resources (one alone, not in a list). */
export function indexArns(tableArn: unknown, indexes: readonly string[]): unknown {
  const arns = indexes.map((name) => ({ 'Fn::Join': ['', [tableArn, `/index/${name}`]] }));
  return arns.length === 1 ? arns[0] : arns;
}
