import { describe, expect, it } from 'vitest';
import { SURVEY_LIMITS, SurveySchema } from '../../../domain/consultations/survey';
import { questionCounterNames } from '../../../domain/consultations/survey-tally';
import { counterPages, MAX_COUNTERS_PER_PAGE } from '../../../functions/streams/survey-tally';

const title = { uk: 'Питання', en: 'Question' };
const options = (count: number) => Array.from({ length: count }, (_, at) => ({ id: `o${at}`, label: title }));

describe('survey counter pages', () => {
  it('put a usual survey on one page', () => {
    const survey = SurveySchema.parse({
      questions: [
        { id: 'mode', type: 'single', title, options: options(3) },
        { id: 'rating', type: 'scale', range: '0-10', title },
        { id: 'why', type: 'text', maxLength: 100, title },
      ],
    });

    expect([...counterPages(survey)]).toEqual([
      ['mode', 0],
      ['rating', 0],
      ['why', 0],
    ]);
  });

  it('split the largest survey into runs of whole questions, none over the page limit with the respondents counter', () => {
    const survey = SurveySchema.parse({
      questions: Array.from({ length: SURVEY_LIMITS.maxQuestions }, (_, at) => ({
        id: `q${at}`,
        type: 'multiple',
        title,
        options: options(SURVEY_LIMITS.maxOptions),
        max: SURVEY_LIMITS.maxOptions,
      })),
    });

    const pages = counterPages(survey);

    const used = new Map<number, number>([[0, 1]]);
    for (const question of survey.questions) {
      const page = pages.get(question.id) as number;
      used.set(page, (used.get(page) ?? 0) + questionCounterNames(question).length);
    }
    expect([...used.values()].every((count) => count <= MAX_COUNTERS_PER_PAGE)).toBe(true);
    expect([...pages.values()]).toEqual([...pages.values()].sort((a, b) => a - b));
    expect(used.size).toBe(25);
  });
});
