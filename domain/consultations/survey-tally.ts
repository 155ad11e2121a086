import type { Question, Survey, SurveyAnswers } from './survey';
import { SCALES } from './survey';
import { answerViolation } from './survey-response';
import {
  bordaPoints,
  exactMean,
  type QuestionResult,
  rankingOrder,
  type SurveyResponse,
} from './survey-results';

/**
 * Survey results kept as sums. Every figure of the public results (respondents,
 * answers per question, counts per option, the scale's distribution and sum,
 * Borda points) is a sum over responses, so a response adds its counters and a
 * replaced response takes its old ones away: results then cost the same to read
 * at ten responses and at a hundred thousand. {@link surveyResults} over the
 * responses stays the reference (and gives the council's export the text answers).
 */

/** Counter name → value, for one scope: everyone, or the respondents of one district. */
export type SurveyCounters = Readonly<Record<string, number>>;

/** The counters of a survey: overall and per district (a response whose token named none counts overall only). */
export interface SurveyTallyCounters {
  readonly overall: SurveyCounters;
  readonly byDistrict: Readonly<Record<string, SurveyCounters>>;
}

/**
 * Counter names. Question and option ids are slugs without `:`, so a name
 * tells its question (`questionOfCounter`) and never collides with another.
 */
export const counterName = {
  respondents: 'respondents',
  answered: (questionId: string) => `${questionId}:answered`,
  option: (questionId: string, optionId: string) => `${questionId}:option:${optionId}`,
  value: (questionId: string, value: number) => `${questionId}:value:${value}`,
  sum: (questionId: string) => `${questionId}:sum`,
  borda: (questionId: string, optionId: string) => `${questionId}:borda:${optionId}`,
} as const;

/**
 * The question a counter belongs to; undefined for the respondents counter.
 * @example questionOfCounter('mode:option:bus') // → 'mode'
 */
export function questionOfCounter(name: string): string | undefined {
  const at = name.indexOf(':');
  return at === -1 ? undefined : name.slice(0, at);
}

/** Every counter a question can have, whether or not anyone answered: how large its counters can grow. */
export function questionCounterNames(question: Question): string[] {
  const id = question.id;
  switch (question.type) {
    case 'single':
    case 'multiple':
      return [
        counterName.answered(id),
        ...question.options.map((option) => counterName.option(id, option.id)),
      ];
    case 'ranking':
      return [
        counterName.answered(id),
        ...question.options.map((option) => counterName.borda(id, option.id)),
      ];
    case 'scale': {
      const { min, max } = SCALES[question.range];
      const values = Array.from({ length: max - min + 1 }, (_, at) => counterName.value(id, min + at));
      return [counterName.answered(id), ...values, counterName.sum(id)];
    }
    case 'text':
      return [counterName.answered(id)];
  }
}

/** The counters one valid answer adds; none for an absent or invalid one, which results leave out. */
function answerCounters(question: Question, answers: SurveyAnswers): [string, number][] {
  const answer = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined;
  if (answer === undefined || answerViolation(question, answer) !== undefined) return [];
  const id = question.id;
  const answered: [string, number] = [counterName.answered(id), 1];
  switch (question.type) {
    case 'single':
    case 'multiple': {
      const chosen = typeof answer === 'string' ? [answer] : (answer as readonly string[]);
      return [answered, ...chosen.map((optionId): [string, number] => [counterName.option(id, optionId), 1])];
    }
    case 'scale':
      return [
        answered,
        [counterName.value(id, answer as number), 1],
        [counterName.sum(id), answer as number],
      ];
    case 'ranking':
      return [
        answered,
        ...(answer as readonly string[]).map((optionId, position): [string, number] => [
          counterName.borda(id, optionId),
          bordaPoints(question.options.length, position),
        ]),
      ];
    case 'text':
      return [answered];
  }
}

type MutableTally = { overall: Record<string, number>; byDistrict: Record<string, Record<string, number>> };

function addResponse(tally: MutableTally, survey: Survey, response: SurveyResponse, sign: 1 | -1): void {
  const scopes = [tally.overall];
  if (response.districtId !== undefined) {
    tally.byDistrict[response.districtId] ??= {};
    scopes.push(tally.byDistrict[response.districtId] as Record<string, number>);
  }
  const counters: [string, number][] = [
    [counterName.respondents, 1],
    ...survey.questions.flatMap((question) => answerCounters(question, response.answers)),
  ];
  for (const scope of scopes) {
    for (const [name, amount] of counters) scope[name] = (scope[name] ?? 0) + sign * amount;
  }
}

const withoutZeroes = (counters: Record<string, number>): SurveyCounters =>
  Object.fromEntries(Object.entries(counters).filter(([, value]) => value !== 0));

/**
 * What replacing `before` by `after` changes in the counters (either may be
 * absent: a first response, or one taken away). Counters that do not move are
 * left out, and so is a district whose counters do not move: the same answers
 * given again change nothing.
 * @example surveyTallyDelta(survey, undefined, { answers: { mode: 'bus' } }).overall
 * // → { respondents: 1, 'mode:answered': 1, 'mode:option:bus': 1 }
 */
export function surveyTallyDelta(
  survey: Survey,
  before: SurveyResponse | undefined,
  after: SurveyResponse | undefined,
): SurveyTallyCounters {
  const tally: MutableTally = { overall: {}, byDistrict: {} };
  if (before) addResponse(tally, survey, before, -1);
  if (after) addResponse(tally, survey, after, 1);
  const byDistrict = Object.entries(tally.byDistrict)
    .map(([districtId, counters]): [string, SurveyCounters] => [districtId, withoutZeroes(counters)])
    .filter(([, counters]) => Object.keys(counters).length > 0);
  return { overall: withoutZeroes(tally.overall), byDistrict: Object.fromEntries(byDistrict) };
}

/**
 * Counters with a delta added (a pure fold, as the stream tally's ADDs do it).
 * @example addSurveyCounters(empty, surveyTallyDelta(survey, undefined, response))
 */
export function addSurveyCounters(
  total: SurveyTallyCounters,
  delta: SurveyTallyCounters,
): SurveyTallyCounters {
  const add = (into: SurveyCounters, more: SurveyCounters): SurveyCounters => {
    const sum: Record<string, number> = { ...into };
    for (const [name, amount] of Object.entries(more)) sum[name] = (sum[name] ?? 0) + amount;
    return sum;
  };
  const byDistrict: Record<string, SurveyCounters> = { ...total.byDistrict };
  for (const [districtId, counters] of Object.entries(delta.byDistrict)) {
    byDistrict[districtId] = add(byDistrict[districtId] ?? {}, counters);
  }
  return { overall: add(total.overall, delta.overall), byDistrict };
}

/** A question's result as counters give it: a free-text question counts its answers, it does not keep them. */
export type CountedQuestionResult =
  | Exclude<QuestionResult, { readonly type: 'text' }>
  | { readonly type: 'text'; readonly answered: number };

export interface CountedTally {
  readonly respondents: number;
  readonly questions: Readonly<Record<string, CountedQuestionResult>>;
}

/** The public survey results: {@link SurveyResults} without the text answers (those are in the council's export). */
export interface CountedSurveyResults extends CountedTally {
  readonly byDistrict: Readonly<Record<string, CountedTally>>;
}

function countedResult(question: Question, counters: SurveyCounters): CountedQuestionResult {
  const count = (name: string) => counters[name] ?? 0;
  const id = question.id;
  const answered = count(counterName.answered(id));
  switch (question.type) {
    case 'single':
    case 'multiple':
      return {
        type: question.type,
        answered,
        counts: Object.fromEntries(
          question.options.map((option) => [option.id, count(counterName.option(id, option.id))]),
        ),
      };
    case 'scale': {
      const { min, max } = SCALES[question.range];
      const values = Array.from({ length: max - min + 1 }, (_, at) => min + at);
      return {
        type: 'scale',
        answered,
        distribution: Object.fromEntries(
          values.map((value) => [String(value), count(counterName.value(id, value))]),
        ),
        mean: exactMean(count(counterName.sum(id)), answered),
      };
    }
    case 'ranking': {
      const borda = Object.fromEntries(
        question.options.map((option) => [option.id, count(counterName.borda(id, option.id))]),
      );
      return { type: 'ranking', answered, borda, order: rankingOrder(question, borda) };
    }
    case 'text':
      return { type: 'text', answered };
  }
}

const countedTally = (survey: Survey, counters: SurveyCounters): CountedTally => ({
  respondents: counters[counterName.respondents] ?? 0,
  questions: Object.fromEntries(
    survey.questions.map((question) => [question.id, countedResult(question, counters)]),
  ),
});

/**
 * The survey's results from its counters: what {@link surveyResults} gives over
 * the responses, text answers counted but not listed. A district none of whose
 * respondents is left (they all answered again from elsewhere) is not shown,
 * as it would not be among the responses.
 * @example surveyResultsFromCounters(survey, counters).questions.mode // → { type: 'single', answered: 2, counts: { bus: 1, tram: 1 } }
 */
export function surveyResultsFromCounters(
  survey: Survey,
  counters: SurveyTallyCounters,
): CountedSurveyResults {
  return {
    ...countedTally(survey, counters.overall),
    byDistrict: Object.fromEntries(
      Object.entries(counters.byDistrict)
        .filter(([, district]) => (district[counterName.respondents] ?? 0) > 0)
        .map(([districtId, district]) => [districtId, countedTally(survey, district)]),
    ),
  };
}
