import type { Appeal } from '../../domain/appeals/appeal';
import { localDay } from '../../domain/appeals/calendar';
import { type AnswerAppealInput, answerAppeal } from '../../domain/appeals/commands/answer-appeal';
import { type AssignAppealInput, assignAppeal } from '../../domain/appeals/commands/assign-appeal';
import { type ExtendAppealInput, extendAppeal } from '../../domain/appeals/commands/extend-appeal';
import { type ForwardAppealInput, forwardAppeal } from '../../domain/appeals/commands/forward-appeal';
import { type RefuseAppealInput, refuseAppeal } from '../../domain/appeals/commands/refuse-appeal';
import { type StartAppealInput, startAppeal } from '../../domain/appeals/commands/start-appeal';
import { type SubmitAppealInput, submitAppeal } from '../../domain/appeals/commands/submit-appeal';
import { appealNotFound } from '../../domain/appeals/errors';
import { handles, isPublic, mayRead } from '../../domain/appeals/permissions';
import type { AppealStore, PageRequest, UnitQuery } from '../../domain/appeals/ports';
import type { AppealKind } from '../../domain/appeals/settings';
import type { Community } from '../../domain/communities/community';
import type { Page } from '../../domain/communities/ports';
import type { Actor } from '../../domain/identity/actor';
import type { CommandContext } from '../../domain/shared/command';
import { text } from '../../domain/shared/localized';
import type { Outcome } from '../../domain/shared/outcome';
import { found, type RetryPolicy, runChange } from '../shared/use-case';

/** Names the item in a `version_conflict` message. */
export const APPEAL = text('Звернення', 'The item');

/**
 * Registrations of one community race for the year's counter. Within a
 * process they take turns (see {@link inLane}); processes (Lambda containers,
 * each one request at a time) race, and a lost race is read and decided
 * again after a jittered pause growing to 200 ms. Measured on DynamoDB Local
 * (tests/integration/appeals): 100 submissions from 4 processes at once all
 * registered; racing all 100 against each other instead took 49 s.
 */
export const REGISTRATION_POLICY: RetryPolicy = { attempts: 30, ceilingMs: 200 };

/** The registration running or waiting last in each lane (`<place>|<community>`). */
const lanes = new Map<string, Promise<unknown>>();

/**
 * Runs `task` after every task queued before it under `key`, in this process:
 * one process's registrations never race each other for the counter, so the
 * only races left are between processes.
 */
function inLane<T>(key: string, task: () => Promise<T>): Promise<T> {
  const run = (lanes.get(key) ?? Promise.resolve()).then(task, task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  lanes.set(key, tail);
  void tail.then(() => {
    if (lanes.get(key) === tail) lanes.delete(key);
  });
  return run;
}

/** What a staff action decides on a loaded item. */
type StaffDecision = (appeal: Appeal) => Outcome<Appeal>;

/**
 * The reception's use cases: each loads through the port, runs one pure
 * command and saves its outcome (item, events, audit intent) in one
 * conditional write, through the runner. `policy` replaces the runner's
 * (tests pass one that does not sleep); `registration` the submissions'.
 * `place` names where `store` writes (the table): registrations take turns per place and community.
 */
export function appealUseCases(
  store: AppealStore,
  policy?: RetryPolicy,
  registration: RetryPolicy = REGISTRATION_POLICY,
  place = 'in-memory',
) {
  const options = { what: APPEAL, ...(policy ? { policy } : {}) };

  /** The item, if `actor` may know it exists: its author and those who handle its unit. */
  const visible = async (actor: Actor | undefined, community: Community, appealId: string) => {
    const appeal = await store.get(community.id, appealId);
    return found(appeal && mayRead(actor, community.settings.appeals, appeal) ? appeal : undefined, () =>
      appealNotFound(appealId),
    );
  };

  /** A staff action on one item: loaded if the caller may see it, decided, saved with its audit intent. */
  const staffChange = (
    command: CommandContext,
    community: Community,
    appealId: string,
    decide: StaffDecision,
  ): Promise<Outcome<Appeal>> =>
    runChange(
      {
        load: () => visible(command.actor, community, appealId),
        decide,
        save: (appeal, done) => store.save(appeal, done.value, done.events, done.audit),
      },
      options,
    );

  const settingsOf = (community: Community) => community.settings.appeals;

  return {
    visible,

    /**
     * A resident submits; the item is registered with the year's next number
     * and routed by its category. The counter and the item are one write,
     * conditioned on the counter as read: a lost race reads and decides again.
     */
    submit(
      command: CommandContext,
      community: Community,
      input: SubmitAppealInput,
    ): Promise<Outcome<Appeal>> {
      return inLane(`${place}|${community.id}`, () =>
        runChange(
          {
            load: async () => {
              const year = localDay(command.clock.now()).slice(0, 4);
              return { ok: true as const, value: await store.lastNumber(community.id, year), events: [] };
            },
            decide: (last) => submitAppeal(command, community, input, last),
            save: (last, done) => store.register(done.value, last, done.events),
          },
          { what: APPEAL, policy: registration },
        ),
      );
    },

    assign: (command: CommandContext, community: Community, appealId: string, input: AssignAppealInput) =>
      staffChange(command, community, appealId, (appeal) =>
        assignAppeal(command, settingsOf(community), appeal, input),
      ),

    start: (command: CommandContext, community: Community, appealId: string, input: StartAppealInput) =>
      staffChange(command, community, appealId, (appeal) =>
        startAppeal(command, settingsOf(community), appeal, input),
      ),

    extend: (command: CommandContext, community: Community, appealId: string, input: ExtendAppealInput) =>
      staffChange(command, community, appealId, (appeal) =>
        extendAppeal(command, settingsOf(community), appeal, input),
      ),

    answer: (command: CommandContext, community: Community, appealId: string, input: AnswerAppealInput) =>
      staffChange(command, community, appealId, (appeal) =>
        answerAppeal(command, settingsOf(community), appeal, input),
      ),

    forward: (command: CommandContext, community: Community, appealId: string, input: ForwardAppealInput) =>
      staffChange(command, community, appealId, (appeal) =>
        forwardAppeal(command, settingsOf(community), appeal, input),
      ),

    /** A refusal; a `repeated` one loads the appeal it links, which the command checks. */
    async refuse(
      command: CommandContext,
      community: Community,
      appealId: string,
      input: RefuseAppealInput,
    ): Promise<Outcome<Appeal>> {
      const previous = input.previousAppealId
        ? await store.get(community.id, input.previousAppealId)
        : undefined;
      return staffChange(command, community, appealId, (appeal) =>
        refuseAppeal(command, settingsOf(community), appeal, input, previous),
      );
    },

    /** The caller's own items, newest first. */
    mine: (actor: Actor, community: Community, page: PageRequest): Promise<Page<Appeal>> =>
      store.byAuthor(community.id, actor.signerKey, page),

    /**
     * The units whose lists `actor` may read: `unitId` alone if they handle it
     * (else none), or every unit they handle.
     */
    unitsOf(actor: Actor | undefined, community: Community, unitId?: string): string[] {
      const settings = settingsOf(community);
      const wanted = unitId ? [unitId] : settings.units.map((unit) => unit.id);
      return wanted.filter((id) => handles(actor, settings, id));
    },

    /** A public item (an answered information request), or the 404 of one that is not. */
    async publicOne(community: Community, appealId: string): Promise<Outcome<Appeal>> {
      const appeal = await store.get(community.id, appealId);
      return found(appeal && isPublic(appeal) ? appeal : undefined, () => appealNotFound(appealId));
    },

    /** One unit's list; the caller checked that the actor handles it ({@link unitsOf}). */
    listUnit: (query: UnitQuery): Promise<Page<Appeal>> => store.byUnit(query),

    published: (community: Community, kind: AppealKind, page: PageRequest): Promise<Page<Appeal>> =>
      store.published(community.id, kind, page),
  };
}

/** The use cases of one store. */
export type AppealUseCases = ReturnType<typeof appealUseCases>;
