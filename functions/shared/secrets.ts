import { randomBytes, timingSafeEqual } from 'node:crypto';

/** 128 bits: far beyond guessing, online or offline. */
const SECRET_BYTES = 16;

/**
 * A new secret: {@link SECRET_BYTES} bytes from the system's cryptographic
 * random source, base64url (22 characters).
 * @example const sponsorToken = randomSecret();
 */
export function randomSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/**
 * Whether a presented secret is the stored one, in time that does not depend
 * on where they differ (a `===` stops at the first different character, which
 * lets a patient caller find a token one character at a time). Only the length
 * can show through, and it is not secret: every token is 22 characters.
 * @example if (!sameSecret(request.query.sponsorToken, petition.sponsorToken)) return notFound;
 */
export function sameSecret(presented: string | undefined, stored: string): boolean {
  if (presented === undefined) return false;
  const given = Buffer.from(presented, 'utf8');
  const expected = Buffer.from(stored, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
