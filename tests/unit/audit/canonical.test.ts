import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson } from '../../../domain/audit/canonical';

describe('canonicalJson', () => {
  it.each([
    ['null', null, 'null'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['zero', 0, '0'],
    ['negative zero, as JSON has no -0', -0, '0'],
    ['an integer', 1234567, '1234567'],
    ['a negative integer', -42, '-42'],
    ['a fraction, shortest round-trip form', 0.1, '0.1'],
    ['a large number, exponent form', 1e21, '1e+21'],
    ['the empty string', '', '""'],
    ['quotes, backslashes and control characters escaped', 'a"b\\c\n\t\u0001', '"a\\"b\\\\c\\n\\t\\u0001"'],
    ['non-ASCII kept as is', 'Громада ї é 😀', '"Громада ї é 😀"'],
    ['a lone surrogate escaped', '\ud800', '"\\ud800"'],
    ['an empty array', [], '[]'],
    ['an array in its own order', [3, 1, 2], '[3,1,2]'],
    ['an empty object', {}, '{}'],
    [
      'members sorted, no whitespace',
      { b: 1, a: 2, c: { z: [], y: null } },
      '{"a":2,"b":1,"c":{"y":null,"z":[]}}',
    ],
    ['undefined members left out', { a: undefined, b: 1, c: { d: undefined } }, '{"b":1,"c":{}}'],
    // JavaScript enumerates integer-like keys first, numerically; canonical order is by code units.
    ['integer-like keys by code units, not by number', { a: 3, 10: 1, 9: 2 }, '{"10":1,"9":2,"a":3}'],
    // By UTF-16 code units an astral character (a surrogate pair, 0xD83D…) sorts before U+FFFF.
    [
      'keys by UTF-16 code units',
      { '\uffff': 1, '😀': 2, é: 3, b: 4, a: 5, B: 6 },
      '{"B":6,"a":5,"b":4,"é":3,"😀":2,"\uffff":1}',
    ],
    ['a key that needs escaping', { 'a"b': 1 }, '{"a\\"b":1}'],
    ['an object without a prototype', Object.assign(Object.create(null), { b: 1, a: 2 }), '{"a":2,"b":1}'],
  ])('writes %s', (_case, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it.each([
    ['NaN', Number.NaN, '$'],
    ['Infinity', { a: [Number.POSITIVE_INFINITY] }, '$.a[0]'],
    ['undefined at the top', undefined, '$'],
    ['undefined in an array', { list: [1, undefined] }, '$.list'],
    ['a Date (send its ISO string instead)', { at: new Date(0) }, '$.at'],
    ['a Map', { m: new Map() }, '$.m'],
    ['a function', { f: () => 1 }, '$.f'],
    ['a bigint', { n: 1n }, '$.n'],
    ['a symbol', [Symbol('s')], '$[0]'],
  ])('refuses %s, naming where it is', (_case, value, path) => {
    let thrown: unknown;
    try {
      canonicalJson(value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CanonicalJsonError);
    expect((thrown as CanonicalJsonError).path).toBe(path);
  });

  it('is a fixed point: the canonical text of a parsed canonical text is the same text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // JSON.stringify is the reference for values; only the order of members may differ.
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 500 },
    );
  });

  /** The same value with the members of every object in a shuffled insertion order. */
  const reordered = (value: unknown, shuffle: (keys: string[]) => string[]): unknown => {
    if (Array.isArray(value)) return value.map((item) => reordered(item, shuffle));
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      shuffle(Object.keys(record)).map((key) => [key, reordered(record[key], shuffle)]),
    );
  };

  it('does not depend on the order in which members were inserted', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 1_000_000 }), (value, seed) => {
        let state = seed;
        const shuffle = (keys: string[]) =>
          keys
            .map((key) => {
              state = (state * 48271) % 2147483647;
              return { key, rank: state };
            })
            .sort((a, b) => a.rank - b.rank)
            .map(({ key }) => key);
        expect(canonicalJson(reordered(value, shuffle))).toBe(canonicalJson(value));
        expect(canonicalJson(reordered(value, (keys) => keys.reverse()))).toBe(canonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it('writes no whitespace outside strings', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const outsideStrings = canonicalJson(value).replace(/"(?:[^"\\]|\\.)*"/g, '""');
        expect(outsideStrings).not.toMatch(/\s/);
      }),
      { numRuns: 300 },
    );
  });
});
