import { type PabulibBallot, type PabulibInstance, VoteType } from '../pabulib/instance';

/**
 * Each project's score, by id, the way the ballots of the instance's vote type count:
 *
 * - `approval`: the number of ballots that approve it;
 * - `cumulative` and `scoring`: the sum of the points it was given;
 * - `ordinal`: Borda, truncated to the ballot: on a ballot ranking k
 *   projects, the first gets k points, the second k − 1, …, the last 1, and
 *   projects left off get nothing. (This is how pabulib's own `score` column
 *   counts ranked ballots, e.g. in the Merced 2019 file.)
 *
 * Every listed project is in the map, those nobody voted for with 0.
 * @example projectScores(instance).get('1639') // → 650n in Rembertów 2023
 */
export function projectScores(instance: PabulibInstance): Map<string, bigint> {
  const scores = new Map(instance.projects.map((project) => [project.id, 0n]));
  const pointsOf = BALLOT_POINTS[instance.voteType];
  for (const ballot of instance.ballots) {
    ballot.projectIds.forEach((id, rank) => {
      scores.set(id, (scores.get(id) ?? 0n) + pointsOf(ballot, rank));
    });
  }
  return scores;
}

/** What the project at `rank` (0 = first listed) of a ballot adds to its score. */
const BALLOT_POINTS: Record<VoteType, (ballot: PabulibBallot, rank: number) => bigint> = {
  [VoteType.approval]: () => 1n,
  [VoteType.cumulative]: (ballot, rank) => ballot.points?.[rank] ?? 0n,
  [VoteType.scoring]: (ballot, rank) => ballot.points?.[rank] ?? 0n,
  [VoteType.ordinal]: (ballot, rank) => BigInt(ballot.projectIds.length - rank),
};
