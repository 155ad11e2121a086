import { type App, CrossStackReferences, ReferenceStrength } from 'aws-cdk-lib';
import { QUEUED_JOB_HANDLERS, SCHEDULED_HANDLERS, STREAM_HANDLER, TOOLS } from '../../functions/tools';
import type { DeploymentConfig } from './config';
import type { HandlerSpec } from './handler-function';
import { ApiStack, type ApiTool } from './stacks/api-stack';
import { DataStack } from './stacks/data-stack';
import { EdgeStack } from './stacks/edge-stack';
import { EventsStack } from './stacks/events-stack';
import { ExportsStack } from './stacks/exports-stack';
import { JobsStack, type QueuedJobHandlerSpec, type ScheduledHandlerSpec } from './stacks/jobs-stack';

/** The handlers to deploy; tests pass small fixtures, the app passes the real lists. */
export interface HromadaHandlers {
  readonly tools: readonly ApiTool[];
  readonly streamHandler: HandlerSpec;
  readonly scheduledHandlers: readonly ScheduledHandlerSpec[];
  /** Long jobs in functions of their own; none unless given. */
  readonly queuedJobHandlers?: readonly QueuedJobHandlerSpec[];
}

/** Every handler the system has, as `functions/tools.ts` lists them. */
export const HROMADA_HANDLERS: HromadaHandlers = {
  tools: TOOLS,
  streamHandler: STREAM_HANDLER,
  scheduledHandlers: SCHEDULED_HANDLERS,
  queuedJobHandlers: QUEUED_JOB_HANDLERS,
};

export interface HromadaStacks {
  readonly data: DataStack;
  readonly events: EventsStack;
  readonly exports: ExportsStack;
  readonly api: ApiStack;
  readonly jobs: JobsStack;
  /** The WAF web ACL in us-east-1, when `hromada:waf` is on. */
  readonly edge?: EdgeStack;
}

/**
 * Adds one deployment of Hromada to `app`: stacks named `Hromada-<stage>-<Part>`,
 * env-agnostic so that `cdk synth` needs neither credentials nor lookups.
 * With the WAF on, the web ACL goes to `Hromada-<stage>-Edge` in us-east-1 and
 * every other stack gets the configured region (no account): CDK references
 * values across regions only between stacks whose regions are explicit.
 */
export function addHromadaStacks(
  app: App,
  config: DeploymentConfig,
  handlers: HromadaHandlers = HROMADA_HANDLERS,
): HromadaStacks {
  // Strong (export/import) on purpose: CloudFormation then refuses to delete the data stack while the API uses it.
  CrossStackReferences.of(app).consume(ReferenceStrength.STRONG);
  const prefix = `Hromada-${config.stage}`;
  const { stage } = config;

  const env = config.waf ? { region: config.region } : undefined;
  const edge = config.waf
    ? new EdgeStack(app, `${prefix}-Edge`, {
        env: { region: 'us-east-1' },
        crossRegionReferences: true,
        stage,
        rateLimit: config.waf.rateLimit,
      })
    : undefined;
  const data = new DataStack(app, `${prefix}-Data`, { env, stage });
  const events = new EventsStack(app, `${prefix}-Events`, {
    env,
    stage,
    table: data.table,
    streamHandler: handlers.streamHandler,
  });
  const exports = new ExportsStack(app, `${prefix}-Exports`, { env });
  const api = new ApiStack(app, `${prefix}-Api`, {
    env,
    crossRegionReferences: edge !== undefined,
    ...(edge ? { webAclArn: edge.webAcl.attrArn } : {}),
    config,
    tools: handlers.tools,
    table: data.table,
    signerSecret: data.signerSecret,
    bus: events.bus,
    exportsBucket: exports.bucket,
  });
  const jobs = new JobsStack(app, `${prefix}-Jobs`, {
    env,
    stage,
    handlers: handlers.scheduledHandlers,
    queuedHandlers: handlers.queuedJobHandlers ?? [],
    table: data.table,
    bus: events.bus,
  });
  // No `edge` key without the WAF, so that the stacks listed are exactly the stacks deployed.
  return { data, events, exports, api, jobs, ...(edge ? { edge } : {}) };
}
