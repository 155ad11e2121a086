import type { Community } from '../../domain/communities/community';
import type { Actor } from '../../domain/identity/actor';
import {
  addOfflineSignatures,
  type PaperBatchAdded,
  type PaperBatchInput,
} from '../../domain/petitions/commands/add-offline-signatures';
import { type AnswerPetitionInput, answerPetition } from '../../domain/petitions/commands/answer-petition';
import { type CreatePetitionInput, createPetition } from '../../domain/petitions/commands/create-petition';
import { signPetition } from '../../domain/petitions/commands/sign-petition';
import { submitPetition } from '../../domain/petitions/commands/submit-petition';
import { mayRead } from '../../domain/petitions/permissions';
import { type Petition, PUBLIC_STATES } from '../../domain/petitions/petition';
import type { PetitionStore } from '../../domain/petitions/ports';
import type { CommandContext } from '../../domain/shared/command';
import { text } from '../../domain/shared/localized';
import type { DomainError, Outcome } from '../../domain/shared/outcome';
import { found, type RetryPolicy, runChange } from '../shared/use-case';
import { type Sponsored, sponsorInGroup } from './sponsoring';

/** The 404 of a petition the caller may not know exists. */
export const petitionNotFound = (petitionId: string): DomainError => ({
  code: 'petition_not_found',
  message: text('Петицію не знайдено.', 'There is no such petition.'),
  details: { petitionId },
});

/** Names the petition in a `version_conflict` message. */
export const PETITION = text('Петицію', 'The petition');

/** Whether a signature was new or the person had signed before. */
export type Signed =
  | { readonly alreadySigned: false; readonly signedAt: string }
  | { readonly alreadySigned: true };

/**
 * The petitions tool's use cases: each loads through the port, runs one pure
 * command and saves its outcome (state, events, audit intent) in one
 * conditional write, through the runner. Routes declare; these decide what runs.
 * The same functions run on DynamoDB (routes, jobs) and on the in-memory fake
 * of `tests/support/fakes` (unit tests). `place` names where `store` writes
 * (the table): sponsors of one petition are grouped per place, whichever
 * store object carries them.
 */
export function petitionUseCases(store: PetitionStore, policy?: RetryPolicy, place = 'in-memory') {
  const options = { what: PETITION, ...(policy ? { policy } : {}) };

  /** The petition, if `actor` may know it exists (a draft is its author's and staff's only). */
  const visible = async (actor: Actor | undefined, communityId: string, petitionId: string) => {
    const petition = await store.get(communityId, petitionId);
    return found(petition && mayRead(actor, petition) ? petition : undefined, () =>
      petitionNotFound(petitionId),
    );
  };

  return {
    visible,

    /** A resident starts a draft. */
    async create(
      command: CommandContext,
      community: Community,
      input: CreatePetitionInput,
    ): Promise<Outcome<Petition>> {
      const outcome = createPetition(command, community, input);
      if (outcome.ok) await store.create(outcome.value, outcome.events);
      return outcome;
    },

    /** The author sends a draft on: to sponsors, to moderation, or open. */
    submit(command: CommandContext, community: Community, petitionId: string): Promise<Outcome<Petition>> {
      return runChange(
        {
          load: () => visible(command.actor, community.id, petitionId),
          decide: (petition) => submitPetition(command, community, petition),
          save: (petition, done) => store.save(petition, done.value, done.events),
        },
        options,
      );
    },

    /** The council's official answer, audited. */
    answer(
      command: CommandContext,
      communityId: string,
      petitionId: string,
      input: AnswerPetitionInput,
    ): Promise<Outcome<Petition>> {
      return runChange(
        {
          load: () => visible(command.actor, communityId, petitionId),
          decide: (petition) => answerPetition(command, petition, input),
          save: (petition, done) => store.save(petition, done.value, done.events, done.audit),
        },
        options,
      );
    },

    /**
     * The council adds a batch of verified paper signatures, audited; a
     * threshold crossed fires here. The batch is recorded under its id with
     * the count: a batch sent again (also one that lost the race to its twin
     * and is loaded again) is a replay, answered with the petition as it is
     * now and counted once.
     */
    addPaperSignatures(
      command: CommandContext,
      communityId: string,
      petitionId: string,
      batch: PaperBatchInput,
    ): Promise<Outcome<PaperBatchAdded>> {
      const load = async () => {
        const [petition, recorded] = await Promise.all([
          visible(command.actor, communityId, petitionId),
          store.paperBatch(communityId, petitionId, batch.id),
        ]);
        return petition.ok ? { ...petition, value: { petition: petition.value, recorded } } : petition;
      };
      return runChange(
        {
          load,
          decide: ({ petition, recorded }) => addOfflineSignatures(command, petition, batch, recorded),
          save: ({ petition }, done) =>
            done.value.replayed
              ? Promise.resolve('saved' as const)
              : store.saveCounts(
                  petition,
                  done.value.petition,
                  done.value.crossed,
                  done.events,
                  done.audit,
                  done.value.batch,
                ),
        },
        options,
      );
    },

    /**
     * An eligible resident sponsors a petition with the author's link; a repeat
     * is `alreadySponsored` and writes nothing. Sponsors of one petition are
     * written together (group commit, see `sponsoring.ts`), each as if alone.
     */
    sponsor(
      command: CommandContext,
      community: Community,
      petitionId: string,
      sponsorToken: string,
    ): Promise<Outcome<Sponsored>> {
      const group = { missing: () => petitionNotFound(petitionId), ...options };
      return sponsorInGroup(store, place, group, command, community, petitionId, sponsorToken);
    },

    /**
     * An eligible resident signs: one conditional write, no retry (a repeat is
     * `alreadySigned`). `petition` may be a cached read (the hot path); only a
     * published one can be signed.
     */
    async sign(
      command: CommandContext,
      community: Community,
      petitionId: string,
      petition: Petition | undefined,
    ): Promise<Outcome<Signed>> {
      if (!petition || !PUBLIC_STATES.has(petition.state))
        return { ok: false, error: petitionNotFound(petitionId) };
      const outcome = signPetition(command, community, petition);
      if (!outcome.ok) return outcome;
      const written = await store.sign(outcome.value);
      const value: Signed =
        written === 'signed'
          ? { alreadySigned: false, signedAt: outcome.value.signedAt }
          : { alreadySigned: true };
      return { ok: true, value, events: [] };
    },
  };
}

/** The use cases of one store. */
export type PetitionUseCases = ReturnType<typeof petitionUseCases>;
