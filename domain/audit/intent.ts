import { z } from 'zod';
import type { Actor } from '../identity/actor';
import type { CommandContext } from '../shared/command';
import { canonicalJson, type JsonValue } from './canonical';

/**
 * What staff can do that the audit trail records, named `<subject>.<verb>`.
 * Adding an audited action is one line here.
 */
export const AuditAction = {
  communitySettingsUpdate: 'community.settings.update',
  communityMemberSet: 'community.member.set',
  moderationDecide: 'moderation.decide',
  petitionAnswer: 'petition.answer',
  petitionOfflineSignatures: 'petition.offline-signatures',
  auditExport: 'audit.export',
  consultationCreate: 'consultation.create',
  consultationPhaseChange: 'consultation.phase-change',
  consultationRevise: 'consultation.revise',
  consultationSurveySet: 'consultation.survey-set',
  consultationReportPublish: 'consultation.report-publish',
  consultationExport: 'consultation.export',
  budgetCreate: 'budget.create',
  budgetImport: 'budget.import',
  budgetPhaseChange: 'budget.phase-change',
  budgetProjectReview: 'budget.project-review',
  budgetProjectProgress: 'budget.project-progress',
  budgetResultsRequest: 'budget.results-request',
  budgetResultsPublish: 'budget.results-publish',
  appealAssign: 'appeal.assign',
  appealExtend: 'appeal.extend',
  appealAnswer: 'appeal.answer',
  appealRefuse: 'appeal.refuse',
  appealForward: 'appeal.forward',
  // The overdue job: an item's due day passed unanswered.
  appealMarkOverdue: 'appeal.mark-overdue',
  // The retention job: personal data erased once the community's retention has passed.
  petitionAnonymise: 'petition.anonymise',
  budgetAnonymise: 'budget.anonymise',
  consultationAnonymise: 'consultation.anonymise',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

/** The platform-wide right that is not a community role, as the audit trail names it. */
export const PLATFORM_ADMIN_ROLE = 'platform-admin';

/** Who acted: the staff subject and the roles they acted with; nothing else about them. */
export interface AuditActor {
  readonly subject: string;
  readonly roles: readonly string[];
}

/** A before/after summary: the changed fields only, small, and no personal data beyond staff subjects. */
export type AuditSummary = Readonly<Record<string, JsonValue | undefined>>;

/**
 * An action's request to be recorded, written in the action's own transaction
 * (so it exists if and only if the action committed) and appended to the
 * community's chain by the audit appender.
 */
export interface AuditIntent {
  /** A ULID: unique, and what makes a redelivered intent recognisable. */
  readonly id: string;
  readonly communityId: string;
  readonly actor: AuditActor;
  readonly action: AuditAction;
  /** What was acted on, as `<kind>/<id>`: `community/demo`, `petition/01H…`. */
  readonly target: string;
  /** When the action happened (ISO 8601). */
  readonly at: string;
  readonly before?: AuditSummary;
  readonly after?: AuditSummary;
}

/** A summary's canonical JSON may be this long at most: summaries name changed fields, not documents. */
export const MAX_SUMMARY_CHARS = 4096;

/** True when every number in `value` is within ±2⁵³−1: DynamoDB reads larger ones back as bigints or not at all. */
const withinSafeRange = (value: unknown): boolean => {
  if (typeof value === 'number') return Math.abs(value) <= Number.MAX_SAFE_INTEGER;
  if (Array.isArray(value)) return value.every(withinSafeRange);
  if (value !== null && typeof value === 'object') return Object.values(value).every(withinSafeRange);
  return true;
};

const SummarySchema = z
  .record(z.string(), z.json())
  .refine((summary) => canonicalJson(summary).length <= MAX_SUMMARY_CHARS, {
    error: `a summary may be at most ${MAX_SUMMARY_CHARS} characters of canonical JSON`,
  })
  .refine(withinSafeRange, { error: 'a summary may hold numbers up to ±(2^53 − 1) only' });

export const AuditActorSchema = z.object({
  subject: z.string().min(1).max(255),
  roles: z.array(z.string().min(1)).max(10),
});

/**
 * A stored intent. The action is checked by its form, not against
 * {@link AuditAction}: the appender may run older code than the action that
 * wrote the intent, and must not drop a record for that.
 */
export const AuditIntentSchema = z.object({
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/),
  communityId: z.string().min(1),
  actor: AuditActorSchema,
  action: z.string().regex(/^[a-z][a-z-]*(?:\.[a-z][a-z-]*)+$/),
  target: z.string().min(1).max(300),
  at: z.iso.datetime(),
  before: SummarySchema.optional(),
  after: SummarySchema.optional(),
});

/** The actor as the audit trail records it: subject and roles (sorted), the platform-admin right as a role. */
export function auditActor(actor: Actor): AuditActor {
  return {
    subject: actor.subject,
    roles: [...actor.roles, ...(actor.platformAdmin ? [PLATFORM_ADMIN_ROLE] : [])].sort(),
  };
}

/** What an action says about itself; the context supplies who, when and the id. */
export interface AuditIntentFields {
  readonly communityId: string;
  readonly action: AuditAction;
  readonly target: string;
  readonly before?: AuditSummary;
  readonly after?: AuditSummary;
}

/**
 * The intent of an action done in `context`, stamped with the context's clock and a fresh id.
 * @example
 * const intent = newAuditIntent(command, {
 *   communityId: 'demo',
 *   action: AuditAction.communitySettingsUpdate,
 *   target: 'community/demo',
 *   before: { reportsBeforeHide: 3 },
 *   after: { reportsBeforeHide: 5 },
 * });
 */
export function newAuditIntent(context: CommandContext, fields: AuditIntentFields): AuditIntent {
  return {
    id: context.ids.next(),
    communityId: fields.communityId,
    actor: auditActor(context.actor),
    action: fields.action,
    target: fields.target,
    at: context.clock.now().toISOString(),
    ...(fields.before ? { before: fields.before } : {}),
    ...(fields.after ? { after: fields.after } : {}),
  };
}
