/**
 * Canonical JSON: one text for one value, on any machine, so that a hash of it
 * can be recomputed by anyone holding the value. In the manner of RFC 8785 for
 * the values the audit trail holds: object members sorted by their names'
 * UTF-16 code units, no whitespace, arrays in order, strings and numbers
 * written as ECMAScript's `JSON.stringify` writes them (RFC 8785 does the
 * same), members whose value is `undefined` left out.
 */

/** A JSON value; `undefined` object members are allowed and left out of the text. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [name: string]: JsonValue | undefined };

/** Thrown for a value JSON cannot represent exactly; `path` says where it is (`$.after.when`). */
export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
  }
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${value} has no JSON form`, path);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value
          .map((item, index) => {
            if (item === undefined) throw new CanonicalJsonError('an array may not hold undefined', path);
            return write(item, `${path}[${index}]`);
          })
          .join(',')}]`;
      }
      if (!isPlainObject(value)) {
        throw new CanonicalJsonError(`a ${value.constructor?.name ?? 'non-plain'} object is not JSON`, path);
      }
      // The default sort compares UTF-16 code units, which is what RFC 8785 asks for.
      const members = Object.keys(value)
        .sort()
        .filter((name) => value[name] !== undefined)
        .map((name) => `${JSON.stringify(name)}:${write(value[name], `${path}.${name}`)}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(`a ${typeof value} is not JSON`, path);
  }
}

/**
 * The canonical JSON text of `value`.
 * @throws CanonicalJsonError for what JSON cannot hold (NaN, a Date, a function, undefined in an array).
 * @example canonicalJson({ b: [2, 1], a: 'x', c: undefined }) // '{"a":"x","b":[2,1]}'
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}
