import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { pascalCase } from '../../infra/aws/handler-function';
import {
  actionsOf,
  FIXTURE_HANDLERS,
  indexArns,
  indexStatementsOf,
  logicalIdOf,
  NO_BUNDLING,
  resolveImports,
  statementsOfFunction,
  TEST_CONTEXT,
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
    // Query appears twice: on the table, and on the indexes it names in a statement of its own.
    expect([...new Set(tableActions)].sort()).toEqual([...job!.tableActions].sort());
    expect(template.findResources('AWS::Lambda::Function')[functionId]!.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
    });
  });

  it('grants Query on exactly the indexes the handler names, each by its own ARN, never index/*', () => {
    const tableId = logicalIdOf(Template.fromStack(stacks.data), 'AWS::DynamoDB::Table', 'Table');
    const tableArn = { [stacks.data.stackName]: { 'Fn::GetAtt': [tableId, 'Arn'] } };
    const onIndexes = indexStatementsOf(template, functionId);
    expect(job!.indexes).toEqual(['GSI2']);
    expect(onIndexes.map(actionsOf)).toEqual([['dynamodb:Query']]);
    expect(resolveImports(onIndexes[0]!.Resource, [stacks.data])).toEqual(indexArns(tableArn, ['GSI2']));
  });

  it('grants Query on the table alone, no index, when the handler names none', () => {
    const tableOnly = { ...job!, indexes: [] };
    const { stacks: synthesized } = apps.synthesize(
      { ...FIXTURE_HANDLERS, scheduledHandlers: [tableOnly] },
      { ...TEST_CONTEXT, ...NO_BUNDLING },
    );
    const jobs = Template.fromStack(synthesized.jobs);
    const id = logicalIdOf(jobs, 'AWS::Lambda::Function', `${pascalCase(job!.name)}Function`);
    expect(indexStatementsOf(jobs, id)).toEqual([]);
    const onTable = statementsOfFunction(jobs, id).filter((statement) =>
      actionsOf(statement).includes('dynamodb:Query'),
    );
    expect(onTable).toHaveLength(1);
  });

  it('refuses a handler that names indexes but may not Query (a grant that could never be used)', () => {
    const noQuery = { ...job!, tableActions: ['dynamodb:UpdateItem'] as const, indexes: ['GSI1'] as const };
    const handlers = { ...FIXTURE_HANDLERS, scheduledHandlers: [noQuery] };
    expect(() => apps.synthesize(handlers, { ...TEST_CONTEXT, ...NO_BUNDLING })).toThrow(
      /names indexes \(GSI1\) but may not dynamodb:Query/,
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
