import { type Localized, validationMessage } from '../shared/localized';
import { fail, type Rejection } from '../shared/outcome';
import type { ProblemCode } from '../shared/problem-codes';

/**
 * One thing wrong with one field of a request: a stable code of its own, where
 * it is (a JSON pointer) and what to do, in both languages.
 */
export interface Violation {
  readonly code: ProblemCode;
  /** Relative to the request body, e.g. `/answers/q1` or `/sections/0/reasons`. */
  readonly pointer: string;
  readonly message: Localized;
  /** The limits the message names (`max`, `maxLength`…), for clients that build their own text. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Escapes a key for a JSON pointer (RFC 6901): `~` → `~0`, `/` → `~1`. */
export const pointerSegment = (key: string | number): string =>
  String(key).replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Rejects a request with every violation found. The outcome's code is the first
 * violation's, so each kind of mistake has its own problem type (and status);
 * `details.errors` lists all of them as the HTTP layer expects, with pointers
 * into `/body` and each one's code.
 */
export function rejectViolations(violations: readonly [Violation, ...Violation[]]): Rejection {
  const [first] = violations;
  return fail(first.code, first.message, {
    ...first.details,
    errors: violations.map((violation) => ({
      pointer: `/body${violation.pointer}`,
      detail: validationMessage(violation.message),
      code: violation.code,
    })),
  });
}

/** Whether a list holds at least one element, for {@link rejectViolations}. */
export const isNonEmpty = <T>(items: readonly T[]): items is readonly [T, ...T[]] => items.length > 0;
