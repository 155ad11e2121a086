import type { Node } from 'constructs';
import { ClaimNamesSchema, type IssuerConfig, IssuerConfigSchema } from '../../functions/shared/config';

/** What one deployment of Hromada is configured with; read from CDK context (`-c key=value` or cdk.json). */
export interface DeploymentConfig {
  /** Names the stacks (`Hromada-<stage>-Data`) and turns on production safeguards for `prod`. */
  readonly stage: string;
  /** The OIDC issuer the HTTP API's JWT authorizer trusts, e.g. `https://auth.example.org/realms/hromada`. */
  readonly jwtIssuer: string;
  /** The audience (client id) tokens must be issued for. */
  readonly jwtAudience: string;
  /** Which token claims carry residency and birth date for this issuer. */
  readonly issuerClaims: IssuerConfig['claims'];
  /** Requests per second the API stage serves steadily, all callers together; beyond it API Gateway answers 429. */
  readonly throttleRate: number;
  /** Requests the API stage serves at once above the steady rate (the token bucket's size). */
  readonly throttleBurst: number;
  /**
   * Concurrent executions reserved for each API function, which also caps it, so
   * that a flood of requests cannot take the account's concurrency from the
   * stream consumer and the jobs that keep counts exact; `undefined`: none.
   */
  readonly apiReservedConcurrency: number | undefined;
  /**
   * The WAF in front of the API (a CloudFront distribution with a web ACL whose
   * rule blocks an IP past `rateLimit` requests in 5 minutes); `undefined`: none,
   * callers reach the `execute-api` endpoint directly.
   */
  readonly waf: { readonly rateLimit: number } | undefined;
  /**
   * The region of every stack but the web ACL's (which lives in `us-east-1`).
   * Needed with the WAF only: the distribution reads the web ACL's ARN across
   * regions, which CDK supports between stacks of explicit regions alone.
   * Without the WAF the stacks stay env-agnostic.
   */
  readonly region: string | undefined;
}

/** Defaults for the limits a stage may override; `prod` caps each API function, other stages do not. */
export const DEPLOYMENT_LIMIT_DEFAULTS = {
  throttleRate: 100,
  throttleBurst: 200,
  /** Per API function, on `prod` only: seven tools × 50 leaves most of an account's default 1,000 to the rest. */
  prodApiReservedConcurrency: 50,
  /** Requests per 5 minutes from one IP before the WAF blocks it (on `prod` by default): a busy person is far below. */
  wafRateLimit: 2_000,
} as const;

/** Bounds of the limits: API Gateway's account quotas (10,000 rps, 5,000 burst) and Lambda's default concurrency. */
const LIMIT_BOUNDS = {
  throttleRate: { min: 1, max: 10_000 },
  throttleBurst: { min: 1, max: 5_000 },
  apiReservedConcurrency: { min: 1, max: 1_000 },
  /** AWS WAF's own bounds of a rate-based rule's limit. */
  wafRateLimit: { min: 10, max: 2_000_000_000 },
} as const;

/** Context keys the app reads. */
export const CONTEXT_KEYS = {
  stage: 'hromada:stage',
  jwtIssuer: 'hromada:jwtIssuer',
  jwtAudience: 'hromada:jwtAudience',
  issuerClaims: 'hromada:issuerClaims',
  throttleRate: 'hromada:throttleRate',
  throttleBurst: 'hromada:throttleBurst',
  apiReservedConcurrency: 'hromada:apiReservedConcurrency',
  waf: 'hromada:waf',
  wafRateLimit: 'hromada:wafRateLimit',
  region: 'hromada:region',
} as const;

/** Thrown when the CDK context lacks or garbles a setting; the message names the `-c` flag that fixes it. */
export class DeploymentConfigError extends Error {
  override readonly name = 'DeploymentConfigError';
}

const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Reads the deployment settings from CDK context.
 *
 * @example
 * const config = readDeploymentConfig(app.node);
 * // npx cdk synth -c hromada:stage=prod -c hromada:jwtIssuer=https://id.example.org -c hromada:jwtAudience=hromada
 */
export function readDeploymentConfig(node: Node): DeploymentConfig {
  const stage = optionalString(node, CONTEXT_KEYS.stage) ?? 'dev';
  if (!STAGE_PATTERN.test(stage)) {
    throw new DeploymentConfigError(
      `${CONTEXT_KEYS.stage} must be lower-case letters, digits and dashes (at most 20), e.g. -c ${CONTEXT_KEYS.stage}=prod; got "${stage}"`,
    );
  }
  return {
    stage,
    jwtIssuer: requiredString(node, CONTEXT_KEYS.jwtIssuer, 'https://auth.example.org/realms/hromada'),
    jwtAudience: requiredString(node, CONTEXT_KEYS.jwtAudience, 'hromada-api'),
    issuerClaims: readIssuerClaims(node),
    throttleRate:
      optionalInteger(node, CONTEXT_KEYS.throttleRate, LIMIT_BOUNDS.throttleRate) ??
      DEPLOYMENT_LIMIT_DEFAULTS.throttleRate,
    throttleBurst:
      optionalInteger(node, CONTEXT_KEYS.throttleBurst, LIMIT_BOUNDS.throttleBurst) ??
      DEPLOYMENT_LIMIT_DEFAULTS.throttleBurst,
    apiReservedConcurrency: readApiReservedConcurrency(node, stage),
    ...readWaf(node, stage),
  };
}

/** The `ISSUERS` environment value the handlers parse with `IssuerConfigSchema`. */
export function issuersEnvironment(config: DeploymentConfig): string {
  const issuer = IssuerConfigSchema.parse({
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    claims: config.issuerClaims,
  });
  return JSON.stringify([issuer]);
}

function optionalString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new DeploymentConfigError(`${key} must be a string, e.g. -c ${key}=value`);
  return value;
}

/** `-c` values arrive as strings, cdk.json values as numbers: both are accepted, as whole numbers within bounds. */
function optionalInteger(
  node: Node,
  key: string,
  bounds: { readonly min: number; readonly max: number },
  otherwise = '',
): number | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < bounds.min || number > bounds.max) {
    throw new DeploymentConfigError(
      `${key} must be a whole number from ${bounds.min} to ${bounds.max}, e.g. -c ${key}=${bounds.min}${otherwise}; got ${JSON.stringify(value)}`,
    );
  }
  return number;
}

/** On `prod` by default; `off` (or `false`) removes it, a number sets it on any stage. */
function readApiReservedConcurrency(node: Node, stage: string): number | undefined {
  const key = CONTEXT_KEYS.apiReservedConcurrency;
  const value: unknown = node.tryGetContext(key);
  if (value === 'off' || value === false || value === 'false') return undefined;
  const given = optionalInteger(
    node,
    key,
    LIMIT_BOUNDS.apiReservedConcurrency,
    ` (or -c ${key}=off for none)`,
  );
  if (given !== undefined) return given;
  return stage === 'prod' ? DEPLOYMENT_LIMIT_DEFAULTS.prodApiReservedConcurrency : undefined;
}

/**
 * `hromada:waf` is `on` by default for `prod`, `off` elsewhere; with it on,
 * `hromada:region` (or the CLI's `CDK_DEFAULT_REGION`) names the stacks' region.
 */
function readWaf(node: Node, stage: string): Pick<DeploymentConfig, 'waf' | 'region'> {
  const key = CONTEXT_KEYS.waf;
  const flag: unknown = node.tryGetContext(key);
  let on: boolean;
  if (flag === undefined || flag === null || flag === '') on = stage === 'prod';
  else if (flag === true || flag === 'on' || flag === 'true') on = true;
  else if (flag === false || flag === 'off' || flag === 'false') on = false;
  else
    throw new DeploymentConfigError(
      `${key} must be on or off, e.g. -c ${key}=off; got ${JSON.stringify(flag)}`,
    );
  const rateLimit =
    optionalInteger(node, CONTEXT_KEYS.wafRateLimit, LIMIT_BOUNDS.wafRateLimit) ??
    DEPLOYMENT_LIMIT_DEFAULTS.wafRateLimit;
  const region = optionalString(node, CONTEXT_KEYS.region) ?? (process.env.CDK_DEFAULT_REGION || undefined);
  if (region !== undefined && !REGION_PATTERN.test(region)) {
    throw new DeploymentConfigError(
      `${CONTEXT_KEYS.region} must be an AWS region, e.g. -c ${CONTEXT_KEYS.region}=eu-central-1; got "${region}"`,
    );
  }
  // Without the WAF the stacks stay env-agnostic, whatever region is given.
  if (!on) return { waf: undefined, region: undefined };
  if (region === undefined) {
    throw new DeploymentConfigError(
      `${key} is on (the default for prod): pass the stacks' region, -c ${CONTEXT_KEYS.region}=eu-central-1, or turn it off with -c ${key}=off`,
    );
  }
  return { waf: { rateLimit }, region };
}

function requiredString(node: Node, key: string, example: string): string {
  const value = optionalString(node, key);
  if (value === undefined) {
    throw new DeploymentConfigError(
      `Missing CDK context ${key}: pass -c ${key}=${example} (or set it in cdk.json)`,
    );
  }
  return value;
}

/** `-c` values arrive as strings, cdk.json values as objects: both are accepted. */
function readIssuerClaims(node: Node): IssuerConfig['claims'] {
  const key = CONTEXT_KEYS.issuerClaims;
  const raw: unknown = node.tryGetContext(key);
  let value: unknown = raw ?? {};
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new DeploymentConfigError(`${key} must be JSON, e.g. -c '${key}={"community":"hromada_id"}'`);
    }
  }
  const parsed = ClaimNamesSchema.safeParse(value);
  if (!parsed.success) {
    throw new DeploymentConfigError(
      `${key} must map community, district and birthdate to claim names, e.g. -c '${key}={"district":"okrug"}'`,
    );
  }
  return parsed.data;
}
