import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { createHandlerFunction, grantTableActions, type HandlerSpec, pascalCase } from '../handler-function';

/** A handler run on a schedule, as listed in `SCHEDULED_HANDLERS`. */
export interface ScheduledHandlerSpec extends HandlerSpec {
  /** An EventBridge schedule expression, e.g. `rate(5 minutes)`. */
  readonly schedule: string;
}

export interface JobsStackProps extends StackProps {
  readonly stage: string;
  readonly handlers: readonly ScheduledHandlerSpec[];
  readonly table: ITable;
  readonly bus: IEventBus;
}

/**
 * Timed work (closing expired petitions, phase changes): one schedule rule and
 * one Lambda per handler, and a queue for the runs EventBridge could not deliver.
 */
export class JobsStack extends Stack {
  /** Each scheduled handler's function, by handler name. */
  readonly functions: ReadonlyMap<string, NodejsFunction>;
  /** Job runs EventBridge gave up invoking; also keeps the stack non-empty before any job exists. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: JobsStackProps) {
    super(scope, id, props);
    this.deadLetterQueue = new Queue(this, 'JobsDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
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
      grantTableActions(fn, props.table, handler.tableActions);
      new Rule(this, `${name}Schedule`, {
        ruleName: `hromada-${props.stage}-${handler.name}`,
        description: `Runs the ${handler.name} job`,
        schedule: Schedule.expression(handler.schedule),
        targets: [new LambdaFunction(fn, { retryAttempts: 2, deadLetterQueue: this.deadLetterQueue })],
      });
      functions.set(handler.name, fn);
    }
    this.functions = functions;
  }
}
