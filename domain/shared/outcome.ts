import type { EventEnvelope } from '../../events/envelope';
import type { AuditIntent } from '../audit/intent';
import type { Localized } from './localized';
import type { ProblemCode } from './problem-codes';

/**
 * A business rejection: a value, never an exception. `code` is stable and is what
 * the HTTP layer maps to a status and a uk/en text; `details` carry what the
 * client needs to fix the request (limits, current state, the offending field).
 */
export interface DomainError {
  readonly code: ProblemCode;
  /** What went wrong and what to do, in Ukrainian and English. */
  readonly message: Localized;
  readonly details?: Record<string, unknown>;
}

/** A command's success: the new value, the events it emits and, for staff actions, what the audit trail records. */
export interface Success<T> {
  readonly ok: true;
  readonly value: T;
  readonly events: readonly EventEnvelope[];
  readonly audit?: AuditIntent;
}

/** A command's refusal: nothing happened, and `error` says why. */
export interface Rejection {
  readonly ok: false;
  readonly error: DomainError;
}

/** What a command returns: what happened, or a rejection. */
export type Outcome<T> = Success<T> | Rejection;

/** A staff action's success: what the audit trail records is always there. */
export interface AuditedSuccess<T> extends Success<T> {
  readonly audit: AuditIntent;
}

/**
 * What a staff command returns: its success always carries the audit intent,
 * so that a port whose write takes it as required cannot be handed a success
 * without one (a staff command that forgot its audit does not compile).
 */
export type StaffOutcome<T> = AuditedSuccess<T> | Rejection;

/** @example return ok(community, [communityCreated(...)], newAuditIntent(...)) */
export function ok<T>(value: T, events: readonly EventEnvelope[] = [], audit?: AuditIntent): Outcome<T> {
  return audit ? { ok: true, value, events, audit } : { ok: true, value, events };
}

/** A staff command's success, with its audit intent. @example return audited(next, [published], audit) */
export function audited<T>(value: T, events: readonly EventEnvelope[], audit: AuditIntent): StaffOutcome<T> {
  return { ok: true, value, events, audit };
}

/** @example return fail('forbidden', text('Лише рада…', 'Only the council…'), { required: 'council' }) */
export function fail(code: ProblemCode, message: Localized, details?: Record<string, unknown>): Rejection {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

/** Rejects with an error built elsewhere (a shared permission error, say). */
export function reject(error: DomainError): Rejection {
  return { ok: false, error };
}
