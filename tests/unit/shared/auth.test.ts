import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../../../domain/identity/actor';
import { actorFromClaims, signerKeyOf } from '../../../functions/shared/auth/actor';
import { AuthError, verifyBearer } from '../../../functions/shared/auth/verify';
import type { IssuerConfig } from '../../../functions/shared/config';

const ISSUER = 'https://id.example.ua';
let issuer: IssuerConfig;
let sign: (
  claims: Record<string, unknown>,
  options?: { iss?: string; aud?: string; exp?: number },
) => Promise<string>;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  issuer = {
    issuer: ISSUER,
    audience: 'hromada-api',
    publicJwk: (await exportJWK(publicKey)) as Record<string, unknown>,
    claims: { community: 'hromada', district: 'okrug', birthdate: 'birth_date' },
  };
  sign = (claims, options = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(options.iss ?? ISSUER)
      .setAudience(options.aud ?? 'hromada-api')
      .setSubject('person-1')
      .setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 60)
      .sign(privateKey);
});

describe('verifyBearer', () => {
  it('accepts a token of a trusted issuer and audience', async () => {
    const payload = await verifyBearer(`Bearer ${await sign({ hromada: 'demo' })}`, [issuer]);

    expect(payload).toMatchObject({ sub: 'person-1', hromada: 'demo' });
  });

  it.each([
    ['no header', async () => undefined, /Bearer/],
    ['a non-bearer scheme', async () => 'Basic abc', /Bearer/],
    ['not a JWT', async () => 'Bearer abc', /not a JWT/],
    [
      'an unknown issuer',
      async () => `Bearer ${await sign({}, { iss: 'https://evil.example' })}`,
      /does not trust/,
    ],
    ['another audience', async () => `Bearer ${await sign({}, { aud: 'other' })}`, /invalid/],
    [
      'an expired token',
      async () => `Bearer ${await sign({}, { exp: Math.floor(Date.now() / 1000) - 120 })}`,
      /expired/,
    ],
  ])('refuses %s', async (_case, header, reason) => {
    const refusal = verifyBearer(await header(), [issuer]);

    await expect(refusal).rejects.toBeInstanceOf(AuthError);
    await expect(refusal).rejects.toThrow(reason);
  });

  it('refuses a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(ISSUER)
      .setAudience('hromada-api')
      .setSubject('person-1')
      .setExpirationTime('1m')
      .sign(privateKey);

    await expect(verifyBearer(`Bearer ${forged}`, [issuer])).rejects.toThrow(/invalid/);
  });
});

describe('actorFromClaims', () => {
  const membership = { roles: [Role.moderator], platformAdmin: false };

  it('reads residency and birth date from the claim names configured for the issuer', () => {
    const actor = actorFromClaims(
      {
        iss: ISSUER,
        sub: 'person-1',
        hromada: 'demo',
        okrug: 'd1',
        birth_date: '1990-01-01',
        community: 'ignored',
      },
      [issuer],
      'secret',
      membership,
    );

    expect(actor).toMatchObject({
      subject: 'person-1',
      residency: { communityId: 'demo', districtId: 'd1' },
      birthdate: '1990-01-01',
      signerKey: signerKeyOf('secret', ISSUER, 'person-1'),
    });
    expect([...(actor?.roles ?? [])]).toEqual(['moderator']);
  });

  it('takes roles only from membership, never from the token', () => {
    const actor = actorFromClaims(
      { iss: ISSUER, sub: 'p', roles: '[council]', role: 'council' },
      [issuer],
      's',
      {
        roles: [],
        platformAdmin: false,
      },
    );

    expect(actor?.roles.size).toBe(0);
  });

  it('ignores a birth date that is not an ISO date', () => {
    const actor = actorFromClaims(
      { iss: ISSUER, sub: 'p', birth_date: '01.01.1990' },
      [issuer],
      's',
      membership,
    );

    expect(actor?.birthdate).toBeUndefined();
  });

  it('refuses claims of an issuer that is not configured', () => {
    expect(actorFromClaims({ iss: 'https://other', sub: 'p' }, [issuer], 's', membership)).toBeUndefined();
  });

  it('gives different signer keys to the same subject at different issuers, and hides the subject', () => {
    const a = signerKeyOf('secret', 'https://a', 'bc');
    const b = signerKeyOf('secret', 'https://ab', 'c');

    expect(a).not.toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(signerKeyOf('other-secret', 'https://a', 'bc')).not.toBe(a);
  });
});
