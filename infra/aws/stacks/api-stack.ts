import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { ToolDefinition } from '../../../functions/shared/routes';
import { type DeploymentConfig, issuersEnvironment } from '../config';
import { createHandlerFunction, grantTableActions, pascalCase } from '../handler-function';
import { grantExportsReadWrite } from './exports-stack';

export interface ApiStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly tools: readonly ToolDefinition[];
  readonly table: ITable;
  readonly signerSecret: ISecret;
  readonly bus: IEventBus;
  readonly exportsBucket: IBucket;
}

/**
 * The HTTP API: one Lambda per tool, one route per entry of the tool's route
 * table. API Gateway checks tokens on `user` routes before the Lambda runs;
 * `public` routes reach it anonymously.
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly authorizer: HttpJwtAuthorizer;
  /** Each tool's function, by tool name. */
  readonly functions: ReadonlyMap<string, NodejsFunction>;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.api = new HttpApi(this, 'HttpApi', { apiName: `hromada-${config.stage}` });
    this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', config.jwtIssuer, {
      jwtAudience: [config.jwtAudience],
    });
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
      };
      const fn = createHandlerFunction(this, `${pascalCase(tool.name)}Function`, { spec: tool, environment });
      grantTableActions(fn, props.table, tool.tableActions);
      if (authenticates) props.signerSecret.grantRead(fn);
      if (tool.usesExports) grantExportsReadWrite(fn, props.exportsBucket);

      const integration = new HttpLambdaIntegration(`${pascalCase(tool.name)}Integration`, fn);
      for (const route of tool.routes) {
        const authorizer: IHttpRouteAuthorizer = route.auth === 'user' ? this.authorizer : noAuthorizer;
        this.api.addRoutes({
          path: route.path,
          methods: [HttpMethod[route.method]],
          integration,
          authorizer,
        });
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
