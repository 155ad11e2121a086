import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { routeKey } from '../../functions/shared/routes';
import { pascalCase } from '../../infra/aws/handler-function';
import { HROMADA_HANDLERS } from '../../infra/aws/hromada';
import { FIXTURE_ASSET } from './fixtures/handler';
import {
  actionsOf,
  FIXTURE_TOOLS,
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

const { app, stacks } = apps.synthesize();
const template = Template.fromStack(stacks.api);
const dataStack = stacks.data;
const tableId = logicalIdOf(Template.fromStack(dataStack), 'AWS::DynamoDB::Table', 'Table');
const tableArn = { [dataStack.stackName]: { 'Fn::GetAtt': [tableId, 'Arn'] } };
const allRoutes = FIXTURE_TOOLS.flatMap((tool) => tool.routes.map((route) => ({ tool, route })));

function functionIdOf(toolName: string): string {
  return logicalIdOf(template, 'AWS::Lambda::Function', `${pascalCase(toolName)}Function`);
}

function routeResource(key: string): Record<string, unknown> {
  const routes = Object.values(
    template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: key } }),
  );
  expect(routes, `route ${key}`).toHaveLength(1);
  return routes[0]!.Properties;
}

describe('api stack: authorizer and routes', () => {
  const authorizerId = logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer', 'HttpApiJwtAuthorizer');

  it('has one JWT authorizer with the issuer and audience from context', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: TEST_CONTEXT['hromada:jwtIssuer'],
        Audience: [TEST_CONTEXT['hromada:jwtAudience']],
      },
    });
  });

  it('creates exactly one route per route-table entry, keyed like routeKey()', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', allRoutes.length);
    for (const { route } of allRoutes) routeResource(routeKey(route));
  });

  it('guards user routes with the JWT authorizer and leaves public routes open', () => {
    for (const { route } of allRoutes) {
      const properties = routeResource(routeKey(route));
      if (route.auth === 'user') {
        expect(properties, routeKey(route)).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: authorizerId },
        });
      } else {
        expect(properties.AuthorizationType, routeKey(route)).toBe('NONE');
        expect(properties.AuthorizerId, routeKey(route)).toBeUndefined();
      }
    }
  });

  it("sends each route to its own tool's function with payload format 2.0", () => {
    for (const { tool, route } of allRoutes) {
      const target = routeResource(routeKey(route)).Target as {
        'Fn::Join': [string, [string, { Ref: string }]];
      };
      const integrationId = target['Fn::Join'][1][1].Ref;
      const integration = template.findResources('AWS::ApiGatewayV2::Integration')[integrationId];
      expect(integration?.Properties, routeKey(route)).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [functionIdOf(tool.name), 'Arn'] },
      });
    }
  });
});

describe('api stack: functions', () => {
  it('has one Node.js 22 arm64 function per tool with source maps, 512 MB and a 10 s timeout', () => {
    template.resourceCountIs('AWS::Lambda::Function', FIXTURE_TOOLS.length);
    for (const tool of FIXTURE_TOOLS) {
      expect(
        template.findResources('AWS::Lambda::Function')[functionIdOf(tool.name)]?.Properties,
      ).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 512,
        Timeout: 10,
        Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
      });
    }
  });

  it('passes the table, issuers, signer secret, bus and exports bucket in the environment', () => {
    const variables =
      template.findResources('AWS::Lambda::Function')[functionIdOf('alpha')]!.Properties.Environment
        .Variables;
    expect(Object.keys(variables).sort()).toEqual(
      [
        'EVENT_BUS_NAME',
        'EXPORTS_BUCKET',
        'ISSUERS',
        'NODE_OPTIONS',
        'SIGNER_SECRET_ARN',
        'TABLE_NAME',
      ].sort(),
    );
    expect(JSON.parse(variables.ISSUERS)).toEqual([
      {
        issuer: TEST_CONTEXT['hromada:jwtIssuer'],
        audience: TEST_CONTEXT['hromada:jwtAudience'],
        claims: { community: 'community', district: 'district', birthdate: 'birthdate' },
      },
    ]);
    expect(resolveImports(variables.TABLE_NAME, [dataStack])).toEqual({
      [dataStack.stackName]: { Ref: tableId },
    });
  });

  it('keeps a log group with a retention for each function, and one for the access log', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', FIXTURE_TOOLS.length + 1);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('gives each function a role of its own that may write to its own log group and uses no managed policy', () => {
    for (const tool of FIXTURE_TOOLS) {
      const functionId = functionIdOf(tool.name);
      const roleId = (
        template.findResources('AWS::Lambda::Function')[functionId]!.Properties as {
          Role: { 'Fn::GetAtt': [string, string] };
        }
      ).Role['Fn::GetAtt'][0];
      expect(template.findResources('AWS::IAM::Role')[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
      const logStatements = statementsOfFunction(template, functionId).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('logs:')),
      );
      expect(logStatements).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: {
            'Fn::GetAtt': [
              logicalIdOf(template, 'AWS::Logs::LogGroup', `${pascalCase(tool.name)}FunctionLogs`),
              'Arn',
            ],
          },
        },
      ]);
    }
  });

  it('bundles an ES module with its source map and copies tool assets at their relative path', async () => {
    const tool = FIXTURE_TOOLS.find((candidate) => candidate.assets?.length)!;
    const code = template.findResources('AWS::Lambda::Function')[functionIdOf(tool.name)]!.Properties.Code;
    const bundleDir = join(app.outdir, `asset.${String(code.S3Key).replace(/\.zip$/, '')}`);
    expect(existsSync(join(bundleDir, 'index.mjs.map'))).toBe(true);
    expect(readFileSync(join(bundleDir, FIXTURE_ASSET), 'utf8')).toContain('fixture asset');

    const bundle = await import(pathToFileURL(join(bundleDir, 'index.mjs')).href);
    expect(await bundle.handler()).toEqual({ statusCode: 200, body: readFileSync(FIXTURE_ASSET, 'utf8') });
  });
});

describe('api stack: least privilege', () => {
  it("grants each function exactly its tool's table actions on the table, and Query on the indexes it names only", () => {
    for (const tool of FIXTURE_TOOLS) {
      const tableStatements = statementsOfFunction(template, functionIdOf(tool.name)).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      );
      const [onTable, ...onIndexes] = tableStatements;
      expect(onTable!.Effect).toBe('Allow');
      expect(actionsOf(onTable!).sort()).toEqual([...tool.tableActions].sort());
      expect(resolveImports(onTable!.Resource, [dataStack])).toEqual(tableArn);
      if (!tool.tableActions.includes('dynamodb:Query')) {
        expect(onIndexes, tool.name).toEqual([]);
        continue;
      }
      // alpha names GSI2: Query on that index by its own ARN, no `index/*`.
      expect(tool.indexes).toEqual(['GSI2']);
      expect(onIndexes).toHaveLength(1);
      expect(actionsOf(onIndexes[0]!)).toEqual(['dynamodb:Query']);
      expect(resolveImports(onIndexes[0]!.Resource, [dataStack])).toEqual({
        'Fn::Join': ['', [tableArn, '/index/GSI2']],
      });
    }
  });

  it('lets a function read the signer secret and touch exports/ only, and nothing with a wildcard action', () => {
    const statements = statementsOfFunction(template, functionIdOf('alpha'));
    const allActions = statements.flatMap(actionsOf);
    expect(allActions.filter((action) => action.includes('*'))).toEqual([]);
    expect(allActions.filter((action) => action.startsWith('secretsmanager:')).sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    const s3 = statements.filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('s3:')),
    );
    expect(s3).toHaveLength(1);
    expect(actionsOf(s3[0]!).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    const bucketId = logicalIdOf(Template.fromStack(stacks.exports), 'AWS::S3::Bucket', 'ExportsBucket');
    expect(resolveImports(s3[0]!.Resource, [stacks.exports])).toEqual({
      'Fn::Join': ['', [{ [stacks.exports.stackName]: { 'Fn::GetAtt': [bucketId, 'Arn'] } }, '/exports/*']],
    });
  });

  it('gives a tool without user routes or exports neither the signer secret nor the bucket', () => {
    const actions = statementsOfFunction(template, functionIdOf('gamma')).flatMap(actionsOf);
    const variables =
      template.findResources('AWS::Lambda::Function')[functionIdOf('gamma')]!.Properties.Environment
        .Variables;

    expect(
      actions.filter((action) => !action.startsWith('dynamodb:') && !action.startsWith('logs:')),
    ).toEqual([]);
    expect(Object.keys(variables)).not.toContain('SIGNER_SECRET_ARN');
    expect(Object.keys(variables)).not.toContain('EXPORTS_BUCKET');
  });

  it('gives a tool with user routes but no exports the secret and not the bucket', () => {
    const actions = statementsOfFunction(template, functionIdOf('beta-tool')).flatMap(actionsOf);

    expect(actions).toContain('secretsmanager:GetSecretValue');
    expect(actions.filter((action) => action.startsWith('s3:'))).toEqual([]);
  });
});

describe('least privilege of the real functions (functions/tools.ts)', () => {
  const real = apps.synthesize(HROMADA_HANDLERS, { ...TEST_CONTEXT, ...NO_BUNDLING }).stacks;
  const realTableId = logicalIdOf(Template.fromStack(real.data), 'AWS::DynamoDB::Table', 'Table');
  const realTableArn = { [real.data.stackName]: { 'Fn::GetAtt': [realTableId, 'Arn'] } };
  const { tools, streamHandler, scheduledHandlers, queuedJobHandlers = [] } = HROMADA_HANDLERS;
  const functions = [
    ...tools.map((spec) => ({ spec, stack: real.api, id: `${pascalCase(spec.name)}Function` })),
    { spec: streamHandler, stack: real.events, id: 'StreamFunction' },
    ...[...scheduledHandlers, ...queuedJobHandlers].map((spec) => ({
      spec,
      stack: real.jobs,
      id: `${pascalCase(spec.name)}Function`,
    })),
  ];

  it.each(functions.map((fn) => [fn.spec.name, fn] as const))(
    '%s may Query exactly the indexes it declares, each by its own ARN',
    (_, { spec, stack, id }) => {
      const stackTemplate = Template.fromStack(stack);
      const onIndexes = indexStatementsOf(
        stackTemplate,
        logicalIdOf(stackTemplate, 'AWS::Lambda::Function', id),
      );
      if (spec.indexes.length === 0) {
        expect(onIndexes).toEqual([]);
        return;
      }
      expect(onIndexes.map(actionsOf)).toEqual([['dynamodb:Query']]);
      expect(resolveImports(onIndexes[0]!.Resource, [real.data])).toEqual(
        indexArns(realTableArn, spec.indexes),
      );
    },
  );
});
