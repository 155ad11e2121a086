import { closePetition } from '../../domain/petitions/commands/close-petition';
import type { PetitionStore } from '../../domain/petitions/ports';
import type { Clock, IdGenerator } from '../../domain/shared/clock';
import { text } from '../../domain/shared/localized';
import { loadConfig } from '../shared/config';
import { documentClient } from '../shared/dynamo';
import { systemClock, ulidGenerator } from '../shared/ids';
import { logLine } from '../shared/log';
import { found, runChange } from '../shared/use-case';
import { dynamoPetitionStore } from './store';

/** How many due petitions one run closes; the next run takes the rest. */
const PER_RUN = 200;

/**
 * Closes every open petition whose signature period has ended, across
 * communities: each one `open → closed` with `petition.closed.v1`, and
 * `awaiting_response` where the response threshold was reached. A petition
 * changed meanwhile is read again; one that is no longer open is skipped.
 */
export async function closeExpiredPetitions(
  store: PetitionStore,
  clock: Clock,
  ids: IdGenerator,
): Promise<{ closed: number; skipped: number }> {
  const due = await store.dueForClosing(clock.now().toISOString(), PER_RUN);
  let closed = 0;
  for (const { communityId, petitionId } of due) {
    const outcome = await runChange({
      load: async () =>
        found(await store.get(communityId, petitionId), () => ({
          code: 'petition_not_found',
          message: text('Петицію не знайдено.', 'There is no such petition.'),
        })),
      decide: (petition) => closePetition(clock, ids, petition),
      save: (petition, done) => store.save(petition, done.value, done.events),
    });
    if (outcome.ok) closed += 1;
    else logLine('warn', { msg: 'petition not closed', communityId, petitionId, code: outcome.error.code });
  }
  logLine('info', { msg: 'closing job', due: due.length, closed });
  return { closed, skipped: due.length - closed };
}

const ids = ulidGenerator();

/** The scheduled Lambda handler. */
export const handler = async (): Promise<{ closed: number; skipped: number }> => {
  const config = loadConfig();
  return closeExpiredPetitions(
    dynamoPetitionStore(documentClient(config), config.tableName),
    systemClock,
    ids,
  );
};
