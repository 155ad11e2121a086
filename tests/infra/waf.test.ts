import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER } from '../../functions/shared/config';
import { addAwsChecks } from '../../infra/aws/checks';
import { CONTEXT_KEYS, DEPLOYMENT_LIMIT_DEFAULTS, readDeploymentConfig } from '../../infra/aws/config';
import type { HromadaStacks } from '../../infra/aws/hromada';
import { WAF_WINDOW_SECONDS } from '../../infra/aws/stacks/edge-stack';
import { FIXTURE_TOOLS, NO_BUNDLING, TEST_CONTEXT, TestApps } from './support';

const apps = new TestApps();
afterAll(() => apps.removeAll());

function deploy(context: Record<string, unknown> = {}): HromadaStacks {
  return apps.synthesize(undefined, { ...TEST_CONTEXT, ...NO_BUNDLING, ...context }).stacks;
}

function configFrom(context: Record<string, unknown>) {
  return readDeploymentConfig(apps.create({ ...TEST_CONTEXT, ...context }).node);
}

/** Every resource type of every stack. */
function resourceTypes(stacks: HromadaStacks): string[] {
  return Object.values(stacks).flatMap((stack: Stack) =>
    Object.values(Template.fromStack(stack).toJSON().Resources ?? {}).map(
      (resource) => (resource as { Type: string }).Type,
    ),
  );
}

interface DistributionConfig {
  WebACLId: unknown;
  Origins: {
    DomainName: unknown;
    OriginCustomHeaders: { HeaderName: string; HeaderValue: unknown }[];
    CustomOriginConfig: { OriginProtocolPolicy: string; OriginSSLProtocols: string[] };
  }[];
  DefaultCacheBehavior: Record<string, unknown>;
  Logging?: unknown;
}

const prod = deploy({ [CONTEXT_KEYS.stage]: 'prod', [CONTEXT_KEYS.wafRateLimit]: '750' });
const test = deploy();

describe('the WAF in front of the API on prod', () => {
  const edge = prod.edge!;
  const edgeTemplate = Template.fromStack(edge);
  const apiTemplate = Template.fromStack(prod.api);
  const distributions = Object.values(apiTemplate.findResources('AWS::CloudFront::Distribution'));
  const distribution = distributions[0]?.Properties.DistributionConfig as DistributionConfig;

  it('puts the web ACL in us-east-1 (scope CLOUDFRONT) and the other stacks in the configured region', () => {
    expect(edge.region).toBe('us-east-1');
    expect(prod.api.region).toBe('eu-central-1');
    expect(prod.data.region).toBe('eu-central-1');
    edgeTemplate.resourceCountIs('AWS::WAFv2::WebACL', 1);
    edgeTemplate.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true },
    });
  });

  it('blocks one IP past the configured requests in 5 minutes with a 429 and Retry-After', () => {
    const acl = Object.values(edgeTemplate.findResources('AWS::WAFv2::WebACL'))[0]!.Properties;
    expect(acl.Rules).toEqual([
      {
        Name: 'RatePerIp',
        Priority: 0,
        Action: {
          Block: {
            CustomResponse: {
              ResponseCode: 429,
              ResponseHeaders: [{ Name: 'retry-after', Value: String(WAF_WINDOW_SECONDS) }],
            },
          },
        },
        Statement: {
          RateBasedStatement: { Limit: 750, AggregateKeyType: 'IP', EvaluationWindowSec: 300 },
        },
        VisibilityConfig: {
          CloudWatchMetricsEnabled: true,
          MetricName: 'hromada-prod-rate-per-ip',
          SampledRequestsEnabled: true,
        },
      },
    ]);
  });

  it('puts one CloudFront distribution with that web ACL in front of the execute-api endpoint, HTTPS only', () => {
    expect(distributions).toHaveLength(1);
    // The ARN arrives across regions: the edge stack writes the web ACL's ARN under a name, the API stack reads that name.
    const [reader, exportName] = (distribution.WebACLId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
    expect(apiTemplate.toJSON().Resources[reader].Type).toBe('Custom::CrossRegionExportReader');
    const writers = Object.values(edgeTemplate.findResources('Custom::CrossRegionExportWriter'));
    expect(writers).toHaveLength(1);
    expect(writers[0]!.Properties.WriterProps.exports[exportName]).toEqual({
      'Fn::GetAtt': [edge.getLogicalId(edge.webAcl), 'Arn'],
    });
    expect(distribution.Origins).toHaveLength(1);
    const origin = distribution.Origins[0]!;
    expect(JSON.stringify(origin.DomainName)).toContain('.execute-api.eu-central-1.');
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(distribution.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      // The managed policies' ids: CachingDisabled, AllViewerExceptHostHeader.
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    });
    expect(distribution.Logging).toBeDefined();
    expect(Object.keys(apiTemplate.toJSON().Outputs ?? {})).toContain('EdgeUrl');
  });

  it('has CloudFront send the origin-verify secret and every API function expect that same value', () => {
    const [header] = distribution.Origins[0]!.OriginCustomHeaders;
    expect(header!.HeaderName).toBe(ORIGIN_VERIFY_HEADER);
    const secretIds = Object.keys(apiTemplate.findResources('AWS::SecretsManager::Secret'));
    expect(secretIds).toHaveLength(1);
    // A dynamic reference to the generated secret: CloudFormation resolves it, the template never holds it.
    expect(JSON.stringify(header!.HeaderValue)).toContain('{{resolve:secretsmanager:');
    expect(JSON.stringify(header!.HeaderValue)).toContain(secretIds[0]);
    // The tools' functions, not the custom resource that reads the web ACL's ARN across regions.
    const functions = Object.values(apiTemplate.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Environment?.Variables?.TABLE_NAME !== undefined,
    );
    expect(functions).toHaveLength(FIXTURE_TOOLS.length);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables.ORIGIN_VERIFY).toEqual(header!.HeaderValue);
    }
  });
});

describe('the prod app with the checks wired in (as infra/aws/app.ts does)', () => {
  it('synthesizes, cross-region reference and cdk-nag included, with the edge stack among its stacks', () => {
    const { app } = apps.synthesize(undefined, {
      ...TEST_CONTEXT,
      ...NO_BUNDLING,
      [CONTEXT_KEYS.stage]: 'prod',
    });
    addAwsChecks(app);
    const names = app.synth().stacks.map((stack) => stack.stackName);
    expect(names.sort()).toEqual(
      ['Api', 'Data', 'Edge', 'Events', 'Exports', 'Jobs'].map((part) => `Hromada-prod-${part}`),
    );
  });
});

describe('without the WAF (every stage but prod, by default)', () => {
  it('creates no web ACL, no distribution, no origin-verify secret and no edge stack; stacks stay env-agnostic', () => {
    expect(test.edge).toBeUndefined();
    const types = resourceTypes(test);
    expect(
      types.filter((type) => type.startsWith('AWS::WAFv2::') || type.startsWith('AWS::CloudFront::')),
    ).toEqual([]);
    for (const fn of Object.values(Template.fromStack(test.api).findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment.Variables.ORIGIN_VERIFY).toBeUndefined();
    }
    expect(test.api.environment).toBe('aws://unknown-account/unknown-region');
  });

  it('is off on prod when the context says so', () => {
    const off = deploy({ [CONTEXT_KEYS.stage]: 'prod', [CONTEXT_KEYS.waf]: 'off' });
    expect(off.edge).toBeUndefined();
    expect(resourceTypes(off).filter((type) => type.startsWith('AWS::CloudFront::'))).toEqual([]);
  });
});

describe('WAF settings from CDK context', () => {
  it('is on for prod with the default limit, off elsewhere, and follows on/off/true/false', () => {
    expect(configFrom({ [CONTEXT_KEYS.stage]: 'prod' }).waf).toEqual({
      rateLimit: DEPLOYMENT_LIMIT_DEFAULTS.wafRateLimit,
    });
    expect(configFrom({}).waf).toBeUndefined();
    expect(configFrom({ [CONTEXT_KEYS.waf]: 'on' }).waf).toEqual({ rateLimit: 2000 });
    expect(configFrom({ [CONTEXT_KEYS.waf]: true, [CONTEXT_KEYS.wafRateLimit]: 10 }).waf).toEqual({
      rateLimit: 10,
    });
    expect(configFrom({ [CONTEXT_KEYS.stage]: 'prod', [CONTEXT_KEYS.waf]: false }).waf).toBeUndefined();
    expect(configFrom({ [CONTEXT_KEYS.stage]: 'prod', [CONTEXT_KEYS.waf]: 'off' }).region).toBeUndefined();
  });

  it('refuses a limit outside AWS WAF bounds (10 to 2,000,000,000) and a flag that is neither on nor off', () => {
    for (const limit of ['9', '2000000001', '1.5', 'many', -5]) {
      expect(() => configFrom({ [CONTEXT_KEYS.wafRateLimit]: limit }), String(limit)).toThrow(
        /hromada:wafRateLimit must be a whole number from 10 to 2000000000/,
      );
    }
    expect(configFrom({ [CONTEXT_KEYS.waf]: 'on', [CONTEXT_KEYS.wafRateLimit]: '2000000000' }).waf).toEqual({
      rateLimit: 2_000_000_000,
    });
    expect(() => configFrom({ [CONTEXT_KEYS.waf]: 'yes' })).toThrow(/hromada:waf must be on or off/);
  });

  it('needs a region with the WAF on, and refuses one that is not a region', () => {
    const saved = process.env.CDK_DEFAULT_REGION;
    delete process.env.CDK_DEFAULT_REGION;
    try {
      expect(() => configFrom({ [CONTEXT_KEYS.stage]: 'prod', [CONTEXT_KEYS.region]: '' })).toThrow(
        /-c hromada:region=eu-central-1/,
      );
    } finally {
      if (saved !== undefined) process.env.CDK_DEFAULT_REGION = saved;
    }
    expect(() => configFrom({ [CONTEXT_KEYS.stage]: 'prod', [CONTEXT_KEYS.region]: 'Frankfurt' })).toThrow(
      /hromada:region must be an AWS region/,
    );
  });
});
