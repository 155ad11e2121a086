import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { localDay } from '../../domain/appeals/calendar';
import { markOverdue } from '../../domain/appeals/commands/mark-overdue';
import { appealNotFound } from '../../domain/appeals/errors';
import type { Clock, IdGenerator } from '../../domain/shared/clock';
import { loadConfig } from '../shared/config';
import { documentClient } from '../shared/dynamo';
import { systemClock, ulidGenerator } from '../shared/ids';
import { keys } from '../shared/keys';
import { logLine } from '../shared/log';
import { found, type RetryPolicy, runChange } from '../shared/use-case';
import { dynamoAppealStore } from './store';
import { APPEAL } from './use-cases';

/**
 * How many items one run marks (or fails on); the next run takes the rest.
 * Each is one read and one transaction.
 */
const PER_RUN = 500;

/** What one run did. */
export interface OverdueRun {
  /** Items marked overdue now, each with its `appeal.overdue.v1`. */
  readonly marked: number;
  /** Items on the schedule another run marked, or that were closed or extended meanwhile. */
  readonly skipped: number;
  /** Items left for the next run: lost every race, or an error (logged). */
  readonly failed: number;
}

/**
 * Marks every open item of every community whose due day is before today's
 * Kyiv day, oldest due first: each through the runner (read, `markOverdue`,
 * one conditional write of the item, its event and audit intent, and its
 * statistics; the mark takes it off the schedule). The conditional write
 * decides who marks: a second run, or one running at the same time, reads
 * the item marked and does nothing, so each item's event fires once per due day.
 */
export async function markOverdueAppeals(
  client: DynamoDBDocumentClient,
  tableName: string,
  clock: Clock,
  ids: IdGenerator,
  policy?: RetryPolicy,
): Promise<OverdueRun> {
  const store = dynamoAppealStore(client, tableName);
  // Due before today: `GSI2SK` is `<dueOn>#<community>#<id>`, and every key of a day before sorts below the bare day.
  const today = localDay(clock.now());
  let marked = 0;
  let skipped = 0;
  let failed = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :today',
        ExpressionAttributeValues: { ':pk': keys.appealsDue.GSI2PK, ':today': today },
        ExclusiveStartKey: startKey,
      }),
    );
    startKey = page.LastEvaluatedKey;
    for (const entry of page.Items ?? []) {
      if (marked + failed >= PER_RUN) break;
      const communityId = entry.communityId as string;
      const appealId = entry.id as string;
      try {
        const outcome = await runChange(
          {
            load: async () => found(await store.get(communityId, appealId), () => appealNotFound(appealId)),
            decide: (appeal) => markOverdue(clock, ids, appeal),
            save: (appeal, done) => store.save(appeal, done.value, done.events, done.audit),
          },
          { what: APPEAL, ...(policy ? { policy } : {}) },
        );
        if (outcome.ok) marked += 1;
        else if (outcome.error.code === 'version_conflict') {
          failed += 1;
          logLine('warn', { msg: 'appeal not marked overdue: left for the next run', communityId, appealId });
        } else skipped += 1;
      } catch (error) {
        failed += 1;
        logLine('error', {
          msg: 'marking overdue failed: left for the next run',
          communityId,
          appealId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  } while (startKey && marked + failed < PER_RUN);
  logLine('info', { msg: 'appeals overdue job', today, marked, skipped, failed });
  return { marked, skipped, failed };
}

const ids = ulidGenerator();

/** The scheduled Lambda handler. */
export const handler = async (): Promise<OverdueRun> => {
  const config = loadConfig();
  return markOverdueAppeals(documentClient(config), config.tableName, systemClock, ids);
};
