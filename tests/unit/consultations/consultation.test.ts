import { describe, expect, it } from 'vitest';
import {
  advancePhase,
  changePhase,
  duePhaseChange,
} from '../../../domain/consultations/commands/change-phase';
import { createConsultation } from '../../../domain/consultations/commands/create-consultation';
import { publishRevision } from '../../../domain/consultations/commands/publish-revision';
import { setSurvey } from '../../../domain/consultations/commands/set-survey';
import {
  ACCEPTS_INPUT,
  CONSULTATION_PHASES,
  type ConsultationPhase,
  canTransition,
  effectivePhase,
  inputRefusal,
  phaseConflict,
  TRANSITIONS,
} from '../../../domain/consultations/consultation';
import { SurveySchema } from '../../../domain/consultations/survey';
import { fixedClock } from '../../support/actors';
import {
  community,
  contextAt,
  council,
  DRAFT,
  draftConsultation,
  inPhase,
  NOW,
  openConsultation,
  resident,
  sequence,
  succeeded,
} from './fixtures';

const LEGAL = new Set(TRANSITIONS.map(([from, to]) => `${from}->${to}`));
const EVERY_PAIR = CONSULTATION_PHASES.flatMap((from) =>
  CONSULTATION_PHASES.map((to) => [from, to] as [ConsultationPhase, ConsultationPhase]),
);

describe('the consultation transition table', () => {
  it.each(EVERY_PAIR.filter(([from, to]) => LEGAL.has(`${from}->${to}`)))('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each(EVERY_PAIR.filter(([from, to]) => !LEGAL.has(`${from}->${to}`)))('refuses %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('lists exactly the forward path of the issue, with no reopening', () => {
    expect([...LEGAL]).toEqual(['draft->open', 'open->closed', 'closed->report_published']);
    expect(EVERY_PAIR).toHaveLength(16);
    expect(canTransition('closed', 'open')).toBe(false);
  });

  it('takes input only while open', () => {
    expect([...ACCEPTS_INPUT]).toEqual(['open']);
  });
});

describe('phaseConflict', () => {
  it.each([
    ['draft', 'чернетка', 'draft'],
    ['closed', 'закрита', 'closed'],
    ['report_published', 'звіт оприлюднено', 'report published'],
  ] as const)('names the phase %s in both languages', (phase, uk, en) => {
    const error = phaseConflict(phase);

    expect(error.code).toBe('consultation_not_open');
    expect(error.details).toEqual({ currentPhase: phase });
    expect(error.message.uk).toContain(`«${uk}»`);
    expect(error.message.en).toContain(`is ${en};`);
  });

  it('treats an open consultation past its closing time as closed, before the job runs', () => {
    const { consultation } = openConsultation();
    const after = new Date(consultation.closesAt);

    expect(effectivePhase(consultation, after)).toBe('closed');
    expect(inputRefusal(consultation, after)?.details).toEqual({ currentPhase: 'closed' });
    expect(inputRefusal(consultation, new Date(after.getTime() - 1))).toBeUndefined();
  });
});

describe('createConsultation', () => {
  const input = {
    title: 'T',
    summary: 'S',
    ownerDepartment: 'D',
    opensAt: '2026-12-01T00:00:00Z',
    closesAt: '2026-12-31T00:00:00Z',
    markdown: DRAFT,
  };

  it('creates a draft with version 1 of its text and normalised dates', () => {
    const { consultation, draft } = succeeded(createConsultation(contextAt(council), community(), input));

    expect(consultation).toMatchObject({
      communityId: 'demo',
      phase: 'draft',
      currentVersion: 1,
      opensAt: '2026-12-01T00:00:00.000Z',
      closesAt: '2026-12-31T00:00:00.000Z',
      versions: [{ version: 1, publishedAt: NOW, publishedBy: 'council', sections: 3, paragraphs: 4 }],
      createdBy: 'council',
    });
    expect(draft.version).toBe(1);
  });

  it.each([
    ['a resident', resident('r1'), input, 'forbidden'],
    ['closing before opening', council, { ...input, closesAt: '2026-11-30T00:00:00Z' }, 'invalid_dates'],
    [
      'closing in the past',
      council,
      { ...input, opensAt: '2026-01-01T00:00:00Z', closesAt: '2026-02-01T00:00:00Z' },
      'invalid_dates',
    ],
    ['an unreadable date', council, { ...input, opensAt: 'soon' }, 'invalid_dates'],
    ['an empty draft', council, { ...input, markdown: '  \n\n' }, 'draft_empty'],
  ])('refuses %s with %s', (_case, who, body, code) => {
    const outcome = createConsultation(contextAt(who), community(), body);

    expect(outcome.ok || outcome.error.code).toBe(code);
  });
});

describe('changePhase and the schedule', () => {
  it('opens a draft and then closes it, recording when', () => {
    const { consultation } = draftConsultation();

    const opened = succeeded(changePhase(contextAt(council), consultation, { phase: 'open' }));
    const closed = succeeded(
      changePhase(contextAt(council, '2026-11-23T00:00:00.000Z'), opened, { phase: 'closed' }),
    );

    expect(opened).toMatchObject({ phase: 'open', openedAt: NOW, revision: 2 });
    expect(closed).toMatchObject({ phase: 'closed', closedAt: '2026-11-23T00:00:00.000Z', revision: 3 });
  });

  it.each([
    ['draft', 'closed'],
    ['closed', 'open'],
    ['report_published', 'closed'],
    ['open', 'open'],
  ] as const)('refuses %s → %s, naming both phases', (from, to) => {
    const consultation = inPhase(draftConsultation().consultation, from);

    const outcome = changePhase(contextAt(council), consultation, { phase: to });

    expect(outcome.ok || outcome.error).toMatchObject({
      code: 'invalid_phase_change',
      details: { currentPhase: from, requestedPhase: to },
    });
  });

  it('refuses anyone but the council', () => {
    const outcome = changePhase(contextAt(resident('r1')), draftConsultation().consultation, {
      phase: 'open',
    });

    expect(outcome.ok || outcome.error.code).toBe('forbidden');
  });

  it('opens a draft whose dates have passed only with a new closing date', () => {
    const { consultation } = draftConsultation();
    const late = contextAt(council, '2027-01-10T00:00:00.000Z');

    const refused = changePhase(late, consultation, { phase: 'open' });
    const reopened = changePhase(late, consultation, { phase: 'open', closesAt: '2027-02-01T00:00:00Z' });

    expect(refused.ok || refused.error.code).toBe('invalid_dates');
    expect(reopened.ok && reopened.value).toMatchObject({
      phase: 'open',
      closesAt: '2027-02-01T00:00:00.000Z',
    });
  });

  it.each([
    ['a draft before opensAt', 'draft', '2026-11-20T23:59:59.999Z', undefined],
    ['a draft at opensAt', 'draft', '2026-11-21T00:00:00.000Z', 'open'],
    ['a draft whose period has passed', 'draft', '2026-12-22T00:00:00.000Z', undefined],
    ['an open one before closesAt', 'open', '2026-12-21T23:59:59.999Z', undefined],
    ['an open one at closesAt', 'open', '2026-12-22T00:00:00.000Z', 'closed'],
    ['a closed one', 'closed', '2027-06-01T00:00:00.000Z', undefined],
  ] as const)('schedules %s: %s', (_case, phase, at, due) => {
    const consultation = inPhase(draftConsultation().consultation, phase);

    expect(duePhaseChange(consultation, new Date(at))).toBe(due);
  });

  it('lets the job advance only what is due', () => {
    const { consultation } = draftConsultation();

    const opened = advancePhase(fixedClock('2026-11-21T00:00:00.000Z'), sequence('E'), consultation);
    const notDue = advancePhase(fixedClock('2026-11-20T00:00:00.000Z'), sequence('E'), consultation);

    expect(opened.ok && opened.value.phase).toBe('open');
    expect(notDue.ok || notDue.error.code).toBe('not_due');
  });
});

describe('publishRevision', () => {
  it('publishes version 2 and lists both versions', () => {
    const { consultation, draft } = openConsultation();

    const outcome = publishRevision(contextAt(council), consultation, draft, `${DRAFT}\nНовий абзац.\n`);

    expect(outcome.ok && outcome.value.consultation.currentVersion).toBe(2);
    expect(outcome.ok && outcome.value.consultation.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(outcome.ok && outcome.value.draft.version).toBe(2);
  });

  it.each([
    ['the same text', 'open', DRAFT, 'draft_unchanged'],
    ['the same text, formatted differently', 'open', DRAFT.replaceAll('\n\n', '\n\n\n'), 'draft_unchanged'],
    ['a closed consultation', 'closed', `${DRAFT}\nx`, 'invalid_phase'],
    ['a published report', 'report_published', `${DRAFT}\nx`, 'invalid_phase'],
  ] as const)('refuses %s', (_case, phase, markdown, code) => {
    const { consultation, draft } = draftConsultation();

    const outcome = publishRevision(contextAt(council), inPhase(consultation, phase), draft, markdown);

    expect(outcome.ok || outcome.error.code).toBe(code);
  });

  it('refuses a resident', () => {
    const { consultation, draft } = draftConsultation();

    const outcome = publishRevision(contextAt(resident('r1')), consultation, draft, 'x');

    expect(outcome.ok || outcome.error.code).toBe('forbidden');
  });
});

describe('setSurvey', () => {
  const survey = SurveySchema.parse({
    questions: [{ id: 'q1', type: 'scale', range: '1-5', title: { uk: 'Оцінка', en: 'Rating' } }],
  });

  it('attaches and removes a survey while the consultation is a draft', () => {
    const { consultation } = draftConsultation();

    const attached = succeeded(setSurvey(contextAt(council), consultation, survey));
    const removed = succeeded(setSurvey(contextAt(council), attached, undefined));

    expect(attached.survey).toEqual(survey);
    expect(removed).not.toHaveProperty('survey');
  });

  it('refuses once the consultation is open, naming the phase', () => {
    const outcome = setSurvey(contextAt(council, NOW, sequence()), openConsultation().consultation, survey);

    expect(outcome.ok || outcome.error).toMatchObject({
      code: 'invalid_phase',
      details: { currentPhase: 'open' },
    });
  });
});
