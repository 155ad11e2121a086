import { BallotType, type Budget, type Pot } from './budget';
import type { Ballot } from './commands/cast-ballot';
import { type PabulibBallot, type PabulibInstance, type PabulibProject, VoteType } from './pabulib/instance';
import { costOf, type Project, ProjectState } from './project';

/** How a budget's ballot type is written in pabulib: knapsack ballots are approval sets. */
const VOTE_TYPE: Record<BallotType, VoteType> = {
  approval: VoteType.approval,
  knapsack: VoteType.approval,
  cumulative: VoteType.cumulative,
  ordinal: VoteType.ordinal,
};

/** States of projects that were on the ballot (reviewed feasible, whatever happened since). */
const WAS_ON_BALLOT = new Set<string>([
  ProjectState.feasible,
  ProjectState.selected,
  ProjectState.not_selected,
  ProjectState.in_progress,
  ProjectState.done,
  ProjectState.cancelled,
]);

/** A text as one `.pb` field can hold it: line breaks and separators become spaces. */
const fieldText = (value: string): string => value.replaceAll(/[\r\n;]+/g, ' ');

/** The id a project has in pabulib files: the imported file's own id, or ours. */
export const pabulibIdOf = (project: Pick<Project, 'id' | 'externalId'>): string =>
  project.externalId ?? project.id;

/** The rule as pabulib's META `rule` names it. */
function ruleName(budget: Budget): string {
  if (budget.rule === 'greedy') return 'greedy';
  return budget.completion === 'add1' ? 'equalshares/add1' : 'equalshares';
}

/** META rows that record the ballot's limits, as pabulib names them. */
function limitRows(budget: Budget): [string, string][] {
  const { ballot } = budget;
  const rows: [string, string][] = [];
  if (ballot.type === BallotType.approval) {
    if (ballot.minProjects !== undefined) rows.push(['min_length', String(ballot.minProjects)]);
    if (ballot.maxProjects !== undefined) rows.push(['max_length', String(ballot.maxProjects)]);
  }
  if (ballot.type === BallotType.cumulative) {
    if (ballot.maxPoints !== undefined) rows.push(['max_sum_points', String(ballot.maxPoints)]);
    if (ballot.maxPerProject !== undefined) rows.push(['max_points', String(ballot.maxPerProject)]);
  }
  if (ballot.type === BallotType.ordinal && ballot.maxRanked !== undefined) {
    rows.push(['max_length', String(ballot.maxRanked)]);
  }
  return rows;
}

/**
 * One pot of a budget as a pabulib instance: what the results are computed
 * from and what the export gives, so that anyone can recompute them offline.
 * Deterministic: projects in id order, ballots in voter-key order, and voters
 * anonymised as sequence numbers 1…n in that order (the key itself never
 * leaves). Only ballots cast before voting closed are in it. Costs and the
 * budget are in minor units (META `cost_unit` says so).
 *
 * @param selected the funded project ids, when the results are known (adds the `selected` column)
 */
export function pabulibOfPot(
  budget: Budget,
  pot: Pot,
  projects: readonly Project[],
  ballots: readonly Ballot[],
  selected?: ReadonlySet<string>,
): PabulibInstance {
  const onBallot = projects
    .filter((project) => project.potId === pot.id && WAS_ON_BALLOT.has(project.state))
    .sort((a, b) => (pabulibIdOf(a) < pabulibIdOf(b) ? -1 : pabulibIdOf(a) > pabulibIdOf(b) ? 1 : 0));
  const idOf = new Map(onBallot.map((project) => [project.id, pabulibIdOf(project)]));
  const counted = ballots
    .filter(
      (ballot) =>
        ballot.potId === pot.id &&
        (budget.votingClosedAt === undefined || ballot.castAt < budget.votingClosedAt),
    )
    .sort((a, b) => (a.voterKey < b.voterKey ? -1 : a.voterKey > b.voterKey ? 1 : 0));
  const votes = new Map<string, number>();
  for (const ballot of counted) {
    for (const projectId of ballot.projectIds) votes.set(projectId, (votes.get(projectId) ?? 0) + 1);
  }
  const voteType = VOTE_TYPE[budget.ballot.type];
  const pointed = voteType === VoteType.cumulative;
  const pabulibProjects: PabulibProject[] = onBallot.map((project) => ({
    id: pabulibIdOf(project),
    cost: BigInt(costOf(project)),
    fields: {
      votes: String(votes.get(project.id) ?? 0),
      name: fieldText(project.title),
      category: fieldText(project.category ?? ''),
      ...(selected ? { selected: selected.has(pabulibIdOf(project)) ? '1' : '0' } : {}),
    },
  }));
  const pabulibBallots: PabulibBallot[] = counted.map((ballot, index) => ({
    voterId: String(index + 1),
    projectIds: ballot.projectIds.map((projectId) => idOf.get(projectId) ?? projectId),
    ...(pointed ? { points: (ballot.points ?? []).map((value) => BigInt(value)) } : {}),
    fields: {},
  }));
  return {
    meta: new Map<string, string>([
      ['description', fieldText(budget.names.en)],
      ['country', 'Ukraine'],
      ['unit', budget.communityId],
      ['instance', budget.id],
      ['subunit', pot.id],
      ['num_projects', String(pabulibProjects.length)],
      ['num_votes', String(pabulibBallots.length)],
      ['budget', String(pot.amount)],
      ['vote_type', voteType],
      ['rule', ruleName(budget)],
      ['currency', budget.currency],
      ['cost_unit', 'minor'],
      ...limitRows(budget),
    ]),
    budget: BigInt(pot.amount),
    voteType,
    projectColumns: ['project_id', 'cost', 'votes', 'name', 'category', ...(selected ? ['selected'] : [])],
    projects: pabulibProjects,
    voteColumns: ['voter_id', 'vote', ...(pointed ? ['points'] : [])],
    ballots: pabulibBallots,
  };
}
