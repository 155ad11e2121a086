import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from './config';
import type { ItemKey } from './key-parts';
import { decodeCursor, indexCursor, pageAfter } from './pagination';
import type { IndexName } from './table';
import { RETRY, type RetryPolicy, retrying } from './use-case';

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

/**
 * Every item of one partition whose sort key starts with `prefix` (a budget's
 * projects or results, a draft's parts), read consistently, page after page.
 * For bounded sets only, as {@link queryAll}.
 */
export function itemsUnder(
  client: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
  prefix: string,
): Promise<Record<string, unknown>[]> {
  return queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': partition, ':prefix': prefix },
    ConsistentRead: true,
  });
}

/**
 * Every item of a list spread over `buckets` GSI1 partitions (so that writes
 * do not crowd one partition), all partitions read at once.
 */
export async function itemsOfBuckets(
  client: DynamoDBDocumentClient,
  tableName: string,
  buckets: number,
  partitionOf: (bucket: number) => string,
): Promise<Record<string, unknown>[]> {
  const items = await Promise.all(
    Array.from({ length: buckets }, (_, bucket) =>
      queryAll(client, {
        TableName: tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': partitionOf(bucket) },
      }),
    ),
  );
  return items.flat();
}

/**
 * One item by its key, or undefined when there is none. Read consistently: a
 * change conditions its write on what it read, so it must read the latest.
 */
export async function readItem(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: ItemKey,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  return Item;
}

/**
 * Every item a query matches, page after page (DynamoDB answers at most 1 MB a
 * call). For bounded sets only: a community's members, a petition's ledger.
 */
export async function queryAll(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * The query of a schedule kept in GSI2 (closing petitions, phase changes,
 * results jobs to watch): the entries under `partition` due at `now` or
 * before. Their sort keys are `<ISO time>#<id>`, so `${now}#\uffff` bounds
 * every entry of that instant.
 */
export function dueQuery(tableName: string, partition: string, now: string) {
  return {
    TableName: tableName,
    IndexName: 'GSI2',
    KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :bound',
    ExpressionAttributeValues: { ':pk': partition, ':bound': `${now}#\uffff` },
  } satisfies QueryCommandInput;
}

/**
 * `#a0 = :a0, …` assignments for an UpdateExpression's SET, with their names
 * and values; attributes set to `undefined` are left out.
 * @example const set = setExpression({ status: 'sent' }); // UpdateExpression: `SET ${set.assignments.join(', ')}`
 */
export function setExpression(values: Record<string, unknown>, prefix = 'a') {
  const names: Record<string, string> = {};
  const attributeValues: Record<string, unknown> = {};
  const assignments = Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value], index) => {
      names[`#${prefix}${index}`] = name;
      attributeValues[`:${prefix}${index}`] = value;
      return `#${prefix}${index} = :${prefix}${index}`;
    });
  return { assignments, names, values: attributeValues };
}

/**
 * One page of a list kept in a secondary index: the partition's items in the
 * index's order (newest first unless `newestFirst` is false), at most
 * `page.limit`, after the `page.cursor` this list handed out (any other cursor
 * is refused with `invalid_cursor`).
 * @example indexPage(client, tableName, { index: 'GSI3', partition, page: query }, petitionFromItem)
 */
export async function indexPage<T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  list: {
    readonly index: IndexName;
    readonly partition: string;
    readonly page: { readonly limit: number; readonly cursor?: string | undefined };
    readonly newestFirst?: boolean;
  },
  fromItem: (item: Record<string, unknown>) => T,
): Promise<{ items: T[]; cursor?: string }> {
  const { index, partition, page } = list;
  const result = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index,
      KeyConditionExpression: `${index}PK = :pk`,
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: list.newestFirst === false,
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor, indexCursor(index, partition)),
    }),
  );
  return pageAfter((result.Items ?? []).map(fromItem), result.LastEvaluatedKey);
}

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_KEYS = 100;

/** Keys a BatchGetItem left unprocessed are asked for again, up to 5 times, after 40, 80, … 640 ms. */
const UNPROCESSED_KEYS_POLICY: RetryPolicy = {
  attempts: 6,
  pause: (retry) => new Promise((wake) => setTimeout(wake, 20 * 2 ** retry)),
};

/**
 * Every item of `wanted` that exists, read with BatchGetItem (100 keys a call,
 * strongly consistent): the keys DynamoDB leaves unprocessed under load are asked
 * for again, so none goes missing silently, and a read that still leaves some
 * after the retries fails instead of answering less. Order is not kept.
 * @throws Error when keys stay unprocessed after every retry.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  wanted: readonly ItemKey[],
  projection?: string,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let start = 0; start < wanted.length; start += BATCH_GET_KEYS) {
    let pending: Record<string, unknown>[] = wanted
      .slice(start, start + BATCH_GET_KEYS)
      .map((key) => ({ ...key }));
    const read = await retrying(async () => {
      const result = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ConsistentRead: true,
              ...(projection ? { ProjectionExpression: projection } : {}),
            },
          },
        }),
      );
      found.push(...(result.Responses?.[tableName] ?? []));
      pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
      return pending.length === 0 ? 'read' : RETRY;
    }, UNPROCESSED_KEYS_POLICY);
    if (read === RETRY) throw new Error('DynamoDB left keys unprocessed after 5 retries');
  }
  return found;
}
