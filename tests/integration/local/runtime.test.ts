import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { envelope } from '../../../events/envelope';
import { documentClient } from '../../../functions/shared/dynamo';
import { ulidGenerator } from '../../../functions/shared/ids';
import { outboxPuts } from '../../../functions/shared/outbox';
import { type LocalRuntime, startLocalRuntime } from '../../../infra/local/runtime';
import { dynamoEndpoint } from '../../support/dynamo-endpoint';
import { fixtureTool, receivedEvents } from './fixture-tool';

let runtime: LocalRuntime;

beforeAll(async () => {
  vi.stubEnv('LOG_LEVEL', 'silent');
  runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: dynamoEndpoint(),
    tableName: `runtime-${process.pid}-${Date.now()}`,
    issuers: [],
    signerSecret: 'test-secret',
    tools: [fixtureTool],
  });
});

afterAll(async () => {
  await runtime?.stop();
  vi.unstubAllEnvs();
});

describe('the local runtime', () => {
  it('creates the table and points the handlers’ environment at it', () => {
    expect(process.env.TABLE_NAME).toBe(runtime.tableName);
    expect(process.env.DYNAMODB_ENDPOINT).toBe(runtime.endpoint);
    expect(JSON.parse(process.env.ISSUERS ?? '')).toEqual([]);
    expect(process.env.SIGNER_SECRET).toBe('test-secret');
  });

  it('serves the tools over HTTP, guarding user routes with the token verifier', async () => {
    const open = await fetch(`${runtime.url}/v1/things/a`);
    const guarded = await fetch(`${runtime.url}/v1/things/a`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-a-jwt', 'accept-language': 'en' },
    });

    expect(open.status).toBe(201);
    expect(guarded.status).toBe(401);
    expect(await guarded.json()).toMatchObject({ detail: 'The token is not a JWT.' });
    expect(receivedEvents.map((event) => event.routeKey)).toEqual(['GET /v1/things/{thingId}']);
  });

  it('publishes committed outbox events to its bus through the real stream handler', async () => {
    const event = envelope({
      id: ulidGenerator().next(),
      name: 'community.created.v1',
      communityId: 'demo',
      occurredAt: new Date(),
      subject: 'community/demo',
      detail: { communityId: 'demo', names: { uk: 'Демо', en: 'Demo' }, createdBy: 'admin' },
    });
    const client = documentClient({ dynamoEndpoint: runtime.endpoint, region: 'eu-central-1' });
    await client.send(new TransactWriteCommand({ TransactItems: outboxPuts(runtime.tableName, [event]) }));

    await runtime.drain();

    expect(runtime.bus.published).toEqual([event]);
  });
});
