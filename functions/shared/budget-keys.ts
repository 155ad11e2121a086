import { communityPartition, type ItemKey, type KeyPrefix, part } from './key-parts';

const budgetPartition = (communityId: string, budgetId: string): string =>
  `${communityPartition(communityId)}#BUD#${budgetId}`;

/** The platform-wide GSI2 partitions of budgets due a phase change and of results jobs still watched. */
const BUDGETS_DUE = 'BUDGETS#DUE';
const RESULTS_JOBS_WATCHED = 'BUDGETS#RESULTS-JOBS';

/** Sort-key prefixes of a budget's projects and of its pots' results, in the budget's partition. */
const PROJECT_PREFIX = 'PROJECT#';
const RESULT_PREFIX = 'RESULT#';

/** How many GSI1 partitions a budget's ballots are spread over (voter keys are uniform hex). */
export const BALLOT_BUCKETS = 16;

const ballotBucket = (communityId: string, budgetId: string, bucket: number): string =>
  `${budgetPartition(communityId, budgetId)}#BALLOTS#${bucket}`;
const projectAuthorPartition = (communityId: string, budgetId: string, authorKey: string): string =>
  `${budgetPartition(communityId, budgetId)}#PROJECTS#AUTHOR#${authorKey}`;

/** Digits of an archived ballot's rank: room for 10¹⁰ ballots. */
const RANK_DIGITS = 10;
const archivedRank = (rank: number): string => String(rank).padStart(RANK_DIGITS, '0');
/**
 * What stands for the voter of an archived ballot: its rank, after a `!` that
 * sorts before every voter key (hex), so archived ballots keep their order.
 */
export const archivedVoter = (rank: number): string => `!${archivedRank(rank)}`;

/** Keys of participatory budgets, their projects, ballots, results and results jobs; part of {@link keys}. */
export const budgetKeys = {
  /**
   * A participatory budget, with its projects, results and results jobs in its
   * partition (one query reads them all); budgets listed on GSI1, newest first.
   */
  budget: (communityId: string, budgetId: string): ItemKey => ({
    PK: budgetPartition(communityId, budgetId),
    SK: 'BUDGET',
  }),
  /** The community's budgets on GSI1, newest first; without `budget`, the partition a listing queries. */
  budgetListing: (communityId: string, budget?: { readonly createdAt: string; readonly id: string }) => ({
    GSI1PK: `${communityPartition(communityId)}#BUDGETS`,
    ...(budget ? { GSI1SK: `${budget.createdAt}#${budget.id}` } : {}),
  }),
  budgetProject: (communityId: string, budgetId: string, projectId: string): ItemKey => ({
    PK: budgetPartition(communityId, budgetId),
    SK: `${PROJECT_PREFIX}${projectId}`,
  }),
  /** Every project of a budget (its partition also holds the budget, its results and jobs). */
  budgetProjects: (communityId: string, budgetId: string): KeyPrefix => ({
    PK: budgetPartition(communityId, budgetId),
    SKPrefix: PROJECT_PREFIX,
  }),
  /** An author's projects of one budget on GSI3, in the order of their ids: `GET …/projects/mine` reads only these. */
  budgetProjectAuthorIndex: (
    communityId: string,
    budgetId: string,
    authorKey: string,
    projectId: string,
  ) => ({
    GSI3PK: projectAuthorPartition(communityId, budgetId, authorKey),
    GSI3SK: `PROJECT#${projectId}`,
  }),
  /** The partition of one author's projects of a budget, as a query reads it. */
  budgetProjectsOfAuthor: (communityId: string, budgetId: string, authorKey: string) => ({
    GSI3PK: projectAuthorPartition(communityId, budgetId, authorKey),
  }),
  /** How many projects were ever submitted to a budget: the cap on submissions is a condition on it. */
  budgetProjectCount: (communityId: string, budgetId: string): ItemKey => ({
    PK: budgetPartition(communityId, budgetId),
    SK: 'PROJECTS#COUNT',
  }),
  budgetResult: (communityId: string, budgetId: string, potId: string): ItemKey => ({
    PK: budgetPartition(communityId, budgetId),
    SK: `${RESULT_PREFIX}${part(potId)}`,
  }),
  /** Every pot's result of a budget. */
  budgetResults: (communityId: string, budgetId: string): KeyPrefix => ({
    PK: budgetPartition(communityId, budgetId),
    SKPrefix: RESULT_PREFIX,
  }),
  budgetResultsJob: (communityId: string, budgetId: string, jobId: string): ItemKey => ({
    PK: budgetPartition(communityId, budgetId),
    SK: `JOB#${jobId}`,
  }),
  /**
   * Every results job not yet seen to its end: one platform-wide GSI2 key lists
   * them by when they are overdue, so the phase job finds a lost job (still
   * `running` long past its time) with one query, and takes finished ones off.
   */
  budgetResultsWatched: { GSI2PK: RESULTS_JOBS_WATCHED },
  budgetResultsWatchedOrder: (overdueAt: string, communityId: string, budgetId: string, jobId: string) => ({
    GSI2PK: RESULTS_JOBS_WATCHED,
    GSI2SK: `${overdueAt}#${communityId}#${budgetId}#${jobId}`,
  }),
  /**
   * While a budget has a scheduled phase change ahead, one platform-wide GSI2
   * key lists it by due time, so the phase job finds every due budget with one query.
   */
  budgetDue: { GSI2PK: BUDGETS_DUE },
  budgetDueOrder: (dueAt: string, communityId: string, budgetId: string) => ({
    GSI2PK: BUDGETS_DUE,
    GSI2SK: `${dueAt}#${communityId}#${budgetId}`,
  }),
  /**
   * One ballot per voter and pot, in the voter's own partition (like a
   * signature): a busy vote spreads over the whole table. GSI1 gathers a
   * budget's ballots again for the results, over {@link BALLOT_BUCKETS} buckets.
   */
  budgetBallot: (communityId: string, budgetId: string, voterKey: string, potId: string): ItemKey => ({
    PK: `${budgetPartition(communityId, budgetId)}#V#${voterKey}`,
    SK: `POT#${part(potId)}`,
  }),
  budgetBallotIndex: (communityId: string, budgetId: string, voterKey: string, potId: string) => ({
    GSI1PK: ballotBucket(communityId, budgetId, Number.parseInt(voterKey.slice(0, 2), 16) % BALLOT_BUCKETS),
    GSI1SK: `${voterKey}#${part(potId)}`,
  }),
  /**
   * A ballot kept without its voter once the budget's retention has passed:
   * in a partition named by its rank (its place in the order of the ballots it
   * replaced) and on the same GSI1 buckets, under a sort key that sorts before
   * every voter key (`!` before any hex digit) in that same order, so the
   * export writes the very file, and the sha256, it wrote before.
   */
  budgetArchivedBallot: (communityId: string, budgetId: string, rank: number): ItemKey => ({
    PK: `${budgetPartition(communityId, budgetId)}#AB#${archivedRank(rank)}`,
    SK: 'BALLOT',
  }),
  budgetArchivedBallotIndex: (communityId: string, budgetId: string, rank: number) => ({
    GSI1PK: ballotBucket(communityId, budgetId, rank % BALLOT_BUCKETS),
    GSI1SK: archivedVoter(rank),
  }),
  budgetBallotBucket: (communityId: string, budgetId: string, bucket: number) => ({
    GSI1PK: ballotBucket(communityId, budgetId, bucket),
  }),
} as const;
