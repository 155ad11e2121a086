import { PabulibError, type PabulibInstance, parsePabulib } from '../../domain/budgets/pabulib';
import {
  BUDGET_RULES,
  type BudgetResults,
  type BudgetRule,
  COMPLETIONS,
  type Completion,
  computeResults,
  resultDocument,
} from '../../domain/budgets/rules';
import type { CliIo } from './hromada';

/**
 * `hromada pb results FILE.pb --rule greedy|equal-shares [--completion add1|none] [--add1-step N] [--json]`:
 * computes a participatory budget's outcome from a pabulib file and prints
 * the selected projects, the money spent and the result document (rule,
 * version, SHA-256 of the file, totals, add1's step and increment); `--json`
 * prints the whole document as JSON instead. Equal shares counts approval,
 * cumulative and scoring files (points as utilities) and is completed with
 * add1 unless `--completion none`; add1 raises each voter's share by
 * `--add1-step` (default 1) of the file's unit at a time.
 *
 * Exit codes: 0 results printed; 1 the file is not valid pabulib (the line
 * and what is wrong there are printed) or its ballots do not suit the rule;
 * 2 usage error, or a file that cannot be read.
 */

export const PbExitCode = { ok: 0, invalid: 1, usage: 2 } as const;

const SYNOPSIS =
  'pb results FILE.pb --rule greedy|equal-shares [--completion add1|none] [--add1-step N] [--json]';

/** The command's lines in `hromada --help`. */
export const PB_RESULTS_USAGE =
  `  ${SYNOPSIS}\n` +
  '                            Compute a participatory budget from a pabulib file: selected projects, money\n' +
  '                            spent, rule and version, the file’s SHA-256. Equal shares counts approval,\n' +
  '                            cumulative or scoring files and completes with add1, raising each voter’s\n' +
  '                            share by --add1-step (default 1, in the file’s unit); it prints the step and\n' +
  '                            the increment add1 settled on.\n';

interface ResultsArgs {
  readonly file: string;
  readonly rule: BudgetRule;
  readonly completion: Completion | undefined;
  readonly add1Step: bigint | undefined;
  readonly json: boolean;
}

/** The command's arguments, or what is wrong with them. */
function argsOf(args: readonly string[]): ResultsArgs | string {
  const files: string[] = [];
  let rule: string | undefined;
  let completion: string | undefined;
  let add1Step: string | undefined;
  let json = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--json') json = true;
    else if (arg === '--rule') rule = args[++index];
    else if (arg === '--completion') completion = args[++index];
    else if (arg === '--add1-step') add1Step = args[++index] ?? '';
    else if (arg.startsWith('--')) return `Unknown option ${arg}.`;
    else files.push(arg);
  }
  if (files.length !== 1) return `Give exactly one pabulib file, not ${files.length}.`;
  const chosenRule = BUDGET_RULES.find((known) => known === rule);
  if (!chosenRule) return `--rule must be ${BUDGET_RULES.join(' or ')}, not ${rule ?? 'missing'}.`;
  const chosenCompletion = COMPLETIONS.find((known) => known === completion);
  if (completion !== undefined && !chosenCompletion) {
    return `--completion must be ${COMPLETIONS.join(' or ')}, not ${completion}.`;
  }
  if (chosenRule === 'greedy' && chosenCompletion === 'add1') {
    return 'The add1 completion belongs to equal-shares; greedy spends the budget by itself.';
  }
  if (add1Step !== undefined && !/^[1-9][0-9]*$/.test(add1Step)) {
    return `--add1-step must be a whole number of at least 1, not ${add1Step || 'missing'}.`;
  }
  if (add1Step !== undefined && (chosenRule === 'greedy' || chosenCompletion === 'none')) {
    return '--add1-step belongs to equal-shares completed with add1.';
  }
  return {
    file: files[0] as string,
    rule: chosenRule,
    completion: chosenCompletion,
    add1Step: add1Step === undefined ? undefined : BigInt(add1Step),
    json,
  };
}

/**
 * Runs `hromada pb results` (`args` after `pb results`) and answers its exit code.
 * @example process.exitCode = await pbResults(['Rembertow.pb', '--rule', 'greedy'], io);
 */
export async function pbResults(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = argsOf(args);
  if (typeof parsed === 'string') {
    io.stderr(`${parsed}\n\nUsage: npx hromada ${SYNOPSIS}\n`);
    return PbExitCode.usage;
  }
  let fileText: string;
  try {
    fileText = await io.readFile(parsed.file);
  } catch (error) {
    io.stderr(`Cannot read ${parsed.file}: ${(error as Error).message}\n`);
    return PbExitCode.usage;
  }
  let instance: PabulibInstance;
  try {
    instance = parsePabulib(fileText);
  } catch (error) {
    if (!(error instanceof PabulibError)) throw error;
    io.stderr(`${parsed.file}: ${error.message}\n`);
    return PbExitCode.invalid;
  }
  const results = computeResults(instance, {
    rule: parsed.rule,
    completion: parsed.completion,
    ...(parsed.add1Step === undefined ? {} : { add1Step: parsed.add1Step }),
    sourceText: fileText,
  });
  if (!results.ok) {
    io.stderr(`${parsed.file}: ${results.error.message.en}\n`);
    return PbExitCode.invalid;
  }
  io.stdout(
    parsed.json ? `${JSON.stringify(resultDocument(results.value), null, 2)}\n` : summary(results.value),
  );
  return PbExitCode.ok;
}

function summary(results: BudgetResults): string {
  const left = results.budget - results.spent;
  return [
    `Selected (${results.selected.length}): ${results.selected.join(' ')}`,
    `Spent: ${results.spent} of ${results.budget} (left ${left})`,
    `Rule: ${results.rule}, completion ${results.completion}, version ${results.version}`,
    // The step is part of the rule: recomputing the result needs it, and the increment shows where add1 stopped.
    ...(results.add1
      ? [
          `Add1: step ${results.add1.step}, increment ${results.add1.increment} (per voter, in the file's unit)`,
        ]
      : []),
    `Input sha256: ${results.inputSha256}`,
    '',
  ].join('\n');
}
