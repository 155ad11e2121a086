import { describe, expect, it } from 'vitest';
import { negotiateLocale } from '../../../functions/shared/locale';

describe('negotiateLocale', () => {
  it.each([
    [undefined, 'uk'],
    ['', 'uk'],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['uk-UA,uk;q=0.9,en;q=0.8', 'uk'],
    ['en;q=0.5, uk;q=0.9', 'uk'],
    ['de-DE, en;q=0.7', 'en'],
    ['de, fr', 'uk'],
    ['en;q=0', 'uk'],
    ['*', 'uk'],
  ])('%s → %s', (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });
});
