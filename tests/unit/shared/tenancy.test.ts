import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { Entity, keys } from '../../../functions/shared/keys';
import { loadRequestScope } from '../../../functions/shared/tenancy';

const TABLE = 'tenancy';
const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);
const identity = { issuer: 'https://id.example', subject: 'resident' };
const memberKey = keys.member('demo', identity.issuer, identity.subject);
const member = {
  ...memberKey,
  entity: Entity.member,
  communityId: 'demo',
  ...identity,
  roles: ['moderator'],
};

beforeEach(() => dynamo.reset());

describe('the request scope read', () => {
  it('asks again for the keys BatchGetItem left unprocessed, and only for those', async () => {
    // Prepare
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: [memberKey] } } })
      .resolves({ Responses: { [TABLE]: [member] } });

    // Act
    const scope = await loadRequestScope(client, TABLE, { communityId: 'demo', identity });

    // Assess
    expect(scope).toEqual({ roles: ['moderator'], platformAdmin: false });
    const asked = dynamo
      .commandCalls(BatchGetCommand)
      .map((call) => call.args[0].input.RequestItems?.[TABLE]?.Keys);
    expect(asked).toHaveLength(2);
    expect(asked[1]).toEqual([memberKey]);
  });

  it('gives up after five retries that still leave keys unprocessed', async () => {
    // Prepare
    dynamo.on(BatchGetCommand).resolves({ UnprocessedKeys: { [TABLE]: { Keys: [memberKey] } } });

    // Act
    const scope = loadRequestScope(client, TABLE, { communityId: 'demo', identity });

    // Assess
    await expect(scope).rejects.toThrow('DynamoDB left keys unprocessed after 5 retries');
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(6);
  });
});
