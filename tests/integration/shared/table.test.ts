import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { TABLE } from '../../../functions/shared/table';
import { createTestTable } from '../../support/table';

describe('the table definition on DynamoDB Local', () => {
  it('creates the keys, both indexes and a stream with both images', async () => {
    const table = await createTestTable('table');
    const client = new DynamoDBClient({
      endpoint: table.endpoint,
      region: table.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.tableName }));

    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      TABLE.indexes.map((index) => index.name),
    );
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Table?.LatestStreamArn).toMatch(/^arn:aws:dynamodb:/);
    client.destroy();
  });
});
