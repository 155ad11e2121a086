import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { createHandlerFunction, grantTableActions, type HandlerSpec } from '../handler-function';

export interface EventsStackProps extends StackProps {
  readonly stage: string;
  readonly table: ITable;
  /** The one consumer of the table's stream (a stream allows two per shard, so there is only one). */
  readonly streamHandler: HandlerSpec;
}

/**
 * The event bus and the stream consumer that feeds it: tallies from inserts,
 * outbox items to EventBridge. Records that keep failing land in the DLQ
 * instead of blocking their shard.
 */
export class EventsStack extends Stack {
  readonly bus: EventBus;
  readonly streamFunction: NodejsFunction;
  /** Stream batches that still failed after bisecting and retrying, for inspection and replay. */
  readonly streamDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: EventsStackProps) {
    super(scope, id, props);

    this.bus = new EventBus(this, 'Bus', { eventBusName: `hromada-${props.stage}` });

    this.streamDeadLetterQueue = new Queue(this, 'StreamDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.streamDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: the on-failure destination of the stream event source mapping.',
    });

    this.streamFunction = createHandlerFunction(this, 'StreamFunction', {
      spec: props.streamHandler,
      // Counting and publishing only (long jobs have functions of their own, see the jobs stack):
      // a batch that takes long would hold up every count on its shard.
      timeout: Duration.seconds(30),
      environment: { TABLE_NAME: props.table.tableName, EVENT_BUS_NAME: this.bus.eventBusName },
    });
    grantTableActions(this.streamFunction, props.table, props.streamHandler);
    this.bus.grantPutEventsTo(this.streamFunction);

    this.streamFunction.addEventSource(
      new DynamoEventSource(props.table, {
        // From the oldest record: a fresh deploy must not skip signatures already in the stream.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(24),
        onFailure: new SqsDlq(this.streamDeadLetterQueue),
      }),
    );
    // The event source grants dynamodb:ListStreams on `*`: the action has no resource-level permissions.
    if (this.streamFunction.role) {
      Validations.of(this.streamFunction.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'dynamodb:ListStreams supports no resource-level permissions, so IAM only accepts it on "*"; it lists stream ARNs and reads no data. Every other statement of this role names its resource (the table, its stream, the bus, the dead-letter queue, the log group).',
      });
    }
  }
}
