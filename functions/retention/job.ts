import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  isDueForErasure,
  type RetentionKind,
  type RetentionSubject,
  retentionHorizon,
} from '../../domain/retention/retention';
import type { Clock, IdGenerator } from '../../domain/shared/clock';
import { dynamoCommunityStore } from '../communities/store';
import { loadConfig } from '../shared/config';
import { documentClient, dueQuery } from '../shared/dynamo';
import { systemClock, ulidGenerator } from '../shared/ids';
import { keys } from '../shared/keys';
import { logLine } from '../shared/log';
import { eraseBudget } from './budgets';
import { eraseConsultation } from './consultations';
import type { ErasureContext, ErasureOutcome } from './erasure';
import { erasePetition } from './petitions';

/**
 * How many subjects one run erases; the next run (a day later) takes the rest.
 * A city petition has tens of thousands of signers: a few hundred batches each.
 */
const PER_RUN = 50;

/** What one run did. */
export interface RetentionRun {
  /** Subjects whose personal data was erased (and marked, and audited). */
  readonly anonymised: number;
  /** Subjects on the schedule whose community keeps data longer than has passed. */
  readonly notYetDue: number;
  /** Subjects taken off the schedule with nothing to erase (gone, or anonymised already). */
  readonly dropped: number;
  /** Subjects left for the next run: changed meanwhile, or an error (logged). */
  readonly failed: number;
}

const ERASERS: Record<
  RetentionKind,
  (context: ErasureContext, subject: RetentionSubject) => Promise<ErasureOutcome>
> = {
  petition: erasePetition,
  budget: eraseBudget,
  consultation: eraseConsultation,
};

/**
 * Erases the personal data of every subject whose community's `retentionDays`
 * have passed since it ended (a petition closed, a budget's results or a
 * consultation's report published), across communities. The schedule is read
 * up to the shortest retention any community may set, oldest first; each
 * entry is then held against its community's setting now. Each erased subject
 * is marked and audited in its erasure's last transaction, and leaves the
 * schedule with it: a second run finds nothing, and a run that stopped
 * half-way leaves items the next run erases.
 */
export async function eraseExpiredPersonalData(
  client: DynamoDBDocumentClient,
  tableName: string,
  clock: Clock,
  ids: IdGenerator,
): Promise<RetentionRun> {
  const now = clock.now();
  const communities = dynamoCommunityStore(client, tableName);
  const retentionOf = new Map<string, Promise<number | undefined>>();
  const retentionDays = (communityId: string) => {
    let days = retentionOf.get(communityId);
    if (!days) {
      days = communities.get(communityId).then((community) => community?.settings.retentionDays);
      // A failed read is not remembered: the community's next subject tries again.
      days.catch(() => retentionOf.delete(communityId));
      retentionOf.set(communityId, days);
    }
    return days;
  };

  let anonymised = 0;
  let notYetDue = 0;
  let dropped = 0;
  let failed = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        ...dueQuery(tableName, keys.retentionDue.GSI2PK, retentionHorizon(now)),
        ExclusiveStartKey: startKey,
      }),
    );
    startKey = page.LastEvaluatedKey;
    for (const entry of page.Items ?? []) {
      if (anonymised + failed >= PER_RUN) break;
      const subject: RetentionSubject = {
        kind: entry.kind as RetentionKind,
        communityId: entry.communityId as string,
        subjectId: entry.subjectId as string,
        endedAt: entry.endedAt as string,
      };
      try {
        // Inside the try: one community's failed read leaves its subject for the next run, not the whole run.
        const days = await retentionDays(subject.communityId);
        if (days !== undefined && !isDueForErasure(subject.endedAt, days, now)) {
          notYetDue += 1;
          continue;
        }
        // A community that no longer exists keeps nothing: its subjects are erased at the shortest retention.
        const context: ErasureContext = { client, tableName, clock, ids, retentionDays: days ?? 0 };
        const outcome = await ERASERS[subject.kind](context, subject);
        if (outcome.status === 'anonymised') anonymised += 1;
        else if (outcome.status === 'nothing_to_do') dropped += 1;
        else {
          failed += 1;
          logLine('warn', { msg: 'subject changed during erasure: left for the next run', ...subject });
        }
      } catch (error) {
        failed += 1;
        logLine('error', {
          msg: 'erasure failed: left for the next run',
          ...subject,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  } while (startKey && anonymised + failed < PER_RUN);
  logLine('info', { msg: 'retention job', anonymised, notYetDue, dropped, failed });
  return { anonymised, notYetDue, dropped, failed };
}

const ids = ulidGenerator();

/** The scheduled Lambda handler. */
export const handler = async (): Promise<RetentionRun> => {
  const config = loadConfig();
  return eraseExpiredPersonalData(documentClient(config), config.tableName, systemClock, ids);
};
