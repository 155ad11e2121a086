import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportsStack } from '../../infra/aws/stacks/exports-stack';
import { TestApps } from './support';

const apps = new TestApps();
afterAll(() => apps.removeAll());

describe('exports stack', () => {
  const template = Template.fromStack(new ExportsStack(apps.create(), 'Hromada-test-Exports'));

  it('has one private, S3-encrypted bucket that is retained', () => {
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResource('AWS::S3::Bucket', {
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
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      },
    });
  });

  it('expires exports after 7 days', () => {
    const bucket = Object.values(template.findResources('AWS::S3::Bucket'))[0]!.Properties;
    expect(bucket.LifecycleConfiguration.Rules).toEqual([
      { Status: 'Enabled', ExpirationInDays: 7, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
    ]);
  });

  it('denies every request that does not use TLS', () => {
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy'))[0]!.Properties;
    expect(policy.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });
});
