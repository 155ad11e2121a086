import type { AuditIntent } from '../../../domain/audit/intent';
import { type Budget, maxProjectsOf, scheduledChangeAt } from '../../../domain/budgets/budget';
import type { Ballot } from '../../../domain/budgets/commands/cast-ballot';
import type { PotResult } from '../../../domain/budgets/commands/publish-results';
import type { WatchedJob } from '../../../domain/budgets/commands/results-job';
import type { PotTally } from '../../../domain/budgets/pabulib-of-budget';
import type { BudgetStore, ResultsJob } from '../../../domain/budgets/ports';
import type { Project } from '../../../domain/budgets/project';
import type { EventEnvelope } from '../../../events/envelope';
import { overdueAt } from '../../../functions/budgets/results-deadline';

/**
 * An in-memory {@link BudgetStore} with the conditions of the DynamoDB one
 * (a write holds only over the version it read, a project write only while
 * the budget is in the phase it was read in, a submission only below the
 * budget's cap), so that use cases run through the runner on it as on the
 * table. What the writes committed is kept to be looked at: `events` (the
 * outbox), `audits`, the `jobs` (with each run's claim and the lost-job
 * sweep's watch, in `runs` and `watch`). `conflictNext(n)` makes the next `n`
 * conditional writes answer `conflict` without writing, as if another change
 * had come first each time.
 */
export interface FakeBudgetStore extends BudgetStore {
  readonly events: EventEnvelope[];
  readonly audits: AuditIntent[];
  readonly jobs: ResultsJob[];
  /** Each job's claim by a run, by job id. */
  readonly runs: Map<string, { readonly startedAt: string; readonly deadline: string }>;
  /** When the lost-job sweep looks at a job next, by job id; absent once off the watch. */
  readonly watch: Map<string, string>;
  /** How many conditional writes were tried, lost races included. */
  readonly attempts: () => number;
  /** The next `count` conditional writes answer `conflict` and write nothing. */
  conflictNext(count?: number): void;
}

const budgetKey = (communityId: string, budgetId: string) => `${communityId}|${budgetId}`;
const projectKey = (project: Pick<Project, 'communityId' | 'budgetId' | 'id'>) =>
  `${project.communityId}|${project.budgetId}|${project.id}`;
const ballotKey = (ballot: Ballot) =>
  `${ballot.communityId}|${ballot.budgetId}|${ballot.voterKey}|${ballot.potId}`;

/** A page of `items` from the offset a cursor names (the fake's cursors are offsets). */
function pageOf<T>(items: readonly T[], page: { limit: number; cursor?: string }) {
  const start = page.cursor ? Number(page.cursor) : 0;
  const end = start + page.limit;
  return { items: items.slice(start, end), ...(end < items.length ? { cursor: String(end) } : {}) };
}

/** A fresh, empty in-memory budgets store. */
export function fakeBudgetStore(): FakeBudgetStore {
  const budgets = new Map<string, Budget>();
  const projects = new Map<string, Project>();
  const submitted = new Map<string, number>();
  const ballots = new Map<string, Ballot>();
  const results = new Map<string, (PotResult & { readonly tally?: PotTally })[]>();
  const events: EventEnvelope[] = [];
  const audits: AuditIntent[] = [];
  const jobs: ResultsJob[] = [];
  const runs = new Map<string, { readonly startedAt: string; readonly deadline: string }>();
  const watch = new Map<string, string>();
  let conflicts = 0;
  let attempts = 0;

  /** Whether a conditional write may go ahead: not when a conflict was asked for, nor when `holds` fails. */
  const mayWrite = (holds: boolean): boolean => {
    attempts += 1;
    if (conflicts > 0) {
      conflicts -= 1;
      return false;
    }
    return holds;
  };
  const commit = (written: readonly EventEnvelope[], audit?: AuditIntent) => {
    events.push(...written);
    if (audit) audits.push(audit);
  };
  const current = (budget: Budget) => budgets.get(budgetKey(budget.communityId, budget.id));
  const sameVersion = (budget: Budget) => current(budget)?.version === budget.version;
  const samePhase = (budget: Budget) => current(budget)?.phase === budget.phase;
  const put = (budget: Budget) => budgets.set(budgetKey(budget.communityId, budget.id), budget);
  const ofBudget = (communityId: string, budgetId: string) =>
    [...projects.values()]
      .filter((project) => project.communityId === communityId && project.budgetId === budgetId)
      .sort((a, b) => a.id.localeCompare(b.id));
  const ballotsOfBudget = (communityId: string, budgetId: string) =>
    [...ballots.values()]
      .filter((ballot) => ballot.communityId === communityId && ballot.budgetId === budgetId)
      .sort((a, b) => `${a.voterKey}#${a.potId}`.localeCompare(`${b.voterKey}#${b.potId}`));

  return {
    events,
    audits,
    jobs,
    runs,
    watch,
    attempts: () => attempts,
    conflictNext(count = 1) {
      conflicts = count;
    },

    async getBudget(communityId, budgetId) {
      return budgets.get(budgetKey(communityId, budgetId));
    },
    async listBudgets(communityId, limit, cursor) {
      const newest = [...budgets.values()]
        .filter((budget) => budget.communityId === communityId)
        .sort((a, b) => `${b.createdAt}#${b.id}`.localeCompare(`${a.createdAt}#${a.id}`));
      return pageOf(newest, { limit, ...(cursor ? { cursor } : {}) });
    },
    async createBudget(budget, written, audit) {
      if (current(budget)) throw new Error(`budget ${budget.id} exists`);
      put(budget);
      commit(written, audit);
    },
    async saveBudget(previous, next, written, audit) {
      if (!mayWrite(sameVersion(previous))) return 'conflict';
      put(next);
      commit(written, audit);
      return 'saved';
    },

    async getProject(communityId, budgetId, projectId) {
      return projects.get(projectKey({ communityId, budgetId, id: projectId }));
    },
    async projects(communityId, budgetId) {
      return ofBudget(communityId, budgetId);
    },
    async projectPage(communityId, budgetId, filter, page) {
      const matching = ofBudget(communityId, budgetId).filter(
        (project) =>
          filter.states.includes(project.state) &&
          (filter.potId === undefined || project.potId === filter.potId),
      );
      return pageOf(matching, page);
    },
    async projectsByAuthor(communityId, budgetId, authorKey, page) {
      return pageOf(
        ofBudget(communityId, budgetId).filter((project) => project.authorKey === authorKey),
        page,
      );
    },
    async createProject(project, written, whilePhase) {
      const key = budgetKey(project.communityId, project.budgetId);
      const count = submitted.get(key) ?? 0;
      if (!mayWrite(samePhase(whilePhase))) return 'conflict';
      if (count >= maxProjectsOf(whilePhase)) return 'full';
      projects.set(projectKey(project), project);
      submitted.set(key, count + 1);
      commit(written);
      return 'saved';
    },
    async saveProject(previous, next, written, audit, whilePhase) {
      const holds =
        projects.get(projectKey(previous))?.version === previous.version &&
        (!whilePhase || samePhase(whilePhase));
      if (!mayWrite(holds)) return 'conflict';
      projects.set(projectKey(next), next);
      commit(written, audit);
      return 'saved';
    },

    async castBallots(cast) {
      for (const ballot of cast) {
        const stored = ballots.get(ballotKey(ballot));
        // A newer ballot of the same voter stands, as the table's condition keeps it.
        if (!stored || stored.castAt <= ballot.castAt) ballots.set(ballotKey(ballot), ballot);
      }
    },
    async ballotsOf(communityId, budgetId, voterKey) {
      return ballotsOfBudget(communityId, budgetId).filter((ballot) => ballot.voterKey === voterKey);
    },
    async allBallots(communityId, budgetId) {
      return ballotsOfBudget(communityId, budgetId);
    },
    async ballotPage(communityId, budgetId, page) {
      const order = (ballot: Ballot) => `${ballot.voterKey}#${ballot.potId}`;
      const after = ballotsOfBudget(communityId, budgetId).filter(
        (ballot) => page.after === undefined || order(ballot) > page.after,
      );
      const read = after.slice(0, page.rows);
      const taken: Ballot[] = [];
      let bytes = 0;
      let last: string | undefined;
      for (const ballot of read) {
        if (!page.keep(ballot)) {
          last = order(ballot);
          continue;
        }
        const size = page.sizeOf(ballot);
        if (taken.length > 0 && bytes + size > page.bytes) break;
        taken.push(ballot);
        bytes += size;
        last = order(ballot);
      }
      const more = last !== undefined && after.some((ballot) => order(ballot) > (last as string));
      return { ballots: taken, ...(more ? { after: last } : {}) };
    },

    async results(communityId, budgetId) {
      return (results.get(budgetKey(communityId, budgetId)) ?? []).map(
        ({ tally: _tally, ...result }) => result,
      );
    },
    async tallies(communityId, budgetId) {
      const tallies = new Map<string, PotTally>();
      for (const result of results.get(budgetKey(communityId, budgetId)) ?? []) {
        if (result.tally) tallies.set(result.potId, result.tally);
      }
      return tallies;
    },
    async requestResults(previous, next, job, written, audit) {
      if (!mayWrite(sameVersion(previous))) return 'conflict';
      put(next);
      jobs.push(job);
      watch.set(job.jobId, new Date(overdueAt(job.requestedAt)).toISOString());
      commit(written, audit);
      return 'saved';
    },
    async storeResults(previous, done, jobId, stored) {
      if (!mayWrite(sameVersion(previous) && current(previous)?.results?.jobId === jobId)) return 'conflict';
      put(done);
      results.set(budgetKey(done.communityId, done.id), [...stored]);
      return 'saved';
    },
    async publish(previous, next, previousProjects, nextProjects, written, audit) {
      const holds =
        sameVersion(previous) &&
        previousProjects.every((project) => projects.get(projectKey(project))?.version === project.version);
      if (!mayWrite(holds)) return 'conflict';
      put(next);
      for (const project of nextProjects) projects.set(projectKey(project), project);
      commit(written, audit);
      return 'saved';
    },
    async importBudget(budget, imported, importedBallots, written, audit) {
      for (const project of imported) projects.set(projectKey(project), project);
      for (const ballot of importedBallots) ballots.set(ballotKey(ballot), ballot);
      put(budget);
      commit(written, audit);
    },
    async claimResultsJob(job, run) {
      const known = jobs.some(
        (each) =>
          each.jobId === run.jobId && each.communityId === job.communityId && each.budgetId === job.budgetId,
      );
      const claimed = runs.get(run.jobId);
      if (known && !claimed) {
        runs.set(run.jobId, { startedAt: run.startedAt, deadline: run.deadline });
        return { claimed: true };
      }
      return claimed ? { claimed: false, deadline: claimed.deadline } : { claimed: false };
    },
    async watchedResultsJobs(now, limit) {
      return jobs
        .filter((job) => (watch.get(job.jobId) ?? '\uffff') <= now)
        .sort((a, b) => (watch.get(a.jobId) ?? '').localeCompare(watch.get(b.jobId) ?? ''))
        .slice(0, limit)
        .map((job): WatchedJob => {
          const run = runs.get(job.jobId);
          return {
            communityId: job.communityId,
            budgetId: job.budgetId,
            jobId: job.jobId,
            requestedAt: job.requestedAt,
            ...(run ? { deadline: run.deadline } : {}),
          };
        });
    },
    async watchResultsJobUntil(job, until) {
      watch.set(job.jobId, until);
    },
    async unwatchResultsJob(job) {
      watch.delete(job.jobId);
    },
    async dueForPhaseChange(now, limit) {
      return [...budgets.values()]
        .filter((budget) => (scheduledChangeAt(budget) ?? '\uffff') <= now)
        .slice(0, limit)
        .map((budget) => ({ communityId: budget.communityId, budgetId: budget.id }));
    },
  };
}
