import { describe, expect, it } from 'vitest';
import {
  claimsRefusal,
  IAT_SKEW_SECONDS,
  MAX_ISSUER_LENGTH,
  MAX_SUBJECT_LENGTH,
} from '../../../functions/shared/auth/claims';

const NOW = new Date('2026-12-03T12:00:00.000Z');
const nowSeconds = NOW.getTime() / 1000;
const ISSUER = 'https://id.example.ua';

describe('the bounds on verified claims', () => {
  it.each([
    ['a usual token', { iss: ISSUER, sub: 'person-1', iat: String(nowSeconds - 300) }],
    ['a subject at the bound', { iss: ISSUER, sub: 's'.repeat(MAX_SUBJECT_LENGTH) }],
    ['an issuer at the bound', { iss: 'i'.repeat(MAX_ISSUER_LENGTH), sub: 'person-1' }],
    ['an iat within the skew', { iss: ISSUER, sub: 'person-1', iat: String(nowSeconds + IAT_SKEW_SECONDS) }],
    ['no iat at all', { iss: ISSUER, sub: 'person-1' }],
  ])('take %s', (_case, claims) => {
    expect(claimsRefusal(claims, NOW)).toBeUndefined();
  });

  it.each([
    ["the probe's 5,000-character subject", { iss: ISSUER, sub: 's'.repeat(5_000) }],
    ['a subject one over the bound', { iss: ISSUER, sub: 's'.repeat(MAX_SUBJECT_LENGTH + 1) }],
    ["the probe's 3,000-character issuer", { iss: 'i'.repeat(3_000), sub: 'person-1' }],
    // Within the character bounds, beyond the key's bytes: 255 Cyrillic letters are 1,530 bytes
    // URI-encoded, 512 slashes 1,536.
    ['a Cyrillic subject of 255 letters', { iss: ISSUER, sub: 'я'.repeat(MAX_SUBJECT_LENGTH) }],
    ['an issuer of 512 slashes', { iss: `https:${'/'.repeat(MAX_ISSUER_LENGTH - 6)}`, sub: 'person-1' }],
    [
      'an iat one second beyond the skew',
      { iss: ISSUER, sub: 'p', iat: String(nowSeconds + IAT_SKEW_SECONDS + 1) },
    ],
    ['an iat a year ahead', { iss: ISSUER, sub: 'p', iat: String(nowSeconds + 365 * 24 * 3600) }],
    ['an iat that is not a number', { iss: ISSUER, sub: 'p', iat: 'tomorrow' }],
    ['an iat with a fraction', { iss: ISSUER, sub: 'p', iat: `${nowSeconds}.5e10` }],
  ])('refuse %s, in both languages', (_case, claims) => {
    const refusal = claimsRefusal(claims, NOW);

    expect(refusal?.uk).toEqual(expect.any(String));
    expect(refusal?.en).toEqual(expect.any(String));
  });
});
