import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditSummary } from '../../domain/audit/intent';
import type { Community } from '../../domain/communities/community';
import type { DecideItemInput } from '../../domain/moderation/commands/decide-item';
import type { ModerationType, SubjectSnapshot } from '../../domain/moderation/item';
import type { CommandContext } from '../../domain/shared/command';
import { type Outcome, ok } from '../../domain/shared/outcome';
import type { EventEnvelope } from '../../events/envelope';
import type { TransactItem } from '../shared/outbox';

/** What a subject port needs to read and to build its writes. */
export interface SubjectDeps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** A tool's subject as the centre sees it now. */
export interface DescribedSubject {
  readonly snapshot: SubjectSnapshot;
  /** Shown to the public now: only such a subject can be reported. */
  readonly isPublic: boolean;
}

/**
 * The tool's part of a decision: the transaction entries that change the
 * subject (each conditioned on what the tool read, so a concurrent change
 * fails the whole decision and nothing is half-written), its events, and the
 * subject's state before and after for the audit trail.
 */
export interface SubjectChange {
  readonly writes: readonly TransactItem[];
  readonly events: readonly EventEnvelope[];
  readonly before: AuditSummary;
  readonly after: AuditSummary;
}

/**
 * The one port through which a participation tool plugs into the moderation
 * centre. The centre owns the queue, claims, reports, appeals, the record and
 * the audit entry; the port owns what a decision means for its subject.
 * Budgets (`budget-project`) and consultations (`comment`) implement it too.
 */
export interface SubjectPort {
  readonly type: ModerationType;
  /** The subject, or undefined when the community has no such subject. */
  describe(deps: SubjectDeps, communityId: string, subjectId: string): Promise<DescribedSubject | undefined>;
  /** Carries out a moderator's (or the council's) decision; a rejection when the tool refuses it. */
  decide(
    deps: SubjectDeps,
    context: CommandContext,
    community: Community,
    subjectId: string,
    input: DecideItemInput,
  ): Promise<Outcome<SubjectChange>>;
  /** Hides the subject because reports reached the community's `reportsBeforeHide`. */
  hide(
    deps: SubjectDeps,
    context: CommandContext,
    community: Community,
    subjectId: string,
  ): Promise<Outcome<SubjectChange>>;
}

/**
 * A subject command's outcome as the tool's part of the decision: the writes
 * of the change from `previous` to the command's subject, its events, and the
 * subject before and after as the audit trail records it (its state, unless
 * the tool says more).
 */
export function subjectChange<S extends { readonly state: string }>(
  previous: S,
  outcome: Outcome<S>,
  writes: (next: S) => readonly TransactItem[],
  summary: (subject: S) => AuditSummary = (subject) => ({ state: subject.state }),
): Outcome<SubjectChange> {
  if (!outcome.ok) return outcome;
  const next = outcome.value;
  return ok({
    writes: writes(next),
    events: outcome.events,
    before: summary(previous),
    after: summary(next),
  });
}
