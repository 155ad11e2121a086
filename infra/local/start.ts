import { parseArgs } from 'node:util';
import { DEMO_USERS, seedDemo } from './demo';
import { issueDevToken, loadDevIdentity } from './dev-identity';
import { DynamoDbLocalError } from './dynamodb';
import { startLocalRuntime } from './runtime';

/**
 * `npm start`: the whole system on one machine. DynamoDB Local (in memory, or
 * `--data DIR`), the API on http://localhost:3000 (`PORT` overrides), the stream
 * consumer, the schedules, the event bus, and the demo community unless `--empty`.
 */
const { values } = parseArgs({
  options: {
    empty: { type: 'boolean', default: false },
    data: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write('Usage: npm start [-- --empty] [-- --data DIR]\n');
  process.exit(0);
}

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`PORT must be a port number, not "${process.env.PORT}".\n`);
  process.exit(2);
}

const identity = await loadDevIdentity();
let runtime: Awaited<ReturnType<typeof startLocalRuntime>>;
try {
  runtime = await startLocalRuntime({
    port,
    host: process.env.HOST ?? '127.0.0.1',
    ...(values.data ? { dataDir: values.data } : {}),
    issuers: [identity.issuer],
    signerSecret: identity.signerSecret,
  });
} catch (error) {
  if (error instanceof DynamoDbLocalError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping the API, the stream poller and DynamoDB Local…\n`);
  await runtime.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

const lines = [
  '',
  `Hromada API   ${runtime.url}`,
  `API docs      ${runtime.url}/docs`,
  `OpenAPI       ${runtime.url}/v1/openapi.json`,
  `DynamoDB      ${runtime.endpoint} (table ${runtime.tableName}${values.data ? `, data in ${values.data}` : ', in memory'})`,
];
if (!values.empty) {
  const seeded = await seedDemo({
    tableName: runtime.tableName,
    dynamoEndpoint: runtime.endpoint,
    region: process.env.AWS_REGION ?? 'eu-central-1',
    issuer: identity.issuer.issuer,
    signerSecret: identity.signerSecret,
  });
  lines.push(
    '',
    `Demo community "demo" ${seeded === 'seeded' ? 'loaded' : 'already there'}. Tokens (valid 7 days):`,
  );
  for (const user of DEMO_USERS) {
    const { label, ...claims } = user;
    lines.push(
      '',
      `# ${user.sub} (${label})`,
      `export TOKEN_${user.sub.replaceAll('-', '_').toUpperCase()}="${await issueDevToken(identity, claims)}"`,
    );
  }
  lines.push(
    '',
    'Try:',
    `  curl ${runtime.url}/v1/communities/demo`,
    `  curl -H "Authorization: Bearer $TOKEN_COUNCIL_1" ${runtime.url}/v1/communities/demo/members`,
  );
}
lines.push(
  '',
  'More tokens: npm run token -- --sub u1 --community demo --district d1 --birthdate 1990-01-01',
  'Ctrl-C stops everything.',
  '',
);
process.stdout.write(lines.join('\n'));
