import { type Locale, type Localized, text } from '../shared/localized';
import type { ResultsSummary } from './budget';

/**
 * Why a results job ended `failed`, the same in AWS and in the local runtime:
 * `results_out_of_time` (it ran past its time limit, or its run was cut off or
 * never delivered), `results_job_failed` (anything unexpected threw),
 * `results_input_refused` (a rule or the pabulib writer refused the input).
 */
export const ResultsFailureCode = {
  out_of_time: 'results_out_of_time',
  job_failed: 'results_job_failed',
  input_refused: 'results_input_refused',
} as const;
export type ResultsFailureCode = (typeof ResultsFailureCode)[keyof typeof ResultsFailureCode];

export const RESULTS_FAILURE_CODES = Object.values(ResultsFailureCode);

/**
 * What the council reads for each failure; where `withDetail` holds, the
 * technical detail (the error's message) follows after a colon.
 */
export const RESULTS_FAILURES: Readonly<
  Record<ResultsFailureCode, { readonly text: Localized; readonly withDetail: boolean }>
> = {
  results_out_of_time: {
    text: text(
      'Обчислення результатів не завершилося вчасно (або його перервано); запросіть результати ще раз.',
      'The results job ran out of time (or was interrupted) before it finished; request the results again.',
    ),
    withDetail: false,
  },
  results_job_failed: {
    text: text(
      'Обчислення результатів несподівано завершилося помилкою',
      'The results job failed unexpectedly',
    ),
    withDetail: true,
  },
  results_input_refused: {
    text: text(
      'Правило підрахунку не прийняло вхідні дані; виправте проєкти чи бюлетені й запросіть результати ще раз',
      'The counting rule refused the input; correct the projects or ballots and request the results again',
    ),
    withDetail: true,
  },
};

/**
 * The failure as the council reads it in `locale`.
 * @example resultsFailureText('results_job_failed', 'the ledger caught fire', 'en')
 * // 'The results job failed unexpectedly: the ledger caught fire'
 */
export function resultsFailureText(
  code: ResultsFailureCode,
  detail: string | undefined,
  locale: Locale,
): string {
  const failure = RESULTS_FAILURES[code];
  return failure.withDetail && detail ? `${failure.text[locale]}: ${detail}` : failure.text[locale];
}

/** A job's failure: why, and what went wrong technically when there is more to say. */
export interface ResultsFailure {
  readonly code: ResultsFailureCode;
  readonly detail?: string;
}

/**
 * The summary of a job that failed: its code and detail, and the English text
 * the budget's view carries.
 */
export function failedSummary(results: ResultsSummary, failure: ResultsFailure): ResultsSummary {
  return {
    ...results,
    status: 'failed',
    errorCode: failure.code,
    ...(failure.detail ? { errorDetail: failure.detail } : {}),
    error: resultsFailureText(failure.code, failure.detail, 'en'),
  };
}
