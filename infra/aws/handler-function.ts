import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { TableAction } from '../../functions/shared/routes';
import type { IndexName } from '../../functions/shared/table';

/** The repository root: handler entries and assets are given relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A Lambda handler as the function lists describe it (`TOOLS`, `STREAM_HANDLER`, `SCHEDULED_HANDLERS`). */
export interface HandlerSpec {
  readonly name: string;
  /** Module exporting `handler`, relative to the repository root. */
  readonly entry: string;
  readonly tableActions: readonly TableAction[];
  /**
   * The indexes its queries read: `dynamodb:Query` is granted on these only, each
   * by its own ARN (never `index/*`), and on none when the list is empty.
   */
  readonly indexes: readonly IndexName[];
  /** Files relative to the repository root, copied next to the bundle at the same relative path. */
  readonly assets?: readonly string[];
}

export interface HandlerFunctionProps {
  readonly spec: HandlerSpec;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout?: Duration;
  /** MB; 512 unless a handler computes more than it waits. */
  readonly memorySize?: number;
  /** Concurrent executions reserved for the function, which also caps it; none unless given. */
  readonly reservedConcurrency?: number;
}

/**
 * Why every function stays on Node.js 22 although cdk-nag's AwsSolutions-L1
 * asks for the newest runtime CDK knows (Node.js 24): the code, its types
 * (`@types/node` 22), the local runtime and the whole test suite target and run
 * on Node.js 22, so another runtime would ship untested. Raise it together with them.
 */
export const RUNTIME_PIN_REASON =
  'Pinned to Node.js 22 on purpose: package.json engines, @types/node and the local runtime and tests all run Node.js 22, so a newer Lambda runtime would deploy code no test has run on; move all of them together.';

/**
 * One Lambda for one handler module, with the settings every Hromada function
 * shares: Node.js 22 on arm64, bundled locally by esbuild (no Docker) as ESM
 * with source maps, the AWS SDK left to the runtime, and a log group with a
 * retention. Its role may write to that log group and nothing else until the
 * stack grants more: no managed policy (AWSLambdaBasicExecutionRole would let
 * it create log groups and write to any of them).
 */
export function createHandlerFunction(
  scope: Construct,
  id: string,
  props: HandlerFunctionProps,
): NodejsFunction {
  const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });
  const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  logGroup.grantWrite(role);
  const fn = new NodejsFunction(scope, id, {
    entry: join(REPO_ROOT, props.spec.entry),
    handler: 'handler',
    projectRoot: REPO_ROOT,
    depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize: props.memorySize ?? 512,
    timeout: props.timeout ?? Duration.seconds(10),
    ...(props.reservedConcurrency === undefined
      ? {}
      : { reservedConcurrentExecutions: props.reservedConcurrency }),
    role,
    logGroup,
    environment: {
      ...props.environment,
      // esbuild writes the map; Node only applies it to stack traces when asked.
      NODE_OPTIONS: '--enable-source-maps',
    },
    bundling: {
      format: OutputFormat.ESM,
      mainFields: ['module', 'main'],
      sourceMap: true,
      externalModules: ['@aws-sdk/*'],
      forceDockerBundling: false,
      // CommonJS dependencies bundled into an ES module still call `require` for Node built-ins.
      banner:
        "import { createRequire as __hromadaCreateRequire } from 'node:module'; const require = __hromadaCreateRequire(import.meta.url);",
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (inputDir, outputDir) =>
          copyAssetCommands(props.spec.assets ?? [], inputDir, outputDir),
      },
    },
  });
  Validations.of(fn).acknowledge({ id: 'AwsSolutions-L1', reason: RUNTIME_PIN_REASON });
  return fn;
}

/**
 * Allows exactly the handler's `tableActions` on the table, nothing broader:
 * the least privilege each handler declares next to its code. Of those, only
 * `dynamodb:Query` can read an index, so only it is granted on indexes, and
 * only on the ones the handler names (none when it names none), each by its
 * own ARN rather than `index/*`. Naming an index without `dynamodb:Query` is a
 * mistake in the declaration, refused here rather than deployed as a dead grant.
 */
export function grantTableActions(
  fn: NodejsFunction,
  table: ITable,
  spec: Pick<HandlerSpec, 'tableActions' | 'indexes'>,
): void {
  const actions = spec.tableActions;
  const indexes = spec.indexes;
  if (indexes.length > 0 && !actions.includes('dynamodb:Query')) {
    throw new Error(`${fn.node.path} names indexes (${indexes.join(', ')}) but may not dynamodb:Query`);
  }
  if (actions.length === 0) return;
  fn.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources: [table.tableArn] }));
  if (indexes.length === 0) return;
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:Query'],
      resources: indexes.map((indexName) => `${table.tableArn}/index/${indexName}`),
    }),
  );
}

/** `participatory-budgets` → `ParticipatoryBudgets`, for readable construct ids. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** Plain `cp`, so that bundling needs neither Docker nor anything beyond a POSIX shell. */
function copyAssetCommands(assets: readonly string[], inputDir: string, outputDir: string): string[] {
  return assets.map((asset) => {
    const relative = posix.normalize(asset);
    if (relative.startsWith('../') || posix.isAbsolute(relative)) {
      throw new Error(`Asset ${asset} must be a path inside the repository, relative to its root`);
    }
    const target = join(outputDir, relative);
    return `mkdir -p ${shellQuote(dirname(target))} && cp -R ${shellQuote(join(inputDir, relative))} ${shellQuote(target)}`;
  });
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
