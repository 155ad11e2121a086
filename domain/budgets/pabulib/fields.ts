import { PabulibError, Problems } from './errors';

/**
 * The `;`-separated rows of a `.pb` file. Pabulib files are written by
 * Python's csv module, which quotes a field only when it holds `;` or `"`
 * (doubling the quote inside); most files never quote at all.
 */

export const DELIMITER = ';';
const QUOTE = '"';

/** One line of the file with its 1-based number, for error messages. */
export interface NumberedLine {
  readonly line: number;
  readonly content: string;
}

/**
 * The lines of a file: a leading byte-order mark is dropped, LF and CRLF
 * both end a line, and one final line end does not start another line.
 */
export function linesOf(fileText: string): NumberedLine[] {
  const withoutBom = fileText.startsWith('\uFEFF') ? fileText.slice(1) : fileText;
  const lines = withoutBom.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines.map((content, index) => ({ line: index + 1, content }));
}

/** The fields of one line; a quoted field is unquoted. */
export function fieldsOf({ line, content }: NumberedLine): string[] {
  const fields: string[] = [];
  let start = 0;
  while (true) {
    if (content[start] === QUOTE) {
      const { value, end } = quotedField(content, start, line);
      fields.push(value);
      if (end === content.length) return fields;
      start = end + 1;
    } else {
      const end = content.indexOf(DELIMITER, start);
      if (end === -1) {
        fields.push(content.slice(start));
        return fields;
      }
      fields.push(content.slice(start, end));
      start = end + 1;
    }
  }
}

/** A quoted field starting at `start`: its value and the index just after the closing quote. */
function quotedField(content: string, start: number, line: number): { value: string; end: number } {
  let value = '';
  let index = start + 1;
  while (true) {
    const quote = content.indexOf(QUOTE, index);
    if (quote === -1) throw new PabulibError(line, Problems.unclosedQuote());
    value += content.slice(index, quote);
    if (content[quote + 1] === QUOTE) {
      value += QUOTE;
      index = quote + 2;
      continue;
    }
    const end = quote + 1;
    if (end < content.length && content[end] !== DELIMITER) {
      throw new PabulibError(line, Problems.textAfterQuote());
    }
    return { value, end };
  }
}

/**
 * One row as the file holds it: a field is quoted when it holds `;` or `"`,
 * the way Python's csv module writes it.
 * @throws PabulibError for a field with a line break, which no `.pb` line can hold.
 */
export function rowOf(fields: readonly string[], line: number): string {
  return fields
    .map((field) => {
      if (/[\r\n]/.test(field)) throw new PabulibError(line, Problems.unwritableField(field));
      if (!field.includes(DELIMITER) && !field.includes(QUOTE)) return field;
      return `${QUOTE}${field.replaceAll(QUOTE, QUOTE + QUOTE)}${QUOTE}`;
    })
    .join(DELIMITER);
}
