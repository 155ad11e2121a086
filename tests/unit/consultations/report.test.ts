import { describe, expect, it } from 'vitest';
import {
  type PublishReportInput,
  publishReport,
} from '../../../domain/consultations/commands/publish-report';
import { localizeMessage } from '../../../domain/shared/localized';
import { contextAt, council, inPhase, NOW, openConsultation, resident } from './fixtures';

const { consultation: open, draft } = openConsultation();
const closed = inPhase(open, 'closed');
const [intro, goals, , measures] = draft.blocks;
const comments = new Set(['K001', 'K002']);

const report: PublishReportInput = {
  summary: 'Понад сто коментарів.',
  sections: [
    {
      sectionId: goals!.id,
      summary: { uk: 'Підтримали', en: 'Supported' },
      decision: 'accepted',
      commentIds: ['K001', 'K001'],
    },
    {
      sectionId: measures!.id,
      summary: 'Сумніви щодо велосмуг',
      decision: 'partially_accepted',
      reasons: 'Бюджет',
      commentIds: ['K002'],
    },
  ],
};

describe('publishReport', () => {
  it('publishes the report on a closed consultation and moves it to report_published', () => {
    const outcome = publishReport(contextAt(council), closed, draft, report, comments);

    expect(outcome.ok && outcome.value.consultation).toMatchObject({
      phase: 'report_published',
      reportPublishedAt: NOW,
    });
    expect(outcome.ok && outcome.value.report).toMatchObject({
      consultationId: open.id,
      draftVersion: 1,
      summary: 'Понад сто коментарів.',
      publishedBy: 'council',
      sections: [
        { sectionId: goals!.id, decision: 'accepted', commentIds: ['K001'] },
        { sectionId: measures!.id, decision: 'partially_accepted', reasons: 'Бюджет', commentIds: ['K002'] },
      ],
    });
  });

  it.each(['draft', 'open', 'report_published'] as const)('refuses while %s, naming the phase', (phase) => {
    const outcome = publishReport(contextAt(council), inPhase(open, phase), draft, report, comments);

    expect(outcome.ok || outcome.error).toMatchObject({
      code: 'invalid_phase',
      details: { currentPhase: phase },
    });
  });

  it('refuses a resident', () => {
    const outcome = publishReport(contextAt(resident('r1')), closed, draft, report, comments);

    expect(outcome.ok || outcome.error.code).toBe('forbidden');
  });

  const entry = { sectionId: goals!.id, summary: 'Почули', decision: 'accepted' as const };

  it.each([
    ['report_empty', [], '/body/sections'],
    ['unknown_section', [{ ...entry, sectionId: 'nope' }], '/body/sections/0/sectionId'],
    ['unknown_section', [{ ...entry, sectionId: intro!.id }], '/body/sections/0/sectionId'],
    ['duplicate_section', [entry, entry], '/body/sections/1/sectionId'],
    ['summary_required', [{ ...entry, summary: '  ' }], '/body/sections/0/summary'],
    ['summary_required', [{ ...entry, summary: { uk: 'Так', en: ' ' } }], '/body/sections/0/summary'],
    ['reasons_required', [{ ...entry, decision: 'rejected' as const }], '/body/sections/0/reasons'],
    [
      'reasons_required',
      [{ ...entry, decision: 'partially_accepted' as const, reasons: '' }],
      '/body/sections/0/reasons',
    ],
    ['unknown_comment', [{ ...entry, commentIds: ['K001', 'K404'] }], '/body/sections/0/commentIds/1'],
  ])('refuses with %s at its pointer', (code, sections, pointer) => {
    const outcome = publishReport(contextAt(council), closed, draft, { sections }, comments);

    expect(outcome.ok || outcome.error.code).toBe(code);
    expect(outcome.ok || outcome.error.details?.errors).toEqual([expect.objectContaining({ code, pointer })]);
  });

  it('lists every problem at once, each explained in the caller’s language', () => {
    const outcome = publishReport(
      contextAt(council),
      closed,
      draft,
      { sections: [{ ...entry, sectionId: 'nope', decision: 'rejected' }] },
      comments,
    );
    const errors = (outcome.ok ? [] : outcome.error.details?.errors) as { code: string; detail: string }[];

    expect(errors.map((error) => error.code)).toEqual(['unknown_section', 'reasons_required']);
    expect(localizeMessage(errors[1]!.detail, 'en')).toBe(
      'A partially accepted or rejected decision must give its reasons.',
    );
  });
});
