import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTEXT_KEYS, DEPLOYMENT_LIMIT_DEFAULTS } from '../../infra/aws/config';
import { REPO_ROOT } from '../../infra/aws/handler-function';
import type { HromadaStacks } from '../../infra/aws/hromada';
import { ACCESS_LOG_FIELDS } from '../../infra/aws/stacks/api-stack';
import { FIXTURE_TOOLS, logicalIdOf, NO_BUNDLING, TEST_CONTEXT, TestApps } from './support';

const apps = new TestApps();
afterAll(() => apps.removeAll());

/** The fixture deployment under `context` (on top of the test context), without bundling. */
function deploy(context: Record<string, unknown> = {}): HromadaStacks {
  return apps.synthesize(undefined, { ...TEST_CONTEXT, ...NO_BUNDLING, ...context }).stacks;
}

function stageOf(template: Template): Record<string, unknown> {
  const stages = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
  expect(stages).toHaveLength(1);
  return stages[0]!.Properties;
}

/**
 * ReservedConcurrentExecutions of every function of the stack, by logical id; not of CDK's own
 * custom resource functions (on prod, the one reading the WAF's web ACL ARN across regions).
 */
function reservedConcurrency(template: Template): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([id]) => !id.startsWith('Custom'))
      .map(([id, fn]) => [id, fn.Properties.ReservedConcurrentExecutions]),
  );
}

const testStage = deploy();
const prodStage = deploy({ [CONTEXT_KEYS.stage]: 'prod' });

describe('stage throttling from the deployment config', () => {
  it('throttles the $default stage at the default rate and burst', () => {
    expect(stageOf(Template.fromStack(testStage.api))).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: DEPLOYMENT_LIMIT_DEFAULTS.throttleRate,
        ThrottlingBurstLimit: DEPLOYMENT_LIMIT_DEFAULTS.throttleBurst,
      },
    });
  });

  it('takes rate and burst from the context', () => {
    const stacks = deploy({ [CONTEXT_KEYS.throttleRate]: '25', [CONTEXT_KEYS.throttleBurst]: 40 });
    expect(stageOf(Template.fromStack(stacks.api)).DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 25,
      ThrottlingBurstLimit: 40,
    });
  });
});

describe('stage access log', () => {
  const template = Template.fromStack(testStage.api);
  const logGroupId = logicalIdOf(template, 'AWS::Logs::LogGroup', 'AccessLogs');

  it('writes one JSON line per request to its own log group, kept 30 days and retained', () => {
    const settings = stageOf(template).AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(settings.DestinationArn).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    expect(JSON.parse(settings.Format)).toEqual(ACCESS_LOG_FIELDS);
    expect(template.findResources('AWS::Logs::LogGroup')[logGroupId]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { RetentionInDays: 30 },
    });
  });

  it('logs the request id, caller IP, route and status, and never a header, token or claim', () => {
    const format = JSON.stringify(ACCESS_LOG_FIELDS);
    for (const variable of [
      '$context.requestId',
      '$context.identity.sourceIp',
      '$context.routeKey',
      '$context.status',
    ]) {
      expect(format).toContain(variable);
    }
    expect(format).not.toMatch(/header|claims|authorization/i);
  });
});

describe('per-IP limits and function concurrency', () => {
  it('reserves (and caps) each API function at the prod default on prod, and leaves other stacks alone', () => {
    const api = reservedConcurrency(Template.fromStack(prodStage.api));
    expect(Object.values(api)).toEqual(
      FIXTURE_TOOLS.map(() => DEPLOYMENT_LIMIT_DEFAULTS.prodApiReservedConcurrency),
    );
    for (const stack of [prodStage.events, prodStage.jobs]) {
      expect(
        Object.values(reservedConcurrency(Template.fromStack(stack))).every((value) => value === undefined),
      ).toBe(true);
    }
  });

  it('reserves nothing on other stages unless the context asks', () => {
    expect(
      Object.values(reservedConcurrency(Template.fromStack(testStage.api))).every((v) => v === undefined),
    ).toBe(true);
    const asked = deploy({ [CONTEXT_KEYS.apiReservedConcurrency]: '5' });
    expect(Object.values(reservedConcurrency(Template.fromStack(asked.api)))).toEqual(
      FIXTURE_TOOLS.map(() => 5),
    );
  });

  it('creates a WAF web ACL on prod only, through CloudFront: AWS WAF cannot be associated with an HTTP API (docs/deploy.md)', () => {
    const wafTypes = (stacks: HromadaStacks) =>
      Object.values(stacks).flatMap((stack) =>
        Object.values(Template.fromStack(stack).toJSON().Resources ?? {})
          .map((resource) => (resource as { Type: string }).Type)
          .filter((type) => type.startsWith('AWS::WAFv2::')),
      );
    expect(wafTypes(testStage)).toEqual([]);
    expect(wafTypes(prodStage)).toEqual(['AWS::WAFv2::WebACL']);
    // As read, not as wrapped and emphasised in the Markdown.
    const deployGuide = readFileSync(join(REPO_ROOT, 'docs/deploy.md'), 'utf8')
      .replaceAll('**', '')
      .replace(/\s+/g, ' ');
    expect(deployGuide).toContain('AWS WAF cannot be associated with an HTTP API');
    expect(deployGuide).toContain(CONTEXT_KEYS.apiReservedConcurrency);
    expect(deployGuide).toContain(CONTEXT_KEYS.waf);
    expect(deployGuide).toContain(CONTEXT_KEYS.wafRateLimit);
  });
});
