import type { Community } from '../../domain/communities/community';
import { sponsorPetition } from '../../domain/petitions/commands/sponsor-petition';
import { type Petition, PetitionState, PUBLIC_STATES } from '../../domain/petitions/petition';
import type { PetitionStore } from '../../domain/petitions/ports';
import type { CommandContext } from '../../domain/shared/command';
import type { Localized } from '../../domain/shared/localized';
import { type DomainError, type Outcome, ok } from '../../domain/shared/outcome';
import type { EventEnvelope } from '../../events/envelope';
import { sameSecret } from '../shared/secrets';
import { RETRY, type RetryPolicy, retrying, versionConflict } from '../shared/use-case';

/** A sponsorship written now, or found from before (then nothing was written). */
export interface Sponsored {
  readonly petition: Petition;
  readonly alreadySponsored: boolean;
}

/**
 * What the use case gives the group: its rejections (the petition's 404, the
 * entity a `version_conflict` names) and, in tests, a retry policy that does not sleep.
 */
export interface SponsorGroupOptions {
  readonly missing: () => DomainError;
  readonly what: Localized;
  readonly policy?: RetryPolicy;
}

/** A sponsorship waiting for its petition's next write in this process. */
interface WaitingSponsor {
  readonly command: CommandContext;
  readonly sponsorToken: string;
  readonly resolve: (outcome: Outcome<Sponsored>) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Sponsors written by one transaction at most: each is one put, beside the
 * petition's change (and its queue and closing items) and its events,
 * within the 100 items a transaction may hold.
 */
export const MAX_SPONSORS_PER_WRITE = 40;

/** Lost races (with other processes) in a row before a sponsor is answered `conflict`, with short jittered pauses. */
const SPONSOR_RETRIES: RetryPolicy = { attempts: 8, ceilingMs: 100 };

const waitingSponsors = new Map<string, WaitingSponsor[]>();

/** The petition as sponsors may see it: gathering sponsors or public; otherwise it does not exist for them. */
const sponsorable = (petition: Petition | undefined): petition is Petition =>
  petition !== undefined &&
  (petition.state === PetitionState.gathering_sponsors || PUBLIC_STATES.has(petition.state));

/**
 * Writes the sponsorships of `taken` on one petition together, as if they came
 * one after another in that order (the last sponsor needed sends the petition
 * on; those after it find it no longer gathering sponsors), in one
 * transaction conditioned on the petition's version. A person who sponsored
 * before is answered `already` and leaves the write; a person twice in
 * `taken` waits for the next write. Settles every one of `taken`: each round
 * answers someone or loses a race, and a round that answers someone starts the
 * count of lost races again.
 */
async function sponsorTogether(
  store: PetitionStore,
  community: Community,
  petitionId: string,
  taken: readonly WaitingSponsor[],
  options: SponsorGroupOptions,
): Promise<void> {
  let open = [...taken];
  /** One round on the petition as it is now: `answered` when someone was answered, RETRY when the write lost a race. */
  const round = async (): Promise<'answered' | typeof RETRY> => {
    const petition = await store.get(community.id, petitionId);
    if (!sponsorable(petition)) {
      for (const waiting of open) waiting.resolve({ ok: false, error: options.missing() });
      open = [];
      return 'answered';
    }
    let current = petition;
    const answers = new Map<WaitingSponsor, Outcome<Sponsored>>();
    const writing: WaitingSponsor[] = [];
    const events: EventEnvelope[] = [];
    for (const waiting of open) {
      const sponsorKey = waiting.command.actor.signerKey;
      // One transaction cannot put one person's sponsorship twice: the repeat waits, then finds it.
      if (writing.some((other) => other.command.actor.signerKey === sponsorKey)) continue;
      const outcome = sponsorPetition(waiting.command, community, current, (stored) =>
        sameSecret(waiting.sponsorToken, stored),
      );
      if (!outcome.ok) {
        answers.set(waiting, outcome);
        continue;
      }
      current = outcome.value;
      writing.push(waiting);
      events.push(...outcome.events);
      answers.set(waiting, ok({ petition: current, alreadySponsored: false }, outcome.events));
    }
    const settleAnswered = () => {
      for (const waiting of open) {
        const answer = answers.get(waiting);
        if (answer) waiting.resolve(answer);
      }
      open = open.filter((waiting) => !answers.has(waiting));
      return 'answered' as const;
    };
    if (writing.length === 0) return settleAnswered();
    const result = await store.addSponsors(
      petition,
      current,
      writing.map((waiting) => waiting.command.actor.signerKey),
      events,
      (writing[0] as WaitingSponsor).command.clock.now().toISOString(),
    );
    if (result.status === 'added') return settleAnswered();
    if (result.status === 'already') {
      // Those people sponsored before; the others are run again on the petition as it is.
      const already = writing.filter((waiting) =>
        result.sponsorKeys.includes(waiting.command.actor.signerKey),
      );
      for (const waiting of already) waiting.resolve(ok({ petition, alreadySponsored: true }, []));
      open = open.filter((waiting) => !already.includes(waiting));
      return 'answered';
    }
    return RETRY;
  };
  while (open.length > 0) {
    if ((await retrying(round, options.policy ?? SPONSOR_RETRIES)) === RETRY) break;
  }
  for (const waiting of open) waiting.resolve({ ok: false, error: versionConflict(options.what) });
}

/** Writes a petition's waiting sponsorships, a group at a time, until none waits; then forgets the queue. */
async function drainSponsors(
  store: PetitionStore,
  community: Community,
  petitionId: string,
  options: SponsorGroupOptions,
  key: string,
  waiting: WaitingSponsor[],
): Promise<void> {
  let taken: WaitingSponsor[] = [];
  try {
    // Sponsorships made in the same turn as the first join its write.
    await Promise.resolve();
    while (waiting.length > 0) {
      taken = waiting.splice(0, MAX_SPONSORS_PER_WRITE);
      await sponsorTogether(store, community, petitionId, taken, options);
    }
  } catch (error) {
    // Settling twice is harmless: a promise keeps its first answer.
    for (const { reject } of [...taken, ...waiting.splice(0)]) reject(error);
  } finally {
    waitingSponsors.delete(key);
  }
}

/**
 * Sponsors a petition (the petitions use case `sponsor` runs it). Sponsors of
 * one petition in this process wait in one queue per `place` (the table the
 * store writes to) and are written together (group commit, up to
 * {@link MAX_SPONSORS_PER_WRITE} a transaction) instead of racing for the
 * petition's version, so a link shared widely does not answer 409s; a lost
 * race with another process is retried after a jittered pause.
 * @example
 * const outcome = await sponsorInGroup(store, tableName, options, command, community, petitionId, token);
 * if (outcome.ok && !outcome.value.alreadySponsored) console.log(outcome.value.petition.sponsorCount);
 */
export function sponsorInGroup(
  store: PetitionStore,
  place: string,
  options: SponsorGroupOptions,
  command: CommandContext,
  community: Community,
  petitionId: string,
  sponsorToken: string,
): Promise<Outcome<Sponsored>> {
  return new Promise((resolve, reject) => {
    const key = `${place}|${community.id}|${petitionId}`;
    const entry: WaitingSponsor = { command, sponsorToken, resolve, reject };
    const waiting = waitingSponsors.get(key);
    if (waiting) {
      waiting.push(entry);
      return;
    }
    const started = [entry];
    waitingSponsors.set(key, started);
    void drainSponsors(store, community, petitionId, options, key, started);
  });
}
