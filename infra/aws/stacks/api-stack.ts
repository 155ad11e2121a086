import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { ToolDefinition } from '../../../functions/shared/routes';
import { type DeploymentConfig, issuersEnvironment } from '../config';
import { createHandlerFunction, grantTableActions, pascalCase } from '../handler-function';
import { ApiEdge } from './api-edge';
import { grantExportsReadWrite } from './exports-stack';

/** A tool as deployed: its definition names the indexes its queries read (`indexes`). */
export type ApiTool = ToolDefinition;

export interface ApiStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly tools: readonly ApiTool[];
  readonly table: ITable;
  readonly signerSecret: ISecret;
  readonly bus: IEventBus;
  readonly exportsBucket: IBucket;
  /** The WAF web ACL (us-east-1) to put in front of the API through CloudFront; none: no WAF, no distribution. */
  readonly webAclArn?: string;
}

/**
 * One JSON line per request in the stage's access log: enough to trace abuse
 * (who called which route how often, what API Gateway refused) without bodies,
 * tokens or claims.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTimeEpoch',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  error: '$context.error.message',
  authorizerError: '$context.authorizer.error',
} as const;

/**
 * Why `public` routes have no authorizer (AwsSolutions-APIG4): anyone may read
 * what a community publishes without an account; the handler still applies
 * visibility (hidden and draft items stay private) and answers per community.
 */
export const PUBLIC_ROUTE_REASON =
  'Public by design (route auth "public" in its tool\'s route table): published petitions, consultations, budgets, results, the API docs and CORS preflights are reachable without an account; the handler applies visibility per community and stage throttling bounds the traffic.';

/**
 * The HTTP API: one Lambda per tool, one route per entry of the tool's route
 * table. API Gateway checks tokens on `user` routes before the Lambda runs;
 * `public` routes reach it anonymously. The stage throttles all callers
 * together and logs each request. With a web ACL (`hromada:waf`), a
 * CloudFront distribution carries it in front of the API, since AWS WAF cannot
 * be attached to an HTTP API, and the functions refuse requests that did not
 * come through it (see docs/deploy.md).
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  /** The `$default` stage, with the throttling and access log of the deployment config. */
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly authorizer: HttpJwtAuthorizer;
  /** Each tool's function, by tool name. */
  readonly functions: ReadonlyMap<string, NodejsFunction>;
  /** CloudFront and the WAF in front of the API, when the deployment has a web ACL. */
  readonly edge: ApiEdge | undefined;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config } = props;

    // The stage is made here rather than by HttpApi, whose default stage takes neither throttling nor logs;
    // same construct id, so the same logical id as the stage HttpApi used to make.
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `hromada-${config.stage}`,
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.throttleRate, burstLimit: config.throttleBurst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', config.jwtIssuer, {
      jwtAudience: [config.jwtAudience],
    });
    this.edge = props.webAclArn
      ? new ApiEdge(this, 'Edge', { api: this.api, webAclArn: props.webAclArn })
      : undefined;
    // Explicit rather than omitted, so a default authorizer added later cannot silently close public routes.
    const noAuthorizer = new HttpNoneAuthorizer();

    const functions = new Map<string, NodejsFunction>();
    for (const tool of props.tools) {
      // Only a tool that authenticates callers computes signer keys; only one that writes exports needs the bucket.
      const authenticates = tool.routes.some((route) => route.auth === 'user');
      const environment = {
        TABLE_NAME: props.table.tableName,
        ISSUERS: issuersEnvironment(config),
        EVENT_BUS_NAME: props.bus.eventBusName,
        ...(authenticates ? { SIGNER_SECRET_ARN: props.signerSecret.secretArn } : {}),
        ...(tool.usesExports ? { EXPORTS_BUCKET: props.exportsBucket.bucketName } : {}),
        ...(this.edge ? { ORIGIN_VERIFY: this.edge.originVerify } : {}),
      };
      const fn = createHandlerFunction(this, `${pascalCase(tool.name)}Function`, {
        spec: tool,
        environment,
        ...(config.apiReservedConcurrency === undefined
          ? {}
          : { reservedConcurrency: config.apiReservedConcurrency }),
      });
      grantTableActions(fn, props.table, tool);
      if (authenticates) props.signerSecret.grantRead(fn);
      if (tool.usesExports) grantExportsReadWrite(fn, props.exportsBucket);

      const integration = new HttpLambdaIntegration(`${pascalCase(tool.name)}Integration`, fn);
      for (const route of tool.routes) {
        const authorizer: IHttpRouteAuthorizer = route.auth === 'user' ? this.authorizer : noAuthorizer;
        const [httpRoute] = this.api.addRoutes({
          path: route.path,
          methods: [HttpMethod[route.method]],
          integration,
          authorizer,
        });
        // Per route, not per stack: a new route that should be guarded and is not still fails the checks.
        if (route.auth === 'public' && httpRoute) {
          Validations.of(httpRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason: PUBLIC_ROUTE_REASON });
        }
      }
      functions.set(tool.name, fn);
    }
    this.functions = functions;

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.apiEndpoint,
      description: 'Base URL of the Hromada HTTP API',
    });
  }
}
