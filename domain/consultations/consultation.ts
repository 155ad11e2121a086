import type { Anonymisation } from '../retention/retention';
import { type Localized, text } from '../shared/localized';
import type { DomainError } from '../shared/outcome';
import type { Draft } from './draft';
import type { Survey } from './survey';

/** Where a consultation is in its life. */
export const ConsultationPhase = {
  draft: 'draft',
  open: 'open',
  closed: 'closed',
  report_published: 'report_published',
} as const;
export type ConsultationPhase = (typeof ConsultationPhase)[keyof typeof ConsultationPhase];
export const CONSULTATION_PHASES = Object.values(ConsultationPhase);

/**
 * Every legal move, in one table: forward only. A closed consultation is not
 * reopened: what people said was said about a fixed period, and the report
 * answers exactly that; a new round is a new consultation.
 */
export const TRANSITIONS: readonly (readonly [ConsultationPhase, ConsultationPhase])[] = [
  [ConsultationPhase.draft, ConsultationPhase.open],
  [ConsultationPhase.open, ConsultationPhase.closed],
  [ConsultationPhase.closed, ConsultationPhase.report_published],
];

export function canTransition(from: ConsultationPhase, to: ConsultationPhase): boolean {
  return TRANSITIONS.some(([legalFrom, legalTo]) => legalFrom === from && legalTo === to);
}

/** Comments, replies, votes and survey responses are taken only while open. */
export const ACCEPTS_INPUT = new Set<ConsultationPhase>([ConsultationPhase.open]);
/** The council may publish a revised draft until the consultation closes. */
export const REVISABLE = new Set<ConsultationPhase>([ConsultationPhase.draft, ConsultationPhase.open]);
/** The survey is fixed once people can answer it, so that every response answers the same questions. */
export const SURVEY_EDITABLE = new Set<ConsultationPhase>([ConsultationPhase.draft]);

/** Phase names as a resident reads them. */
export const PHASE_NAMES: Readonly<Record<ConsultationPhase, Localized>> = {
  draft: text('чернетка', 'draft'),
  open: text('відкрита', 'open'),
  closed: text('закрита', 'closed'),
  report_published: text('звіт оприлюднено', 'report published'),
};

/** A published version of the draft, as the consultation lists it; the blocks are stored apart. */
export interface DraftVersionSummary {
  readonly version: number;
  readonly publishedAt: string;
  /** The council member's subject. */
  readonly publishedBy: string;
  readonly sections: number;
  readonly paragraphs: number;
}

/** The summary of a version the council publishes now. */
export function versionSummary(draft: Draft, publishedAt: Date, publishedBy: string): DraftVersionSummary {
  const sections = draft.blocks.filter((block) => block.kind === 'section').length;
  return {
    version: draft.version,
    publishedAt: publishedAt.toISOString(),
    publishedBy,
    sections,
    paragraphs: draft.blocks.length - sections,
  };
}

export interface Consultation {
  readonly id: string;
  readonly communityId: string;
  readonly title: string;
  readonly summary: string;
  /** The council's department that owns the draft and answers in the report. */
  readonly ownerDepartment: string;
  /** When the scheduled job opens it (the council may open it earlier). */
  readonly opensAt: string;
  /** When it stops taking input, whether or not the job has closed it yet. */
  readonly closesAt: string;
  readonly phase: ConsultationPhase;
  /** The version comments are made on now. */
  readonly currentVersion: number;
  /** Every published version, oldest first; each version's blocks are a {@link Draft} of their own. */
  readonly versions: readonly DraftVersionSummary[];
  readonly survey?: Survey;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly openedAt?: string;
  readonly closedAt?: string;
  readonly reportPublishedAt?: string;
  /** Set once the retention job has erased its personal data (see `domain/retention`). */
  readonly anonymised?: Anonymisation;
  /** Increases with every change a command makes; guards against lost updates. */
  readonly revision: number;
}

/**
 * The phase as far as input is concerned: an open consultation whose
 * `closesAt` has passed takes nothing, even before the job closes it.
 */
export function effectivePhase(consultation: Consultation, now: Date): ConsultationPhase {
  return consultation.phase === ConsultationPhase.open && now.toISOString() >= consultation.closesAt
    ? ConsultationPhase.closed
    : consultation.phase;
}

/** The 409 for input outside the open phase; it names the phase in both languages. */
export function phaseConflict(phase: ConsultationPhase): DomainError {
  const name = PHASE_NAMES[phase];
  return {
    code: 'consultation_not_open',
    message: text(
      `Консультація у фазі «${name.uk}»; коментарі, голоси й відповіді на опитування приймаються лише у фазі «${PHASE_NAMES.open.uk}».`,
      `The consultation is ${name.en}; comments, votes and survey answers are accepted only while it is ${PHASE_NAMES.open.en}.`,
    ),
    details: { currentPhase: phase },
  };
}

/** The refusal for input now, or undefined while the consultation takes it. */
export function inputRefusal(consultation: Consultation, now: Date): DomainError | undefined {
  const phase = effectivePhase(consultation, now);
  return ACCEPTS_INPUT.has(phase) ? undefined : phaseConflict(phase);
}

/** The 409 for a move the table or a named set does not allow; it names the current phase. */
export function invalidPhase(consultation: Consultation, action: Localized): DomainError {
  const name = PHASE_NAMES[consultation.phase];
  return {
    code: 'invalid_phase',
    message: text(
      `Консультація у фазі «${name.uk}»; ${action.uk} зараз неможливо.`,
      `The consultation is ${name.en}; ${action.en} is not possible now.`,
    ),
    details: { currentPhase: consultation.phase },
  };
}

/** The 400 for dates in the wrong order or already past. */
export function invalidDates(opensAt: string, closesAt: string): DomainError {
  return {
    code: 'invalid_dates',
    message: text(
      'Дата закриття має бути пізніше за дату відкриття і ще не минути.',
      'The closing date must be after the opening date and still to come.',
    ),
    details: { opensAt, closesAt },
  };
}
