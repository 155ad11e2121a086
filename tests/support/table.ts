import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../functions/shared/dynamo';
import { createTableInput } from '../../functions/shared/table';
import { dynamoEndpoint } from './dynamo-endpoint';

let counter = 0;

export interface TestTable {
  readonly tableName: string;
  readonly endpoint: string;
  readonly region: string;
  /** Every item in the table, for asserting that nothing was written. */
  scanAll(): Promise<Record<string, unknown>[]>;
}

/**
 * A fresh table in the run's DynamoDB Local, made from the same definition as
 * production, and the environment the handlers read pointed at it.
 */
export async function createTestTable(prefix = 'test'): Promise<TestTable> {
  const endpoint = dynamoEndpoint();
  const region = 'eu-central-1';
  counter += 1;
  const tableName = `${prefix}-${process.pid}-${Date.now()}-${counter}`;
  const raw = new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await raw.send(new CreateTableCommand(createTableInput(tableName)));
  raw.destroy();

  process.env.TABLE_NAME = tableName;
  process.env.DYNAMODB_ENDPOINT = endpoint;
  process.env.AWS_REGION = region;

  const client = documentClient({ dynamoEndpoint: endpoint, region });
  return {
    tableName,
    endpoint,
    region,
    scanAll: async () => {
      const items: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }),
        );
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items;
    },
  };
}
