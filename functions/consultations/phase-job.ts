import type { ConsultationStore } from '../../domain/consultations/ports';
import type { Clock, IdGenerator } from '../../domain/shared/clock';
import { loadConfig } from '../shared/config';
import { documentClient } from '../shared/dynamo';
import { systemClock, ulidGenerator } from '../shared/ids';
import { logLine } from '../shared/log';
import { dynamoConsultationStore } from './store';
import { consultationUseCases } from './use-cases';

/**
 * Moves every consultation whose date has come, across communities: a draft
 * opens at `opensAt`, an open consultation closes at `closesAt`, each with
 * `consultation.phase-changed.v1` (`by: schedule`), through the use-case
 * runner (a consultation changed meanwhile is read again). One no longer due
 * (the council moved it first) is skipped, as is a draft whose whole period
 * passed: opening it is the council's call, with a new closing date.
 */
export async function advanceDuePhases(
  store: ConsultationStore,
  clock: Clock,
  ids: IdGenerator,
): Promise<{ moved: number; skipped: number }> {
  const useCases = consultationUseCases(store);
  const due = await store.dueForPhaseChange(clock.now().toISOString());
  let moved = 0;
  for (const { communityId, consultationId } of due) {
    if ((await useCases.advance(clock, ids, communityId, consultationId)).ok) moved += 1;
  }
  logLine('info', { msg: 'consultation phase job', due: due.length, moved });
  return { moved, skipped: due.length - moved };
}

const ids = ulidGenerator();

/** The scheduled Lambda handler. */
export const handler = async (): Promise<{ moved: number; skipped: number }> => {
  const config = loadConfig();
  return advanceDuePhases(
    dynamoConsultationStore(documentClient(config), config.tableName),
    systemClock,
    ids,
  );
};
