import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { REDELIVERY_MARGIN_MS, RESULTS_JOB_TIMEOUT_MINUTES } from '../../functions/budgets/results-deadline';
import { QUEUED_JOB_HANDLERS } from '../../functions/tools';
import { MAX_RECEIVE_COUNT } from '../../infra/aws/stacks/jobs-stack';
import {
  actionsOf,
  FIXTURE_ENTRY,
  FIXTURE_HANDLERS,
  indexArns,
  indexStatementsOf,
  logicalIdOf,
  resolveImports,
  statementsOfFunction,
  TestApps,
} from './support';

const apps = new TestApps();
afterAll(() => apps.removeAll());

/** The real results job's name, events, limits and table actions, on the fixture entry. */
const [resultsJob] = QUEUED_JOB_HANDLERS;
const job = { ...resultsJob!, entry: FIXTURE_ENTRY };

describe('queued jobs (budget results) in the jobs stack', () => {
  const { stacks } = apps.synthesize({ ...FIXTURE_HANDLERS, queuedJobHandlers: [job] });
  const template = Template.fromStack(stacks.jobs);
  const events = Template.fromStack(stacks.events);
  const functionId = logicalIdOf(template, 'AWS::Lambda::Function', 'BudgetResultsFunction');
  const queueId = logicalIdOf(template, 'AWS::SQS::Queue', 'BudgetResultsQueue');
  const deadLettersId = logicalIdOf(template, 'AWS::SQS::Queue', 'BudgetResultsDeadLetterQueue');
  const ruleId = logicalIdOf(template, 'AWS::Events::Rule', 'BudgetResultsTrigger');
  const fn = () => template.findResources('AWS::Lambda::Function')[functionId]!.Properties;

  it('gives the job a function of its own with at least 10 minutes and memory for a city', () => {
    expect(fn()).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 15 * 60 });
    expect(fn().Timeout).toBeGreaterThanOrEqual(10 * 60);
    expect(fn().MemorySize).toBe(3008);
  });

  it('leaves the stream consumer short and alone on the stream', () => {
    const streamId = logicalIdOf(events, 'AWS::Lambda::Function', 'StreamFunction');
    expect(events.findResources('AWS::Lambda::Function')[streamId]!.Properties.Timeout).toBe(30);
    events.resourceCountIs('AWS::Lambda::Function', 1);
    // No stream feeds the job's function: its one event source is its queue.
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  });

  it('feeds the function one message at a time from its queue, reporting failed items', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('redelivers a message only after the function has certainly stopped, and keeps it after a few tries', () => {
    const queue = template.findResources('AWS::SQS::Queue')[queueId]!.Properties;
    expect(queue.VisibilityTimeout).toBeGreaterThan(fn().Timeout);
    expect(queue).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLettersId, 'Arn'] },
        maxReceiveCount: MAX_RECEIVE_COUNT,
      },
    });
    expect(template.findResources('AWS::SQS::Queue')[deadLettersId]!.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 60 * 60,
    });
    // Both queues refuse plain HTTP.
    for (const id of [queueId, deadLettersId]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it("gives the sweep of lost jobs the queue's own time limit and redelivery margin", () => {
    const queue = template.findResources('AWS::SQS::Queue')[queueId]!.Properties;

    expect(fn().Timeout).toBe(RESULTS_JOB_TIMEOUT_MINUTES * 60);
    expect(queue.VisibilityTimeout).toBe(fn().Timeout + REDELIVERY_MARGIN_MS / 1_000);
  });

  it('queues the events that start the job, from the bus, by a rule', () => {
    const rule = template.findResources('AWS::Events::Rule')[ruleId]!.Properties;
    expect(rule).toMatchObject({
      Name: 'hromada-test-budget-results',
      EventPattern: { source: ['hromada'], 'detail-type': ['budget.results-requested.v1'] },
    });
    expect(resolveImports(rule.EventBusName, [stacks.events])).toEqual({
      [stacks.events.stackName]: { Ref: logicalIdOf(events, 'AWS::Events::EventBus', 'Bus') },
    });
    expect(rule.Targets).toHaveLength(1);
    expect(rule.Targets[0]).toMatchObject({
      Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      DeadLetterConfig: {
        Arn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'JobsDeadLetterQueue'), 'Arn'] },
      },
    });
    // Only EventBridge, from that rule, may send to the queue.
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')).filter(
      (policy) => JSON.stringify(policy.Properties.Queues) === JSON.stringify([{ Ref: queueId }]),
    );
    const sends = policies.flatMap((policy) =>
      (
        policy.Properties.PolicyDocument.Statement as {
          Effect: string;
          Action: unknown;
          Principal?: unknown;
          Condition?: unknown;
        }[]
      ).filter((statement) => statement.Effect === 'Allow'),
    );
    // CDK's send grant: SendMessage and the two reads a sender needs, for EventBridge from that rule only.
    expect(sends).toEqual([
      expect.objectContaining({
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
      }),
    ]);
  });

  it('lets the function use exactly its table actions and consume its own queue, nothing else', () => {
    const statements = statementsOfFunction(template, functionId);
    const actions = statements.flatMap(actionsOf);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    // Query appears twice: on the table, and on the indexes it names in a statement of its own.
    expect([...new Set(actions.filter((action) => action.startsWith('dynamodb:')))].sort()).toEqual(
      [...job.tableActions].sort(),
    );
    // Query on the indexes the results job names (functions/tools.ts), each by its own ARN, and no other.
    const tableId = logicalIdOf(Template.fromStack(stacks.data), 'AWS::DynamoDB::Table', 'Table');
    const tableArn = { [stacks.data.stackName]: { 'Fn::GetAtt': [tableId, 'Arn'] } };
    const onIndexes = indexStatementsOf(template, functionId);
    expect(onIndexes.map(actionsOf)).toEqual([['dynamodb:Query']]);
    expect(resolveImports(onIndexes[0]!.Resource, [stacks.data])).toEqual(indexArns(tableArn, job.indexes));
    expect(actions.filter((action) => action.startsWith('events:'))).toEqual([]);
    const queueStatements = statements.filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('sqs:')),
    );
    expect(queueStatements.map((statement) => statement.Resource)).toEqual([
      { 'Fn::GetAtt': [queueId, 'Arn'] },
    ]);
    expect(actionsOf(queueStatements[0]!).sort()).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ]);
    expect(fn().Environment.Variables).not.toHaveProperty('EVENT_BUS_NAME');
  });
});
