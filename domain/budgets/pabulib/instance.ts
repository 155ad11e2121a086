/**
 * A participatory-budget election as the pabulib `.pb` format holds it
 * (https://pabulib.org/format): the META rows, the projects and the ballots.
 * Everything the file says is kept, unknown columns included, so that writing
 * an instance back gives a file that reads the same.
 */

/** How a ballot expresses preferences: the META row `vote_type`. */
export const VoteType = {
  /** A set of projects, unordered. */
  approval: 'approval',
  /** Projects with points that sum to at most `max_sum_points`. */
  cumulative: 'cumulative',
  /** Projects ranked, the first most preferred. */
  ordinal: 'ordinal',
  /** Projects with a score each, between `min_points` and `max_points`. */
  scoring: 'scoring',
} as const;
export type VoteType = (typeof VoteType)[keyof typeof VoteType];
export const VOTE_TYPES = Object.values(VoteType);

/** Vote types whose ballots carry a `points` column, one number per listed project. */
export const POINTED_VOTE_TYPES = new Set<VoteType>([VoteType.cumulative, VoteType.scoring]);

/** The section names, in the order a file lists them. */
export const Section = { meta: 'META', projects: 'PROJECTS', votes: 'VOTES' } as const;
export type Section = (typeof Section)[keyof typeof Section];
export const SECTIONS = Object.values(Section);

/** The columns the format gives a meaning; every other column is kept as text. */
export const Column = {
  key: 'key',
  value: 'value',
  projectId: 'project_id',
  cost: 'cost',
  voterId: 'voter_id',
  vote: 'vote',
  points: 'points',
} as const;

/** The META rows that the parser reads into typed fields. */
export const MetaKey = { budget: 'budget', voteType: 'vote_type' } as const;

export interface PabulibProject {
  readonly id: string;
  /** A whole amount in the file's currency unit (see META `currency`). */
  readonly cost: bigint;
  /** The row's other columns by header name, as written (`''` for an empty field). */
  readonly fields: Readonly<Record<string, string>>;
}

export interface PabulibBallot {
  readonly voterId: string;
  /** The projects the ballot lists, in its order: for `ordinal` votes the first is ranked highest. */
  readonly projectIds: readonly string[];
  /** For `cumulative` and `scoring` votes, the points given to `projectIds[i]`; absent otherwise. */
  readonly points?: readonly bigint[];
  /** The row's other columns (age, sex, district, …) by header name, as written. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface PabulibInstance {
  /**
   * Every META row in file order, `budget` and `vote_type` included. Their
   * values are kept in canonical form (`budget` without leading zeros) so that
   * they always agree with {@link budget} and {@link voteType}.
   */
  readonly meta: ReadonlyMap<string, string>;
  /** The money to spend, in the same unit as the costs. */
  readonly budget: bigint;
  readonly voteType: VoteType;
  /** The PROJECTS header, in file order, `project_id` and `cost` included. */
  readonly projectColumns: readonly string[];
  readonly projects: readonly PabulibProject[];
  /** The VOTES header, in file order, `voter_id`, `vote` and `points` included. */
  readonly voteColumns: readonly string[];
  readonly ballots: readonly PabulibBallot[];
}
