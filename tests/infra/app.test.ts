import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { routeKey } from '../../functions/shared/routes';
import { QUEUED_JOB_HANDLERS, SCHEDULED_HANDLERS, STREAM_HANDLER, TOOLS } from '../../functions/tools';
import { REPO_ROOT } from '../../infra/aws/handler-function';
import { HROMADA_HANDLERS, type HromadaStacks } from '../../infra/aws/hromada';
import { logicalIdOf, TestApps } from './support';

const apps = new TestApps();
const cliOutdirs: string[] = [];
afterAll(() => {
  apps.removeAll();
  for (const outdir of cliOutdirs) rmSync(outdir, { recursive: true, force: true });
});

const STACK_PARTS = ['Data', 'Events', 'Exports', 'Api', 'Jobs'];

/** Bundling every real Lambda takes a while (longer on a busy machine): synthesize once, for both tests. */
let real: HromadaStacks | undefined;
const realStacks = (): HromadaStacks => {
  real ??= apps.synthesize(HROMADA_HANDLERS).stacks;
  return real;
};

describe('the real app (functions/tools.ts handlers)', () => {
  it('deploys every tool with every route of its route table, and the stream handler', () => {
    const stacks = realStacks();
    const api = Template.fromStack(stacks.api);
    api.resourceCountIs('AWS::Lambda::Function', TOOLS.length);
    const routes = TOOLS.flatMap((tool) => tool.routes);
    api.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
    for (const route of routes) {
      api.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey(route),
        AuthorizationType: route.auth === 'user' ? 'JWT' : 'NONE',
      });
    }
    Template.fromStack(stacks.events).resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    Template.fromStack(stacks.jobs).resourceCountIs(
      'AWS::Events::Rule',
      SCHEDULED_HANDLERS.length + QUEUED_JOB_HANDLERS.length,
    );
  }, 180_000);

  it('runs the budget results job in a function of its own, fed by a queue, and not in the stream consumer', () => {
    const stacks = realStacks();
    const events = Template.fromStack(stacks.events);
    const jobs = Template.fromStack(stacks.jobs);
    const stream =
      events.findResources('AWS::Lambda::Function')[
        logicalIdOf(events, 'AWS::Lambda::Function', 'StreamFunction')
      ]!.Properties;
    expect(stream.Timeout).toBeLessThanOrEqual(30);
    expect(STREAM_HANDLER.tableActions).not.toContain('dynamodb:Query');

    const resultsId = logicalIdOf(jobs, 'AWS::Lambda::Function', 'BudgetResultsFunction');
    const results = jobs.findResources('AWS::Lambda::Function')[resultsId]!.Properties;
    expect(results.Timeout).toBeGreaterThanOrEqual(600);
    expect(results.MemorySize).toBeGreaterThanOrEqual(3008);
    jobs.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: resultsId },
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(jobs, 'AWS::SQS::Queue', 'BudgetResultsQueue'), 'Arn'] },
      BatchSize: 1,
    });
    jobs.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['hromada'], 'detail-type': ['budget.results-requested.v1'] },
    });
  }, 180_000);

  it('synthesizes with `npx cdk synth` offline, without credentials, one template per stack', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'hromada-cdk-synth-'));
    cliOutdirs.push(outdir);
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
    const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '-o', outdir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      // Bundling every Lambda with esbuild takes ~7 s alone, several times that beside a busy suite.
      timeout: 170_000,
      env: {
        ...env,
        CDK_DISABLE_CLI_TELEMETRY: 'true',
        // No instance metadata service to ask for credentials: fail fast instead of waiting for it.
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    expect(result.status, result.stderr).toBe(0);
    const templates = readdirSync(outdir).filter((name) => name.endsWith('.template.json'));
    expect(templates.sort()).toEqual(STACK_PARTS.map((part) => `Hromada-dev-${part}.template.json`).sort());
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(true);
  }, 180_000);
});
