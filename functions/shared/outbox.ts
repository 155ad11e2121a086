import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { EventEnvelope } from '../../events/envelope';
import { Entity, keys } from './keys';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A new item in a transaction: the whole transaction fails if one is there already. */
export const newPut = (tableName: string, item: Record<string, unknown>): TransactItem => ({
  Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' },
});

/** `failed` is for an event that can never be published (unknown name, bad shape): kept, never retried. */
export const OutboxStatus = { pending: 'pending', sent: 'sent', failed: 'failed' } as const;

/** The stored shape of an outbox item. */
export interface OutboxItem {
  readonly PK: string;
  readonly SK: string;
  readonly entity: typeof Entity.outbox;
  readonly status: (typeof OutboxStatus)[keyof typeof OutboxStatus];
  readonly event: EventEnvelope;
  readonly sentAt?: string;
  readonly expiresAt?: number;
  readonly failedAt?: string;
  readonly failureReason?: string;
}

/**
 * The transaction entries that store a command's events next to its state change
 * (the transactional outbox): the publisher sends them once the transaction has
 * committed, and only then.
 */
export function outboxPuts(tableName: string, events: readonly EventEnvelope[]): TransactItem[] {
  return events.map((event) => ({
    Put: {
      TableName: tableName,
      Item: {
        ...keys.outbox(event.communityId, event.id),
        entity: Entity.outbox,
        status: OutboxStatus.pending,
        event,
      } satisfies OutboxItem,
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  }));
}

/** The positions of the items whose condition did not hold, when a transaction was cancelled for that. */
function failedConditions(error: unknown): number[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const failed = (error.CancellationReasons ?? []).flatMap((reason, index) =>
    reason.Code === 'ConditionalCheckFailed' ? [index] : [],
  );
  return failed.length > 0 ? failed : undefined;
}

/**
 * Writes a command's state change and its events in one transaction: the one way
 * a store commits an outcome. Answers which of `items` failed their condition
 * (an id taken, a version moved on); any other failure throws.
 */
export async function commitWithEventsAt(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly TransactItem[],
  events: readonly EventEnvelope[],
): Promise<{ committed: true } | { committed: false; failedIndexes: number[] }> {
  try {
    await client.send(
      new TransactWriteCommand({ TransactItems: [...items, ...outboxPuts(tableName, events)] }),
    );
    return { committed: true };
  } catch (error) {
    const failedIndexes = failedConditions(error);
    if (failedIndexes) return { committed: false, failedIndexes };
    throw error;
  }
}

/** {@link commitWithEventsAt} for the usual case: only the first item carries a condition. */
export async function commitWithEvents(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly TransactItem[],
  events: readonly EventEnvelope[],
): Promise<'committed' | 'condition-failed'> {
  const result = await commitWithEventsAt(client, tableName, items, events);
  return result.committed ? 'committed' : 'condition-failed';
}
