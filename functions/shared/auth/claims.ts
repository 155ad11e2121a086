import type { Localized } from '../../../domain/shared/localized';
import { text } from '../../../domain/shared/localized';
import { part } from '../key-parts';
import type { FlatClaims } from './actor';

/**
 * The longest `sub` accepted, in characters. OpenID Connect caps a subject at
 * 255 ASCII characters; a membership's sort key holds issuer and subject
 * together, and DynamoDB refuses a sort key over 1,024 bytes.
 */
export const MAX_SUBJECT_LENGTH = 255;

/** The longest issuer accepted, in characters: an HTTPS URL, with room to spare, still well under the key limit. */
export const MAX_ISSUER_LENGTH = 512;

/**
 * The most bytes an issuer or a subject may take once written into a key
 * (URI-encoded, as `part` writes it: `/` is 3 bytes there, `я` 6). A character
 * bound alone lets 255 Cyrillic letters or 512 slashes past it and the
 * membership key (`MEMBER#<issuer>#<subject>`) over DynamoDB's 1,024 bytes.
 */
export const MAX_ISSUER_KEY_BYTES = 560;
export const MAX_SUBJECT_KEY_BYTES = 400;

/** The bytes `value` takes in a key. */
export const keyBytes = (value: string): number => Buffer.byteLength(part(value), 'utf8');

/** Whether an issuer fits both bounds: its characters, and its bytes in a key. */
export const issuerFits = (issuer: string): boolean =>
  issuer.length <= MAX_ISSUER_LENGTH && keyBytes(issuer) <= MAX_ISSUER_KEY_BYTES;

/** Whether a subject fits both bounds: its characters, and its bytes in a key. */
export const subjectFits = (subject: string): boolean =>
  subject.length <= MAX_SUBJECT_LENGTH && keyBytes(subject) <= MAX_SUBJECT_KEY_BYTES;

/**
 * How far ahead of our clock a token's `iat` may be. Clocks of identity
 * providers and of Lambda drift by a few seconds; a token "issued" minutes in
 * the future was minted with a wrong or forged clock, and would stay valid
 * longer than its issuer meant (its `exp` is counted from a time that has not come).
 */
export const IAT_SKEW_SECONDS = 60;

/**
 * Why the claims of a verified token are refused, or undefined when they are
 * within bounds: a subject or issuer longer than any provider issues (it would
 * make the membership key longer than DynamoDB takes), or an `iat` ahead of
 * `now` by more than {@link IAT_SKEW_SECONDS}. API Gateway's JWT authorizer
 * checks signature, issuer, audience and expiry, not these, so the handler does.
 * @example if (claimsRefusal(claims, clock.now())) throw unauthorized;
 */
export function claimsRefusal(claims: FlatClaims, now: Date): Localized | undefined {
  const { sub, iss, iat } = claims;
  if (!subjectFits(sub ?? '') || !issuerFits(iss ?? '')) {
    return text(
      'Токен містить задовгий ідентифікатор особи або видавця.',
      'The token carries a subject or issuer longer than any identity provider issues.',
    );
  }
  if (iat === undefined) return undefined;
  // API Gateway hands claims over as strings: `iat` is seconds since the epoch, in decimal.
  const issuedAt = /^\d{1,12}$/.test(iat) ? Number(iat) : Number.NaN;
  if (Number.isNaN(issuedAt)) {
    return text('Час видачі токена (iat) некоректний.', 'The token’s issue time (iat) is not a time.');
  }
  if (issuedAt > now.getTime() / 1000 + IAT_SKEW_SECONDS) {
    return text(
      'Токен видано в майбутньому; перевірте годинник і увійдіть знову.',
      'The token was issued in the future; check the clock and sign in again.',
    );
  }
  return undefined;
}
