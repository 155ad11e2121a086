import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../domain/audit/canonical';
import { MAX_SUMMARY_CHARS } from '../../../domain/audit/intent';
import { changes, summarize } from '../../../domain/audit/summary';

describe('audit summaries', () => {
  it('keep small values as they are', () => {
    expect(summarize({ reportsBeforeHide: 5, names: { uk: 'А', en: 'A' } })).toEqual({
      names: { en: 'A', uk: 'А' },
      reportsBeforeHide: 5,
    });
  });

  it('replace only the values too large to keep', () => {
    const summary = summarize({ small: 1, huge: 'x'.repeat(10_000) });

    expect(summary).toEqual({ small: 1, huge: { omitted: 'too large to record', chars: 10_002 } });
  });

  it('always fit the limit, however many fields there are', () => {
    const many = Object.fromEntries(
      Array.from({ length: 500 }, (_, i) => [`field-with-a-long-name-${i}`, i]),
    );

    expect(canonicalJson(summarize(many)).length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
  });

  it('list only the fields that changed', () => {
    const before = { state: 'open', textHidden: false, title: 'T' };
    const after = { state: 'hidden', textHidden: true, title: 'T' };

    expect(changes(before, after, ['state', 'textHidden', 'title'])).toEqual({
      before: { state: 'open', textHidden: false },
      after: { state: 'hidden', textHidden: true },
    });
  });
});
