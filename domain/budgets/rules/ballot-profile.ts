import { type PabulibInstance, VoteType } from '../pabulib/instance';

/** A project as the rules see it: its id and whole cost. */
export interface BudgetProject {
  readonly id: string;
  readonly cost: bigint;
}

/**
 * Ballots in the shape equal shares works on: per project, the voters who
 * want it and, for point ballots, how much. Voters are numbered 0 …
 * voterCount − 1 and carry no other identity, so that a rule cannot treat two
 * ballots differently.
 *
 * A voter's utility for a project is what equal shares charges in
 * proportion to: for approval ballots the project's cost ("cost utilities",
 * so that the price per unit of utility ρ is what each supporter pays per
 * unit of cost), for cumulative and scoring ballots the points the voter gave
 * it (the method's additive-utility definition).
 */
export interface BallotProfile {
  readonly projects: readonly BudgetProject[];
  /** `supporters[i]`: the voters with a positive utility for `projects[i]`, ascending. */
  readonly supporters: readonly Int32Array[];
  /**
   * For point ballots, `points[i][k]` is what `supporters[i][k]` gave
   * `projects[i]` (at least 1). Absent for approval ballots.
   */
  readonly points?: readonly Int32Array[];
  readonly voterCount: number;
}

/** The most points one ballot may give one project, so that sums of points stay exact in doubles. */
export const MAX_POINTS = 1_000_000;

/**
 * The profile of an approval, cumulative or scoring instance: each ballot
 * supports the projects it lists (with the points it gives them). A project
 * given 0 points is not supported. Throws a RangeError for ordinal ballots,
 * a ballot naming an unlisted project, or points outside 0 … {@link MAX_POINTS}.
 * @example equalShares(ballotProfile(parsePabulib(text)), 1_000_000n)
 */
export function ballotProfile(instance: PabulibInstance): BallotProfile {
  if (instance.voteType === VoteType.ordinal)
    throw new RangeError('Equal shares has no utilities for ranked (ordinal) ballots.');
  const pointed = instance.voteType !== VoteType.approval;
  const indexOf = new Map(instance.projects.map((project, index) => [project.id, index]));
  const voters: number[][] = instance.projects.map(() => []);
  const points: number[][] = instance.projects.map(() => []);
  instance.ballots.forEach((ballot, voter) => {
    ballot.projectIds.forEach((id, place) => {
      const index = indexOf.get(id);
      // The parser refuses votes for unlisted projects; an instance built in code may still have one.
      if (index === undefined)
        throw new RangeError(`Ballot ${ballot.voterId} names project ${id}, which is not listed.`);
      const given = pointed ? (ballot.points?.[place] ?? 0n) : 1n;
      if (given < 0n || given > BigInt(MAX_POINTS))
        throw new RangeError(
          `Ballot ${ballot.voterId} gives project ${id} ${given} points (0 … ${MAX_POINTS}).`,
        );
      if (given === 0n) return;
      voters[index]?.push(voter);
      points[index]?.push(Number(given));
    });
  });
  // Ballots are read in voter order, so every list is ascending.
  return {
    projects: instance.projects.map(({ id, cost }) => ({ id, cost })),
    supporters: voters.map((list) => Int32Array.from(list)),
    ...(pointed ? { points: points.map((list) => Int32Array.from(list)) } : {}),
    voterCount: instance.ballots.length,
  };
}
