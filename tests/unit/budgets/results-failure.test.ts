import { describe, expect, it } from 'vitest';
import {
  failedSummary,
  RESULTS_FAILURE_CODES,
  RESULTS_FAILURES,
  resultsFailureText,
} from '../../../domain/budgets/results-failure';

describe('the reasons a results job failed', () => {
  it.each(RESULTS_FAILURE_CODES)('%s reads in Ukrainian and in English', (code) => {
    expect(RESULTS_FAILURES[code].text.uk).not.toBe('');
    expect(RESULTS_FAILURES[code].text.en).not.toBe('');
    expect(RESULTS_FAILURES[code].text.uk).not.toBe(RESULTS_FAILURES[code].text.en);
  });

  it('adds the detail where it says what went wrong', () => {
    expect(resultsFailureText('results_job_failed', 'the ledger caught fire', 'en')).toBe(
      'The results job failed unexpectedly: the ledger caught fire',
    );
    expect(resultsFailureText('results_out_of_time', 'the local runtime stopped', 'uk')).toBe(
      RESULTS_FAILURES.results_out_of_time.text.uk,
    );
  });

  it('stores the code and the detail apart, and the English text for the budget view', () => {
    const running = { jobId: 'J1', status: 'running', requestedAt: '2026-11-23T09:00:00.000Z' } as const;

    expect(failedSummary(running, { code: 'results_input_refused', detail: 'no projects' })).toEqual({
      ...running,
      status: 'failed',
      errorCode: 'results_input_refused',
      errorDetail: 'no projects',
      error: `${RESULTS_FAILURES.results_input_refused.text.en}: no projects`,
    });
  });
});
