import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { batchGetAll } from '../../../functions/shared/dynamo';
import { keys } from '../../../functions/shared/keys';

// The one BatchGetItem read (petitions' list pages, comments among ids, the request scope).

const TABLE = 'batch';
const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);
const petitionKeys = Array.from({ length: 150 }, (_, index) => keys.petition('demo', `p${index}`));
const firstKey = keys.petition('demo', 'p0');

beforeEach(() => dynamo.reset());

describe('batchGetAll', () => {
  it('asks 100 keys at a time and again for the ones left unprocessed, so none goes missing', async () => {
    // Prepare: the first call leaves one key unprocessed, as DynamoDB does under load.
    const [first, second] = [petitionKeys.slice(0, 100), petitionKeys.slice(100)];
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: first.slice(1).map((key) => ({ ...key, id: key.PK })) },
        UnprocessedKeys: { [TABLE]: { Keys: [firstKey] } },
      })
      .resolvesOnce({ Responses: { [TABLE]: [{ ...firstKey, id: firstKey.PK }] } })
      .resolvesOnce({ Responses: { [TABLE]: second.map((key) => ({ ...key, id: key.PK })) } });

    // Act
    const items = await batchGetAll(client, TABLE, petitionKeys);

    // Assess
    expect(items).toHaveLength(150);
    const asked = dynamo
      .commandCalls(BatchGetCommand)
      .map((call) => call.args[0].input.RequestItems?.[TABLE]);
    expect(asked.map((request) => request?.Keys?.length)).toEqual([100, 1, 50]);
    expect(asked.every((request) => request?.ConsistentRead === true)).toBe(true);
  });

  it('fails rather than answer less when keys stay unprocessed', async () => {
    dynamo.on(BatchGetCommand).resolves({ UnprocessedKeys: { [TABLE]: { Keys: [firstKey] } } });

    await expect(batchGetAll(client, TABLE, petitionKeys.slice(0, 1))).rejects.toThrow(
      'DynamoDB left keys unprocessed after 5 retries',
    );
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(6);
  });
});
