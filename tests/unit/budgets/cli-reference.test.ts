import { describe, expect, it } from 'vitest';
import { parsePabulib, VoteType } from '../../../domain/budgets/pabulib';
import { runHromada } from '../../../infra/cli/hromada';
import { pabulibFiles, pabulibText, referenceResult } from '../../support/pabulib';

/**
 * `hromada pb results` on every shared file selects what it selected before
 * the equal-shares engine was rewritten (reference-results.json, whole units):
 * greedy on every file, equal shares with add1 on every approval file.
 */

/** Generous: equal shares on a Warsaw district takes seconds, and a slow machine must not fail it. */
const TIMEOUT = 120_000;

/** The selection `hromada pb results FILE --json …` prints for a shared file. */
async function selectionOf(file: string, rule: string): Promise<string[]> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runHromada(['pb', 'results', file, '--rule', rule, '--json'], {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readFile: async (path) => pabulibText(path),
  });
  expect({ code, stderr: err.join('') }).toEqual({ code: 0, stderr: '' });
  return (JSON.parse(out.join('')) as { selected: string[] }).selected;
}

const FILES = pabulibFiles().map((file) => ({ file, voteType: parsePabulib(pabulibText(file)).voteType }));

describe('hromada pb results on every shared file, against the selections made before', () => {
  it.each(FILES)('$file ($voteType): greedy', async ({ file }) => {
    expect(await selectionOf(file, 'greedy')).toEqual(referenceResult(file, 1).greedy);
  });

  it.each(FILES.filter(({ voteType }) => voteType === VoteType.approval))(
    '$file: equal shares with add1',
    async ({ file }) => {
      expect(await selectionOf(file, 'equal-shares')).toEqual(referenceResult(file, 1).equalShares);
    },
    TIMEOUT,
  );
});
