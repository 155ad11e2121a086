import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { EventEnvelope } from '../../events/envelope';
import { Entity, keys } from './keys';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

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

/** True when a transaction was cancelled because the condition on its item at `index` did not hold. */
function failedOnCondition(error: unknown, index: number): boolean {
  return (
    error instanceof TransactionCanceledException &&
    error.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed'
  );
}

/**
 * Writes a command's state change and its events in one transaction: the one way
 * a store commits an outcome. Answers `condition-failed` when the condition on
 * the first item did not hold (an id taken, a version moved on); any other
 * failure throws.
 */
export async function commitWithEvents(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly TransactItem[],
  events: readonly EventEnvelope[],
): Promise<'committed' | 'condition-failed'> {
  try {
    await client.send(
      new TransactWriteCommand({ TransactItems: [...items, ...outboxPuts(tableName, events)] }),
    );
    return 'committed';
  } catch (error) {
    if (failedOnCondition(error, 0)) return 'condition-failed';
    throw error;
  }
}
