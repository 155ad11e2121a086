import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { verifyChain } from '../../domain/audit/chain';
import { PB_RESULTS_USAGE, pbResults } from './pb';

/**
 * `npx hromada <command>`: the project's command line (the `bin` of
 * package.json runs this file through tsx).
 *
 * `hromada audit verify FILE.jsonl` recomputes the hash chain of an exported
 * audit trail (`GET /v1/communities/{c}/audit/export`) and prints
 * `OK: <n> entries, seq <first>..<last>, head <hash>`, or the first broken link
 * as `BROKEN at line <n> (seq <s>): <reason>`. Compare the head with the one
 * the community published to see that nothing was cut off the end.
 *
 * Exit codes, for scripts: 0 the chain holds; 1 it is broken; 2 usage error,
 * or a file that cannot be read or holds no entries.
 *
 * `hromada pb results FILE.pb --rule greedy|equal-shares …` computes a
 * participatory budget's outcome from a pabulib file (see `./pb.ts`): exit 0
 * with the results, 1 for a file that is not valid pabulib (with the line and
 * what is wrong) or ballots the rule cannot count, 2 for a usage error or a
 * file that cannot be read.
 */

export const ExitCode = { ok: 0, broken: 1, usage: 2 } as const;

const USAGE = `Usage: npx hromada <command>

Commands:
  audit verify FILE.jsonl   Recompute an exported audit trail's hash chain and report the first broken link.
${PB_RESULTS_USAGE}`;

/** Where the command line writes and reads; the process's by default, a test's own in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => Promise<string>;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
};

/** The lines of a JSON-lines file: one final newline ends the last line, it does not start another. */
function linesOf(content: string): string[] {
  const lines = content.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

async function auditVerify(file: string, io: CliIo): Promise<number> {
  let content: string;
  try {
    content = await io.readFile(file);
  } catch (error) {
    io.stderr(`Cannot read ${file}: ${(error as Error).message}\n`);
    return ExitCode.usage;
  }
  const lines = linesOf(content);
  if (lines.length === 0) {
    io.stderr(`${file} holds no entries: there is nothing to verify.\n`);
    return ExitCode.usage;
  }
  const result = verifyChain(lines);
  if (!result.ok) {
    const where = result.seq === undefined ? '' : ` (seq ${result.seq})`;
    io.stdout(`BROKEN at line ${result.line}${where}: ${result.reason}\n`);
    return ExitCode.broken;
  }
  const first = result.entries[0];
  const last = result.entries.at(-1);
  io.stdout(`OK: ${result.entries.length} entries, seq ${first?.seq}..${last?.seq}, head ${last?.hash}\n`);
  return ExitCode.ok;
}

/**
 * Runs one command line (`args` without the program name) and answers its exit code.
 * @example process.exitCode = await runHromada(['audit', 'verify', 'audit.jsonl']);
 */
export async function runHromada(args: readonly string[], io: CliIo = processIo): Promise<number> {
  const [group, command, ...rest] = args;
  if (group === 'audit' && command === 'verify' && rest.length === 1 && rest[0]) {
    return auditVerify(rest[0], io);
  }
  if (group === 'pb' && command === 'results') return pbResults(rest, io);
  if (args.length === 1 && (group === '--help' || group === '-h')) {
    io.stdout(USAGE);
    return ExitCode.ok;
  }
  io.stderr(args.length === 0 ? USAGE : `Unknown command: hromada ${args.join(' ')}\n\n${USAGE}`);
  return ExitCode.usage;
}

// Run when started as a program (`tsx infra/cli/hromada.ts …`); the bin imports runHromada instead.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runHromada(process.argv.slice(2));
}
