import { z } from 'zod';

/** Event names of the participatory-budgets tool, with their versions. */
export const BudgetEvents = {
  created: 'budget.created.v1',
  phaseChanged: 'budget.phase-changed.v1',
  resultsRequested: 'budget.results-requested.v1',
  resultsPublished: 'budget.results-published.v1',
  projectSubmitted: 'budget.project-submitted.v1',
  projectPublished: 'budget.project-published.v1',
  projectRejected: 'budget.project-rejected.v1',
  projectHidden: 'budget.project-hidden.v1',
  projectReviewed: 'budget.project-reviewed.v1',
  projectProgressed: 'budget.project-progressed.v1',
} as const;

const base = { communityId: z.string(), budgetId: z.string() };

export const BudgetCreatedV1 = z.object({
  ...base,
  totalAmount: z.int(),
  currency: z.string(),
  imported: z.boolean(),
});

export const BudgetPhaseChangedV1 = z.object({
  ...base,
  from: z.string(),
  to: z.string(),
  changedAt: z.string(),
  /** `council` or `schedule`. */
  by: z.string(),
});

/**
 * The council asked for the results: the results job, a function of its own
 * fed by this event, computes job `jobId` (a later request supersedes it).
 */
export const BudgetResultsRequestedV1 = z.object({
  ...base,
  jobId: z.string(),
  requestedAt: z.string(),
});

export const BudgetResultsPublishedV1 = z.object({
  ...base,
  publishedAt: z.string(),
  pots: z.array(
    z.object({
      potId: z.string(),
      rule: z.string(),
      version: z.string(),
      inputSha256: z.string(),
      selected: z.array(z.string()),
      spent: z.string(),
    }),
  ),
});

const project = { ...base, projectId: z.string() };

export const BudgetProjectSubmittedV1 = z.object({
  ...project,
  potId: z.string(),
  authorKey: z.string(),
  state: z.string(),
});

export const BudgetProjectModeratedV1 = z.object({
  ...project,
  decidedBy: z.string(),
  reasonCode: z.string().optional(),
});

/** What the author is told after review: feasible with the final cost, or unfeasible with the reason. */
export const BudgetProjectReviewedV1 = z.object({
  ...project,
  authorKey: z.string(),
  outcome: z.enum(['feasible', 'unfeasible']),
  finalCost: z.int().optional(),
  reason: z.string().optional(),
});

export const BudgetProjectProgressedV1 = z.object({
  ...project,
  state: z.string(),
  note: z.string().optional(),
  at: z.string(),
});
