import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent, ScheduledEvent } from 'aws-lambda';
import { verifyBearer } from '../../functions/shared/auth/verify';
import type { IssuerConfig } from '../../functions/shared/config';
import { setEventPublisher } from '../../functions/shared/event-publisher';
import type { ToolDefinition } from '../../functions/shared/routes';
import { createTableInput } from '../../functions/shared/table';
import { QUEUED_JOB_HANDLERS, SCHEDULED_HANDLERS, STREAM_HANDLER, TOOLS } from '../../functions/tools';
import { createLocalBus, jsonLog, type LocalBus, type Log } from './bus';
import { startDynamoDbLocal } from './dynamodb';
import { createJobRunner, type JobRunner, type QueuedJob, subscribeJobs } from './job-runner';
import { createScheduler, type Scheduler } from './scheduler';
import { type Authorize, createLocalServer, lambdaContext, REPOSITORY_ROOT } from './server';
import { createStreamPoller, type StreamPoller } from './stream-poller';

/** How often the local runtime runs each scheduled handler, whatever its AWS schedule says. */
export const SCHEDULE_EVERY_MS = 60_000;

export interface LocalRuntimeOptions {
  /** 0 picks any free port; default `PORT` from the environment, else 3000. */
  readonly port?: number;
  readonly host?: string;
  /** Persist DynamoDB Local's tables in this folder instead of memory. */
  readonly dataDir?: string;
  /** Use this DynamoDB Local instead of starting one (tests pass the run's instance). */
  readonly dynamoEndpoint?: string;
  readonly tableName?: string;
  readonly region?: string;
  readonly issuers: readonly IssuerConfig[];
  readonly signerSecret: string;
  /** Verifies bearer tokens; by default against `issuers`, as the JWT authorizer would. */
  readonly authorize?: Authorize;
  /** The HTTP tools to serve; every tool by default. */
  readonly tools?: readonly ToolDefinition[];
  /** The long jobs to run in the job worker; `QUEUED_JOB_HANDLERS` by default (tests swap an entry). */
  readonly queuedJobs?: readonly QueuedJob[];
  /** Overrides every queued job's time limit (tests use a short one). */
  readonly jobTimeLimitMs?: number;
  readonly log?: Log;
}

export interface LocalRuntime {
  /** Base URL of the API, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** DynamoDB Local's endpoint. */
  readonly endpoint: string;
  readonly tableName: string;
  readonly bus: LocalBus;
  readonly poller: StreamPoller;
  readonly scheduler: Scheduler;
  /** Runs the long jobs (budget results) in a worker thread. */
  readonly jobs: JobRunner;
  /** Resolves once the stream has been read to its end, every batch handled and every queued job run. */
  drain(): Promise<void>;
  /** Stops everything this runtime started, DynamoDB Local included when it started it. */
  stop(): Promise<void>;
}

/** A Lambda handler as a module exports it (the callback style is not used here). */
type LambdaHandler<Event, Result> = (event: Event, context: Context) => Promise<Result>;

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Creates the table from the one table definition unless it exists, and waits until it is active. */
async function ensureTable(endpoint: string, region: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS });
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    }
    await waitUntilTableExists(
      { client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 },
      { TableName: tableName },
    );
  } finally {
    client.destroy();
  }
}

/** The `handler` export of a module given relative to the repository root. */
async function importHandler<T>(entry: string): Promise<T> {
  const module = (await import(pathToFileURL(resolve(REPOSITORY_ROOT, entry)).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${entry} does not export a handler function`);
  return module.handler as T;
}

/** The event an EventBridge schedule rule (`rate(5 minutes)`) sends its target. */
function scheduledEvent(region: string, name: string): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region,
    resources: [`arn:aws:events:${region}:000000000000:rule/${name}`],
    detail: {},
  };
}

function listen(server: ReturnType<typeof createLocalServer>, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    server.once('error', rejectPort);
    server.listen(port, host, () => {
      server.off('error', rejectPort);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Hosts the whole system on this machine: DynamoDB Local (started unless an
 * endpoint is given) with the table, the HTTP API over the tools' real
 * handlers, the stream poller over the real stream handler, the scheduled
 * handlers on timers, the in-process bus as the event publisher, and the
 * long jobs (budget results) in a worker thread fed by the bus.
 *
 * The handlers read their configuration from the environment, as in Lambda, so
 * this sets `TABLE_NAME`, `DYNAMODB_ENDPOINT`, `AWS_REGION`, `ISSUERS` and
 * `SIGNER_SECRET` in this process.
 * @example
 * const runtime = await startLocalRuntime({ port: 0, issuers, signerSecret });
 * await fetch(`${runtime.url}/v1/communities/demo`);
 * await runtime.stop();
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? jsonLog;
  const region = options.region ?? 'eu-central-1';
  const tableName = options.tableName ?? 'hromada-local';
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? Number(process.env.PORT ?? 3000);

  const dynamo = options.dynamoEndpoint
    ? undefined
    : await startDynamoDbLocal(options.dataDir ? { dataDir: options.dataDir } : {});
  const endpoint = options.dynamoEndpoint ?? dynamo?.endpoint ?? '';
  const stops: (() => Promise<void>)[] = [];
  if (dynamo) stops.push(() => dynamo.stop());

  try {
    await ensureTable(endpoint, region, tableName);

    process.env.TABLE_NAME = tableName;
    process.env.DYNAMODB_ENDPOINT = endpoint;
    process.env.AWS_REGION = region;
    process.env.ISSUERS = JSON.stringify(options.issuers);
    process.env.SIGNER_SECRET = options.signerSecret;

    const bus = createLocalBus({ log });
    setEventPublisher(bus);
    stops.unshift(async () => setEventPublisher(undefined));

    // Stopped after the poller (nothing new arrives then) and before DynamoDB Local (failures get recorded).
    const jobs = createJobRunner({
      root: REPOSITORY_ROOT,
      log,
      ...(options.jobTimeLimitMs === undefined ? {} : { timeLimitMs: options.jobTimeLimitMs }),
    });
    subscribeJobs(bus, jobs, options.queuedJobs ?? QUEUED_JOB_HANDLERS);
    stops.unshift(() => jobs.stop());

    const streamHandler = await importHandler<LambdaHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>>(
      STREAM_HANDLER.entry,
    );
    const poller = createStreamPoller({
      endpoint,
      region,
      tableName,
      log,
      handler: (event) => streamHandler(event, lambdaContext(STREAM_HANDLER.name, region)),
    });
    poller.start();
    stops.unshift(() => poller.stop());

    const scheduler = createScheduler(
      SCHEDULED_HANDLERS.map((job) => ({
        name: job.name,
        everyMs: SCHEDULE_EVERY_MS,
        run: async () => {
          const handler = await importHandler<LambdaHandler<ScheduledEvent, unknown>>(job.entry);
          await handler(scheduledEvent(region, job.name), lambdaContext(job.name, region));
        },
      })),
      log,
    );
    scheduler.start();
    stops.unshift(() => scheduler.stop());

    const server = createLocalServer({
      tools: options.tools ?? TOOLS,
      authorize: options.authorize ?? ((header) => verifyBearer(header, options.issuers)),
      log,
      region,
    });
    const boundPort = await listen(server, port, host);
    stops.unshift(
      () =>
        new Promise<void>((closed) => {
          server.close(() => closed());
          // Keep-alive connections would hold close() open until they time out.
          server.closeAllConnections();
        }),
    );

    const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
    log({ level: 'info', msg: 'local runtime started', url, endpoint, tableName });
    return {
      url,
      endpoint,
      tableName,
      bus,
      poller,
      scheduler,
      jobs,
      drain: async () => {
        await poller.drain();
        // A job's event arrives through the stream, and its outcome is written back to the table.
        while (jobs.busy) {
          await jobs.idle();
          await poller.drain();
        }
      },
      stop: async () => {
        for (const stop of stops.splice(0)) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops.splice(0)) await stop();
    throw error;
  }
}
