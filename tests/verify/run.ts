import { add1Verification, type Verification, VerifyUsageError } from './add1';

/**
 * `npm run verify -- <name> [arguments]`: runs one long check that the test
 * suite cannot afford. Exits 0 when everything agreed, 1 when something did
 * not (or the check broke), 2 for an unknown name or bad arguments.
 */
const VERIFICATIONS: readonly Verification[] = [add1Verification];

function usage(): string {
  return [
    'Usage: npm run verify -- <name> [arguments]',
    '',
    'Checks:',
    ...VERIFICATIONS.flatMap((check) => [`  ${check.name} ${check.usage}`, `      ${check.summary}`]),
    '',
  ].join('\n');
}

const [name, ...args] = process.argv.slice(2);
if (name === '--help' || name === '-h') {
  process.stdout.write(usage());
  process.exit(0);
}
const check = VERIFICATIONS.find((candidate) => candidate.name === name);
if (!check) {
  process.stderr.write(`${name ? `No check named "${name}".\n\n` : ''}${usage()}`);
  process.exit(2);
}

try {
  const agreed = await check.run(args, (line) => process.stdout.write(`${line}\n`));
  process.exit(agreed ? 0 : 1);
} catch (error) {
  if (error instanceof VerifyUsageError) {
    process.stderr.write(`${error.message}\n\n${usage()}`);
    process.exit(2);
  }
  process.stderr.write(
    `The ${check.name} check broke: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
