import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { communitiesTool } from '../../../functions/communities/routes';
import { IAT_SKEW_SECONDS } from '../../../functions/shared/auth/claims';
import { createHttpHandler } from '../../../functions/shared/http';
import { seedDemo } from '../../../infra/local/demo';
import { createTestTable, type TestTable } from '../../support/table';

// In AWS, API Gateway's JWT authorizer verifies signature, issuer, audience and
// expiry, and hands the claims over; the handler applies the bounds it does not:
// the length of `sub` and `iss`, and an `iat` in the future.

const ISSUER = 'https://issuer.test';
let table: TestTable;

/** GET …/members as API Gateway sends it after its authorizer accepted a token with `claims`. */
function membersRead(claims: Record<string, string>): APIGatewayProxyEventV2 {
  const path = '/v1/communities/demo/members';
  const routeKey = 'GET /v1/communities/{communityId}/members';
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { authorization: 'Bearer verified.by.api-gateway', 'accept-language': 'en' },
    pathParameters: { communityId: 'demo' },
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'api.test',
      domainPrefix: 'api',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'vitest' },
      requestId: 'req-claims',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      authorizer: { jwt: { claims, scopes: [] } },
    },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

/** The handler's clock stands still, so that "ahead by" means the same however slowly the tests run. */
const NOW = new Date('2026-12-03T12:00:00.000Z');
const handler = createHttpHandler(communitiesTool, { clock: { now: () => NOW } });
const seconds = () => NOW.getTime() / 1000;

const invoke = (event: APIGatewayProxyEventV2) =>
  (
    handler as unknown as (
      e: APIGatewayProxyEventV2,
      c: object,
    ) => Promise<{ statusCode: number; body?: string }>
  )(event, {});

beforeAll(async () => {
  table = await createTestTable('claims');
  process.env.ISSUERS = JSON.stringify([{ issuer: ISSUER, audience: 'a' }]);
  process.env.SIGNER_SECRET = 'test-secret';
  process.env.LOG_LEVEL = 'silent';
  await seedDemo({ ...table, issuer: ISSUER, signerSecret: 'test-secret', dynamoEndpoint: table.endpoint });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('claims past the authorizer', () => {
  it.each([
    ["a 5,000-character subject (the probe's)", { iss: ISSUER, sub: 's'.repeat(5_000) }],
    ["a 3,000-character issuer (the probe's)", { iss: `https://${'i'.repeat(3_000)}`, sub: 'council-1' }],
    ['an iat an hour ahead', { iss: ISSUER, sub: 'council-1', iat: String(seconds() + 3_600) }],
    [
      'an iat one second beyond the skew',
      { iss: ISSUER, sub: 'council-1', iat: String(seconds() + IAT_SKEW_SECONDS + 1) },
    ],
  ])('with %s are refused with 401 before any identity is read', async (_case, claims) => {
    const reads = vi.spyOn(DynamoDBDocumentClient.prototype, 'send');

    const response = await invoke(membersRead(claims));

    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body as string)).toMatchObject({ code: 'unauthorized' });
    // The one read left is the community's CORS settings, for the problem's headers: nobody's membership.
    const keysRead = reads.mock.calls.map(([command]) => JSON.stringify(command.input));
    expect(keysRead.filter((input) => /MEMBER#|ADMIN#/.test(input))).toEqual([]);
  });

  it.each([
    ['an iat ahead by exactly the skew', String(seconds() + IAT_SKEW_SECONDS)],
    ['an iat in the past', String(seconds() - 600)],
  ])('with %s are taken', async (_case, iat) => {
    const response = await invoke(membersRead({ iss: ISSUER, sub: 'council-1', community: 'demo', iat }));

    expect(response.statusCode).toBe(200);
  });
});
