import { z } from 'zod';

/** Which claim carries what, per identity provider: providers name residency and birth date differently. */
export const ClaimNamesSchema = z.object({
  community: z.string().default('community'),
  district: z.string().default('district'),
  birthdate: z.string().default('birthdate'),
});

/**
 * A trusted OIDC issuer. In AWS the HTTP API's JWT authorizer verifies tokens
 * (issuer + audience); locally the runtime does, with `jwksUrl` or `publicJwk`.
 */
export const IssuerConfigSchema = z.object({
  issuer: z.string().min(1),
  audience: z.string().min(1),
  jwksUrl: z.url().optional(),
  /** A public key as a JWK, for the local dev issuer (no JWKS endpoint needed). */
  publicJwk: z.record(z.string(), z.unknown()).optional(),
  claims: ClaimNamesSchema.default(ClaimNamesSchema.parse({})),
});
export type IssuerConfig = z.infer<typeof IssuerConfigSchema>;

/**
 * The header CloudFront adds to every request it forwards to the API when the
 * stack puts a WAF in front (`hromada:waf`): a request without it came to the
 * `execute-api` endpoint directly, around the WAF's per-IP limit.
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

export interface AppConfig {
  readonly tableName: string;
  /** Set for DynamoDB Local; absent in AWS. */
  readonly dynamoEndpoint?: string;
  readonly region: string;
  /** The HMAC secret for signer keys, or where to read it from (Secrets Manager). */
  readonly signerSecret?: string;
  readonly signerSecretArn?: string;
  readonly issuers: readonly IssuerConfig[];
  /** EventBridge bus name; absent locally, where the in-process bus is used. */
  readonly eventBusName?: string;
  /** Items an export page reads (`EXPORT_PAGE_ROWS`); absent: the default, 5,000. */
  readonly exportPageRows?: number;
  /** Decisions a transparency report may read (`REPORT_MAX_DECISIONS`); absent: the default, 20,000. */
  readonly reportMaxDecisions?: number;
  /**
   * A route answering a problem code it does not document is a 500 (`STRICT_PROBLEMS=1`):
   * the default outside Lambda, so that tests and the local runtime catch it. In
   * Lambda the answer goes out and the mismatch is logged.
   */
  readonly strictProblems: boolean;
  /**
   * The value {@link ORIGIN_VERIFY_HEADER} must carry (`ORIGIN_VERIFY`); set
   * only by the stack behind CloudFront and its WAF. Absent (locally, or with
   * the WAF off): no check.
   */
  readonly originVerify?: string;
}

let lastIssuers: { raw: string; parsed: readonly IssuerConfig[] } | undefined;

/** `ISSUERS` parsed once per value: it is read on every request and rarely changes. */
function parsedIssuers(raw: string): readonly IssuerConfig[] {
  if (lastIssuers?.raw !== raw)
    lastIssuers = { raw, parsed: z.array(IssuerConfigSchema).parse(JSON.parse(raw)) };
  return lastIssuers.parsed;
}

/** A whole number above zero from the environment; anything else is left unset (the default holds). */
function positiveInteger(raw: string | undefined): number | undefined {
  const value = Number(raw);
  return raw && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * Reads the configuration from the environment on each call (cheap), so that a
 * test or the local runtime can point the same handlers at another table.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set: the handlers need the DynamoDB table name');
  const issuers = parsedIssuers(env.ISSUERS ?? '[]');
  return {
    tableName,
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.AWS_REGION ?? 'eu-central-1',
    signerSecret: env.SIGNER_SECRET || undefined,
    signerSecretArn: env.SIGNER_SECRET_ARN || undefined,
    issuers,
    eventBusName: env.EVENT_BUS_NAME || undefined,
    exportPageRows: positiveInteger(env.EXPORT_PAGE_ROWS),
    reportMaxDecisions: positiveInteger(env.REPORT_MAX_DECISIONS),
    strictProblems: env.STRICT_PROBLEMS ? env.STRICT_PROBLEMS === '1' : !env.AWS_LAMBDA_FUNCTION_NAME,
    originVerify: env.ORIGIN_VERIFY || undefined,
  };
}
