import type { Question, Survey, SurveyAnswers } from './survey';
import { SCALES } from './survey';
import { answerViolation } from './survey-response';

/** A stored response, as the results need it. */
export interface SurveyResponse {
  readonly answers: SurveyAnswers;
  /** From the respondent's token, when the identity provider states it. */
  readonly districtId?: string;
}

/**
 * A mean kept exact: the integer sum and count, and the decimal a person reads,
 * rounded half up to two places from the fraction itself (never via a float).
 */
export interface ExactMean {
  readonly sum: number;
  readonly count: number;
  /** `"3.67"`; null when nobody answered. */
  readonly rounded: string | null;
}

export type QuestionResult =
  | {
      readonly type: 'single' | 'multiple';
      readonly answered: number;
      /** Per option, in the survey's option order; zero for options nobody chose. */
      readonly counts: Readonly<Record<string, number>>;
    }
  | {
      readonly type: 'scale';
      readonly answered: number;
      /** Per scale value, every value of the range present. */
      readonly distribution: Readonly<Record<string, number>>;
      readonly mean: ExactMean;
    }
  | {
      readonly type: 'ranking';
      readonly answered: number;
      /** Borda points per option, see {@link bordaPoints}. */
      readonly borda: Readonly<Record<string, number>>;
      /** Option ids by points, most first; ties keep the survey's option order. */
      readonly order: readonly string[];
    }
  | {
      readonly type: 'text';
      readonly answered: number;
      /** In the order of the responses given, for export. */
      readonly answers: readonly string[];
    };

export interface ResultsTally {
  readonly respondents: number;
  readonly questions: Readonly<Record<string, QuestionResult>>;
}

export interface SurveyResults extends ResultsTally {
  /** The same per district, for responses whose token named one. */
  readonly byDistrict: Readonly<Record<string, ResultsTally>>;
}

/**
 * Borda points of a ranked position, for a question with `optionCount` options:
 * the option ranked first gets `optionCount − 1`, the next one less, the last 0;
 * an option left unranked (a `top: N` ranking) gets 0, as if tied for last.
 * Every complete ranking thus hands out exactly `n(n − 1)/2` points.
 * @example bordaPoints(4, 0) // → 3
 */
export const bordaPoints = (optionCount: number, position: number): number => optionCount - 1 - position;

/** Half-up rounding of `sum / count` to hundredths, with integers only (sum ≥ 0, as on both scales). */
export function exactMean(sum: number, count: number): ExactMean {
  if (count === 0) return { sum, count, rounded: null };
  const hundredths = (BigInt(sum) * 200n + BigInt(count)) / (2n * BigInt(count));
  const fraction = (hundredths % 100n).toString().padStart(2, '0');
  return { sum, count, rounded: `${hundredths / 100n}.${fraction}` };
}

/** A ranking question's option ids by Borda points, most first; ties keep the survey's option order. */
export function rankingOrder(
  question: Extract<Question, { type: 'ranking' }>,
  borda: Readonly<Record<string, number>>,
): string[] {
  return question.options
    .map((option, at) => ({ optionId: option.id, at, points: borda[option.id] ?? 0 }))
    .sort((a, b) => b.points - a.points || a.at - b.at)
    .map((entry) => entry.optionId);
}

const zeroes = (keys: readonly (string | number)[]): Record<string, number> =>
  Object.fromEntries(keys.map((key) => [String(key), 0]));

function questionResult(question: Question, given: readonly SurveyAnswers[]): QuestionResult {
  // Results count what validation would accept; anything else (a response kept
  // from before a fix, say) is left out rather than miscounted.
  const answers = given
    .map((answers) => (Object.hasOwn(answers, question.id) ? answers[question.id] : undefined))
    .filter((answer) => answer !== undefined && answerViolation(question, answer) === undefined);
  const answered = answers.length;
  switch (question.type) {
    case 'single':
    case 'multiple': {
      const counts = zeroes(question.options.map((option) => option.id));
      for (const answer of answers) {
        for (const optionId of typeof answer === 'string' ? [answer] : (answer as string[])) {
          counts[optionId] = (counts[optionId] ?? 0) + 1;
        }
      }
      return { type: question.type, answered, counts };
    }
    case 'scale': {
      const { min, max } = SCALES[question.range];
      const distribution = zeroes(Array.from({ length: max - min + 1 }, (_, at) => min + at));
      let sum = 0;
      for (const answer of answers as number[]) {
        distribution[answer] = (distribution[answer] ?? 0) + 1;
        sum += answer;
      }
      return { type: 'scale', answered, distribution, mean: exactMean(sum, answered) };
    }
    case 'ranking': {
      const optionIds = question.options.map((option) => option.id);
      const borda = zeroes(optionIds);
      for (const ranking of answers as string[][]) {
        ranking.forEach((optionId, position) => {
          borda[optionId] = (borda[optionId] ?? 0) + bordaPoints(optionIds.length, position);
        });
      }
      return { type: 'ranking', answered, borda, order: rankingOrder(question, borda) };
    }
    case 'text':
      return { type: 'text', answered, answers: answers as string[] };
  }
}

function tally(survey: Survey, responses: readonly SurveyResponse[]): ResultsTally {
  const answers = responses.map((response) => response.answers);
  return {
    respondents: responses.length,
    questions: Object.fromEntries(
      survey.questions.map((question) => [question.id, questionResult(question, answers)]),
    ),
  };
}

/**
 * The results of a survey: per question, counts per option (single and multiple
 * choice), the distribution and exact mean (scale), Borda points and the order
 * they give (ranking), and the answers themselves (free text); overall and per district.
 * @example surveyResults(survey, responses).questions.q1 // → { type: 'single', answered: 2, counts: { bus: 1, tram: 1 } }
 */
export function surveyResults(survey: Survey, responses: readonly SurveyResponse[]): SurveyResults {
  const byDistrict = new Map<string, SurveyResponse[]>();
  for (const response of responses) {
    if (response.districtId === undefined) continue;
    const group = byDistrict.get(response.districtId) ?? [];
    group.push(response);
    byDistrict.set(response.districtId, group);
  }
  return {
    ...tally(survey, responses),
    byDistrict: Object.fromEntries(
      [...byDistrict].map(([districtId, group]) => [districtId, tally(survey, group)]),
    ),
  };
}
