import { Decision, SYSTEM_DECIDER } from '../../moderation/item';
import { type ReasonCode, SYSTEM_REASON } from '../../moderation/reasons';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { fail, type Outcome, ok } from '../../shared/outcome';
import type { Appeal } from '../appeal';
import { visibilityChangedEvent } from '../events';
import { canMoveVisibility, DECISION_TARGET, type Publication, Visibility } from '../publication';
import { AppealKind } from '../settings';

export interface ModerateIssueReportInput {
  readonly decision: Decision;
  readonly reasonCode?: ReasonCode;
}

/**
 * The issue reports' part of a moderation decision (the moderation centre
 * checks who may decide and keeps the record; see `decideItem`). Approving
 * publishes a waiting report (or, on appeal, a rejected one); rejecting
 * answers a waiting one; hiding takes a published one from the public;
 * restoring brings a hidden one back, in its old place in the public list.
 * The handling status does not move: the unit answers a hidden report all the
 * same. Deciding what already is changes only the decision kept on the
 * report, so a council upholding a decision is not an error.
 *
 * Outcomes: ok (emits `issue-report.visibility-changed.v1` when the
 * visibility changes); `invalid_state` (e.g. hiding a report never published,
 * rejecting a published one, or an item that is not a moderated issue report).
 */
export function moderateIssueReport(
  context: CommandContext,
  report: Appeal,
  input: ModerateIssueReportInput,
): Outcome<Appeal> {
  const { actor, clock, ids } = context;
  const publication = report.publication;
  if (report.kind !== AppealKind.issue_report || !publication) {
    return fail(
      'invalid_state',
      text('Модерують лише повідомлення про проблеми.', 'Only issue reports are moderated in the reception.'),
      { kind: report.kind },
    );
  }
  const now = clock.now();
  const at = now.toISOString();
  const target = DECISION_TARGET[input.decision];
  const decided: Publication = {
    ...publication,
    decision: {
      decision: input.decision,
      ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}),
      decidedAt: at,
      decidedBy: actor.subject,
    },
  };
  if (publication.visibility === target) {
    return ok({ ...report, publication: decided, version: report.version + 1 });
  }
  if (!canMoveVisibility(publication.visibility, target)) {
    return fail(
      'invalid_state',
      text(
        `Повідомлення зараз у стані «${publication.visibility}»; рішення «${input.decision}» до нього не застосовне.`,
        `The report is "${publication.visibility}"; the decision "${input.decision}" does not apply to it.`,
      ),
      { currentState: publication.visibility, requestedState: target },
    );
  }
  const next: Appeal = {
    ...report,
    publication: {
      ...decided,
      visibility: target,
      // The first publication fixes the place in the public list; a restore keeps it.
      ...(target === Visibility.published && !publication.publishedAt ? { publishedAt: at } : {}),
    },
    version: report.version + 1,
  };
  return ok(next, [visibilityChangedEvent(ids, now, report, next, input.decision, input.reasonCode)]);
}

/**
 * Residents' reports reached the community's `reportsBeforeHide`: a published
 * report is hidden until a moderator decides.
 *
 * Outcomes: ok (emits `issue-report.visibility-changed.v1` with reason
 * `reported`); `invalid_state` (the report is not published).
 */
export function autoHideIssueReport(context: CommandContext, report: Appeal): Outcome<Appeal> {
  const visibility = report.publication?.visibility;
  if (visibility !== Visibility.published) {
    return fail(
      'invalid_state',
      text(
        `Приховати через скарги можна лише оприлюднене повідомлення; це у стані «${visibility ?? 'private'}».`,
        `Only a published report can be hidden on reports; this one is "${visibility ?? 'private'}".`,
      ),
      { currentState: visibility ?? 'private', requestedState: Visibility.hidden },
    );
  }
  const system = { ...context, actor: { ...context.actor, subject: SYSTEM_DECIDER } };
  return moderateIssueReport(system, report, { decision: Decision.hide, reasonCode: SYSTEM_REASON });
}
