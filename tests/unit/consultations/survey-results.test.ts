import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SurveySchema } from '../../../domain/consultations/survey';
import {
  bordaPoints,
  exactMean,
  type SurveyResponse,
  surveyResults,
} from '../../../domain/consultations/survey-results';

const title = { uk: 'Питання', en: 'Question' };
const options = (...ids: string[]) => ids.map((id) => ({ id, label: title }));

const survey = SurveySchema.parse({
  questions: [
    { id: 'mode', type: 'single', title, options: options('car', 'bus', 'bike') },
    { id: 'needs', type: 'multiple', title, options: options('lanes', 'racks', 'showers'), max: 3 },
    { id: 'rating', type: 'scale', range: '1-5', title },
    { id: 'order', type: 'ranking', title, options: options('trees', 'benches', 'light') },
    { id: 'best', type: 'ranking', top: 2, title, options: options('a', 'b', 'c', 'd') },
    { id: 'why', type: 'text', maxLength: 100, title },
  ],
});

const responses: SurveyResponse[] = [
  {
    districtId: 'd1',
    answers: {
      mode: 'bus',
      needs: ['lanes', 'racks'],
      rating: 5,
      order: ['light', 'trees', 'benches'],
      best: ['a'],
      why: 'Темно',
    },
  },
  {
    districtId: 'd1',
    answers: {
      mode: 'bike',
      needs: ['lanes'],
      rating: 4,
      order: ['trees', 'light', 'benches'],
      best: ['b', 'a'],
    },
  },
  { districtId: 'd2', answers: { mode: 'bus', rating: 2, why: 'Далеко' } },
  { answers: { mode: 'car', rating: 11, order: ['trees', 'trees', 'light'] } },
];

describe('surveyResults', () => {
  const results = surveyResults(survey, responses);

  it('counts each option, zero for those nobody chose', () => {
    expect(results.respondents).toBe(4);
    expect(results.questions.mode).toEqual({
      type: 'single',
      answered: 4,
      counts: { car: 1, bus: 2, bike: 1 },
    });
    expect(results.questions.needs).toEqual({
      type: 'multiple',
      answered: 2,
      counts: { lanes: 2, racks: 1, showers: 0 },
    });
  });

  it('gives the scale distribution and an exact mean, leaving out an answer validation would refuse', () => {
    expect(results.questions.rating).toEqual({
      type: 'scale',
      answered: 3,
      distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 },
      mean: { sum: 11, count: 3, rounded: '3.67' },
    });
  });

  it('ranks by Borda points: n − 1 for first place down to 0, unranked options 0', () => {
    expect(results.questions.order).toEqual({
      type: 'ranking',
      answered: 2,
      borda: { trees: 3, benches: 0, light: 3 },
      order: ['trees', 'light', 'benches'],
    });
    expect(results.questions.best).toMatchObject({
      borda: { a: 5, b: 3, c: 0, d: 0 },
      order: ['a', 'b', 'c', 'd'],
    });
  });

  it('lists free-text answers in response order', () => {
    expect(results.questions.why).toEqual({ type: 'text', answered: 2, answers: ['Темно', 'Далеко'] });
  });

  it('breaks the results down by the districts the tokens named', () => {
    expect(Object.keys(results.byDistrict)).toEqual(['d1', 'd2']);
    expect(results.byDistrict.d1?.respondents).toBe(2);
    expect(results.byDistrict.d1?.questions.mode).toMatchObject({ counts: { car: 0, bus: 1, bike: 1 } });
    expect(results.byDistrict.d2?.questions.rating).toMatchObject({
      mean: { sum: 2, count: 1, rounded: '2.00' },
    });
  });
});

describe('exactMean', () => {
  it.each([
    [0, 0, null],
    [10, 4, '2.50'],
    [2, 3, '0.67'],
    [1, 8, '0.13'],
    [1, 200, '0.01'],
    [1, 201, '0.00'],
    [5 * 1_000_003, 1_000_003, '5.00'],
  ])('rounds %i / %i half up to %s', (sum, count, rounded) => {
    expect(exactMean(sum, count).rounded).toBe(rounded);
  });

  it('never strays more than half a hundredth from the true mean', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 500 }), (values) => {
        const sum = values.reduce((total, value) => total + value, 0);
        const mean = exactMean(sum, values.length);
        // Compare in integers: |rounded·100·count − sum·100| ≤ count/2.
        const hundredths = Math.round(Number(mean.rounded) * 100);
        expect(Math.abs(hundredths * values.length - sum * 100) * 2).toBeLessThanOrEqual(values.length);
      }),
    );
  });
});

describe('survey results, as properties', () => {
  const choice = fc.constantFrom('car', 'bus', 'bike');
  const ranking = fc.shuffledSubarray(['trees', 'benches', 'light'], { minLength: 3, maxLength: 3 });
  const partial = fc.shuffledSubarray(['a', 'b', 'c', 'd'], { minLength: 1, maxLength: 2 });
  const response = fc.record({
    mode: fc.option(choice, { nil: undefined }),
    needs: fc.subarray(['lanes', 'racks', 'showers'], { minLength: 1 }),
    order: ranking,
    best: partial,
    rating: fc.integer({ min: 1, max: 5 }),
  });
  const asResponses = (records: readonly Record<string, unknown>[]): SurveyResponse[] =>
    records.map((record) => ({
      answers: Object.fromEntries(
        Object.entries(record).filter(([, value]) => value !== undefined),
      ) as SurveyResponse['answers'],
    }));

  it('counts single choices that sum to the respondents who chose, and multiple choices to the choices made', () => {
    fc.assert(
      fc.property(fc.array(response, { maxLength: 60 }), (records) => {
        const results = surveyResults(survey, asResponses(records));
        const single = results.questions.mode;
        const multiple = results.questions.needs;
        if (single?.type !== 'single' || multiple?.type !== 'multiple') throw new Error('question types');

        expect(Object.values(single.counts).reduce((a, b) => a + b, 0)).toBe(
          records.filter((r) => r.mode).length,
        );
        expect(single.answered).toBe(records.filter((r) => r.mode).length);
        expect(Object.values(multiple.counts).reduce((a, b) => a + b, 0)).toBe(
          records.reduce((n, r) => n + r.needs.length, 0),
        );
      }),
    );
  });

  it('hands out n(n − 1)/2 Borda points per complete ranking, and the points of the places taken per partial one', () => {
    fc.assert(
      fc.property(fc.array(response, { maxLength: 60 }), (records) => {
        const results = surveyResults(survey, asResponses(records));
        const complete = results.questions.order;
        const topTwo = results.questions.best;
        if (complete?.type !== 'ranking' || topTwo?.type !== 'ranking') throw new Error('question types');
        const total = (points: Readonly<Record<string, number>>) =>
          Object.values(points).reduce((a, b) => a + b, 0);

        expect(total(complete.borda)).toBe(records.length * 3);
        expect(total(topTwo.borda)).toBe(
          records.reduce(
            (sum, r) => sum + r.best.reduce((places, _, at) => places + bordaPoints(4, at), 0),
            0,
          ),
        );
      }),
    );
  });

  it('keeps the district tallies adding up to the overall one', () => {
    const district = fc.option(fc.constantFrom('d1', 'd2', 'd3'), { nil: undefined });
    fc.assert(
      fc.property(fc.array(fc.tuple(response, district), { maxLength: 60 }), (pairs) => {
        const all = pairs.map(([record, districtId]) => ({
          ...asResponses([record])[0]!,
          ...(districtId ? { districtId } : {}),
        }));
        const results = surveyResults(survey, all);
        const inDistricts = Object.values(results.byDistrict).reduce((n, tally) => n + tally.respondents, 0);

        expect(inDistricts).toBe(pairs.filter(([, districtId]) => districtId).length);
      }),
    );
  });
});
