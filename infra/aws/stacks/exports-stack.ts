import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';

/** Where the handlers write exports; presigned URLs hand them out. */
export const EXPORTS_PREFIX = 'exports/';

/** Where S3 writes the exports bucket's server access logs, inside the access log bucket. */
export const EXPORTS_ACCESS_LOG_PREFIX = 'exports-bucket/';

/** Days kept: access logs name the IP of everyone who fetched an export, which is personal data. */
export const ACCESS_LOG_RETENTION_DAYS = 30;

/**
 * Large exports (over API Gateway's 6 MB response limit) are written to this
 * bucket and fetched through presigned URLs; they are copies, so they expire.
 * Each fetch is recorded in the access log bucket (who used which presigned
 * URL, from where).
 */
export class ExportsStack extends Stack {
  readonly bucket: Bucket;
  /** The exports bucket's server access logs. */
  readonly accessLogsBucket: Bucket;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // S3 delivers the logs under a bucket policy rather than the legacy log-delivery ACL,
    // so the log bucket can keep ACLs disabled.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    this.accessLogsBucket = new Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Server access logs can only be delivered to a bucket with S3-managed keys.
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_RETENTION_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access log bucket itself: logging it into itself would log every log delivery, and another bucket for it would need its own log bucket in turn. Only S3 writes to it; it is private, TLS only, and expires its objects.',
    });

    this.bucket = new Bucket(this, 'ExportsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      lifecycleRules: [
        { expiration: Duration.days(7), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: EXPORTS_ACCESS_LOG_PREFIX,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnOutput(this, 'ExportsBucketArn', {
      value: this.bucket.bucketArn,
      exportName: exportsBucketArnExportName(this),
      description: 'ARN of the exports bucket, imported by the policies of functions that write exports',
    });
  }
}

/**
 * The export name of the exports bucket's ARN. Policies in other stacks import
 * it by this name rather than by CDK's generated one, so the cdk-nag finding
 * their `exports/*` grant raises has an id known in advance.
 */
export function exportsBucketArnExportName(exportsStack: Stack): string {
  return `${exportsStack.stackName}:ExportsBucketArn`;
}

/**
 * Read and write under `exports/` only: a presigned GET is only as strong as
 * its signer's rights. For a function in another stack than the bucket (the
 * exports stack): the objects' names are made at run time, hence the one
 * wildcard, acknowledged on the function's role for exactly that resource.
 */
export function grantExportsReadWrite(fn: IFunction, bucket: IBucket): void {
  const exportName = exportsBucketArnExportName(Stack.of(bucket));
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [`${Fn.importValue(exportName)}/${EXPORTS_PREFIX}*`],
    }),
  );
  if (fn.role) {
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${exportName}/${EXPORTS_PREFIX}*]`,
      reason:
        'Exports are written under names made at run time, so the grant covers the exports/ prefix of the one exports bucket (GetObject and PutObject only), nothing else in it.',
    });
  }
}
