import { describe, expect, it } from 'vitest';
import { AuditAction } from '../../../domain/audit/intent';
import { SurveySchema } from '../../../domain/consultations/survey';
import type { Actor } from '../../../domain/identity/actor';
import { ConsultationEvents } from '../../../events/consultations';
import { commentUseCases } from '../../../functions/consultations/comment-use-cases';
import { advanceDuePhases } from '../../../functions/consultations/phase-job';
import { consultationUseCases } from '../../../functions/consultations/use-cases';
import type { RetryPolicy } from '../../../functions/shared/use-case';
import { fixedClock } from '../../support/actors';
import { type FakeConsultationStore, fakeConsultationStore } from '../../support/fakes/consultation-store';
import { community, contextAt, council, DRAFT, NOW, resident, rules, sequence, succeeded } from './fixtures';

/** Retries at once: the runner's pauses are no part of what these tests check. */
const AT_ONCE: RetryPolicy = { attempts: 4, pause: async () => {} };

const title = { uk: 'Питання', en: 'Question' };
const survey = SurveySchema.parse({
  questions: [
    {
      id: 'mode',
      type: 'single',
      title,
      options: [
        { id: 'bus', label: title },
        { id: 'bike', label: title },
      ],
    },
  ],
});

const CREATE = {
  title: 'Центр без заторів',
  summary: 'Що змінити в центрі міста',
  ownerDepartment: 'Департамент транспорту',
  opensAt: '2026-11-21T00:00:00.000Z',
  closesAt: '2026-12-22T00:00:00.000Z',
  markdown: DRAFT,
};

/** A fake store, the use cases on it, and one id sequence for everything the test does. */
function prepare() {
  const store = fakeConsultationStore();
  const ids = sequence('U');
  const as = (who: Actor, at = NOW) => contextAt(who, at, ids);
  return {
    store,
    ids,
    as,
    consultations: consultationUseCases(store, AT_ONCE),
    comments: commentUseCases(store, AT_ONCE),
  };
}

/** A consultation created through its use case, opened by the council, with `withSurvey` set while a draft. */
async function openedConsultation(setup: ReturnType<typeof prepare>, withSurvey = false) {
  const { consultation } = succeeded(
    await setup.consultations.create(setup.as(council), community(), {
      ...CREATE,
      ...(withSurvey ? { survey } : {}),
    }),
  );
  succeeded(
    await setup.consultations.changePhase(setup.as(council), 'demo', consultation.id, { phase: 'open' }),
  );
  setup.store.written.events.length = 0;
  setup.store.written.audits.length = 0;
  setup.store.written.saves = 0;
  return consultation.id;
}

const names = (store: FakeConsultationStore) => store.written.events.map((event) => event.name);

describe('consultation use cases on the fake store', () => {
  it('creates a consultation with its created event and audit intent, from the command', async () => {
    const { store, as, consultations } = prepare();

    const outcome = await consultations.create(as(council), community(), { ...CREATE, survey });

    expect(outcome.ok).toBe(true);
    const { consultation, draft } = succeeded(outcome);
    expect(await store.get('demo', consultation.id)).toEqual(consultation);
    expect(await store.draft('demo', consultation.id, 1)).toEqual(draft);
    expect(names(store)).toEqual([ConsultationEvents.created, ConsultationEvents.surveySet]);
    expect(
      store.written.audits.map((audit) => [audit.action, audit.target, audit.after?.surveyQuestions]),
    ).toEqual([[AuditAction.consultationCreate, `consultation/${consultation.id}`, 1]]);
  });

  it('refuses a resident and writes nothing', async () => {
    const { store, as, consultations } = prepare();

    const outcome = await consultations.create(as(resident('r1')), community(), CREATE);

    expect(outcome.ok || outcome.error.code).toBe('forbidden');
    expect(store.written.events).toEqual([]);
    expect(store.written.audits).toEqual([]);
  });

  it('publishes a revision: version 2 stored beside the first, revised event and audit, counts read', async () => {
    const setup = prepare();
    const consultationId = await openedConsultation(setup);
    succeeded(
      await setup.comments.post(setup.as(resident('r1')), rules(), 'demo', consultationId, {
        stance: 'against',
        text: 'Ні',
      }),
    );
    setup.store.written.events.length = 0;

    const outcome = await setup.consultations.revise(
      setup.as(council),
      'demo',
      consultationId,
      `${DRAFT}\n# Новий розділ\n\nЩе один абзац.\n`,
    );

    const page = succeeded(outcome);
    expect(page.consultation.currentVersion).toBe(2);
    expect((await setup.store.get('demo', consultationId))?.currentVersion).toBe(2);
    expect((await setup.store.draft('demo', consultationId, 1))?.version).toBe(1);
    expect(names(setup.store)).toEqual([ConsultationEvents.revised]);
    expect(setup.store.written.audits.map((audit) => [audit.action, audit.before, audit.after])).toEqual([
      [AuditAction.consultationRevise, { draftVersion: 1 }, { draftVersion: 2 }],
    ]);
    expect(page.counts.all).toEqual({ total: 1, byStance: { for: 0, against: 1, neutral: 0 } });
  });

  it('retries a phase change once after a conflict, and saves one event and one audit intent', async () => {
    const setup = prepare();
    const { consultation } = succeeded(
      await setup.consultations.create(setup.as(council), community(), CREATE),
    );
    setup.store.written.events.length = 0;
    setup.store.written.audits.length = 0;
    setup.store.conflictNext();

    const outcome = await setup.consultations.changePhase(setup.as(council), 'demo', consultation.id, {
      phase: 'open',
    });

    expect(succeeded(outcome).phase).toBe('open');
    expect(setup.store.written.saves).toBe(2);
    expect(setup.store.written.events.map((event) => [event.name, event.detail.by, event.detail.to])).toEqual(
      [[ConsultationEvents.phaseChanged, 'council', 'open']],
    );
    expect(setup.store.written.audits.map((audit) => audit.action)).toEqual([
      AuditAction.consultationPhaseChange,
    ]);
  });

  it('answers version_conflict once every attempt lost its race, having written nothing', async () => {
    const setup = prepare();
    const { consultation } = succeeded(
      await setup.consultations.create(setup.as(council), community(), CREATE),
    );
    setup.store.written.events.length = 0;
    setup.store.conflictNext(AT_ONCE.attempts);

    const outcome = await setup.consultations.setSurvey(setup.as(council), 'demo', consultation.id, survey);

    expect(outcome.ok || outcome.error.code).toBe('version_conflict');
    expect(outcome.ok || outcome.error.message.en).toBe(
      'The consultation changed several times just now. Please try again.',
    );
    expect(setup.store.written.saves).toBe(AT_ONCE.attempts);
    expect(setup.store.written.events).toEqual([]);
    expect((await setup.store.get('demo', consultation.id))?.survey).toBeUndefined();
  });

  it('sets the survey of a draft with its event and audit intent', async () => {
    const setup = prepare();
    const { consultation } = succeeded(
      await setup.consultations.create(setup.as(council), community(), CREATE),
    );
    setup.store.written.events.length = 0;
    setup.store.written.audits.length = 0;

    const outcome = await setup.consultations.setSurvey(setup.as(council), 'demo', consultation.id, survey);

    expect(succeeded(outcome).survey).toEqual(survey);
    expect(names(setup.store)).toEqual([ConsultationEvents.surveySet]);
    expect(setup.store.written.audits.map((audit) => [audit.before, audit.after])).toEqual([
      [{ surveyQuestions: 0 }, { surveyQuestions: 1 }],
    ]);
  });

  it('lets the phase job open what is due, by schedule, and skip what is not', async () => {
    const setup = prepare();
    const due = succeeded(
      await setup.consultations.create(setup.as(council), community(), CREATE),
    ).consultation;
    const later = succeeded(
      await setup.consultations.create(setup.as(council), community(), {
        ...CREATE,
        opensAt: '2026-12-01T00:00:00.000Z',
      }),
    ).consultation;
    setup.store.written.events.length = 0;
    setup.store.written.audits.length = 0;
    setup.store.conflictNext();

    const run = await advanceDuePhases(setup.store, fixedClock('2026-11-22T00:00:00.000Z'), setup.ids);

    expect(run).toEqual({ moved: 1, skipped: 0 });
    expect((await setup.store.get('demo', due.id))?.phase).toBe('open');
    expect((await setup.store.get('demo', later.id))?.phase).toBe('draft');
    expect(setup.store.written.events.map((event) => [event.name, event.detail.by])).toEqual([
      [ConsultationEvents.phaseChanged, 'schedule'],
    ]);
    expect(setup.store.written.audits).toEqual([]);
  });
});

describe('comment use cases on the fake store', () => {
  it('posts a comment with its posted event, and reads it back where it attaches', async () => {
    const setup = prepare();
    const consultationId = await openedConsultation(setup);

    const outcome = await setup.comments.post(setup.as(resident('r1')), rules(), 'demo', consultationId, {
      stance: 'for',
      text: '  Підтримую  ',
    });

    const { comment } = succeeded(outcome);
    expect(comment).toMatchObject({ text: 'Підтримую', state: 'visible', up: 0, down: 0 });
    expect(names(setup.store)).toEqual([ConsultationEvents.commentPosted]);
    expect(succeeded(await setup.comments.get('demo', consultationId, comment.id)).comment).toEqual(comment);
  });

  it('refuses a reply to a comment of another consultation as comment_not_found', async () => {
    const setup = prepare();
    const first = await openedConsultation(setup);
    const second = await openedConsultation(setup);
    const elsewhere = succeeded(
      await setup.comments.post(setup.as(resident('r1')), rules(), 'demo', first, {
        stance: 'for',
        text: 'Так',
      }),
    ).comment;

    const outcome = await setup.comments.post(setup.as(resident('r2')), rules(), 'demo', second, {
      stance: 'against',
      text: 'Ні',
      replyTo: elsewhere.id,
    });

    expect(outcome.ok || outcome.error.code).toBe('comment_not_found');
  });

  it('retries an edit once after a conflict, keeping the counts the tally owns', async () => {
    const setup = prepare();
    const consultationId = await openedConsultation(setup);
    const author = resident('author');
    const { comment } = succeeded(
      await setup.comments.post(setup.as(author), rules(), 'demo', consultationId, {
        stance: 'for',
        text: 'Так',
      }),
    );
    const vote = await setup.comments.vote(
      setup.as(resident('voter')),
      rules(),
      await setup.consultations.consultation('demo', consultationId),
      comment.id,
      'up',
    );
    setup.store.conflictNext();

    const outcome = await setup.comments.edit(
      setup.as(author, '2026-11-22T10:05:00.000Z'),
      rules(),
      'demo',
      consultationId,
      comment.id,
      'Так, і швидше',
    );

    expect(succeeded(vote).written).toBe('cast');
    expect(succeeded(outcome).comment).toMatchObject({ text: 'Так, і швидше', up: 1, down: 0, revision: 2 });
    expect(setup.store.written.saves).toBe(2);
    expect((await setup.store.comment('demo', comment.id))?.up).toBe(1);
  });

  it('deletes a comment of its author only', async () => {
    const setup = prepare();
    const consultationId = await openedConsultation(setup);
    const { comment } = succeeded(
      await setup.comments.post(setup.as(resident('author')), rules(), 'demo', consultationId, {
        stance: 'neutral',
        text: 'Можливо',
      }),
    );

    const byOther = await setup.comments.remove(
      setup.as(resident('other')),
      'demo',
      consultationId,
      comment.id,
    );
    const byAuthor = await setup.comments.remove(
      setup.as(resident('author')),
      'demo',
      consultationId,
      comment.id,
    );

    expect(byOther.ok || byOther.error.code).toBe('not_author');
    expect(succeeded(byAuthor).comment).toMatchObject({ state: 'deleted', text: '' });
  });

  it('votes: cast, the same again unchanged, changed, withdrawn, then none to withdraw', async () => {
    const setup = prepare();
    const consultationId = await openedConsultation(setup);
    const { comment } = succeeded(
      await setup.comments.post(setup.as(resident('author')), rules(), 'demo', consultationId, {
        stance: 'for',
        text: 'Так',
      }),
    );
    const voter = setup.as(resident('voter'));
    const loaded = await setup.consultations.consultation('demo', consultationId);
    const written = async (value: 'up' | 'down') =>
      succeeded(await setup.comments.vote(voter, rules(), loaded, comment.id, value)).written;

    const answers = [await written('up'), await written('up'), await written('down')];
    const withdrawn = [
      succeeded(await setup.comments.withdrawVote(voter, rules(), 'demo', consultationId, comment.id)),
      succeeded(await setup.comments.withdrawVote(voter, rules(), 'demo', consultationId, comment.id)),
    ];

    expect(answers).toEqual(['cast', 'unchanged', 'changed']);
    expect(withdrawn).toEqual(['withdrawn', 'none']);
    expect(succeeded(await setup.comments.myVote(voter, 'demo', consultationId, comment.id))).toBeUndefined();
  });

  it('lists threads newest first, a reply under its comment', async () => {
    const setup = prepare();
    const consultationId = await openedConsultation(setup);
    const first = succeeded(
      await setup.comments.post(setup.as(resident('a')), rules(), 'demo', consultationId, {
        stance: 'for',
        text: 'Перший',
      }),
    ).comment;
    const second = succeeded(
      await setup.comments.post(
        setup.as(resident('b'), '2026-11-22T10:01:00.000Z'),
        rules(),
        'demo',
        consultationId,
        {
          stance: 'against',
          text: 'Другий',
        },
      ),
    ).comment;
    const reply = succeeded(
      await setup.comments.post(
        setup.as(resident('c'), '2026-11-22T10:02:00.000Z'),
        rules(),
        'demo',
        consultationId,
        {
          stance: 'neutral',
          text: 'Відповідь',
          replyTo: first.id,
        },
      ),
    ).comment;

    const page = succeeded(await setup.comments.list('demo', consultationId, { sort: 'newest', limit: 10 }));

    expect(page.threads.map((thread) => [thread.comment.id, thread.replies.map((one) => one.id)])).toEqual([
      [second.id, []],
      [first.id, [reply.id]],
    ]);
    expect(page.cursor).toBeUndefined();
  });
});

describe('survey answers on the fake store', () => {
  it('answers, replaces, and refuses an answer overtaken by a later one', async () => {
    const setup = prepare();
    const consultationId = await openedConsultation(setup, true);
    const respondent = resident('r1');
    const answer = (at: string, mode: string) =>
      setup.consultations.answerSurvey(setup.as(respondent, at), rules(), 'demo', consultationId, { mode });

    const first = await answer('2026-11-22T10:01:00.000Z', 'bus');
    const second = await answer('2026-11-22T10:03:00.000Z', 'bike');
    const overtaken = await answer('2026-11-22T10:02:00.000Z', 'bus');

    expect(succeeded(first).written).toBe('created');
    expect(succeeded(second).written).toBe('replaced');
    expect(overtaken.ok || overtaken.error.code).toBe('version_conflict');
    expect(
      succeeded(await setup.consultations.myResponse(setup.as(respondent), 'demo', consultationId)).answers,
    ).toEqual({ mode: 'bike' });
    const results = succeeded(await setup.consultations.surveyResults('demo', consultationId));
    expect(results.respondents).toBe(1);
    expect(results.questions.mode).toMatchObject({ answered: 1, counts: { bus: 0, bike: 1 } });
  });

  it('answers survey_not_found without a survey, and not_found for answers never given', async () => {
    const setup = prepare();
    const consultationId = await openedConsultation(setup);

    const answered = await setup.consultations.answerSurvey(
      setup.as(resident('r1')),
      rules(),
      'demo',
      consultationId,
      {
        mode: 'bus',
      },
    );
    const mine = await setup.consultations.myResponse(setup.as(resident('r1')), 'demo', consultationId);

    expect(answered.ok || answered.error.code).toBe('survey_not_found');
    expect(mine.ok || mine.error.code).toBe('not_found');
  });
});

describe('the report on the fake store', () => {
  it('publishes the report after a conflict: phase and report events, audit, and reads it back', async () => {
    const setup = prepare();
    const consultationId = await openedConsultation(setup);
    const { comment, draft } = succeeded(
      await setup.comments.post(setup.as(resident('r1')), rules(), 'demo', consultationId, {
        stance: 'for',
        text: 'Так',
      }),
    );
    succeeded(
      await setup.consultations.changePhase(setup.as(council), 'demo', consultationId, { phase: 'closed' }),
    );
    const section = draft.blocks.find((block) => block.kind === 'section');
    setup.store.written.events.length = 0;
    setup.store.written.audits.length = 0;
    setup.store.conflictNext();

    const outcome = await setup.consultations.publishReport(setup.as(council), 'demo', consultationId, {
      sections: [
        {
          sectionId: section?.id ?? '',
          summary: { uk: 'Підтримали', en: 'Supported' },
          decision: 'accepted',
          commentIds: [comment.id],
        },
      ],
    });

    expect(succeeded(outcome).consultation.phase).toBe('report_published');
    expect(setup.store.written.events.map((event) => [event.name, event.detail.by ?? null])).toEqual([
      [ConsultationEvents.phaseChanged, 'council'],
      [ConsultationEvents.reportPublished, null],
    ]);
    expect(setup.store.written.audits.map((audit) => [audit.action, audit.after])).toEqual([
      [AuditAction.consultationReportPublish, { phase: 'report_published', draftVersion: 1, sections: 1 }],
    ]);
    const read = succeeded(await setup.consultations.report('demo', consultationId));
    expect(read.report.sections.map((entry) => entry.commentIds)).toEqual([[comment.id]]);
  });

  it('refuses a report naming a comment of no consultation, and says report_not_found before one exists', async () => {
    const setup = prepare();
    const consultationId = await openedConsultation(setup);
    succeeded(
      await setup.consultations.changePhase(setup.as(council), 'demo', consultationId, { phase: 'closed' }),
    );
    const { draft } = succeeded(await setup.consultations.page('demo', consultationId));
    const section = draft.blocks.find((block) => block.kind === 'section');

    const outcome = await setup.consultations.publishReport(setup.as(council), 'demo', consultationId, {
      sections: [
        {
          sectionId: section?.id ?? '',
          summary: { uk: 'Так', en: 'Yes' },
          decision: 'accepted',
          commentIds: ['NOPE'],
        },
      ],
    });
    const report = await setup.consultations.report('demo', consultationId);

    expect(outcome.ok || outcome.error.code).toBe('unknown_comment');
    expect(report.ok || report.error.code).toBe('report_not_found');
  });
});
