import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPORTS_ACCESS_LOG_PREFIX, ExportsStack } from '../../infra/aws/stacks/exports-stack';
import { logicalIdOf, TestApps } from './support';

const apps = new TestApps();
afterAll(() => apps.removeAll());

describe('exports stack', () => {
  const template = Template.fromStack(new ExportsStack(apps.create(), 'Hromada-test-Exports'));
  const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', 'ExportsBucket');
  const logBucketId = logicalIdOf(template, 'AWS::S3::Bucket', 'AccessLogsBucket');
  const bucket = (id: string) => template.findResources('AWS::S3::Bucket')[id]!.Properties;
  const policyOf = (id: string) =>
    Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
      (policy) => JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: id }),
    )!.Properties.PolicyDocument.Statement;

  it('has the exports bucket and its access log bucket, both private, S3-encrypted and retained', () => {
    template.resourceCountIs('AWS::S3::Bucket', 2);
    for (const id of [bucketId, logBucketId]) {
      expect(template.findResources('AWS::S3::Bucket')[id]).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
        },
      });
    }
  });

  it('expires exports after 7 days', () => {
    expect(bucket(bucketId).LifecycleConfiguration.Rules).toEqual([
      { Status: 'Enabled', ExpirationInDays: 7, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
    ]);
  });

  it('denies every request that does not use TLS, on both buckets', () => {
    for (const id of [bucketId, logBucketId]) {
      expect(policyOf(id)).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('logs each access to the exports bucket into the log bucket, delivered by S3 under a bucket policy, kept 30 days', () => {
    expect(bucket(bucketId).LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logBucketId },
      LogFilePrefix: EXPORTS_ACCESS_LOG_PREFIX,
    });
    // ACLs stay disabled on the log bucket: S3's logging service writes under the policy, from the exports bucket only.
    expect(bucket(logBucketId).OwnershipControls).toEqual({
      Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
    });
    expect(bucket(logBucketId).AccessControl).toBeUndefined();
    expect(policyOf(logBucketId)).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:PutObject',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Condition: expect.objectContaining({
          ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } },
        }),
      }),
    );
    expect(bucket(logBucketId).LifecycleConfiguration.Rules).toEqual([
      { Status: 'Enabled', ExpirationInDays: 30 },
    ]);
  });

  it('exports the bucket ARN under a fixed name, the one the API functions import', () => {
    template.hasOutput('ExportsBucketArn', {
      Value: { 'Fn::GetAtt': [bucketId, 'Arn'] },
      Export: { Name: 'Hromada-test-Exports:ExportsBucketArn' },
    });
  });
});
