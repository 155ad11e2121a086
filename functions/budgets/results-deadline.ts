/**
 * The results function's time limit (Lambda's maximum); `functions/tools.ts`
 * gives it to the function in AWS and the local runtime holds its worker to it.
 */
export const RESULTS_JOB_TIMEOUT_MINUTES = 15;

/**
 * How long after a run's time limit its queue delivers the message again
 * (`REDELIVERY_MARGIN` of `infra/aws/stacks/jobs-stack.ts`, the queue's
 * visibility timeout beyond the function's).
 */
export const REDELIVERY_MARGIN_MS = 5 * 60_000;

/**
 * When a job still `running` has certainly been lost (its message never came,
 * or went to the dead-letter queue, or the local runtime died with it queued):
 * its time limit and the redelivery margin after it was requested, or after
 * the deadline a run recorded, whichever is later.
 */
export function overdueAt(requestedAt: string, claimedDeadline?: string): number {
  const margin = RESULTS_JOB_TIMEOUT_MINUTES * 60_000 + REDELIVERY_MARGIN_MS;
  const fromRequest = Date.parse(requestedAt) + margin;
  const fromClaim = claimedDeadline ? Date.parse(claimedDeadline) + REDELIVERY_MARGIN_MS : Number.NaN;
  return Number.isNaN(fromClaim) ? fromRequest : Math.max(fromRequest, fromClaim);
}
