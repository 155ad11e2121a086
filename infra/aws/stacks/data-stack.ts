import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLE } from '../../../functions/shared/table';

export interface DataStackProps extends StackProps {
  readonly stage: string;
}

/**
 * Why the signer secret is never rotated (AwsSolutions-SMG4), and what protects it instead.
 */
export const SIGNER_SECRET_ROTATION_REASON =
  'Not rotated on purpose: signer keys are HMACs of the issuer and subject with this secret, and they are what makes one person one signature (and one ballot) on petitions and votes that stay open for months. A rotated secret would give the same person a new key, so they could sign again, and keys already stored could no longer be matched to anyone. Protected instead: encrypted at rest with KMS by Secrets Manager, readable (GetSecretValue) only by the API functions of tools that authenticate users, retained on stack deletion, and every read is a CloudTrail event.';

/**
 * What must outlive every deploy: the single table (built from `TABLE`, the
 * definition the local runtime uses too) and the secret that keys signers.
 */
export class DataStack extends Stack {
  readonly table: Table;
  /** The HMAC secret behind signer keys; losing it would let everyone sign again, hence RETAIN. */
  readonly signerSecret: Secret;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const isProduction = props.stage === 'prod';

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType[TABLE.streamView],
      timeToLiveAttribute: TABLE.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: isProduction,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      });
    }

    this.signerSecret = new Secret(this, 'SignerSecret', {
      description: `Hromada ${props.stage}: HMAC secret for signer keys (iss + sub)`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.signerSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: SIGNER_SECRET_ROTATION_REASON,
    });

    // The table name is what `npm run bootstrap-admin -- --table …` needs after the first deploy.
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'The Hromada DynamoDB table',
    });
  }
}
