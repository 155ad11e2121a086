import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../../../functions/shared/config';

/** Why the distribution has no geo restriction (AwsSolutions-CFR1). */
export const NO_GEO_RESTRICTION_REASON =
  'No geo restriction on purpose: residents abroad and displaced people take part from wherever they are; the WAF rate rule per IP and the stage throttling bound the traffic instead.';

/** Why the viewer side keeps CloudFront's default certificate and its TLS policy (AwsSolutions-CFR4). */
export const DEFAULT_CERTIFICATE_REASON =
  "The distribution answers on its *.cloudfront.net name with CloudFront's default certificate, whose security policy CloudFront fixes; a minimum of TLS 1.2 for viewers takes a custom domain with an ACM certificate in us-east-1, which the deployment does not have yet (docs/deploy.md).";

/** Why the edge log bucket logs no access to itself (AwsSolutions-S1). */
export const EDGE_LOG_BUCKET_REASON =
  "This bucket holds the CloudFront access logs; logging access to the log bucket would need another bucket without one, endlessly. Public access is blocked and only CloudFront's log delivery writes here.";

/** Why the origin-verify secret is not rotated (AwsSolutions-SMG4). */
export const ORIGIN_VERIFY_ROTATION_REASON =
  "The origin-verify value is copied into the distribution's origin header and the API functions' environment at deploy time; a rotation outside a deploy would make the API refuse every request from CloudFront. It keeps callers from going around the WAF, grants nothing, and changes with a redeploy of a replaced secret.";

export interface ApiEdgeProps {
  readonly api: HttpApi;
  /** The ARN of the web ACL (scope CLOUDFRONT, in us-east-1) the distribution uses. */
  readonly webAclArn: string;
}

/**
 * A CloudFront distribution in front of the HTTP API, with the WAF web ACL,
 * since WAF attaches to CloudFront and not to an HTTP API. CloudFront adds
 * {@link ORIGIN_VERIFY_HEADER} with a generated secret value to every request
 * it forwards; the API functions get the same value (`originVerify`) and
 * refuse requests without it, which closes the way around the WAF through
 * the `execute-api` endpoint.
 */
export class ApiEdge extends Construct {
  readonly distribution: Distribution;
  /** The value the API functions expect in {@link ORIGIN_VERIFY_HEADER} (a dynamic reference to the secret). */
  readonly originVerify: string;

  constructor(scope: Construct, id: string, props: ApiEdgeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const secret = new Secret(this, 'OriginVerifySecret', {
      description: `Value CloudFront sends in ${ORIGIN_VERIFY_HEADER} to the Hromada API`,
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
    });
    Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: ORIGIN_VERIFY_ROTATION_REASON });
    // Resolved by CloudFormation at deploy time; the template never holds the value.
    this.originVerify = secret.secretValue.unsafeUnwrap();

    const logs = new Bucket(this, 'Logs', {
      // CloudFront's standard logs are delivered with an ACL, so the bucket must allow ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: EDGE_LOG_BUCKET_REASON });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Hromada API behind AWS WAF (${stack.stackName})`,
      webAclId: props.webAclArn,
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: new HttpOrigin(`${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          customHeaders: { [ORIGIN_VERIFY_HEADER]: this.originVerify },
        }),
        allowedMethods: AllowedMethods.ALLOW_ALL,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        // Nothing cached at the edge: answers depend on the caller's token and on fresh counts.
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // Every viewer header (Authorization, Accept-Language, If-None-Match…) but Host, which must name the API.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: NO_GEO_RESTRICTION_REASON,
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: DEFAULT_CERTIFICATE_REASON,
    });

    new CfnOutput(stack, 'EdgeUrl', {
      value: `https://${this.distribution.distributionDomainName}`,
      description: 'Base URL of the Hromada API behind CloudFront and AWS WAF: the one clients use',
    });
  }
}
