import { createHmac } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Actor, Role } from '../../../domain/identity/actor';
import type { AppConfig, IssuerConfig } from '../config';

/** Claims as API Gateway's JWT authorizer passes them: every value flattened to a string. */
export type FlatClaims = Readonly<Record<string, string | undefined>>;

/**
 * The signer key: HMAC-SHA256 over issuer and subject, joined by a newline so
 * that no two (issuer, subject) pairs can produce the same input.
 */
export function signerKeyOf(secret: string, issuer: string, subject: string): string {
  return createHmac('sha256', secret).update(`${issuer}\n${subject}`).digest('hex');
}

let cachedSecret: { arn: string; value: Promise<string> } | undefined;

/**
 * The HMAC secret: from the environment locally, from Secrets Manager in AWS
 * (read once per container). Concurrent first requests share one read; a read
 * that failed is forgotten, so that the next request reads again instead of the
 * container answering 500 until it is replaced.
 */
export function signerSecret(
  config: Pick<AppConfig, 'signerSecret' | 'signerSecretArn' | 'region'>,
): Promise<string> {
  if (config.signerSecret) return Promise.resolve(config.signerSecret);
  const arn = config.signerSecretArn;
  if (!arn)
    throw new Error('Neither SIGNER_SECRET nor SIGNER_SECRET_ARN is set: signer keys cannot be computed');
  if (cachedSecret?.arn !== arn) {
    const client = new SecretsManagerClient({ region: config.region });
    const value = client.send(new GetSecretValueCommand({ SecretId: arn })).then((result) => {
      if (!result.SecretString) throw new Error(`Secret ${arn} has no string value`);
      return result.SecretString;
    });
    const entry = { arn, value };
    cachedSecret = entry;
    value.catch(() => {
      if (cachedSecret === entry) cachedSecret = undefined;
    });
  }
  return cachedSecret.value;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Turns verified claims into an actor. Residency and birth date are read from the
 * claim names configured for the token's issuer; roles are not read from the
 * token at all — they come from membership items (`roles`, an officer's `units`, `platformAdmin`).
 * Returns undefined when the issuer is not configured or the subject is missing.
 */
export function actorFromClaims(
  claims: FlatClaims,
  issuers: readonly IssuerConfig[],
  secret: string,
  membership: { roles: readonly Role[]; units?: readonly string[]; platformAdmin: boolean },
): Actor | undefined {
  const issuer = issuers.find((candidate) => candidate.issuer === claims.iss);
  const subject = claims.sub;
  if (!issuer || !subject) return undefined;

  const communityId = claims[issuer.claims.community];
  const districtId = claims[issuer.claims.district];
  const birthdate = claims[issuer.claims.birthdate];
  return {
    issuer: issuer.issuer,
    subject,
    signerKey: signerKeyOf(secret, issuer.issuer, subject),
    ...(communityId ? { residency: districtId ? { communityId, districtId } : { communityId } } : {}),
    ...(birthdate && ISO_DATE.test(birthdate) ? { birthdate } : {}),
    platformAdmin: membership.platformAdmin,
    roles: new Set(membership.roles),
    // Only officers have units (the request scope filters them): everyone else's stay absent.
    ...(membership.units && membership.units.length > 0 ? { units: new Set(membership.units) } : {}),
  };
}
