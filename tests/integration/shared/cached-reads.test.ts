import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/communities/http';
import { signerSecret } from '../../../functions/shared/auth/actor';
import { AuthError, verifyBearer } from '../../../functions/shared/auth/verify';
import { seedDemo } from '../../../infra/local/demo';
import { createTestTable, type TestTable } from '../../support/table';

/**
 * Reads that a container keeps between requests (the signer secret, an issuer's
 * keys) must not keep a failure: one bad read would otherwise answer every later
 * request of that container with an error until it is replaced.
 */

const ISSUER = 'https://issuer.test';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:signer-AbCdEf';
const secrets = mockClient(SecretsManagerClient);
let table: TestTable;

/** An authenticated GET as API Gateway sends it after its JWT authorizer accepted the token. */
function membersRequest(): APIGatewayProxyEventV2 {
  const path = '/v1/communities/demo/members';
  const template = '/v1/communities/{communityId}/members';
  return {
    version: '2.0',
    routeKey: `GET ${template}`,
    rawPath: path,
    rawQueryString: '',
    headers: { authorization: 'Bearer a.token.value' },
    pathParameters: { communityId: 'demo' },
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'api.test',
      domainPrefix: 'api',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'vitest' },
      requestId: 'req-secret',
      routeKey: `GET ${template}`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      authorizer: { jwt: { claims: { iss: ISSUER, sub: 'council-1', community: 'demo' }, scopes: [] } },
    },
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2;
}

const invoke = (event: APIGatewayProxyEventV2) =>
  (handler as unknown as (e: APIGatewayProxyEventV2, c: object) => Promise<{ statusCode: number }>)(
    event,
    {},
  );

beforeAll(async () => {
  table = await createTestTable('cached-reads');
  vi.stubEnv('ISSUERS', JSON.stringify([{ issuer: ISSUER, audience: 'a' }]));
  vi.stubEnv('LOG_LEVEL', 'silent');
  await seedDemo({ ...table, issuer: ISSUER, signerSecret: 'test-secret', dynamoEndpoint: table.endpoint });
});

afterEach(() => secrets.reset());
afterAll(() => {
  secrets.restore();
  vi.unstubAllEnvs();
});

describe('the signer secret read from Secrets Manager', () => {
  it('reads again after a failed read, and then keeps the value', async () => {
    const arn = `${SECRET_ARN}-unit`;
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('Secrets Manager is unavailable'))
      .rejectsOnce(new Error('Secrets Manager is unavailable'))
      .resolves({ SecretString: 'from-secrets-manager' });
    const config = { signerSecretArn: arn, region: 'eu-central-1' };

    await expect(signerSecret(config)).rejects.toThrow('unavailable');
    await expect(signerSecret(config)).rejects.toThrow('unavailable');
    const recovered = await signerSecret(config);
    const again = await signerSecret(config);

    expect(recovered).toBe('from-secrets-manager');
    expect(again).toBe('from-secrets-manager');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(3);
  });

  it('lets concurrent first requests share one read', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'shared' });
    const config = { signerSecretArn: `${SECRET_ARN}-shared`, region: 'eu-central-1' };

    const values = await Promise.all(Array.from({ length: 5 }, () => signerSecret(config)));

    expect(values).toEqual(Array(5).fill('shared'));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('answers 500 while the secret cannot be read and recovers on the next request', async () => {
    vi.stubEnv('SIGNER_SECRET', '');
    vi.stubEnv('SIGNER_SECRET_ARN', `${SECRET_ARN}-http`);
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: 'test-secret' });

    const during = await invoke(membersRequest());
    const after = await invoke(membersRequest());
    const later = await invoke(membersRequest());

    expect(during.statusCode).toBe(500);
    expect(after.statusCode).toBe(200);
    expect(later.statusCode).toBe(200);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});

describe("an issuer's keys read from its JWKS endpoint", () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('reads the keys again after the endpoint failed once', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    let requests = 0;
    server = createServer((_request, response) => {
      requests += 1;
      if (requests === 1) {
        response.writeHead(503).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((listening) => server?.listen(0, '127.0.0.1', listening));
    const port = (server.address() as AddressInfo).port;
    const issuer = {
      issuer: 'https://jwks.test',
      audience: 'hromada-api',
      jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
      claims: { community: 'community', district: 'district', birthdate: 'birthdate' },
    };
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setSubject('person-1')
      .setExpirationTime('5m')
      .sign(privateKey);

    const refused = verifyBearer(`Bearer ${token}`, [issuer]);
    await expect(refused).rejects.toBeInstanceOf(AuthError);
    const payload = await verifyBearer(`Bearer ${token}`, [issuer]);

    expect(payload.sub).toBe('person-1');
    expect(requests).toBe(2);
  });
});
