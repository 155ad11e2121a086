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
 * What a pot's file counts over all its ballots: how many were counted and
 * each project's approvals (by our project id). The results job keeps it with
 * the pot's result, so that an export can write the file's head (META and
 * PROJECTS) without reading every ballot again.
 */
export interface PotTally {
  readonly ballots: number;
  readonly votes: Readonly<Record<string, number>>;
}

/** Whether a ballot counts in a pot's file: of that pot, and cast before voting closed. */
export const countsIn = (budget: Budget, pot: Pot, ballot: Ballot): boolean =>
  ballot.potId === pot.id && (budget.votingClosedAt === undefined || ballot.castAt < budget.votingClosedAt);

/** The ballots that count in a pot, in voter-key order: the order voters are numbered in. */
function countedBallots(budget: Budget, pot: Pot, ballots: readonly Ballot[]): Ballot[] {
  return ballots
    .filter((ballot) => countsIn(budget, pot, ballot))
    .sort((a, b) => (a.voterKey < b.voterKey ? -1 : a.voterKey > b.voterKey ? 1 : 0));
}

/** The tally of a pot over its ballots (any order). */
export function potTally(budget: Budget, pot: Pot, ballots: readonly Ballot[]): PotTally {
  const votes = new Map<string, number>();
  let counted = 0;
  for (const ballot of ballots) {
    if (!countsIn(budget, pot, ballot)) continue;
    counted += 1;
    for (const projectId of ballot.projectIds) votes.set(projectId, (votes.get(projectId) ?? 0) + 1);
  }
  // fromEntries makes own properties whatever the ids (even `__proto__`); reads check Object.hasOwn.
  return { ballots: counted, votes: Object.fromEntries(votes) };
}

/** The projects on a pot's ballot, in pabulib id order. */
function projectsOnBallot(pot: Pot, projects: readonly Project[]): Project[] {
  return projects
    .filter((project) => project.potId === pot.id && WAS_ON_BALLOT.has(project.state))
    .sort((a, b) => (pabulibIdOf(a) < pabulibIdOf(b) ? -1 : pabulibIdOf(a) > pabulibIdOf(b) ? 1 : 0));
}

/**
 * A pot's file without its VOTES rows: META and PROJECTS as the whole file
 * has them, from the pot's tally (`ballots` is empty). With
 * {@link pabulibBallotsOfPot} it writes the file a page at a time.
 *
 * @param selected the funded project ids, when the results are known (adds the `selected` column)
 */
export function pabulibHeadOfPot(
  budget: Budget,
  pot: Pot,
  projects: readonly Project[],
  tally: PotTally,
  selected?: ReadonlySet<string>,
): PabulibInstance {
  const voteType = VOTE_TYPE[budget.ballot.type];
  const pointed = voteType === VoteType.cumulative;
  const pabulibProjects: PabulibProject[] = projectsOnBallot(pot, projects).map((project) => ({
    id: pabulibIdOf(project),
    cost: BigInt(costOf(project)),
    fields: {
      votes: String(Object.hasOwn(tally.votes, project.id) ? tally.votes[project.id] : 0),
      name: fieldText(project.title),
      category: fieldText(project.category ?? ''),
      ...(selected ? { selected: selected.has(pabulibIdOf(project)) ? '1' : '0' } : {}),
    },
  }));
  return {
    meta: new Map<string, string>([
      ['description', fieldText(budget.names.en)],
      ['country', 'Ukraine'],
      ['unit', budget.communityId],
      ['instance', budget.id],
      ['subunit', pot.id],
      ['num_projects', String(pabulibProjects.length)],
      ['num_votes', String(tally.ballots)],
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
    ballots: [],
  };
}

/**
 * Counted ballots of a pot as pabulib VOTES rows, numbered from `firstVoter`:
 * `ballots` must already be the pot's counted ballots in voter-key order (one
 * page of them), so that numbers go on across pages.
 */
export function pabulibBallotsOfPot(
  budget: Budget,
  pot: Pot,
  projects: readonly Project[],
  ballots: readonly Ballot[],
  firstVoter = 1,
): PabulibBallot[] {
  const idOf = new Map(projectsOnBallot(pot, projects).map((project) => [project.id, pabulibIdOf(project)]));
  const pointed = VOTE_TYPE[budget.ballot.type] === VoteType.cumulative;
  return ballots.map((ballot, index) => ({
    voterId: String(firstVoter + index),
    projectIds: ballot.projectIds.map((projectId) => idOf.get(projectId) ?? projectId),
    ...(pointed ? { points: (ballot.points ?? []).map((value) => BigInt(value)) } : {}),
    fields: {},
  }));
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
  const counted = countedBallots(budget, pot, ballots);
  return {
    ...pabulibHeadOfPot(budget, pot, projects, potTally(budget, pot, counted), selected),
    ballots: pabulibBallotsOfPot(budget, pot, projects, counted),
  };
}
