import { type Budget, scheduledChangeAt } from '../../domain/budgets/budget';
import type { Ballot } from '../../domain/budgets/commands/cast-ballot';
import type { PotResult } from '../../domain/budgets/commands/publish-results';
import type { PotTally } from '../../domain/budgets/pabulib-of-budget';
import type { Project } from '../../domain/budgets/project';
import { type FieldsOf, pickFields } from '../shared/item-fields';
import { Entity, keys } from '../shared/keys';

/**
 * How budgets, projects, ballots and results are stored: the store, the
 * results job and the moderation port read and write these shapes, so they
 * are declared here once.
 */

const BUDGET_FIELDS = {
  id: true,
  communityId: true,
  names: true,
  currency: true,
  totalAmount: true,
  pots: true,
  ballot: true,
  rule: true,
  completion: true,
  minimumAge: true,
  maxProjects: true,
  phase: true,
  schedule: true,
  votingClosedAt: true,
  results: true,
  resultsPublishedAt: true,
  anonymised: true,
  imported: true,
  createdAt: true,
  createdBy: true,
  version: true,
} as const satisfies FieldsOf<Budget>;

const PROJECT_FIELDS = {
  id: true,
  budgetId: true,
  communityId: true,
  title: true,
  description: true,
  costEstimate: true,
  finalCost: true,
  potId: true,
  category: true,
  location: true,
  authorKey: true,
  state: true,
  review: true,
  moderation: true,
  progress: true,
  cancelReason: true,
  externalId: true,
  createdAt: true,
  version: true,
} as const satisfies FieldsOf<Project>;

const BALLOT_FIELDS = {
  communityId: true,
  budgetId: true,
  potId: true,
  voterKey: true,
  projectIds: true,
  points: true,
  castAt: true,
} as const satisfies FieldsOf<Ballot>;

/** A result as anyone reads it: the job id and the tally stored with it are the job's and the export's. */
const RESULT_FIELDS = {
  potId: true,
  rule: true,
  version: true,
  inputSha256: true,
  add1: true,
  budget: true,
  spent: true,
  left: true,
  ballots: true,
  selected: true,
  projects: true,
} as const satisfies FieldsOf<PotResult>;

export function budgetToItem(budget: Budget): Record<string, unknown> {
  const dueAt = scheduledChangeAt(budget);
  return {
    ...keys.budget(budget.communityId, budget.id),
    entity: Entity.budget,
    ...keys.budgetListing(budget.communityId, budget),
    ...(dueAt ? keys.budgetDueOrder(dueAt, budget.communityId, budget.id) : {}),
    ...budget,
  };
}

export const budgetFromItem = (item: Record<string, unknown>): Budget =>
  pickFields<Budget>(item, BUDGET_FIELDS);

export function projectToItem(project: Project): Record<string, unknown> {
  return {
    ...keys.budgetProject(project.communityId, project.budgetId, project.id),
    ...keys.budgetProjectAuthorIndex(project.communityId, project.budgetId, project.authorKey, project.id),
    entity: Entity.budgetProject,
    ...project,
  };
}

export const projectFromItem = (item: Record<string, unknown>): Project =>
  pickFields<Project>(item, PROJECT_FIELDS);

export function ballotToItem(ballot: Ballot): Record<string, unknown> {
  return {
    ...keys.budgetBallot(ballot.communityId, ballot.budgetId, ballot.voterKey, ballot.potId),
    ...keys.budgetBallotIndex(ballot.communityId, ballot.budgetId, ballot.voterKey, ballot.potId),
    entity: Entity.budgetBallot,
    ...ballot,
  };
}

export const ballotFromItem = (item: Record<string, unknown>): Ballot =>
  pickFields<Ballot>(item, BALLOT_FIELDS);

export function resultToItem(
  communityId: string,
  budgetId: string,
  jobId: string,
  result: PotResult & { readonly tally?: PotTally },
) {
  return {
    ...keys.budgetResult(communityId, budgetId, result.potId),
    entity: Entity.budgetResult,
    jobId,
    ...result,
  };
}

export const resultFromItem = (item: Record<string, unknown>): PotResult =>
  pickFields<PotResult>(item, RESULT_FIELDS);

/** The pot's tally kept with its result, if the job stored one. */
export const tallyFromItem = (item: Record<string, unknown>): PotTally | undefined =>
  item.tally as PotTally | undefined;
