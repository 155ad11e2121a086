import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../../functions/shared/event-publisher';
import { createHandlerFunction, grantTableActions, type HandlerSpec, pascalCase } from '../handler-function';

/** A handler run on a schedule, as listed in `SCHEDULED_HANDLERS`. */
export interface ScheduledHandlerSpec extends HandlerSpec {
  /** An EventBridge schedule expression, e.g. `rate(5 minutes)`. */
  readonly schedule: string;
}

/** A long job started by events, as listed in `QUEUED_JOB_HANDLERS`. */
export interface QueuedJobHandlerSpec extends HandlerSpec {
  /** The event names (EventBridge `detail-type`) that start a run. */
  readonly events: readonly string[];
  readonly timeoutMinutes: number;
  /** MB. */
  readonly memorySize: number;
}

/**
 * How long after its run started a message the function did not finish with
 * comes back, beyond the function's own timeout: by then that run has
 * certainly ended, and the next delivery only settles the job (see
 * `functions/budgets/results-job.ts`).
 */
export const REDELIVERY_MARGIN = Duration.minutes(5);

/** Deliveries of one message before it is kept in the job's dead-letter queue (throttled or unsettled runs). */
export const MAX_RECEIVE_COUNT = 5;

export interface JobsStackProps extends StackProps {
  readonly stage: string;
  readonly handlers: readonly ScheduledHandlerSpec[];
  /** Long jobs, each in a function of its own fed by a queue of the events that start it. */
  readonly queuedHandlers?: readonly QueuedJobHandlerSpec[];
  readonly table: ITable;
  readonly bus: IEventBus;
}

/**
 * Timed work (closing expired petitions, phase changes): one schedule rule and
 * one Lambda per handler, and a queue for the runs EventBridge could not deliver.
 *
 * Queued work (budget results): per job, an EventBridge rule on the bus puts
 * the events that start it on an SQS queue, whose messages feed the job's own
 * function one at a time, with its own timeout and memory. Nothing long runs
 * in the stream consumer, so no job delays a count.
 */
export class JobsStack extends Stack {
  /** Each scheduled handler's function, by handler name. */
  readonly functions: ReadonlyMap<string, NodejsFunction>;
  /** Each queued job's function, by handler name. */
  readonly queuedFunctions: ReadonlyMap<string, NodejsFunction>;
  /** Job runs EventBridge gave up invoking; also keeps the stack non-empty before any job exists. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: JobsStackProps) {
    super(scope, id, props);
    this.deadLetterQueue = new Queue(this, 'JobsDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: where EventBridge puts the job runs and job events it could not deliver.',
    });
    const functions = new Map<string, NodejsFunction>();
    for (const handler of props.handlers) {
      const name = pascalCase(handler.name);
      const fn = createHandlerFunction(this, `${name}Function`, {
        spec: handler,
        // A sweep may walk many items; the next run picks up whatever this one left.
        timeout: Duration.minutes(5),
        environment: { TABLE_NAME: props.table.tableName, EVENT_BUS_NAME: props.bus.eventBusName },
      });
      grantTableActions(fn, props.table, handler);
      new Rule(this, `${name}Schedule`, {
        ruleName: `hromada-${props.stage}-${handler.name}`,
        description: `Runs the ${handler.name} job`,
        schedule: Schedule.expression(handler.schedule),
        targets: [new LambdaFunction(fn, { retryAttempts: 2, deadLetterQueue: this.deadLetterQueue })],
      });
      functions.set(handler.name, fn);
    }
    this.functions = functions;

    const queuedFunctions = new Map<string, NodejsFunction>();
    for (const job of props.queuedHandlers ?? []) {
      const name = pascalCase(job.name);
      const timeout = Duration.minutes(job.timeoutMinutes);
      const deadLetters = new Queue(this, `${name}DeadLetterQueue`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      const queue = new Queue(this, `${name}Queue`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // Longer than the function may run: a message comes back only once its run has ended.
        visibilityTimeout: timeout.plus(REDELIVERY_MARGIN),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: MAX_RECEIVE_COUNT },
      });
      const fn = createHandlerFunction(this, `${name}Function`, {
        spec: job,
        timeout,
        memorySize: job.memorySize,
        environment: { TABLE_NAME: props.table.tableName },
      });
      grantTableActions(fn, props.table, job);
      // One job per invocation: each gets the whole timeout, and one failure returns only its message.
      fn.addEventSource(new SqsEventSource(queue, { batchSize: 1, reportBatchItemFailures: true }));
      new Rule(this, `${name}Trigger`, {
        eventBus: props.bus,
        ruleName: `hromada-${props.stage}-${job.name}`,
        description: `Queues the ${job.name} job`,
        eventPattern: { source: [EVENT_SOURCE], detailType: [...job.events] },
        targets: [new SqsQueue(queue, { retryAttempts: 2, deadLetterQueue: this.deadLetterQueue })],
      });
      queuedFunctions.set(job.name, fn);
    }
    this.queuedFunctions = queuedFunctions;
  }
}
