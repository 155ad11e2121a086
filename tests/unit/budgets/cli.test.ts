import { describe, expect, it } from 'vitest';
import { pabulibSha256 } from '../../../domain/budgets/pabulib';
import { runHromada } from '../../../infra/cli/hromada';
import { pabulibText } from '../../support/pabulib';

const REMBERTOW = pabulibText('Poland_Warszawa_2023_Rembertow.pb');
const SYNTHETIC = pabulibText('Synthetic_MES_seed11_12voters.pb');
const ZURICH = pabulibText('Switzerland_Zurich_D5.pb');
const MERCED = pabulibText('US_Stanford_Dataset_Merced_Peoples_Budget_Ballot_2019_vote_rankings.pb');
/** Two voters' points, worked by hand in results.test.ts: add1 keeps each share 1 above B / n, [a]. */
const POINTS = [
  'META',
  'key;value',
  'budget;10',
  'vote_type;cumulative',
  'PROJECTS',
  'project_id;cost',
  'a;6',
  'b;4',
  'c;5',
  'VOTES',
  'voter_id;vote;points',
  'v1;a,b;3,1',
  'v2;a,c;1,2',
  '',
].join('\n');
const FILES: Record<string, string> = {
  'rembertow.pb': REMBERTOW,
  'synthetic.pb': SYNTHETIC,
  'zurich.pb': ZURICH,
  'merced.pb': MERCED,
  'points.pb': POINTS,
  'broken.pb': REMBERTOW.replace('113424;840,849,1147,1899;', '113424;840,849,9999;'),
};

/** Runs the command line on files held in memory; what it printed and its exit code. */
async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runHromada(args, {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readFile: async (path) => {
      const content = FILES[path];
      if (content === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return content;
    },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('hromada pb results', () => {
  it('prints the selected projects, the money spent, the rule and the input hash, and exits 0', async () => {
    const result = await run(['pb', 'results', 'rembertow.pb', '--rule', 'greedy']);

    expect(result).toEqual({
      code: 0,
      stdout: [
        'Selected (9): 1639 839 1147 1090 840 209 849 1260 1384',
        'Spent: 1004015 of 1011308 (left 7293)',
        'Rule: greedy, completion none, version greedy/1',
        `Input sha256: ${pabulibSha256(REMBERTOW)}`,
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('completes equal shares with add1 unless told otherwise', async () => {
    const completed = await run(['pb', 'results', 'synthetic.pb', '--rule', 'equal-shares']);
    const alone = await run([
      'pb',
      'results',
      'synthetic.pb',
      '--rule',
      'equal-shares',
      '--completion',
      'none',
    ]);

    expect(completed.stdout).toContain('Selected (1): p2\nSpent: 597 of 1000 (left 403)\n');
    expect(completed.stdout).toContain('version equal-shares/1+add1/1');
    expect(alone.stdout).toContain('Selected (0): \nSpent: 0 of 1000 (left 1000)\n');
  });

  it('prints the result document as JSON with --json', async () => {
    const result = await run(['pb', 'results', 'synthetic.pb', '--json', '--rule', 'equal-shares']);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      rule: 'equal-shares',
      completion: 'add1',
      version: 'equal-shares/1+add1/1',
      inputSha256: pabulibSha256(SYNTHETIC),
      totals: { budget: '1000', spent: '597', left: '403' },
      selected: ['p2'],
    });
  });

  it('names the line and what is wrong in a broken file, and exits 1', async () => {
    const result = await run(['pb', 'results', 'broken.pb', '--rule', 'greedy']);

    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'broken.pb: line 1234: The vote names project 9999, which section PROJECTS does not list.\n',
    });
  });

  it('exits 1 when the rule cannot count the ballots', async () => {
    const result = await run(['pb', 'results', 'merced.pb', '--rule', 'equal-shares']);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'merced.pb: Equal shares counts approval, cumulative or scoring ballots, and these are ranked (ordinal): choose greedy for them.\n',
    );
  });

  it('counts a cumulative file with equal shares and prints the step and increment of add1', async () => {
    const byOne = await run(['pb', 'results', 'points.pb', '--rule', 'equal-shares']);
    const byTwo = await run(['pb', 'results', 'points.pb', '--rule', 'equal-shares', '--add1-step', '2']);
    const json = await run(['pb', 'results', 'points.pb', '--rule', 'equal-shares', '--json']);
    const zurich = await run(['pb', 'results', 'zurich.pb', '--rule', 'equal-shares']);

    expect(byOne).toMatchObject({ code: 0, stderr: '' });
    expect(byOne.stdout).toContain('Selected (1): a\nSpent: 6 of 10 (left 4)\n');
    expect(byOne.stdout).toContain("Add1: step 1, increment 1 (per voter, in the file's unit)\n");
    expect(byTwo.stdout).toContain("Add1: step 2, increment 0 (per voter, in the file's unit)\n");
    expect(JSON.parse(json.stdout)).toMatchObject({
      voteType: 'cumulative',
      selected: ['a'],
      add1: { step: '1', increment: '1' },
    });
    expect(zurich).toMatchObject({ code: 0, stderr: '' });
    expect(zurich.stdout).toContain('Add1: step 1, increment ');
  });

  it('prints no add1 line for greedy or equal shares alone', async () => {
    const greedy = await run(['pb', 'results', 'zurich.pb', '--rule', 'greedy']);
    const alone = await run(['pb', 'results', 'points.pb', '--rule', 'equal-shares', '--completion', 'none']);

    expect(greedy.stdout).not.toContain('Add1');
    expect(alone.stdout).not.toContain('Add1');
  });

  it.each([
    ['no rule', ['rembertow.pb'], '--rule must be greedy or equal-shares, not missing.'],
    ['an unknown rule', ['rembertow.pb', '--rule', 'mes'], '--rule must be greedy or equal-shares, not mes.'],
    ['no file', ['--rule', 'greedy'], 'Give exactly one pabulib file, not 0.'],
    ['two files', ['a.pb', 'b.pb', '--rule', 'greedy'], 'Give exactly one pabulib file, not 2.'],
    ['an unknown option', ['rembertow.pb', '--rule', 'greedy', '--fast'], 'Unknown option --fast.'],
    [
      'an unknown completion',
      ['rembertow.pb', '--rule', 'equal-shares', '--completion', 'add2'],
      '--completion must be none or add1, not add2.',
    ],
    [
      'greedy with add1',
      ['rembertow.pb', '--rule', 'greedy', '--completion', 'add1'],
      'belongs to equal-shares',
    ],
    [
      'an add1 step of 0',
      ['rembertow.pb', '--rule', 'equal-shares', '--add1-step', '0'],
      '--add1-step must be a whole number of at least 1, not 0.',
    ],
    [
      'an add1 step that is not a number',
      ['rembertow.pb', '--rule', 'equal-shares', '--add1-step', '1.5'],
      '--add1-step must be a whole number of at least 1, not 1.5.',
    ],
    [
      'an add1 step with greedy',
      ['rembertow.pb', '--rule', 'greedy', '--add1-step', '2'],
      '--add1-step belongs to equal-shares completed with add1.',
    ],
  ])('answers %s with the usage and exit code 2', async (_case, args, message) => {
    const result = await run(['pb', 'results', ...args]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: npx hromada pb results FILE.pb --rule greedy|equal-shares');
    expect(result.stdout).toBe('');
  });

  it('exits 2 for a file it cannot read', async () => {
    const result = await run(['pb', 'results', 'missing.pb', '--rule', 'greedy']);

    expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('Cannot read missing.pb') });
  });

  it('is listed in the usage', async () => {
    const result = await run(['--help']);

    expect(result.stdout).toContain('pb results FILE.pb --rule greedy|equal-shares');
  });
});
