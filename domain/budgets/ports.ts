import type { EventEnvelope } from '../../events/envelope';
import type { AuditIntent } from '../audit/intent';
import type { Page } from '../communities/ports';
import type { Budget } from './budget';
import type { Ballot } from './commands/cast-ballot';
import type { PotResult } from './commands/publish-results';
import type { ResultsRun, WatchedJob } from './commands/results-job';
import type { PotTally } from './pabulib-of-budget';
import type { Project, ProjectState } from './project';

/** A results job: asked for by the council, run once by the results function (fed by `budget.results-requested.v1`). */
export interface ResultsJob {
  readonly communityId: string;
  readonly budgetId: string;
  readonly jobId: string;
  readonly requestedAt: string;
  readonly requestedBy: string;
}

/**
 * Storage the budgets tool needs. Writes carry the command's events (the
 * outbox, same transaction), the audit intent of a council action, and a
 * version condition; `conflict` means another change came first.
 */
export interface BudgetStore {
  getBudget(communityId: string, budgetId: string): Promise<Budget | undefined>;
  listBudgets(communityId: string, limit: number, cursor?: string): Promise<Page<Budget>>;
  createBudget(budget: Budget, events: readonly EventEnvelope[], audit?: AuditIntent): Promise<void>;
  saveBudget(
    previous: Budget,
    next: Budget,
    events: readonly EventEnvelope[],
    audit?: AuditIntent,
  ): Promise<'saved' | 'conflict'>;
  getProject(communityId: string, budgetId: string, projectId: string): Promise<Project | undefined>;
  /**
   * Every project of a budget, for the jobs that need them all (ballot box,
   * results, publication, export): at most the budget's `maxProjects`
   * (500 by default, 2,000 at most; an import brings 2,000 at most).
   */
  projects(communityId: string, budgetId: string): Promise<Project[]>;
  /**
   * A page of a budget's projects in one of `states` (and of `potId`, if
   * given), in the order of their ids (the order they were created). However
   * few match, one page reads a bounded number of projects; it may then come
   * back short, with a cursor to go on.
   */
  projectPage(
    communityId: string,
    budgetId: string,
    filter: { readonly states: readonly ProjectState[]; readonly potId?: string },
    page: { limit: number; cursor?: string },
  ): Promise<Page<Project>>;
  /** A page of one author's projects in a budget, every state, in the order they were created. */
  projectsByAuthor(
    communityId: string,
    budgetId: string,
    authorKey: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<Project>>;
  /**
   * A new project; one sent to moderation enters the moderation queue in the
   * same transaction, and the budget's count of submissions goes up by one.
   * `conflict` when the budget has left the phase it was read in meanwhile
   * (`whilePhase`), or another submission was being written at that instant;
   * `full` when the budget has taken its `maxProjects` already.
   */
  createProject(
    project: Project,
    events: readonly EventEnvelope[],
    whilePhase: Budget,
  ): Promise<'saved' | 'conflict' | 'full'>;
  /** `whilePhase`: the write holds only while the budget is still in the phase it was read in. */
  saveProject(
    previous: Project,
    next: Project,
    events: readonly EventEnvelope[],
    audit?: AuditIntent,
    whilePhase?: Budget,
  ): Promise<'saved' | 'conflict'>;
  /** Each ballot is one conditional write: a newer ballot of the same voter is never overwritten by an older one. */
  castBallots(ballots: readonly Ballot[]): Promise<void>;
  ballotsOf(communityId: string, budgetId: string, voterKey: string): Promise<Ballot[]>;
  /** Every ballot of a budget, for the results job (never on a request: the export reads {@link ballotPage}). */
  allBallots(communityId: string, budgetId: string): Promise<Ballot[]>;
  /**
   * A page of a budget's ballots, every pot, in voter-key order (then pot),
   * after the position `after` a previous page ended at: at most `rows`
   * ballots read, and the ballots `keep` accepts until their `sizeOf` would
   * pass `bytes` (at least one). `after` in the answer is where the next
   * page starts; absent when no ballot is left.
   */
  ballotPage(
    communityId: string,
    budgetId: string,
    page: {
      readonly after?: string;
      readonly rows: number;
      readonly bytes: number;
      readonly keep: (ballot: Ballot) => boolean;
      readonly sizeOf: (ballot: Ballot) => number;
    },
  ): Promise<{ readonly ballots: Ballot[]; readonly after?: string }>;
  results(communityId: string, budgetId: string): Promise<PotResult[]>;
  /**
   * Each pot's tally, kept with its result by the results job (the counts a
   * pabulib file's head shows); a pot whose result was stored without one is absent.
   */
  tallies(communityId: string, budgetId: string): Promise<ReadonlyMap<string, PotTally>>;
  /**
   * The budget marked `running`, the job item (where the job records its start
   * and deadline) and the event that starts the computation, in one transaction.
   */
  requestResults(
    previous: Budget,
    next: Budget,
    job: ResultsJob,
    events: readonly EventEnvelope[],
    audit: AuditIntent,
  ): Promise<'saved' | 'conflict'>;
  /**
   * The results of a job with the budget `done` (see `finishResults`), stored
   * only if the budget is still the version it was read at and still waits for
   * that job; `conflict` otherwise.
   */
  storeResults(
    previous: Budget,
    done: Budget,
    jobId: string,
    results: readonly (PotResult & { readonly tally?: PotTally })[],
  ): Promise<'saved' | 'conflict'>;
  /** The budget published and its projects selected or not, with the events, in one transaction per 100 items. */
  publish(
    previous: Budget,
    next: Budget,
    previousProjects: readonly Project[],
    nextProjects: readonly Project[],
    events: readonly EventEnvelope[],
    audit: AuditIntent,
  ): Promise<'saved' | 'conflict'>;
  /** A finished budget from a pabulib file: the budget, its projects and its ballots. */
  importBudget(
    budget: Budget,
    projects: readonly Project[],
    ballots: readonly Ballot[],
    events: readonly EventEnvelope[],
    audit: AuditIntent,
  ): Promise<void>;
  /**
   * Records on the job that a run started and until when it may run: only the
   * first delivery's claim is written; a later one learns the deadline
   * recorded instead (none when there is no job item).
   */
  claimResultsJob(
    job: Pick<ResultsJob, 'communityId' | 'budgetId'>,
    run: ResultsRun,
  ): Promise<{ readonly claimed: true } | { readonly claimed: false; readonly deadline?: string }>;
  /** The jobs the lost-job sweep watches whose watch ends by `now`, the earliest first, at most `limit`. */
  watchedResultsJobs(now: string, limit: number): Promise<WatchedJob[]>;
  /** Watches a job again, `until` then. */
  watchResultsJobUntil(job: WatchedJob, until: string): Promise<void>;
  /** Takes a job off the watch. */
  unwatchResultsJob(job: WatchedJob): Promise<void>;
  /** Budgets whose schedule makes a phase change due by `now`. */
  dueForPhaseChange(now: string, limit: number): Promise<{ communityId: string; budgetId: string }[]>;
}
