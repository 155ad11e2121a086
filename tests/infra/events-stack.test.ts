import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { STREAM_HANDLER } from '../../functions/tools';
import { actionsOf, logicalIdOf, resolveImports, statementsOfFunction, TestApps } from './support';

const apps = new TestApps();
afterAll(() => apps.removeAll());

const { stacks } = apps.synthesize();
const template = Template.fromStack(stacks.events);
const dataStack = stacks.data;
const tableId = logicalIdOf(Template.fromStack(dataStack), 'AWS::DynamoDB::Table', 'Table');
const functionId = logicalIdOf(template, 'AWS::Lambda::Function', 'StreamFunction');
const queueId = logicalIdOf(template, 'AWS::SQS::Queue', 'StreamDeadLetterQueue');
const busId = logicalIdOf(template, 'AWS::Events::EventBus', 'Bus');
/** What the event source mapping itself needs on the stream; everything else must be the handler's own list. */
const STREAM_READ_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
];

describe('events stack', () => {
  it('has the stage-named EventBridge bus', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'hromada-test' });
  });

  it('runs ONE stream consumer: a Node.js 22 arm64 function with the table and bus in its environment', () => {
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    const properties = template.findResources('AWS::Lambda::Function')[functionId]!.Properties;
    expect(properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      // Counting and publishing only: the budget results job has a function of its own (jobs stack).
      Timeout: 30,
      MemorySize: 512,
    });
    expect(properties.Environment.Variables.EVENT_BUS_NAME).toEqual({ Ref: busId });
    expect(resolveImports(properties.Environment.Variables.TABLE_NAME, [dataStack])).toEqual({
      [dataStack.stackName]: { Ref: tableId },
    });
  });

  it('reads the table stream in batches from the oldest record, bisecting and reporting failed items', () => {
    const mapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))[0]!.Properties;
    expect(mapping).toMatchObject({
      FunctionName: { Ref: functionId },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 5,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    expect(resolveImports(mapping.EventSourceArn, [dataStack])).toEqual({
      [dataStack.stackName]: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
    });
  });

  it('keeps failed batches in an encrypted DLQ for 14 days', () => {
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 60 * 60,
    });
  });

  it('lets the consumer use only its table actions, PutEvents on the bus and send to the DLQ', () => {
    const statements = statementsOfFunction(template, functionId);
    const actions = statements.flatMap(actionsOf);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);

    const tableArn = { [dataStack.stackName]: { 'Fn::GetAtt': [tableId, 'Arn'] } };
    const [tableStatement, ...otherTableStatements] = statements.filter((statement) =>
      actionsOf(statement).some(
        (action) => action.startsWith('dynamodb:') && !STREAM_READ_ACTIONS.includes(action),
      ),
    );
    expect(otherTableStatements).toEqual([]);
    expect(actionsOf(tableStatement!).sort()).toEqual([...STREAM_HANDLER.tableActions].sort());
    // It queries nothing, so it names no index and gets none.
    expect(STREAM_HANDLER.indexes).toEqual([]);
    expect(resolveImports(tableStatement!.Resource, [dataStack])).toEqual(tableArn);
    // The one statement on `*` (acknowledged for cdk-nag): ListStreams has no resource-level permission.
    expect(statements.filter((statement) => statement.Resource === '*')).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' },
    ]);

    const eventStatements = statements.filter((statement) =>
      actionsOf(statement).some((a) => a.startsWith('events:')),
    );
    expect(eventStatements).toEqual([
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [busId, 'Arn'] } },
    ]);
    expect(actions).toContain('sqs:SendMessage');
  });
});
