import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  cleanText,
  FreeTextFault,
  findFreeTextFault,
  freeText,
  refuseFaultsWithin,
} from '../../../domain/shared/free-text';
import { localizeMessage } from '../../../domain/shared/localized';

const title = freeText({ min: 10, max: 200, multiline: false });
const body = freeText({ min: 1, max: 10_000, multiline: true });

const messagesOf = (error: z.ZodError | undefined, locale: 'uk' | 'en' = 'en') =>
  (error?.issues ?? []).map((issue) => localizeMessage(issue.message, locale));

describe('findFreeTextFault', () => {
  it.each([
    ['NUL', 'ab\u0000cd', FreeTextFault.control, 3, 'U+0000'],
    ['BEL', '\u0007abc', FreeTextFault.control, 1, 'U+0007'],
    ['ESC', 'abc\u001B[31m', FreeTextFault.control, 4, 'U+001B'],
    ['vertical tab', 'a\u000Bb', FreeTextFault.control, 2, 'U+000B'],
    ['form feed', 'a\u000Cb', FreeTextFault.control, 2, 'U+000C'],
    ['DEL', 'a\u007Fb', FreeTextFault.control, 2, 'U+007F'],
    ['C1 NEL', 'a\u0085b', FreeTextFault.control, 2, 'U+0085'],
    ['C1 CSI', 'a\u009Bb', FreeTextFault.control, 2, 'U+009B'],
    ['LRE', 'a\u202Ab', FreeTextFault.direction_override, 2, 'U+202A'],
    ['RLE', 'a\u202Bb', FreeTextFault.direction_override, 2, 'U+202B'],
    ['PDF', 'a\u202Cb', FreeTextFault.direction_override, 2, 'U+202C'],
    ['LRO', 'a\u202Db', FreeTextFault.direction_override, 2, 'U+202D'],
    ['RLO', 'Petition \u202Etxt.exe', FreeTextFault.direction_override, 10, 'U+202E'],
    ['LRI', 'a\u2066b', FreeTextFault.direction_override, 2, 'U+2066'],
    ['RLI', 'a\u2067b', FreeTextFault.direction_override, 2, 'U+2067'],
    ['FSI', 'a\u2068b', FreeTextFault.direction_override, 2, 'U+2068'],
    ['PDI', 'a\u2069b', FreeTextFault.direction_override, 2, 'U+2069'],
    ['lone high surrogate', 'ab\uD800', FreeTextFault.unpaired_surrogate, 3, 'U+D800'],
    ['high surrogate before a letter', '\uD83Dx', FreeTextFault.unpaired_surrogate, 1, 'U+D83D'],
    ['lone low surrogate', 'a\uDC00b', FreeTextFault.unpaired_surrogate, 2, 'U+DC00'],
    ['swapped pair', '\uDE00\uD83D', FreeTextFault.unpaired_surrogate, 1, 'U+DE00'],
  ])('refuses %s in any field', (_name, value, fault, position, character) => {
    for (const multiline of [false, true]) {
      expect(findFreeTextFault(value, { multiline })).toEqual({ fault, position, character });
    }
  });

  it.each([
    ['LF', 'one\ntwo', 4, 'U+000A'],
    ['CR', 'one\rtwo', 4, 'U+000D'],
    ['CRLF', 'one\r\ntwo', 4, 'U+000D'],
    ['line separator', 'one\u2028two', 4, 'U+2028'],
    ['paragraph separator', 'one\u2029two', 4, 'U+2029'],
  ])('refuses a line break (%s) in a single-line field only', (_name, value, position, character) => {
    expect(findFreeTextFault(value, { multiline: false })).toEqual({
      fault: FreeTextFault.line_break,
      position,
      character,
    });
    expect(findFreeTextFault(value, { multiline: true })).toBeUndefined();
  });

  it.each([
    ['Ukrainian with both apostrophes', 'Пʼять обʼєктів і м’ята: «Київ» — 2026 р.'],
    ['English', "Fix the bus stop's roof (No. 12) & paint it!"],
    ['emoji as surrogate pairs', 'Парк 🌳🚲 👍🏽 🇺🇦 👨‍👩‍👧'],
    ['a tab', 'name\tvalue'],
    ['direction marks a Hebrew or Arabic name may need', 'שלום\u200F 12 · مرحبا\u061C 3 · abc\u200E'],
    ['joiners and a soft hyphen', 'a\u200Db\u200Cc\u00ADd'],
    ['a byte-order mark', '\uFEFFtext'],
    ['characters beyond the BMP', '𝔘𝔨𝔯 𠜎'],
  ])('accepts %s', (_name, value) => {
    expect(findFreeTextFault(value, { multiline: false })).toBeUndefined();
  });

  it('counts the position in characters, an emoji being one', () => {
    expect(findFreeTextFault('😀😀\u0000', { multiline: true })?.position).toBe(3);
  });
});

describe('freeText', () => {
  it('names the character and its position in both languages', () => {
    const error = title.safeParse('Зупинка \u202Eавтобуса').error;

    expect(messagesOf(error, 'en')).toEqual([
      'contains a direction-override character (U+202E) at position 9; remove it',
    ]);
    expect(messagesOf(error, 'uk')).toEqual([
      'містить символ зміни напрямку тексту (U+202E) на позиції 9; приберіть його',
    ]);
  });

  it('gives the position in the text as sent, before trimming', () => {
    expect(messagesOf(title.safeParse('   Long enough title\u0000').error)).toEqual([
      'contains a control character (U+0000) at position 21; remove it',
    ]);
  });

  it('refuses a NUL-only text that a minimum of one used to let through', () => {
    expect(body.safeParse('\u0000').success).toBe(false);
    expect(z.string().trim().min(1).safeParse('\u0000').success).toBe(true);
  });

  it('trims before the minimum, so whitespace alone is too short', () => {
    const error = body.safeParse(' \n\t \u00A0 ').error;

    expect(error?.issues.map((issue) => issue.code)).toEqual(['too_small']);
  });

  it('refuses a text of only invisible characters, which passes a minimum by length', () => {
    const zeroWidth = '\u200B'.repeat(12);

    expect(messagesOf(title.safeParse(zeroWidth).error)).toEqual([
      'must hold visible text, not only invisible characters',
    ]);
    expect(messagesOf(body.safeParse('\u200E\u200F').error)).toEqual([
      'must hold visible text, not only invisible characters',
    ]);
  });

  it('keeps the limits it had: trimmed, then at least min and at most max', () => {
    expect(title.parse('  Ремонт даху школи  ')).toBe('Ремонт даху школи');
    expect(title.safeParse('Short').error?.issues.map((issue) => issue.code)).toEqual(['too_small']);
    expect(title.safeParse('x'.repeat(201)).error?.issues.map((issue) => issue.code)).toEqual(['too_big']);
  });

  it('allows paragraphs in a multiline field and refuses them in a single-line one', () => {
    const paragraphs = 'Перший абзац.\r\n\r\nДругий абзац.\n';

    expect(body.parse(paragraphs)).toBe('Перший абзац.\r\n\r\nДругий абзац.');
    expect(messagesOf(title.safeParse(paragraphs).error)).toEqual([
      'must be a single line: there is a line break (U+000D) at position 14',
    ]);
  });

  it('accepts Ukrainian with apostrophes and emoji, and keeps them as sent', () => {
    const value = 'Сквер біля обʼєкта та м’ята 🌳👍🏽';

    expect(title.parse(value)).toBe(value);
  });

  it('leaves the text as sent when trim is off, for the domain to count', () => {
    const comment = freeText({ max: 20_000, multiline: true, trim: false });

    expect(comment.parse('  hello  ')).toBe('  hello  ');
    expect(comment.parse('   ')).toBe('   ');
    expect(comment.safeParse('  \u0000').success).toBe(false);
  });

  it('accepts an absent optional field and a blank one without a minimum', () => {
    const note = freeText({ max: 2000, multiline: true }).optional();

    expect(note.parse(undefined)).toBeUndefined();
    expect(note.parse('   ')).toBe('');
  });
});

describe('cleanText', () => {
  it('refuses only the forbidden characters, with no length rule of its own', () => {
    const file = cleanText({ multiline: true });

    expect(file.parse('META\nkey;value\r\n')).toBe('META\nkey;value\r\n');
    expect(messagesOf(file.safeParse('META\n\u0000').error)).toEqual([
      'contains a control character (U+0000) at position 6; remove it',
    ]);
  });
});

describe('refuseFaultsWithin', () => {
  const answers = z.record(z.string(), z.unknown()).superRefine((value, context) => {
    for (const [key, item] of Object.entries(value)) refuseFaultsWithin(item, context, [key]);
  });

  it('points at each offending string, inside lists and objects too', () => {
    const error = answers.safeParse({
      q1: 'fine',
      q2: 'bad\u0000',
      q3: ['ok', 'x\u202E'],
      q4: { nested: '\uD800' },
      q5: 7,
    }).error;

    expect(error?.issues.map((issue) => issue.path)).toEqual([['q2'], ['q3', 1], ['q4', 'nested']]);
  });

  it('accepts line breaks and numbers', () => {
    expect(answers.parse({ q1: 'one\ntwo', q2: 3, q3: null })).toEqual({ q1: 'one\ntwo', q2: 3, q3: null });
  });
});
