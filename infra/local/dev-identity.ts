import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { IssuerConfig } from '../../functions/shared/config';

/**
 * The local runtime is its own OIDC issuer. Its signing key and the signer-key
 * HMAC secret are made on first use and kept in `.data/` (git-ignored), so a
 * token printed by `npm run token` in one terminal is accepted by `npm start`
 * in another, and no secret is ever committed.
 */
export const DEV_ISSUER = 'https://hromada.local/dev-issuer';
export const DEV_AUDIENCE = 'hromada-api';
const ALGORITHM = 'ES256';

export interface DevIdentity {
  readonly issuer: IssuerConfig;
  readonly signerSecret: string;
  readonly privateJwk: JWK;
}

/** `DEV_IDENTITY_FILE` points elsewhere (tests use a temporary one). */
export const DEFAULT_IDENTITY_FILE =
  process.env.DEV_IDENTITY_FILE ?? join(process.cwd(), '.data', 'dev-identity.json');

/** Reads the local issuer's keys, creating them the first time. */
export async function loadDevIdentity(file = DEFAULT_IDENTITY_FILE): Promise<DevIdentity> {
  if (!existsSync(file)) {
    const { publicKey, privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const stored = {
      publicJwk: { ...(await exportJWK(publicKey)), alg: ALGORITHM, kid: 'dev-1' },
      privateJwk: { ...(await exportJWK(privateKey)), alg: ALGORITHM, kid: 'dev-1' },
      signerSecret: randomBytes(32).toString('hex'),
    };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as {
    publicJwk: JWK;
    privateJwk: JWK;
    signerSecret: string;
  };
  return {
    issuer: {
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
      publicJwk: stored.publicJwk as Record<string, unknown>,
      claims: { community: 'community', district: 'district', birthdate: 'birthdate' },
    },
    signerSecret: stored.signerSecret,
    privateJwk: stored.privateJwk,
  };
}

export interface DevTokenClaims {
  readonly sub: string;
  readonly community?: string;
  readonly district?: string;
  /** YYYY-MM-DD */
  readonly birthdate?: string;
  /** Seconds until expiry; negative values make an already expired token (for tests). */
  readonly expiresInSeconds?: number;
}

/** Signs a token as the local issuer. Roles are never in it: they come from membership items. */
export async function issueDevToken(identity: DevIdentity, claims: DevTokenClaims): Promise<string> {
  const key = await importJWK(identity.privateJwk, ALGORITHM);
  const now = Math.floor(Date.now() / 1000);
  const { sub, expiresInSeconds = 7 * 24 * 3600, ...residency } = claims;
  return new SignJWT({ ...residency })
    .setProtectedHeader({ alg: ALGORITHM, kid: identity.privateJwk.kid ?? 'dev-1', typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + expiresInSeconds)
    .sign(key);
}
