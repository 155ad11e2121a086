import { describe, expect, it } from 'vitest';
import { submitSurveyResponse } from '../../../domain/consultations/commands/submit-survey-response';
import { type SurveyInput, SurveySchema } from '../../../domain/consultations/survey';
import { validateResponse, visibleQuestions } from '../../../domain/consultations/survey-response';
import { localizeMessage } from '../../../domain/shared/localized';
import { contextAt, inPhase, openConsultation, resident, rules } from './fixtures';

const title = (en: string) => ({ uk: `${en} (uk)`, en });
const options = (...ids: string[]) => ids.map((id) => ({ id, label: title(id) }));

/** One question of every type, and conditions on a choice and on a scale. */
const SURVEY: SurveyInput = {
  questions: [
    {
      id: 'mode',
      type: 'single',
      required: true,
      title: title('How do you travel?'),
      options: options('car', 'bus', 'bike'),
    },
    {
      id: 'bike-needs',
      type: 'multiple',
      title: title('What do you need?'),
      options: options('lanes', 'racks', 'showers', 'repair'),
      min: 1,
      max: 2,
      showIf: { questionId: 'mode', equals: 'bike' },
    },
    { id: 'safety', type: 'scale', range: '0-10', required: true, title: title('How safe is the centre?') },
    {
      id: 'why-unsafe',
      type: 'text',
      maxLength: 20,
      title: title('Why?'),
      showIf: { questionId: 'safety', equals: 0 },
    },
    {
      id: 'priorities',
      type: 'ranking',
      title: title('Rank the priorities'),
      options: options('trees', 'benches', 'light'),
    },
    {
      id: 'top-two',
      type: 'ranking',
      top: 2,
      title: title('Your two favourite streets'),
      options: options('a', 'b', 'c', 'd'),
    },
    { id: 'rating', type: 'scale', range: '1-5', title: title('Rate the plan') },
  ],
};
const survey = SurveySchema.parse(SURVEY);
const valid = { mode: 'bike', 'bike-needs': ['lanes'], safety: 7, priorities: ['light', 'trees', 'benches'] };

describe('the survey definition', () => {
  it('accepts every question type and fills in the defaults', () => {
    expect(survey.questions.map((question) => [question.id, question.required])).toEqual([
      ['mode', true],
      ['bike-needs', false],
      ['safety', true],
      ['why-unsafe', false],
      ['priorities', false],
      ['top-two', false],
      ['rating', false],
    ]);
  });

  const withQuestion = (question: Record<string, unknown>): SurveyInput => ({
    questions: [
      ...SURVEY.questions,
      { id: 'extra', title: title('Extra'), ...question } as SurveyInput['questions'][number],
    ],
  });
  const at = SURVEY.questions.length;

  it.each([
    [
      'a condition on a later question',
      withQuestion({ type: 'text', maxLength: 5, showIf: { questionId: 'extra', equals: 'x' } }),
      `questions.${at}.showIf.questionId`,
    ],
    [
      'a condition on an unknown question',
      withQuestion({ type: 'text', maxLength: 5, showIf: { questionId: 'nope', equals: 'x' } }),
      `questions.${at}.showIf.questionId`,
    ],
    [
      'a condition on an unknown option',
      withQuestion({ type: 'text', maxLength: 5, showIf: { questionId: 'mode', equals: 'tram' } }),
      `questions.${at}.showIf.equals`,
    ],
    [
      'a condition on a value off the scale',
      withQuestion({ type: 'text', maxLength: 5, showIf: { questionId: 'rating', equals: 0 } }),
      `questions.${at}.showIf.equals`,
    ],
    [
      'a condition on a text answer',
      withQuestion({ type: 'text', maxLength: 5, showIf: { questionId: 'why-unsafe', equals: 'x' } }),
      `questions.${at}.showIf.questionId`,
    ],
    [
      'a repeated question id',
      withQuestion({ id: 'mode', type: 'text', maxLength: 5 }),
      `questions.${at}.id`,
    ],
    [
      'a repeated option id',
      withQuestion({ type: 'single', options: options('x', 'x') }),
      `questions.${at}.options`,
    ],
    [
      'max above the number of options',
      withQuestion({ type: 'multiple', options: options('x', 'y'), max: 3 }),
      `questions.${at}.max`,
    ],
    [
      'min above max',
      withQuestion({ type: 'multiple', options: options('x', 'y', 'z'), min: 3, max: 2 }),
      `questions.${at}.min`,
    ],
    [
      'top above the number of options',
      withQuestion({ type: 'ranking', options: options('x', 'y'), top: 3 }),
      `questions.${at}.top`,
    ],
    ['an unknown scale', withQuestion({ type: 'scale', range: '1-7' }), `questions.${at}.range`],
    [
      'a question id with capitals',
      withQuestion({ id: 'Q', type: 'text', maxLength: 5 }),
      `questions.${at}.id`,
    ],
  ])('refuses %s', (_case, input, path) => {
    const parsed = SurveySchema.safeParse(input);

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('explains a cross-question mistake in both languages', () => {
    const parsed = SurveySchema.safeParse(
      withQuestion({ type: 'text', maxLength: 5, showIf: { questionId: 'extra', equals: 'x' } }),
    );
    const message = parsed.error?.issues[0]?.message ?? '';

    expect(localizeMessage(message, 'en')).toBe('a condition may only refer to an earlier question');
    expect(localizeMessage(message, 'uk')).toContain('попередніх');
  });
});

describe('validateResponse', () => {
  it('accepts a valid response', () => {
    expect(validateResponse(survey, valid)).toEqual([]);
  });

  it('shows a question only when the answer it depends on is given', () => {
    expect([...visibleQuestions(survey, { mode: 'car', safety: 0 })]).toEqual([
      'mode',
      'safety',
      'why-unsafe',
      'priorities',
      'top-two',
      'rating',
    ]);
    expect(visibleQuestions(survey, { mode: 'bike', safety: 3 }).has('why-unsafe')).toBe(false);
  });

  it.each([
    ['answer_required', { ...valid, safety: undefined }, '/answers/safety', {}],
    ['answer_required', { ...valid, mode: '  ', 'bike-needs': undefined }, '/answers/mode', {}],
    ['answer_required', { ...valid, mode: [], 'bike-needs': undefined }, '/answers/mode', {}],
    ['unknown_question', { ...valid, 'a/b~c': 1 }, '/answers/a~1b~0c', {}],
    ['answer_to_hidden_question', { ...valid, 'why-unsafe': 'dark' }, '/answers/why-unsafe', {}],
    ['wrong_answer_type', { ...valid, mode: ['bike'] }, '/answers/mode', { expected: 'single' }],
    ['wrong_answer_type', { ...valid, safety: 7.5 }, '/answers/safety', { expected: 'scale' }],
    ['wrong_answer_type', { ...valid, safety: '7' }, '/answers/safety', { expected: 'scale' }],
    [
      'wrong_answer_type',
      { ...valid, 'bike-needs': 'lanes' },
      '/answers/bike-needs',
      { expected: 'multiple' },
    ],
    [
      'wrong_answer_type',
      { ...valid, priorities: [1, 2, 3] },
      '/answers/priorities',
      { expected: 'ranking' },
    ],
    [
      'wrong_answer_type',
      { ...valid, safety: 0, 'why-unsafe': 3 },
      '/answers/why-unsafe',
      { expected: 'text' },
    ],
    [
      'unknown_option',
      { ...valid, mode: 'tram', 'bike-needs': undefined },
      '/answers/mode',
      { optionId: 'tram' },
    ],
    [
      'unknown_option',
      { ...valid, 'bike-needs': ['lanes', 'pool'] },
      '/answers/bike-needs/1',
      { optionId: 'pool' },
    ],
    [
      'duplicate_choice',
      { ...valid, 'bike-needs': ['racks', 'racks'] },
      '/answers/bike-needs/1',
      { optionId: 'racks' },
    ],
    [
      'too_many_choices',
      { ...valid, 'bike-needs': ['lanes', 'racks', 'repair'] },
      '/answers/bike-needs',
      { max: 2 },
    ],
    ['too_few_choices', { ...valid, priorities: ['light', 'trees'] }, '/answers/priorities', { min: 3 }],
    ['too_many_choices', { ...valid, 'top-two': ['a', 'b', 'c'] }, '/answers/top-two', { max: 2 }],
    ['scale_out_of_range', { ...valid, safety: 11 }, '/answers/safety', { min: 0, max: 10 }],
    ['scale_out_of_range', { ...valid, rating: 0 }, '/answers/rating', { min: 1, max: 5 }],
    [
      'ranking_duplicate',
      { ...valid, priorities: ['light', 'light', 'trees'] },
      '/answers/priorities/1',
      { optionId: 'light' },
    ],
    ['ranking_unknown_option', { ...valid, 'top-two': ['a', 'z'] }, '/answers/top-two/1', { optionId: 'z' }],
    [
      'text_too_long',
      { ...valid, safety: 0, 'why-unsafe': 'ж'.repeat(21) },
      '/answers/why-unsafe',
      { maxLength: 20, length: 21 },
    ],
  ])('reports %s at the offending answer (%j)', (code, answers, pointer, details) => {
    const violations = validateResponse(survey, answers);

    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ code, pointer, details });
    expect(violations[0]?.message.uk).not.toBe(violations[0]?.message.en);
  });

  it('names the limit in the message', () => {
    const [tooMany] = validateResponse(survey, { ...valid, 'bike-needs': ['lanes', 'racks', 'repair'] });
    const [tooLong] = validateResponse(survey, { ...valid, safety: 0, 'why-unsafe': 'ж'.repeat(21) });

    expect(tooMany?.message.en).toContain('at most 2');
    expect(tooLong?.message.en).toContain('at most 20');
  });

  it('accepts free text at its limit counted in code points, and a partial top-N ranking', () => {
    expect(
      validateResponse(survey, {
        ...valid,
        safety: 0,
        'why-unsafe': ` ${'🚲'.repeat(20)} `,
        'top-two': ['d'],
      }),
    ).toEqual([]);
  });

  it('lists every problem, in question order, unknown questions last', () => {
    const violations = validateResponse(survey, { extra: 1, mode: 'tram', rating: 9 });

    expect(violations.map((violation) => violation.code)).toEqual([
      'unknown_option',
      'answer_required',
      'scale_out_of_range',
      'unknown_question',
    ]);
  });
});

describe('submitSurveyResponse', () => {
  const { consultation } = openConsultation(undefined, survey);
  const respondent = resident('respondent');

  it('returns the response to write, keyed by the respondent, text trimmed and empty answers left out', () => {
    const outcome = submitSurveyResponse(contextAt(respondent), rules(), consultation, {
      ...valid,
      safety: 0,
      'why-unsafe': '  dark  ',
      'top-two': [],
    });

    expect(outcome.ok && outcome.value).toMatchObject({
      communityId: 'demo',
      consultationId: consultation.id,
      respondentKey: respondent.signerKey,
      districtId: 'd1',
      answers: { ...valid, safety: 0, 'why-unsafe': 'dark' },
    });
    expect(outcome.ok && Object.keys(outcome.value.answers)).not.toContain('top-two');
  });

  it('refuses with the first problem’s code and lists each under /body with its own code', () => {
    const outcome = submitSurveyResponse(contextAt(respondent), rules(), consultation, { mode: 'tram' });

    expect(outcome.ok || outcome.error.code).toBe('unknown_option');
    expect(outcome.ok || outcome.error.details?.errors).toEqual([
      expect.objectContaining({ pointer: '/body/answers/mode', code: 'unknown_option' }),
      expect.objectContaining({ pointer: '/body/answers/safety', code: 'answer_required' }),
    ]);
  });

  it.each([
    ['closed', inPhase(consultation, 'closed'), 'consultation_not_open'],
    ['without a survey', { ...consultation, survey: undefined }, 'survey_not_found'],
  ])('refuses a response to a consultation %s', (_case, on, code) => {
    const outcome = submitSurveyResponse(contextAt(respondent), rules(), on, valid);

    expect(outcome.ok || outcome.error.code).toBe(code);
  });

  it('refuses someone who does not live in the community', () => {
    const outcome = submitSurveyResponse(
      contextAt(resident('x', { residency: undefined })),
      rules(),
      consultation,
      valid,
    );

    expect(outcome.ok || outcome.error.code).toBe('not_eligible');
  });
});
