import type { EventEnvelope } from '../../events/envelope';
import type { Localized } from './localized';

/**
 * A business rejection: a value, never an exception. `code` is stable and is what
 * the HTTP layer maps to a status and a uk/en text; `details` carry what the
 * client needs to fix the request (limits, current state, the offending field).
 */
export interface DomainError {
  readonly code: string;
  /** What went wrong and what to do, in Ukrainian and English. */
  readonly message: Localized;
  readonly details?: Record<string, unknown>;
}

/** What a command returns: the new value and the events it emits, or a rejection. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T; readonly events: readonly EventEnvelope[] }
  | { readonly ok: false; readonly error: DomainError };

/** @example return ok(community, [communityCreated(...)]) */
export function ok<T>(value: T, events: readonly EventEnvelope[] = []): Outcome<T> {
  return { ok: true, value, events };
}

/** @example return fail('forbidden', text('Лише рада…', 'Only the council…'), { required: 'council' }) */
export function fail<T = never>(
  code: string,
  message: Localized,
  details?: Record<string, unknown>,
): Outcome<T> {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

/** Rejects with an error built elsewhere (a shared permission error, say). */
export function reject<T = never>(error: DomainError): Outcome<T> {
  return { ok: false, error };
}
