import { AuditAction } from '../../audit/intent';
import { forbidden } from '../../communities/permissions';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { audited, reject, type StaffOutcome } from '../../shared/outcome';
import { consultationAudit } from '../audit';
import { type Consultation, ConsultationPhase, canTransition, invalidPhase } from '../consultation';
import { type Draft, findBlock } from '../draft';
import { phaseChangedEvent, reportPublishedEvent } from '../events';
import { mayActAsCouncil } from '../permissions';
import {
  type ConsultationReport,
  isBlank,
  NEEDS_REASONS,
  type ReportDecision,
  type ReportSection,
  type ReportText,
} from '../report';
import { isNonEmpty, rejectViolations, type Violation } from '../violations';

export interface PublishReportInput {
  readonly summary?: ReportText;
  readonly sections: readonly {
    readonly sectionId: string;
    readonly summary: ReportText;
    readonly decision: ReportDecision;
    readonly reasons?: ReportText;
    readonly commentIds?: readonly string[];
  }[];
}

export interface ConsultationWithReport {
  readonly consultation: Consultation;
  readonly report: ConsultationReport;
}

function sectionViolations(
  draft: Draft,
  commentIds: ReadonlySet<string>,
  entry: PublishReportInput['sections'][number],
  at: number,
  seen: Set<string>,
): Violation[] {
  const pointer = `/sections/${at}`;
  const violations: Violation[] = [];
  if (findBlock(draft, entry.sectionId)?.kind !== 'section') {
    violations.push({
      code: 'unknown_section',
      pointer: `${pointer}/sectionId`,
      message: text(
        'У чинній редакції проєкту немає такого розділу.',
        'The final draft has no such section.',
      ),
      details: { sectionId: entry.sectionId },
    });
  } else if (seen.has(entry.sectionId)) {
    violations.push({
      code: 'duplicate_section',
      pointer: `${pointer}/sectionId`,
      message: text(
        'Розділ у звіті вже є; один розділ — один запис.',
        'The section is already in the report; one entry per section.',
      ),
      details: { sectionId: entry.sectionId },
    });
  }
  seen.add(entry.sectionId);
  if (isBlank(entry.summary)) {
    violations.push({
      code: 'summary_required',
      pointer: `${pointer}/summary`,
      message: text(
        'Підсумуйте, що було почуто щодо розділу.',
        'Summarise what was heard about the section.',
      ),
    });
  }
  if (NEEDS_REASONS.has(entry.decision) && isBlank(entry.reasons)) {
    violations.push({
      code: 'reasons_required',
      pointer: `${pointer}/reasons`,
      message: text(
        'Рішення «прийнято частково» чи «відхилено» має бути обґрунтоване.',
        'A partially accepted or rejected decision must give its reasons.',
      ),
      details: { decision: entry.decision },
    });
  }
  (entry.commentIds ?? []).forEach((commentId, index) => {
    if (!commentIds.has(commentId)) {
      violations.push({
        code: 'unknown_comment',
        pointer: `${pointer}/commentIds/${index}`,
        message: text('У цій консультації немає такого коментаря.', 'This consultation has no such comment.'),
        details: { commentId },
      });
    }
  });
  return violations;
}

/**
 * When the consultation has closed, the council publishes its report: per
 * section of the final version, a summary of what was heard, the decision
 * (with reasons unless accepted) and the comments it answers. The
 * consultation moves to `report_published`; the report is stored apart.
 *
 * Outcomes: ok (emits `consultation.phase-changed.v1` by `council` and
 * `consultation.report-published.v1`, audited); `forbidden` (not council); `invalid_phase` (not closed, with
 * `currentPhase`); and, with every problem in `details.errors`: `report_empty`,
 * `unknown_section`, `duplicate_section`, `summary_required`, `reasons_required`,
 * `unknown_comment`.
 */
export function publishReport(
  context: CommandContext,
  consultation: Consultation,
  draft: Draft,
  input: PublishReportInput,
  commentIds: ReadonlySet<string>,
): StaffOutcome<ConsultationWithReport> {
  const { actor, clock, ids } = context;
  if (!mayActAsCouncil(actor)) return reject(forbidden('council'));
  if (!canTransition(consultation.phase, ConsultationPhase.report_published)) {
    return reject(invalidPhase(consultation, text('оприлюднити звіт', 'publishing the report')));
  }
  const seen = new Set<string>();
  const violations: Violation[] =
    input.sections.length === 0
      ? [
          {
            code: 'report_empty',
            pointer: '/sections',
            message: text(
              'Звіт має відповідати хоча б на один розділ.',
              'The report must answer at least one section.',
            ),
          },
        ]
      : input.sections.flatMap((entry, at) => sectionViolations(draft, commentIds, entry, at, seen));
  if (isNonEmpty(violations)) return rejectViolations(violations);
  const at = clock.now();
  const now = at.toISOString();
  const sections: ReportSection[] = input.sections.map((entry) => ({
    sectionId: entry.sectionId,
    summary: entry.summary,
    decision: entry.decision,
    ...(entry.reasons === undefined || isBlank(entry.reasons) ? {} : { reasons: entry.reasons }),
    commentIds: [...new Set(entry.commentIds ?? [])],
  }));
  const published: ConsultationWithReport = {
    consultation: {
      ...consultation,
      phase: ConsultationPhase.report_published,
      reportPublishedAt: now,
      revision: consultation.revision + 1,
    },
    report: {
      communityId: consultation.communityId,
      consultationId: consultation.id,
      draftVersion: draft.version,
      ...(input.summary === undefined || isBlank(input.summary) ? {} : { summary: input.summary }),
      sections,
      publishedAt: now,
      publishedBy: actor.subject,
    },
  };
  return audited(
    published,
    [
      phaseChangedEvent(ids, at, consultation.phase, published.consultation, 'council'),
      reportPublishedEvent(ids, at, published.report),
    ],
    consultationAudit(
      context,
      AuditAction.consultationReportPublish,
      consultation,
      { phase: consultation.phase },
      {
        phase: published.consultation.phase,
        draftVersion: published.report.draftVersion,
        sections: published.report.sections.length,
      },
    ),
  );
}
