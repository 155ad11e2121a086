import { parsePabulib, VoteType } from '../../domain/budgets/pabulib';
import { ballotProfile } from '../../domain/budgets/rules';
import { compareWithStepping, scaled } from '../support/equal-shares-oracle';
import { PABULIB_DIR, pabulibFiles, pabulibText } from '../support/pabulib';

/** A check that `npm run verify -- <name>` can run. */
export interface Verification {
  readonly name: string;
  /** One line for the usage text. */
  readonly summary: string;
  /** The arguments it takes after its name. */
  readonly usage: string;
  /** Runs the check and prints what it found; resolves whether everything agreed. */
  run(args: readonly string[], print: (line: string) => void): Promise<boolean>;
}

/** Thrown for arguments the check cannot use; the runner exits with 2. */
export class VerifyUsageError extends Error {
  override readonly name = 'VerifyUsageError';
}

const SCALES = [1n, 100n] as const;

/**
 * The full oracle of add1 on the shared elections: for every approval and
 * cumulative (or scoring) file in whole units and ×100, the fast add1 against
 * trying every step of one unit in turn (plain runs of one engine). Too slow
 * for the test suite on the city-scale files ×100 (tens of thousands of runs
 * each), which is why it is a command.
 */
export const add1Verification: Verification = {
  name: 'add1',
  summary: 'fast add1 against trying every step, on every shared approval and cumulative file, ×1 and ×100',
  usage: '[--scale 1|100] [FILE-NAME-PART ...]',
  async run(args, print) {
    const { scales, parts } = parseArgs(args);
    const files = pabulibFiles().filter(
      (file) => parts.length === 0 || parts.some((part) => file.includes(part)),
    );
    if (files.length === 0)
      throw new VerifyUsageError(`No .pb file in ${PABULIB_DIR} matches ${parts.join(' ')}.`);
    let allAgree = true;
    for (const file of files) {
      const instance = parsePabulib(pabulibText(file));
      if (instance.voteType === VoteType.ordinal) {
        print(`${file}: ordinal ballots, equal shares does not apply`);
        continue;
      }
      for (const scale of scales) {
        const election = scaled(instance, scale);
        const comparison = compareWithStepping(ballotProfile(election), election.budget);
        allAgree &&= comparison.agree;
        const { fast, stepped } = comparison;
        print(
          [
            `${file} ×${scale}:`,
            `agree ${comparison.agree ? 'yes' : `NO (${comparison.differences.join(', ')} differ)`};`,
            `stepping: ${stepped.steps} runs (increment ${stepped.increment}) in ${comparison.steppedSeconds.toFixed(1)} s;`,
            `fast: ${fast.runs} runs (increment ${fast.increment}) in ${comparison.fastSeconds.toFixed(2)} s`,
          ].join(' '),
        );
      }
    }
    return allAgree;
  },
};

function parseArgs(args: readonly string[]): { scales: readonly bigint[]; parts: readonly string[] } {
  const parts: string[] = [];
  let scales: readonly bigint[] = SCALES;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg !== '--scale') {
      parts.push(arg);
      continue;
    }
    const value = args[++index];
    const scale = SCALES.find((candidate) => candidate.toString() === value);
    if (scale === undefined) throw new VerifyUsageError(`--scale takes 1 or 100, not "${value ?? ''}".`);
    scales = [scale];
  }
  return { scales, parts };
}
