import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import type { IssuerConfig } from '../config';

/** Why a token was refused; the message is safe to show (it never echoes the token). */
export class AuthError extends Error {
  override readonly name = 'AuthError';
}

/** Key sets per issuer, kept across requests: importing a key costs more than verifying with it. */
const keySets = new Map<string, JWTVerifyGetKey>();

function keySetOf(issuer: IssuerConfig): JWTVerifyGetKey {
  if (issuer.publicJwk) {
    const cacheKey = `jwk|${JSON.stringify(issuer.publicJwk)}`;
    let keySet = keySets.get(cacheKey);
    if (!keySet) {
      keySet = createLocalJWKSet({ keys: [issuer.publicJwk as JWK] } satisfies JSONWebKeySet);
      keySets.set(cacheKey, keySet);
    }
    return keySet;
  }
  if (!issuer.jwksUrl)
    throw new AuthError(`Issuer ${issuer.issuer} has neither jwksUrl nor publicJwk configured`);
  let keySet = keySets.get(issuer.jwksUrl);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(issuer.jwksUrl));
    keySets.set(issuer.jwksUrl, keySet);
  }
  return keySet;
}

/**
 * Verifies a bearer token the way the HTTP API's JWT authorizer does: a
 * signature from a configured issuer's keys, that issuer's audience, and an
 * unexpired `exp`. Used by the local runtime; in AWS API Gateway does this.
 *
 * @throws AuthError when the header is missing or malformed, the issuer is not
 * trusted, or the token is invalid or expired.
 */
export async function verifyBearer(
  authorizationHeader: string | undefined,
  issuers: readonly IssuerConfig[],
): Promise<JWTPayload> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorizationHeader?.trim() ?? '');
  if (!match?.[1]) throw new AuthError('Send the token as "Authorization: Bearer <token>".');
  const token = match[1];

  let claimedIssuer: string | undefined;
  try {
    claimedIssuer = decodeJwt(token).iss;
  } catch {
    throw new AuthError('The token is not a JWT.');
  }
  const issuer = issuers.find((candidate) => candidate.issuer === claimedIssuer);
  if (!issuer) throw new AuthError('The token comes from an issuer this API does not trust.');

  try {
    const { payload } = await jwtVerify(token, keySetOf(issuer), {
      issuer: issuer.issuer,
      audience: issuer.audience,
      requiredClaims: ['sub', 'exp'],
    });
    return payload;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED') throw new AuthError('The token has expired; sign in again.');
    throw new AuthError('The token is invalid.');
  }
}
