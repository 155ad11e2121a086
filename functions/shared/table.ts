import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The one table, declared once. The CDK data stack and the local runtime both
 * build their table from this object, so the two can never drift apart.
 */
export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** Generic indexes for listings: by community and state, ordered by time or score (GSI3/GSI4: comment rankings and threads). */
  indexes: [
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
    { name: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
    { name: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK' },
  ],
  /** Epoch seconds after which DynamoDB may delete the item (sent outbox items, expired claims). */
  ttlAttribute: 'expiresAt',
  /** Both images: the tally reads new items, the recount and the audit compare old with new. */
  streamView: 'NEW_AND_OLD_IMAGES',
} as const;

export type IndexName = (typeof TABLE.indexes)[number]['name'];

/** The CreateTable request for DynamoDB Local (and any non-CDK environment). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const keyNames = [
    TABLE.partitionKey,
    TABLE.sortKey,
    ...TABLE.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamView },
  };
}
