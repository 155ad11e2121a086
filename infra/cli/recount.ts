import { parseArgs } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  applyRecount,
  RecountError,
  RecountErrorCode,
  type RecountReport,
  recountPetition,
} from '../../functions/petitions/recount';
import { documentClient } from '../../functions/shared/dynamo';

/**
 * `npm run recount -- --community C --petition P [--apply] [--table T --endpoint URL --region R]`
 * rebuilds a petition's online count from its signature items and compares it
 * with the stored counter. The table, endpoint and region default to
 * `TABLE_NAME`, `DYNAMODB_ENDPOINT` and `AWS_REGION`.
 *
 * The last line printed is `drift=<n>` (stored − ledger). Exit codes, for
 * scripts that alarm: 0 no drift; 1 drift (after `--apply`, drift that is
 * left); 2 usage error or no such petition; 3 the recount could not run.
 */

const USAGE =
  'Usage: npm run recount -- --community <id> --petition <id> [--apply] [--table <name>] [--endpoint <url>] [--region <region>]\n';

const ExitCode = { clean: 0, drift: 1, usage: 2, failed: 3 } as const;

function readOptions() {
  try {
    const { values } = parseArgs({
      options: {
        community: { type: 'string' },
        petition: { type: 'string' },
        apply: { type: 'boolean', default: false },
        table: { type: 'string', default: process.env.TABLE_NAME },
        endpoint: { type: 'string', default: process.env.DYNAMODB_ENDPOINT || undefined },
        region: { type: 'string', default: process.env.AWS_REGION ?? 'eu-central-1' },
      },
    });
    if (!values.community || !values.petition || !values.table) return undefined;
    return { ...values, community: values.community, petition: values.petition, table: values.table };
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
}

const counts = (byName: Readonly<Record<string, number>>): string =>
  Object.entries(byName)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => `${name}=${count}`)
    .join(' ') || '-';

function printReport(report: RecountReport): void {
  const rows: [string, string | number][] = [
    ['ledger (countable signatures)', report.ledger],
    ['counted by the tally (receipts)', report.counted],
    ['pending (not tallied yet)', report.pending],
    ['stored signatureCount', report.stored],
    ['paper signatures (not recounted)', report.offline],
    ['by district', counts(report.byDistrict)],
    ['by day', counts(report.byDay)],
    // An anonymised petition has no ledger left: its figures are the archive's.
    ...(report.fromArchive
      ? ([
          [
            'from the archive (signers erased)',
            `${report.fromArchive.anonymisedAt}, ${report.fromArchive.signaturesErased} signature items erased`,
          ],
        ] as [string, string][])
      : []),
  ];
  const lines = rows.map(([label, value]) => `  ${label.padEnd(34)}${value}`);
  process.stdout.write(`petition ${report.communityId}/${report.petitionId}\n${lines.join('\n')}\n`);
}

/** Applies the recount; the report after it, or the same report when the repair was refused. */
async function repair(
  client: DynamoDBDocumentClient,
  tableName: string,
  report: RecountReport,
): Promise<RecountReport> {
  try {
    const repaired = await applyRecount(client, tableName, report);
    process.stdout.write(`repaired: signatureCount ${report.stored} -> ${repaired}\n`);
    return await recountPetition(client, tableName, report.communityId, report.petitionId);
  } catch (error) {
    if (!(error instanceof RecountError)) throw error;
    process.stderr.write(`Not repaired: ${error.message}\n`);
    return report;
  }
}

async function main(): Promise<number> {
  const options = readOptions();
  if (!options) {
    process.stderr.write(USAGE);
    return ExitCode.usage;
  }
  const client = documentClient({
    region: options.region,
    ...(options.endpoint ? { dynamoEndpoint: options.endpoint } : {}),
  });
  try {
    let report = await recountPetition(client, options.table, options.community, options.petition);
    printReport(report);
    if (options.apply && report.drift !== 0) report = await repair(client, options.table, report);
    process.stdout.write(`drift=${report.drift}\n`);
    return report.drift === 0 ? ExitCode.clean : ExitCode.drift;
  } catch (error) {
    if (error instanceof RecountError && error.code === RecountErrorCode.petition_not_found) {
      process.stderr.write(`${error.message}\n`);
      return ExitCode.usage;
    }
    process.stderr.write(`The recount could not run: ${String(error)}\n`);
    return ExitCode.failed;
  } finally {
    client.destroy();
  }
}

process.exitCode = await main();
