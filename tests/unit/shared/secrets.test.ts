import { describe, expect, it } from 'vitest';
import { randomSecret, sameSecret } from '../../../functions/shared/secrets';

describe('secrets', () => {
  it('are 128 bits in base64url, never the same twice', () => {
    const secrets = Array.from({ length: 200 }, () => randomSecret());

    for (const secret of secrets) expect(Buffer.from(secret, 'base64url')).toHaveLength(16);
    expect(secrets.every((secret) => /^[A-Za-z0-9_-]{22}$/.test(secret))).toBe(true);
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it.each([
    ['the same secret', 'abcdefghijklmnopqrstuv', true],
    ['one character changed', 'abcdefghijklmnopqrstuw', false],
    ['a prefix of it', 'abcdefghijk', false],
    ['a longer string starting with it', 'abcdefghijklmnopqrstuvw', false],
    ['nothing', undefined, false],
    ['an empty string', '', false],
  ])('compares %s with the stored secret', (_case, presented, same) => {
    expect(sameSecret(presented, 'abcdefghijklmnopqrstuv')).toBe(same);
  });
});
