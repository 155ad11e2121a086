import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { AnyRoute, HttpMethod, RouteAuth, ToolDefinition } from '../../../functions/shared/routes';

/**
 * A tool for the local server's tests: its handler records every event it gets
 * and echoes it back, so a test can see exactly what the server sent a Lambda.
 */
export const receivedEvents: APIGatewayProxyEventV2[] = [];

const route = (method: HttpMethod, path: string, auth: RouteAuth = 'public'): AnyRoute => ({
  method,
  path,
  auth,
  operationId: `${method} ${path}`,
  summary: 'fixture',
  responses: { 200: { description: 'the event, echoed' } },
  handle: async () => ({ status: 200 }),
});

export const fixtureTool: ToolDefinition = {
  name: 'fixture',
  entry: 'tests/integration/local/fixture-tool.ts',
  tableActions: [],
  indexes: [],
  routes: [
    route('GET', '/v1/things/{thingId}'),
    route('GET', '/v1/things/special'),
    route('POST', '/v1/things/{thingId}', 'user'),
    route('POST', '/v1/echo'),
    route('GET', '/v1/files/{proxy+}'),
    route('GET', '/v1/files/{folder}/readme'),
    route('GET', '/v1/binary'),
    route('GET', '/v1/plain'),
    route('GET', '/v1/boom'),
    route('GET', '/v1/time-left'),
  ],
};

/** Bytes that are not valid UTF-8, to prove a binary response survives the trip. */
export const BINARY_BYTES = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x41]);

export async function handler(
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyResultV2> {
  receivedEvents.push(event);
  switch (event.routeKey) {
    case 'GET /v1/time-left':
      return { remainingMs: context.getRemainingTimeInMillis() } as unknown as APIGatewayProxyResultV2;
    case 'GET /v1/boom':
      throw new Error('the fixture handler failed on purpose');
    case 'GET /v1/plain':
      return { hello: 'world' } as unknown as APIGatewayProxyResultV2;
    case 'GET /v1/binary':
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/octet-stream' },
        body: BINARY_BYTES.toString('base64'),
        isBase64Encoded: true,
      };
    default:
      return {
        statusCode: 201,
        headers: { 'content-type': 'application/json', 'x-fixture': 'yes', 'x-count': 3 },
        cookies: ['session=abc; Path=/; HttpOnly', 'theme=dark'],
        body: JSON.stringify(event),
      };
  }
}
