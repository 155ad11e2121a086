import { type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { QUEUED_JOB_HANDLERS, SCHEDULED_HANDLERS, TOOLS } from '../../functions/tools';
import { addAwsChecks } from '../../infra/aws/checks';
import { CONTEXT_KEYS } from '../../infra/aws/config';
import { HROMADA_HANDLERS } from '../../infra/aws/hromada';
import { FIXTURE_HANDLERS, NO_BUNDLING, TEST_CONTEXT, TestApps } from './support';

const apps = new TestApps();
afterAll(() => apps.removeAll());

/** The real handlers (functions/tools.ts), without bundling: the checks read the construct tree, not the code. */
function realApp(stage: string) {
  return apps.synthesize(HROMADA_HANDLERS, { ...TEST_CONTEXT, ...NO_BUNDLING, [CONTEXT_KEYS.stage]: stage });
}

interface Finding {
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
}

/** Every AwsSolutions finding cdk-nag reports on `scope`, one per resource, acknowledged ones left out. */
function findings(scope: IConstruct): Finding[] {
  return new AwsSolutionsChecks().validateScope(scope).violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      rule: violation.ruleName,
      severity: violation.severity ?? 'error',
      path: resource.constructPath ?? '?',
    })),
  );
}

/** Each acknowledged rule id (without CDK's `Annotation::` prefix) with the constructs it is acknowledged on. */
function acknowledgements(scope: IConstruct): Map<string, { path: string; reason: string }[]> {
  const byRule = new Map<string, { path: string; reason: string }[]>();
  for (const construct of scope.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        const rule = id.replace(/^annotation::/i, '');
        byRule.set(rule, [...(byRule.get(rule) ?? []), { path: construct.node.path, reason }]);
      }
    }
  }
  return byRule;
}

const real = { test: realApp('test'), prod: realApp('prod') };
const publicRoutes = TOOLS.flatMap((tool) => tool.routes).filter((route) => route.auth === 'public');
const functionCount = TOOLS.length + 1 + SCHEDULED_HANDLERS.length + QUEUED_JOB_HANDLERS.length;

describe('cdk-nag AwsSolutions checks over the real stacks', () => {
  describe.each(['test', 'prod'] as const)('stage %s', (stage) => {
    const { app } = real[stage];
    const found = findings(app);

    it('reports zero errors and zero warnings', () => {
      expect(found.filter((finding) => finding.severity === 'error')).toEqual([]);
      expect(found.filter((finding) => finding.severity !== 'error')).toEqual([]);
    });

    it('acknowledges only what stays by design, each with a reason, on the resources it concerns', () => {
      const acknowledged = acknowledgements(app);
      const counts = Object.fromEntries([...acknowledged].map(([rule, places]) => [rule, places.length]));
      // prod has the WAF in front (hromada:waf): its distribution, log bucket and origin-verify secret.
      const edge = stage === 'prod' ? 1 : 0;
      expect(counts).toEqual({
        // One per public route, none on a user route: a route added without its authorizer still fails.
        'AwsSolutions-APIG4': publicRoutes.length,
        'AwsSolutions-L1': functionCount,
        'AwsSolutions-SMG4': 1 + edge,
        'AwsSolutions-SQS3': 2,
        'AwsSolutions-IAM5[Resource::*]': 1,
        'AwsSolutions-S1': 1 + edge,
        ...(edge ? { 'AwsSolutions-CFR1': 1, 'AwsSolutions-CFR4': 1 } : {}),
      });
      for (const [rule, places] of acknowledged) {
        for (const { path, reason } of places)
          expect(reason.length, `${rule} on ${path}`).toBeGreaterThan(60);
      }
      expect(acknowledged.get('AwsSolutions-IAM5[Resource::*]')!.map(({ path }) => path)).toEqual([
        `Hromada-${stage}-Events/StreamFunctionRole`,
      ]);
      expect(acknowledged.get('AwsSolutions-S1')!.map(({ path }) => path)).toEqual([
        `Hromada-${stage}-Exports/AccessLogsBucket`,
        ...(edge ? [`Hromada-${stage}-Api/Edge/Logs`] : []),
      ]);
    });
  });

  it('has every SQS queue (dead-letter ones included) refuse requests that do not use TLS', () => {
    let queues = 0;
    for (const stack of Object.values(real.prod.stacks) as Stack[]) {
      const template = Template.fromStack(stack);
      const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')).map(
        (policy) => policy.Properties as { Queues: unknown[]; PolicyDocument: { Statement: unknown[] } },
      );
      for (const queueId of Object.keys(template.findResources('AWS::SQS::Queue'))) {
        queues += 1;
        const statements = policies
          .filter((policy) => JSON.stringify(policy.Queues) === JSON.stringify([{ Ref: queueId }]))
          .flatMap((policy) => policy.PolicyDocument.Statement);
        expect(statements, queueId).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Action: 'sqs:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    }
    // The stream's and the jobs' dead-letter queues, and per queued job its queue and dead-letter queue.
    expect(queues).toBe(2 + 2 * QUEUED_JOB_HANDLERS.length);
  });

  it('finds what is neither fixed nor acknowledged: a plain queue fails the checks and the synth of the app', () => {
    // The fixtures add what the real tools do not use yet: a tool that writes exports, one that names its index.
    const { app, stacks } = apps.synthesize(FIXTURE_HANDLERS, { ...TEST_CONTEXT, ...NO_BUNDLING });
    expect(findings(app)).toEqual([]);

    new Queue(stacks.jobs, 'PlainQueue');
    expect(findings(app)).toEqual([
      { rule: 'AwsSolutions-SQS3', severity: 'error', path: 'Hromada-test-Jobs/PlainQueue/Resource' },
      { rule: 'AwsSolutions-SQS4', severity: 'error', path: 'Hromada-test-Jobs/PlainQueue/Resource' },
    ]);
    addAwsChecks(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });

  it('lets the app with the checks wired in (as infra/aws/app.ts does) synthesize', () => {
    const { app, stacks } = real.test;
    addAwsChecks(app);
    const assembly = app.synth();
    expect(assembly.stacks.map((stack) => stack.stackName).sort()).toEqual(
      Object.values(stacks)
        .map((stack: Stack) => stack.stackName)
        .sort(),
    );
  });
});
