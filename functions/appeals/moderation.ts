import type { Appeal } from '../../domain/appeals/appeal';
import {
  autoHideIssueReport,
  moderateIssueReport,
} from '../../domain/appeals/commands/moderate-issue-report';
import { Visibility } from '../../domain/appeals/publication';
import { AppealKind } from '../../domain/appeals/settings';
import type { AuditSummary } from '../../domain/audit/intent';
import { EXCERPT_CHARS, ModerationType, type SubjectSnapshot } from '../../domain/moderation/item';
import { enterQueue } from '../../domain/moderation/queue';
import { text } from '../../domain/shared/localized';
import { type DomainError, type Outcome, ok, reject } from '../../domain/shared/outcome';
import { enqueuePut } from '../moderation/items';
import type { SubjectChange, SubjectDeps, SubjectPort } from '../moderation/subjects';
import { readItem } from '../shared/dynamo';
import { keys } from '../shared/keys';
import type { TransactItem } from '../shared/outbox';
import { appealFromItem, appealToItem } from './items';

/** What the queue shows of an issue report: its title and text, and the author's key only. */
export function issueReportSnapshot(report: Appeal): SubjectSnapshot {
  return {
    type: ModerationType.issueReport,
    subjectId: report.id,
    title: report.title,
    excerpt: [...report.text].slice(0, EXCERPT_CHARS).join(''),
    authorKey: report.authorKey,
  };
}

/**
 * A report registered under pre-moderation enters the moderation centre's
 * queue in the transaction that registers it, so it can never wait unseen.
 * One published at once (post-moderation) is not queued: the centre finds it
 * when someone reports it or a moderator decides on it (as a published
 * petition or comment).
 */
export function registrationQueueWrites(tableName: string, report: Appeal): TransactItem[] {
  if (report.publication?.visibility !== Visibility.pending) return [];
  const snapshot = issueReportSnapshot(report);
  return [
    enqueuePut(
      tableName,
      enterQueue(undefined, { communityId: report.communityId, snapshot, since: report.submittedAt }),
    ),
  ];
}

/** The report over the version the decision read: a staff action meanwhile fails the whole decision. */
function issueReportPut(tableName: string, previous: Appeal, next: Appeal): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: appealToItem(next),
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': previous.version },
    },
  };
}

/** A report that was never moderated (not an issue report, or no such item) is not the centre's. */
async function readReport(deps: SubjectDeps, communityId: string, subjectId: string) {
  const item = await readItem(deps.client, deps.tableName, keys.appeal(communityId, subjectId));
  const appeal = item ? appealFromItem(item) : undefined;
  return appeal?.kind === AppealKind.issue_report && appeal.publication ? appeal : undefined;
}

const missing = (subjectId: string): DomainError => ({
  code: 'item_not_found',
  message: text(
    'Повідомлення про проблему для модерації не знайдено.',
    'There is no such issue report to moderate.',
  ),
  details: { subjectId },
});

/** The audit trail records who sees it and where its handling stood. */
const summary = (report: Appeal): AuditSummary => ({
  state: report.publication?.visibility,
  status: report.status,
});

/** A moderation command's outcome as the centre's part of the write. */
function changeOf(deps: SubjectDeps, previous: Appeal, outcome: Outcome<Appeal>): Outcome<SubjectChange> {
  if (!outcome.ok) return outcome;
  const next = outcome.value;
  return ok({
    writes: [issueReportPut(deps.tableName, previous, next)],
    events: outcome.events,
    before: summary(previous),
    after: summary(next),
  });
}

/**
 * Issue reports in the moderation centre: approve and restore publish, reject
 * and hide keep or take a report from the public. Only a published report can
 * be reported by residents. The unit handles the report whatever is decided.
 */
export const issueReportSubjectPort: SubjectPort = {
  type: ModerationType.issueReport,

  async describe(deps, communityId, subjectId) {
    const report = await readReport(deps, communityId, subjectId);
    if (!report) return undefined;
    return {
      snapshot: issueReportSnapshot(report),
      isPublic: report.publication?.visibility === Visibility.published,
    };
  },

  async decide(deps, context, community, subjectId, input) {
    const report = await readReport(deps, community.id, subjectId);
    if (!report) return reject(missing(subjectId));
    return changeOf(deps, report, moderateIssueReport(context, report, input));
  },

  async hide(deps, context, community, subjectId) {
    const report = await readReport(deps, community.id, subjectId);
    if (!report) return reject(missing(subjectId));
    return changeOf(deps, report, autoHideIssueReport(context, report));
  },
};
