import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE } from '../../functions/shared/table';
import { pascalCase } from '../../infra/aws/handler-function';
import {
  actionsOf,
  FIXTURE_HANDLERS,
  logicalIdOf,
  resolveImports,
  statementsOfFunction,
  TestApps,
} from './support';

const apps = new TestApps();
afterAll(() => apps.removeAll());

describe('jobs stack', () => {
  const { stacks } = apps.synthesize();
  const template = Template.fromStack(stacks.jobs);
  const [job] = FIXTURE_HANDLERS.scheduledHandlers;
  const functionId = logicalIdOf(template, 'AWS::Lambda::Function', `${pascalCase(job!.name)}Function`);
  const queueId = logicalIdOf(template, 'AWS::SQS::Queue', 'JobsDeadLetterQueue');
  const ruleId = logicalIdOf(template, 'AWS::Events::Rule', `${pascalCase(job!.name)}Schedule`);

  it('runs each scheduled handler from its own schedule rule', () => {
    template.resourceCountIs('AWS::Events::Rule', FIXTURE_HANDLERS.scheduledHandlers.length);
    template.resourceCountIs('AWS::Lambda::Function', FIXTURE_HANDLERS.scheduledHandlers.length);
    const rule = template.findResources('AWS::Events::Rule')[ruleId]!.Properties;
    expect(rule).toMatchObject({
      Name: 'hromada-test-close-petitions',
      ScheduleExpression: 'rate(5 minutes)',
    });
    expect(rule.State).toBe('ENABLED');
    expect(rule.Targets).toHaveLength(1);
    expect(rule.Targets[0]).toMatchObject({
      Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 2 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    });
  });

  it('lets only EventBridge, from that rule, invoke the job', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
  });

  it('grants the job exactly its table actions and a Node.js 22 arm64 runtime', () => {
    const tableActions = statementsOfFunction(template, functionId)
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('dynamodb:'));
    // Query appears twice: on the table, and on the indexes (each by name) in a statement of its own.
    expect([...new Set(tableActions)].sort()).toEqual([...job!.tableActions].sort());
    expect(template.findResources('AWS::Lambda::Function')[functionId]!.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
    });
  });

  it('grants Query on each index of the table by its own ARN when the handler names none, never index/*', () => {
    const tableId = logicalIdOf(Template.fromStack(stacks.data), 'AWS::DynamoDB::Table', 'Table');
    const tableArn = { [stacks.data.stackName]: { 'Fn::GetAtt': [tableId, 'Arn'] } };
    const onIndexes = statementsOfFunction(template, functionId).filter((statement) =>
      JSON.stringify(statement.Resource).includes('/index/'),
    );
    expect(job!.indexes).toBeUndefined();
    expect(onIndexes.map(actionsOf)).toEqual([['dynamodb:Query']]);
    expect(resolveImports(onIndexes[0]!.Resource, [stacks.data])).toEqual(
      TABLE.indexes.map((index) => ({ 'Fn::Join': ['', [tableArn, `/index/${index.name}`]] })),
    );
  });

  it('keeps undeliverable runs in an encrypted queue for 14 days', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 60 * 60,
    });
  });

  it('still synthesizes a valid (non-empty) template when no handler is scheduled', () => {
    const empty = apps.synthesize({ ...FIXTURE_HANDLERS, scheduledHandlers: [] });
    const emptyTemplate = Template.fromStack(empty.stacks.jobs);
    emptyTemplate.resourceCountIs('AWS::Events::Rule', 0);
    emptyTemplate.resourceCountIs('AWS::Lambda::Function', 0);
    emptyTemplate.resourceCountIs('AWS::SQS::Queue', 1);
  });
});
