import { type Budget, BudgetPhase, type Pot, potsOf } from '../../domain/budgets/budget';
import { type Ballot, castBallot } from '../../domain/budgets/commands/cast-ballot';
import { changeBudgetPhase, duePhaseChange } from '../../domain/budgets/commands/change-phase';
import { type CreateBudgetInput, createBudget } from '../../domain/budgets/commands/create-budget';
import { importBudget } from '../../domain/budgets/commands/import-budget';
import {
  type PotResult,
  type PublishedResults,
  publishResults,
} from '../../domain/budgets/commands/publish-results';
import {
  failResults,
  finishResults,
  type RequestedResults,
  requestResults,
} from '../../domain/budgets/commands/results-job';
import { type ReviewProjectInput, reviewProject } from '../../domain/budgets/commands/review-project';
import { type SubmitProjectInput, submitProject } from '../../domain/budgets/commands/submit-project';
import { type TrackProjectInput, trackProject } from '../../domain/budgets/commands/track-project';
import { PabulibError } from '../../domain/budgets/pabulib/errors';
import { parsePabulib } from '../../domain/budgets/pabulib/parse';
import type { PotTally } from '../../domain/budgets/pabulib-of-budget';
import {
  budgetNotFound,
  mayManageBudget,
  projectLimitReached,
  projectNotFound,
  wrongPhase,
} from '../../domain/budgets/permissions';
import type { BudgetStore } from '../../domain/budgets/ports';
import type { Project } from '../../domain/budgets/project';
import type { ResultsFailure } from '../../domain/budgets/results-failure';
import type { Community } from '../../domain/communities/community';
import { forbidden } from '../../domain/communities/permissions';
import type { Clock } from '../../domain/shared/clock';
import type { CommandContext } from '../../domain/shared/command';
import { text } from '../../domain/shared/localized';
import { fail, type Outcome, ok, reject } from '../../domain/shared/outcome';
import { found, type RetryPolicy, runChange } from '../shared/use-case';

/** Names what changed under a caller in `version_conflict`: a budget or one of its projects. */
export const BUDGET = text('Бюджет чи проєкт', 'The budget or project');

/** Which budget a use case acts on: by community and id (a results request is one too). */
export interface BudgetAddress {
  readonly communityId: string;
  readonly budgetId: string;
}

/** One results job of a budget (the detail of `budget.results-requested.v1` is one). */
export interface JobAddress extends BudgetAddress {
  readonly jobId: string;
}

/** A budget with the projects on its ballot, as the ballot box holds it. */
export interface BallotBox {
  readonly budget: Budget;
  readonly projects: ReadonlyMap<string, Project>;
}

/** What a voter holds after voting: their ballots and the pots they may vote in. */
export interface VoterBallots {
  readonly ballots: readonly Ballot[];
  readonly pots: readonly Pot[];
}

/**
 * The use cases of the budgets tool: each loads through the {@link BudgetStore}
 * port, runs a pure command of `domain/budgets`, and saves what the command
 * decided (state, events, audit intent) through the port, via the use-case
 * runner where a change can lose a race. No HTTP here: the routes declare how
 * they are called and how their values are shown. The same functions run on
 * DynamoDB (routes, jobs) and on the in-memory fake of `tests/support/fakes`
 * (unit tests, with a `policy` that does not sleep between tries).
 * @example const outcome = await budgetUseCases(store).moveBudgetPhase(command, at, 'review');
 */
export function budgetUseCases(store: BudgetStore, policy?: RetryPolicy) {
  const options = { what: BUDGET, ...(policy ? { policy } : {}) };

  /** The budget, or `budget_not_found`. */
  const loadBudget = async (at: BudgetAddress): Promise<Outcome<Budget>> =>
    found(await store.getBudget(at.communityId, at.budgetId), () => budgetNotFound(at.budgetId));

  /** A project with its budget, or `budget_not_found` / `project_not_found`. */
  const loadProject = async (
    at: BudgetAddress,
    projectId: string,
  ): Promise<Outcome<{ readonly budget: Budget; readonly project: Project }>> => {
    const budget = await loadBudget(at);
    if (!budget.ok) return budget;
    const project = await store.getProject(at.communityId, at.budgetId, projectId);
    return project ? ok({ budget: budget.value, project }) : reject(projectNotFound(projectId));
  };

  /** Runs a council command on a project of the budget; the write holds only while the phase does. */
  const changeProject = (
    at: BudgetAddress,
    projectId: string,
    decide: (budget: Budget, project: Project) => Outcome<Project>,
  ): Promise<Outcome<Project>> =>
    runChange(
      {
        load: () => loadProject(at, projectId),
        decide: ({ budget, project }) => decide(budget, project),
        save: ({ budget, project }, done) =>
          store.saveProject(project, done.value, done.events, done.audit, budget),
      },
      options,
    );

  return {
    loadBudget,
    loadProject,

    // ---- Budgets and their phases ----

    /** The council opens a budget: written once, with its event and audit intent. */
    async openBudget(
      command: CommandContext,
      community: Community,
      input: CreateBudgetInput,
    ): Promise<Outcome<Budget>> {
      const outcome = createBudget(command, community, input);
      if (outcome.ok) await store.createBudget(outcome.value, outcome.events, outcome.audit);
      return outcome;
    },

    /**
     * The council imports a finished election from a pabulib file's text: the
     * caller's right is checked before the file is read, a file that does not
     * parse is `invalid_pabulib` with its line.
     */
    async importBudgetFile(
      command: CommandContext,
      community: Community,
      file: string,
      importOptions: Parameters<typeof importBudget>[3],
    ): Promise<Outcome<Budget>> {
      if (!mayManageBudget(command.actor)) return reject(forbidden('council'));
      let instance: ReturnType<typeof parsePabulib>;
      try {
        instance = parsePabulib(file);
      } catch (error) {
        if (!(error instanceof PabulibError)) throw error;
        return fail(
          'invalid_pabulib',
          text(`Рядок ${error.line}: ${error.text.uk}`, `Line ${error.line}: ${error.text.en}`),
          { line: error.line, problem: error.code },
        );
      }
      const outcome = importBudget(command, community, instance, importOptions);
      if (!outcome.ok) return outcome;
      const { budget, projects, ballots } = outcome.value;
      await store.importBudget(budget, projects, ballots, outcome.events, outcome.audit);
      return { ...outcome, value: budget };
    },

    /** The council moves a budget to its next phase. */
    moveBudgetPhase(
      command: CommandContext,
      at: BudgetAddress,
      phase: BudgetPhase,
    ): Promise<Outcome<Budget>> {
      return runChange(
        {
          load: () => loadBudget(at),
          decide: (budget) => changeBudgetPhase(command, budget, phase),
          save: (budget, done) => store.saveBudget(budget, done.value, done.events, done.audit),
        },
        options,
      );
    },

    /**
     * The schedule moves a budget whose date has come; `undefined` when nothing
     * is due (the council moved it already, say).
     */
    moveBudgetOnSchedule(context: CommandContext, at: BudgetAddress): Promise<Outcome<Budget | undefined>> {
      return runChange<Budget, Budget | undefined>(
        {
          load: () => loadBudget(at),
          decide: (budget) => duePhaseChange(context, budget) ?? ok(undefined),
          save: async (budget, done) =>
            done.value ? store.saveBudget(budget, done.value, done.events, done.audit) : 'saved',
        },
        options,
      );
    },

    // ---- Projects ----

    /**
     * A resident proposes a project. A conflict means the phase moved on meanwhile
     * (read again, and the command says so), or another submission was written at
     * the same instant (try again); a budget that has taken its `maxProjects`
     * ends the change with `project_limit_reached`.
     */
    async proposeProject(
      command: CommandContext,
      at: BudgetAddress,
      community: Community,
      input: SubmitProjectInput,
    ): Promise<Outcome<Project>> {
      const limit: { reachedBy?: Budget } = {};
      const outcome = await runChange(
        {
          load: () => loadBudget(at),
          decide: (budget) => submitProject(command, community, budget, input),
          save: async (budget, done) => {
            const saved = await store.createProject(done.value, done.events, budget);
            if (saved !== 'full') return saved;
            // Nothing was written, and trying again cannot help: end the runner's loop, refuse below.
            limit.reachedBy = budget;
            return 'saved';
          },
        },
        options,
      );
      return limit.reachedBy ? reject(projectLimitReached(limit.reachedBy)) : outcome;
    },

    /** The council reviews a proposed project: feasible at its final cost, or unfeasible. */
    reviewBudgetProject(
      command: CommandContext,
      at: BudgetAddress,
      projectId: string,
      input: ReviewProjectInput,
    ): Promise<Outcome<Project>> {
      return changeProject(at, projectId, (budget, project) =>
        reviewProject(command, budget, project, input),
      );
    },

    /** The council records a selected project's implementation. */
    trackBudgetProject(
      command: CommandContext,
      at: BudgetAddress,
      projectId: string,
      input: TrackProjectInput,
    ): Promise<Outcome<Project>> {
      return changeProject(at, projectId, (budget, project) => trackProject(command, budget, project, input));
    },

    // ---- Ballots ----

    /** Reads a ballot box; the projects only while voting is open (a refusal needs none of them). */
    async ballotBoxOf(at: BudgetAddress): Promise<BallotBox | undefined> {
      const budget = await store.getBudget(at.communityId, at.budgetId);
      if (!budget) return undefined;
      const projects =
        budget.phase === BudgetPhase.voting ? await store.projects(at.communityId, budget.id) : [];
      return { budget, projects: new Map(projects.map((project) => [project.id, project])) };
    },

    /**
     * A resident votes, or changes their vote, in the budget of `box` (possibly
     * read a moment ago: see the ballot route). Each ballot is one conditional
     * write of its own, never a read-then-write, so there is no race to retry.
     */
    async vote(
      command: CommandContext,
      box: BallotBox | undefined,
      budgetId: string,
      choices: Parameters<typeof castBallot>[3],
    ): Promise<Outcome<VoterBallots>> {
      if (!box) return reject(budgetNotFound(budgetId));
      const { budget, projects } = box;
      // One reading of the clock: the schedule's close is checked against the ballot's own castAt.
      const now = command.clock.now();
      const endsAt = budget.schedule.votingEndsAt;
      if (endsAt !== undefined && now.toISOString() >= endsAt) {
        return reject(wrongPhase({ phase: BudgetPhase.tallying }, [BudgetPhase.voting]));
      }
      const outcome = castBallot({ ...command, clock: { now: () => now } }, budget, projects, choices);
      if (!outcome.ok) return outcome;
      await store.castBallots(outcome.value);
      return ok(
        { ballots: outcome.value, pots: potsOf(budget, command.actor.residency?.districtId) },
        outcome.events,
      );
    },

    // ---- Results ----

    /** The council asks for the results: the budget waits for a new job, whose event starts it. */
    async askForResults(command: CommandContext, at: BudgetAddress): Promise<Outcome<RequestedResults>> {
      // The right first: a caller who may not ask learns nothing about the budget, not even that it is there.
      if (!mayManageBudget(command.actor)) return reject(forbidden('council'));
      return runChange(
        {
          load: () => loadBudget(at),
          decide: (budget) => requestResults(command, budget),
          save: (budget, done) =>
            store.requestResults(budget, done.value.budget, done.value.job, done.events, done.audit),
        },
        options,
      );
    },

    /** The council publishes the computed results: the budget and every project on the ballot, decided. */
    publishBudgetResults(command: CommandContext, at: BudgetAddress): Promise<Outcome<PublishedResults>> {
      return runChange(
        {
          load: async () => {
            const budget = await loadBudget(at);
            if (!budget.ok) return budget;
            const [projects, results] = await Promise.all([
              store.projects(at.communityId, at.budgetId),
              store.results(at.communityId, at.budgetId),
            ]);
            return ok({ budget: budget.value, projects, results });
          },
          decide: ({ budget, projects, results }) => publishResults(command, budget, projects, results),
          save: ({ budget, projects }, done) =>
            store.publish(budget, done.value.budget, projects, done.value.projects, done.events, done.audit),
        },
        options,
      );
    },

    /**
     * The results job's results are in: stored with the budget `done`, while
     * the budget still waits for that job (`invalid_state` otherwise: a
     * superseded job's results are not stored).
     */
    finishResultsJob(
      clock: Clock,
      job: JobAddress,
      results: readonly (PotResult & { readonly tally?: PotTally })[],
    ): Promise<Outcome<Budget>> {
      return runChange(
        {
          load: () => loadBudget(job),
          decide: (budget) => finishResults(clock, budget, job.jobId),
          save: (budget, done) => store.storeResults(budget, done.value, job.jobId, results),
        },
        options,
      );
    },

    /**
     * The results job failed: the budget records why, while it still waits for
     * that job (a later request, or results stored meanwhile, win: `invalid_state`).
     */
    failResultsJob(job: JobAddress, failure: ResultsFailure): Promise<Outcome<Budget>> {
      return runChange(
        {
          load: () => loadBudget(job),
          decide: (budget) => failResults(budget, job.jobId, failure),
          save: (budget, done) => store.saveBudget(budget, done.value, done.events, done.audit),
        },
        options,
      );
    },
  };
}

/** The use cases of one store. */
export type BudgetUseCases = ReturnType<typeof budgetUseCases>;
