import { parseArgs } from 'node:util';
import { documentClient } from '../../functions/shared/dynamo';
import { putPlatformAdmin } from '../../functions/shared/tenancy';

/**
 * `npm run bootstrap-admin -- --table Hromada-prod-Data-Table… --issuer https://id… --sub <subject>`
 * makes the first platform admin of a deployment, with the caller's AWS
 * credentials. No API route can do this: it is the root of every other right.
 */
const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    issuer: { type: 'string' },
    sub: { type: 'string' },
    region: { type: 'string', default: process.env.AWS_REGION ?? 'eu-central-1' },
    endpoint: { type: 'string' },
  },
});

if (!values.table || !values.issuer || !values.sub) {
  process.stderr.write(
    'Usage: npm run bootstrap-admin -- --table <table name> --issuer <OIDC issuer> --sub <subject> [--region R] [--endpoint URL]\n',
  );
  process.exit(2);
}

await putPlatformAdmin(
  documentClient({ region: values.region, ...(values.endpoint ? { dynamoEndpoint: values.endpoint } : {}) }),
  values.table,
  { issuer: values.issuer, subject: values.sub, grantedAt: new Date().toISOString() },
);
process.stdout.write(`${values.sub} (${values.issuer}) is now a platform admin of ${values.table}.\n`);
