import { parseArgs } from 'node:util';
import { issueDevToken, loadDevIdentity } from './dev-identity';

/**
 * `npm run token -- --sub u1 --community demo --district d1 --birthdate 1990-01-01`
 * prints a token signed by the local issuer. Rights come from membership items:
 * `--sub council-1` acts as the demo council because that membership exists.
 */
const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    community: { type: 'string' },
    district: { type: 'string' },
    birthdate: { type: 'string' },
    'expires-in': { type: 'string', default: String(7 * 24 * 3600) },
    help: { type: 'boolean', default: false },
  },
});

const usage =
  'Usage: npm run token -- --sub <subject> [--community <id>] [--district <id>] [--birthdate YYYY-MM-DD] [--expires-in <seconds>]';

if (values.help || !values.sub) {
  process.stderr.write(`${usage}\n`);
  process.exit(values.help ? 0 : 2);
}
if (values.birthdate && !/^\d{4}-\d{2}-\d{2}$/.test(values.birthdate)) {
  process.stderr.write(`--birthdate must look like 1990-01-31.\n${usage}\n`);
  process.exit(2);
}
const expiresInSeconds = Number(values['expires-in']);
if (!Number.isInteger(expiresInSeconds)) {
  process.stderr.write(`--expires-in must be a whole number of seconds.\n${usage}\n`);
  process.exit(2);
}

const identity = await loadDevIdentity();
const token = await issueDevToken(identity, {
  sub: values.sub,
  ...(values.community ? { community: values.community } : {}),
  ...(values.district ? { district: values.district } : {}),
  ...(values.birthdate ? { birthdate: values.birthdate } : {}),
  expiresInSeconds,
});
process.stdout.write(`${token}\n`);
