import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Answer, type Survey, SurveySchema } from '../../../domain/consultations/survey';
import { type SurveyResponse, surveyResults } from '../../../domain/consultations/survey-results';
import {
  addSurveyCounters,
  type CountedSurveyResults,
  questionCounterNames,
  questionOfCounter,
  type SurveyTallyCounters,
  surveyResultsFromCounters,
  surveyTallyDelta,
} from '../../../domain/consultations/survey-tally';
import { resultsView } from '../../../functions/consultations/views';

const title = { uk: 'Питання', en: 'Question' };
const OPTION_IDS = ['a', 'b', 'c', 'd', 'e'];
const EMPTY: SurveyTallyCounters = { overall: {}, byDistrict: {} };

/** Random questions of every type; ids q0, q1, … */
const questionArbitrary = fc.oneof(
  fc.record({
    type: fc.constant('single' as const),
    options: fc.integer({ min: 2, max: 5 }),
  }),
  fc
    .record({
      type: fc.constant('multiple' as const),
      options: fc.integer({ min: 2, max: 5 }),
      max: fc.nat(),
    })
    .map((question) => ({ ...question, max: 1 + (question.max % question.options) })),
  fc.record({ type: fc.constant('scale' as const), range: fc.constantFrom('1-5' as const, '0-10' as const) }),
  fc
    .record({
      type: fc.constant('ranking' as const),
      options: fc.integer({ min: 2, max: 5 }),
      top: fc.option(fc.nat(), { nil: undefined }),
    })
    .map((question) => ({
      ...question,
      top: question.top === undefined ? undefined : 1 + (question.top % question.options),
    })),
  fc.record({ type: fc.constant('text' as const), maxLength: fc.integer({ min: 1, max: 8 }) }),
);

const surveyArbitrary: fc.Arbitrary<Survey> = fc
  .array(questionArbitrary, { minLength: 1, maxLength: 6 })
  .map((questions) =>
    SurveySchema.parse({
      questions: questions.map((question, at) => {
        const { options, top, ...rest } = question as typeof question & { options?: number; top?: number };
        return {
          ...rest,
          id: `q${at}`,
          title,
          ...(options === undefined
            ? {}
            : { options: OPTION_IDS.slice(0, options).map((id) => ({ id, label: title })) }),
          ...(top === undefined ? {} : { top }),
        };
      }),
    }),
  );

/** An answer that validation accepts for `question`. */
function validAnswer(question: Survey['questions'][number]): fc.Arbitrary<Answer> {
  switch (question.type) {
    case 'single':
      return fc.constantFrom(...question.options.map((option) => option.id));
    case 'multiple':
      return fc.subarray(
        question.options.map((option) => option.id),
        { minLength: question.min, maxLength: question.max },
      );
    case 'ranking': {
      const ids = question.options.map((option) => option.id);
      return fc.shuffledSubarray(ids, {
        minLength: question.top === undefined ? ids.length : 1,
        maxLength: question.top ?? ids.length,
      });
    }
    case 'scale':
      return question.range === '1-5' ? fc.integer({ min: 1, max: 5 }) : fc.integer({ min: 0, max: 10 });
    case 'text':
      return fc.string({ minLength: 1, maxLength: question.maxLength });
  }
}

/** Any answer a stored response might hold, valid or not (results leave the invalid ones out). */
const anyAnswer: fc.Arbitrary<Answer> = fc.oneof(
  fc.constantFrom(...OPTION_IDS, 'zz'),
  fc.shuffledSubarray([...OPTION_IDS, 'zz'], { maxLength: 6 }),
  fc.array(fc.constantFrom(...OPTION_IDS), { maxLength: 4 }),
  fc.integer({ min: -1, max: 11 }),
  fc.string({ maxLength: 10 }),
);

/** A response's answers: per question mostly valid, sometimes absent or invalid, now and then to an unknown question. */
const answersOf = (survey: Survey): fc.Arbitrary<Record<string, Answer>> =>
  fc
    .tuple(
      fc.tuple(
        ...survey.questions.map((question) =>
          fc.option(
            fc.oneof({ arbitrary: validAnswer(question), weight: 4 }, { arbitrary: anyAnswer, weight: 1 }),
            {
              nil: undefined,
            },
          ),
        ),
      ),
      fc.option(anyAnswer, { nil: undefined, freq: 5 }),
    )
    .map(([given, unknown]) => ({
      ...Object.fromEntries(
        survey.questions.flatMap((question, at) =>
          given[at] === undefined ? [] : [[question.id, given[at]]],
        ),
      ),
      ...(unknown === undefined ? {} : { unknown }),
    }));

/** One step of the residents: respondent r answers (first time, or again) from a district, or takes it away. */
const stepOf = (survey: Survey) =>
  fc.record({
    respondent: fc.integer({ min: 0, max: 7 }),
    response: fc.option(
      fc.record({
        answers: answersOf(survey),
        districtId: fc.option(fc.constantFrom('north', 'south', 'east'), { nil: undefined }),
      }),
      { nil: undefined, freq: 8 },
    ),
  });

const asResponse = (response: { answers: Record<string, Answer>; districtId: string | undefined }) => ({
  answers: response.answers,
  ...(response.districtId === undefined ? {} : { districtId: response.districtId }),
});

/** The reference's results as the public sees them: text answers counted, not listed. */
function counted(results: ReturnType<typeof surveyResults>): CountedSurveyResults {
  const tally = (of: Pick<CountedSurveyResults, 'respondents' | 'questions'>) => ({
    respondents: of.respondents,
    questions: Object.fromEntries(
      Object.entries(of.questions).map(([id, result]) => [
        id,
        result.type === 'text' ? { type: 'text' as const, answered: result.answered } : result,
      ]),
    ),
  });
  return {
    ...tally(results),
    byDistrict: Object.fromEntries(
      Object.entries(results.byDistrict).map(([id, district]) => [id, tally(district)]),
    ),
  };
}

describe('survey results from counters', () => {
  it('equal the results over the final responses, for any survey and any sequence of answers, replacements and withdrawals', () => {
    fc.assert(
      fc.property(
        surveyArbitrary.chain((survey) =>
          fc.tuple(fc.constant(survey), fc.array(stepOf(survey), { maxLength: 40 })),
        ),
        ([survey, steps]) => {
          // Prepare
          const current = new Map<number, SurveyResponse>();
          const deltas: SurveyTallyCounters[] = [];
          // Act
          for (const step of steps) {
            const after = step.response ? asResponse(step.response) : undefined;
            deltas.push(surveyTallyDelta(survey, current.get(step.respondent), after));
            if (after) current.set(step.respondent, after);
            else current.delete(step.respondent);
          }
          const counters = deltas.reduce(addSurveyCounters, EMPTY);
          // Assess
          const reference = surveyResults(survey, [...current.values()]);
          const fromCounters = surveyResultsFromCounters(survey, counters);
          expect(fromCounters).toEqual(counted(reference));
          expect(resultsView(fromCounters)).toEqual(resultsView(reference));
          // Deltas are sums: counted in any order (as redelivered batches are), they give the same counters.
          expect(
            surveyResultsFromCounters(survey, [...deltas].reverse().reduce(addSurveyCounters, EMPTY)),
          ).toEqual(fromCounters);
        },
      ),
    );
  });

  it('change nothing when the same answers are given again from the same district', () => {
    fc.assert(
      fc.property(
        surveyArbitrary.chain((survey) => fc.tuple(fc.constant(survey), answersOf(survey))),
        ([survey, answers]) => {
          const response = { answers, districtId: 'north' };
          expect(surveyTallyDelta(survey, response, { ...response })).toEqual(EMPTY);
        },
      ),
    );
  });

  it('move a respondent from one district to another when they answer again from there', () => {
    const survey = SurveySchema.parse({
      questions: [
        {
          id: 'mode',
          type: 'single',
          title,
          options: OPTION_IDS.slice(0, 2).map((id) => ({ id, label: title })),
        },
      ],
    });

    const delta = surveyTallyDelta(
      survey,
      { answers: { mode: 'a' }, districtId: 'north' },
      { answers: { mode: 'b' }, districtId: 'south' },
    );

    expect(delta).toEqual({
      overall: { 'mode:option:a': -1, 'mode:option:b': 1 },
      byDistrict: {
        north: { respondents: -1, 'mode:answered': -1, 'mode:option:a': -1 },
        south: { respondents: 1, 'mode:answered': 1, 'mode:option:b': 1 },
      },
    });
  });

  it('name every counter a delta can hold among its question’s counters', () => {
    fc.assert(
      fc.property(
        surveyArbitrary.chain((survey) => fc.tuple(fc.constant(survey), answersOf(survey))),
        ([survey, answers]) => {
          const names = new Set(survey.questions.flatMap(questionCounterNames));
          const delta = surveyTallyDelta(survey, undefined, { answers });
          for (const name of Object.keys(delta.overall)) {
            if (questionOfCounter(name) === undefined) expect(name).toBe('respondents');
            else expect(names.has(name), name).toBe(true);
          }
        },
      ),
    );
  });
});
