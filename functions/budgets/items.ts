import { type Budget, scheduledChangeAt } from '../../domain/budgets/budget';
import type { Ballot } from '../../domain/budgets/commands/cast-ballot';
import type { PotResult } from '../../domain/budgets/commands/publish-results';
import type { PotTally } from '../../domain/budgets/pabulib-of-budget';
import type { Project } from '../../domain/budgets/project';
import { Entity, keys } from '../shared/keys';

/**
 * How budgets, projects, ballots and results are stored: the store, the
 * results job and the moderation port read and write these shapes, so they
 * are declared here once.
 */

/** The item's own attributes back, without keys and bookkeeping. */
function strip<T>(item: Record<string, unknown>): T {
  const {
    PK: _pk,
    SK: _sk,
    GSI1PK: _g1,
    GSI1SK: _g1s,
    GSI2PK: _g2,
    GSI2SK: _g2s,
    GSI3PK: _g3,
    GSI3SK: _g3s,
    entity: _entity,
    ...rest
  } = item;
  return rest as T;
}

export function budgetToItem(budget: Budget): Record<string, unknown> {
  const dueAt = scheduledChangeAt(budget);
  return {
    ...keys.budget(budget.communityId, budget.id),
    entity: Entity.budget,
    GSI1PK: keys.budgetListing(budget.communityId),
    GSI1SK: `${budget.createdAt}#${budget.id}`,
    ...(dueAt
      ? { GSI2PK: keys.budgetDue, GSI2SK: keys.budgetDueOrder(dueAt, budget.communityId, budget.id) }
      : {}),
    ...budget,
  };
}

export const budgetFromItem = (item: Record<string, unknown>): Budget => strip<Budget>(item);

export function projectToItem(project: Project): Record<string, unknown> {
  return {
    ...keys.budgetProject(project.communityId, project.budgetId, project.id),
    ...keys.budgetProjectAuthorIndex(project.communityId, project.budgetId, project.authorKey, project.id),
    entity: Entity.budgetProject,
    ...project,
  };
}

export const projectFromItem = (item: Record<string, unknown>): Project => strip<Project>(item);

export function ballotToItem(ballot: Ballot): Record<string, unknown> {
  return {
    ...keys.budgetBallot(ballot.communityId, ballot.budgetId, ballot.voterKey, ballot.potId),
    ...keys.budgetBallotIndex(ballot.communityId, ballot.budgetId, ballot.voterKey, ballot.potId),
    entity: Entity.budgetBallot,
    ...ballot,
  };
}

export const ballotFromItem = (item: Record<string, unknown>): Ballot => strip<Ballot>(item);

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

export const resultFromItem = (item: Record<string, unknown>): PotResult => {
  // The tally is the export's, not part of the result anyone reads.
  const {
    jobId: _job,
    tally: _tally,
    ...rest
  } = strip<PotResult & { jobId: string; tally?: PotTally }>(item);
  return rest;
};

/** The pot's tally kept with its result, if the job stored one. */
export const tallyFromItem = (item: Record<string, unknown>): PotTally | undefined =>
  item.tally as PotTally | undefined;
