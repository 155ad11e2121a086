import type { AuditIntent } from '../../domain/audit/intent';
import type { Community } from '../../domain/communities/community';
import type { DecidedItem, DecideItemInput } from '../../domain/moderation/commands/decide-item';
import type { ModerationItem, ModerationType } from '../../domain/moderation/item';
import type { ModerationStore } from '../../domain/moderation/ports';
import type { CommandContext } from '../../domain/shared/command';
import type { Outcome } from '../../domain/shared/outcome';
import type { EventEnvelope } from '../../events/envelope';
import { issueReportSubjectPort } from '../appeals/moderation';
import { auditPuts } from '../audit/intents';
import { projectSubjectPort } from '../budgets/moderation';
import { commentSubjectPort } from '../consultations/moderation';
import { petitionSubjectPort } from '../petitions/moderation';
import { commitWithEventsAt, type TransactItem } from '../shared/outbox';
import type { Saved } from '../shared/use-case';
import { decisionLogPut, moderationItemPut, reportPut } from './items';
import { dynamoModerationStore } from './store';
import type { DescribedSubject, SubjectChange, SubjectDeps, SubjectPort } from './subjects';

/**
 * The tools plugged into the moderation centre, by the kind of subject they
 * moderate. A tool joins by adding its port here; a kind without a port has no
 * items (its ids answer 404).
 */
export const SUBJECT_PORTS: Readonly<Partial<Record<ModerationType, SubjectPort>>> = {
  [petitionSubjectPort.type]: petitionSubjectPort,
  [projectSubjectPort.type]: projectSubjectPort,
  [commentSubjectPort.type]: commentSubjectPort,
  [issueReportSubjectPort.type]: issueReportSubjectPort,
};

/** One resident's report, as the group commit writes it. */
export interface NewReport {
  readonly signerKey: string;
  readonly reasonCode: string;
  readonly note?: string;
  readonly reportedAt: string;
}

/** What saving a group of reports answered: written, or which of them (by position) exist already, or a lost race. */
export type ReportsSaved = 'saved' | 'conflict' | { readonly alreadyReported: readonly number[] };

/**
 * Everything the moderation centre's use cases read and write: the items
 * (the domain's {@link ModerationStore}), the subjects through their tools'
 * ports, and the conditional saves. Each save writes the item over the
 * version it was read at, with the tool's change to the subject, the
 * events and the audit intent, all or nothing: `conflict` when any of it
 * moved on meanwhile. The DynamoDB implementation is
 * {@link dynamoModerationPort}; unit tests use an in-memory fake.
 */
export interface ModerationPort extends ModerationStore {
  /** Names the storage: reports of one item wait in one queue per storage and community. */
  readonly scope: string;
  /** The subject an item is about, as it is now; undefined when the community has no such subject. */
  subject(
    communityId: string,
    type: ModerationType,
    subjectId: string,
  ): Promise<DescribedSubject | undefined>;
  /** The tool's part of a decision (a rejection when the tool refuses it). */
  decideSubject(
    context: CommandContext,
    community: Community,
    type: ModerationType,
    subjectId: string,
    input: DecideItemInput,
  ): Promise<Outcome<SubjectChange>>;
  /** The tool hiding a subject that reports reached the community's `reportsBeforeHide` on. */
  hideSubject(
    context: CommandContext,
    community: Community,
    type: ModerationType,
    subjectId: string,
  ): Promise<Outcome<SubjectChange>>;
  /** The item alone (a claim, a release, an appeal). */
  saveItem(previousVersion: number, item: ModerationItem, events: readonly EventEnvelope[]): Promise<Saved>;
  /** A decision: the item, the subject's change, the decision log line and the audit intent. */
  saveDecision(
    previousVersion: number,
    decided: DecidedItem,
    change: SubjectChange,
    events: readonly EventEnvelope[],
    audit: AuditIntent | undefined,
  ): Promise<Saved>;
  /** Reports (each once per resident and item) with the item they leave and the subject hidden by them. */
  saveReports(
    previousVersion: number,
    item: ModerationItem,
    reports: readonly NewReport[],
    changes: readonly SubjectChange[],
    events: readonly EventEnvelope[],
  ): Promise<ReportsSaved>;
}

const noSuchTool = (type: ModerationType): never => {
  throw new Error(`No subject port for ${type}: an item of it cannot have loaded`);
};

/** The DynamoDB implementation of {@link ModerationPort}: one transaction per save. */
export function dynamoModerationPort(deps: SubjectDeps): ModerationPort {
  const commit = (items: readonly TransactItem[], events: readonly EventEnvelope[]) =>
    commitWithEventsAt(deps.client, deps.tableName, items, events);
  const toolOf = (type: ModerationType): SubjectPort => SUBJECT_PORTS[type] ?? noSuchTool(type);
  return {
    ...dynamoModerationStore(deps.client, deps.tableName),
    scope: deps.tableName,

    async subject(communityId, type, subjectId) {
      return SUBJECT_PORTS[type]?.describe(deps, communityId, subjectId);
    },

    decideSubject: (context, community, type, subjectId, input) =>
      toolOf(type).decide(deps, context, community, subjectId, input),

    hideSubject: (context, community, type, subjectId) =>
      toolOf(type).hide(deps, context, community, subjectId),

    async saveItem(previousVersion, item, events) {
      const result = await commit([moderationItemPut(deps.tableName, previousVersion, item)], events);
      return result.committed ? 'saved' : 'conflict';
    },

    async saveDecision(previousVersion, decided, change, events, audit) {
      const result = await commit(
        [
          moderationItemPut(deps.tableName, previousVersion, decided.item),
          ...change.writes,
          decisionLogPut(deps.tableName, decided.item, decided.record),
          ...auditPuts(deps.tableName, audit),
        ],
        events,
      );
      return result.committed ? 'saved' : 'conflict';
    },

    async saveReports(previousVersion, item, reports, changes, events) {
      const result = await commit(
        [
          ...reports.map(({ signerKey, ...report }) => reportPut(deps.tableName, item, signerKey, report)),
          moderationItemPut(deps.tableName, previousVersion, item),
          ...changes.flatMap((change) => change.writes),
        ],
        events,
      );
      if (result.committed) return 'saved';
      // A refused report put: that resident reported before. Otherwise the item or the subject moved on.
      const alreadyReported = result.failedIndexes.filter((index) => index < reports.length);
      return alreadyReported.length > 0 ? { alreadyReported } : 'conflict';
    },
  };
}
