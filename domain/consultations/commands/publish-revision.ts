import { AuditAction } from '../../audit/intent';
import { forbidden } from '../../communities/permissions';
import type { CommandContext } from '../../shared/command';
import { text } from '../../shared/localized';
import { audited, fail, reject, type StaffOutcome } from '../../shared/outcome';
import { consultationAudit } from '../audit';
import { type Consultation, invalidPhase, REVISABLE, versionSummary } from '../consultation';
import { type Draft, reviseDraft } from '../draft';
import { revisedEvent } from '../events';
import { mayActAsCouncil } from '../permissions';
import type { ConsultationWithDraft } from './create-consultation';

/**
 * The council publishes a revised draft, before or during the consultation.
 * Sections and paragraphs that survive keep their ids, so comments stay on
 * them; comments on removed ones move to the nearest surviving ancestor
 * (`anchorFor`). Earlier versions are kept; comments record the version they were made on.
 *
 * Outcomes: ok (the new current version; emits `consultation.revised.v1`,
 * audited); `forbidden` (not council);
 * `invalid_phase` (closed or later, with `currentPhase`); `draft_unchanged`;
 * `draft_too_large`, `too_many_sections`, `too_many_paragraphs`, `draft_empty`,
 * `duplicate_block_id` (the Markdown).
 */
export function publishRevision(
  context: CommandContext,
  consultation: Consultation,
  currentDraft: Draft,
  markdown: string,
): StaffOutcome<ConsultationWithDraft> {
  const { actor, clock, ids } = context;
  if (!mayActAsCouncil(actor)) return reject(forbidden('council'));
  if (!REVISABLE.has(consultation.phase)) {
    return reject(
      invalidPhase(consultation, text('оприлюднити нову редакцію', 'publishing a revised draft')),
    );
  }
  if (currentDraft.version !== consultation.currentVersion) {
    throw new Error(
      `Draft version ${currentDraft.version} is not the consultation's current version ${consultation.currentVersion}`,
    );
  }
  const revised = reviseDraft(currentDraft, markdown, ids);
  if (!revised.ok) return revised;
  const draft = revised.value;
  if (JSON.stringify(draft.blocks) === JSON.stringify(currentDraft.blocks)) {
    return fail(
      'draft_unchanged',
      text(
        'Нова редакція не відрізняється від чинної; оприлюднювати нічого.',
        'The revision is the same as the current version; there is nothing to publish.',
      ),
      { currentVersion: consultation.currentVersion },
    );
  }
  const now = clock.now();
  const next: Consultation = {
    ...consultation,
    currentVersion: draft.version,
    versions: [...consultation.versions, versionSummary(draft, now, actor.subject)],
    revision: consultation.revision + 1,
  };
  return audited(
    { consultation: next, draft },
    [revisedEvent(ids, now, next, draft)],
    consultationAudit(
      context,
      AuditAction.consultationRevise,
      consultation,
      { draftVersion: consultation.currentVersion },
      { draftVersion: draft.version },
    ),
  );
}
