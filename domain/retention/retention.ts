import { AuditAction, type AuditActor, type AuditIntent } from '../audit/intent';
import { MIN_RETENTION_DAYS } from '../communities/settings';
import type { IdGenerator } from '../shared/clock';

/**
 * Personal data that expires. Ukraine's law on personal data protection asks
 * that data be kept no longer than its purpose needs: a petition's signers are
 * needed until it is closed and its count beyond dispute, a budget's voters
 * until its results are published, a consultation's respondents until its
 * report is. A community's `retentionDays` after that end, the retention job
 * erases what links a person to the subject and keeps what is public or
 * anonymous (counts, statistics, ballots without voters, comment texts under
 * per-consultation pseudonyms).
 */

/** The subjects whose personal data expires, and the end each is counted from. */
export const RetentionKind = {
  /** From `closedAt`. */
  petition: 'petition',
  /** From `resultsPublishedAt`. */
  budget: 'budget',
  /** From `reportPublishedAt`. */
  consultation: 'consultation',
} as const;
export type RetentionKind = (typeof RetentionKind)[keyof typeof RetentionKind];

/** A subject waiting for its personal data to expire, as the schedule lists it. */
export interface RetentionSubject {
  readonly kind: RetentionKind;
  readonly communityId: string;
  readonly subjectId: string;
  /** When its purpose ended (ISO 8601): closed, or results or report published. */
  readonly endedAt: string;
}

/**
 * What an erasure left on its subject: when, and how many items of each kind
 * went (`signatures`, `ballots`, …). Written once, in the transaction of the
 * last deletions, so that "is it anonymised" is a fact and not a computation.
 */
export interface Anonymisation {
  readonly at: string;
  readonly erased: Readonly<Record<string, number>>;
}

const DAY_MS = 86_400_000;

/** When a subject that ended at `endedAt` is due for erasure under a retention of `retentionDays`. */
export function retentionDueAt(endedAt: string, retentionDays: number): Date {
  return new Date(new Date(endedAt).getTime() + retentionDays * DAY_MS);
}

/**
 * Whether a subject's personal data is due for erasure at `now`: `retentionDays`
 * full days have passed since it ended. The current setting decides, so a
 * community that shortens its retention has its older subjects erased sooner.
 * @example isDueForErasure('2026-01-01T00:00:00.000Z', 180, clock.now()) // true from 2026-06-30T00:00Z
 */
export function isDueForErasure(endedAt: string, retentionDays: number, now: Date): boolean {
  return retentionDueAt(endedAt, retentionDays).getTime() <= now.getTime();
}

/**
 * The latest end a subject may have and still be due at `now` under any
 * setting: no community keeps data less than {@link MIN_RETENTION_DAYS}, so
 * the job reads the schedule up to here and no further.
 */
export function retentionHorizon(now: Date): string {
  return new Date(now.getTime() - MIN_RETENTION_DAYS * DAY_MS).toISOString();
}

/** The retention job as the audit trail names it: no person acted, the community's setting did. */
export const RETENTION_ACTOR: AuditActor = { subject: 'system:retention', roles: ['system'] };

const ACTION: Record<RetentionKind, AuditAction> = {
  petition: AuditAction.petitionAnonymise,
  budget: AuditAction.budgetAnonymise,
  consultation: AuditAction.consultationAnonymise,
};

/**
 * The audit intent of one subject's erasure: the job as the actor, what ended
 * when and the retention applied (`before`), and the counts erased (`after`).
 * Only counts: the trail must not keep what the erasure took away.
 */
export function anonymisationAudit(
  ids: IdGenerator,
  subject: RetentionSubject,
  retentionDays: number,
  anonymisation: Anonymisation,
): AuditIntent {
  return {
    id: ids.next(),
    communityId: subject.communityId,
    actor: RETENTION_ACTOR,
    action: ACTION[subject.kind],
    target: `${subject.kind}/${subject.subjectId}`,
    at: anonymisation.at,
    before: { endedAt: subject.endedAt, retentionDays },
    after: { erased: { ...anonymisation.erased } },
  };
}
