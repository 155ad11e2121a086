import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from './config';

const clients = new Map<string, DynamoDBDocumentClient>();

/**
 * One document client per endpoint, reused across invocations (a Lambda keeps
 * its connections warm between requests).
 */
export function documentClient(config: Pick<AppConfig, 'dynamoEndpoint' | 'region'>): DynamoDBDocumentClient {
  const cacheKey = `${config.dynamoEndpoint ?? 'aws'}|${config.region}`;
  let client = clients.get(cacheKey);
  if (!client) {
    const base = new DynamoDBClient({
      region: config.region,
      ...(config.dynamoEndpoint
        ? {
            endpoint: config.dynamoEndpoint,
            // DynamoDB Local accepts any credentials; these keep the SDK from looking for real ones.
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          }
        : {}),
    });
    client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
    clients.set(cacheKey, client);
  }
  return client;
}
