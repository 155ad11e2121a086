import type { Localized } from '../shared/localized';

/** The council's decision on what it heard about one section. */
export const ReportDecision = {
  accepted: 'accepted',
  partially_accepted: 'partially_accepted',
  rejected: 'rejected',
} as const;
export type ReportDecision = (typeof ReportDecision)[keyof typeof ReportDecision];
export const REPORT_DECISIONS = Object.values(ReportDecision);

/** A decision that turns down some of what people asked for must say why. */
export const NEEDS_REASONS = new Set<ReportDecision>([
  ReportDecision.partially_accepted,
  ReportDecision.rejected,
]);

/** The council writes in both languages where it can, and may write in one. */
export type ReportText = string | Localized;

export interface ReportSection {
  readonly sectionId: string;
  /** What was heard about the section. */
  readonly summary: ReportText;
  readonly decision: ReportDecision;
  readonly reasons?: ReportText;
  /** The comments this answers. */
  readonly commentIds: readonly string[];
}

/** The council's answer to a consultation, per section of the final version. */
export interface ConsultationReport {
  readonly communityId: string;
  readonly consultationId: string;
  /** The version the section ids belong to. */
  readonly draftVersion: number;
  readonly summary?: ReportText;
  readonly sections: readonly ReportSection[];
  readonly publishedAt: string;
  readonly publishedBy: string;
}

/** Blank: empty or whitespace (in either language). */
export const isBlank = (value: ReportText | undefined): boolean =>
  value === undefined ||
  (typeof value === 'string' ? value.trim() === '' : value.uk.trim() === '' || value.en.trim() === '');
