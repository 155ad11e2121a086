import { type DevIdentity, issueDevToken } from '../../../infra/local/dev-identity';

/**
 * The reply's JSON when it has the expected status; otherwise the benchmark's
 * set-up broke, and the error says where and what the API answered.
 * @example const created = expectStatus('Creating the budget', reply, 201) as { id: string };
 */
export function expectStatus(what: string, reply: { status: number; body: string }, status: number): unknown {
  if (reply.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${reply.status || 'no answer'} ${reply.body}`);
  }
  return JSON.parse(reply.body) as unknown;
}

/**
 * Tokens of `count` distinct adult residents of `community` (`<prefix>-<i>`,
 * spread over districts `d0`…`d6`), minted before any clock starts.
 */
export async function residentTokens(
  identity: DevIdentity,
  community: string,
  prefix: string,
  count: number,
): Promise<string[]> {
  const tokens: string[] = [];
  for (let index = 0; index < count; index += 1) {
    tokens.push(
      await issueDevToken(identity, {
        sub: `${prefix}-${index}`,
        community,
        district: `d${index % 7}`,
        birthdate: '1985-03-03',
      }),
    );
  }
  return tokens;
}
