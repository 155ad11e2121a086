import { describe, expect, it } from 'vitest';
import { PabulibError, type PabulibErrorCode, parsePabulib } from '../../../domain/budgets/pabulib';

/** A small valid file, as lines, that each case below breaks in one place. */
const VALID = [
  'META', // 1
  'key;value', // 2
  'budget;1000', // 3
  'vote_type;approval', // 4
  'PROJECTS', // 5
  'project_id;cost;name', // 6
  'a;400;Park', // 7
  'b;700;Library', // 8
  'VOTES', // 9
  'voter_id;vote;age', // 10
  '1;a,b;30', // 11
  '2;b;41', // 12
];

const CUMULATIVE = [
  ...VALID.slice(0, 3),
  'vote_type;cumulative',
  ...VALID.slice(4, 9),
  'voter_id;vote;points',
  '1;a,b;1,2',
  '2;b;3',
];

/** The valid file with the lines at `changes`' keys (1-based) replaced; `null` deletes a line. */
function fileWith(changes: Record<number, string | null>, base: readonly string[] = VALID): string {
  return base
    .flatMap((line, index) => {
      const change = changes[index + 1];
      return change === undefined ? [line] : change === null ? [] : [change];
    })
    .join('\n');
}

/** What parsing `text` threw, for the assertions. */
function errorOf(text: string): PabulibError {
  try {
    parsePabulib(text);
  } catch (error) {
    if (error instanceof PabulibError) return error;
    throw error;
  }
  throw new Error('The file was read without an error.');
}

describe('the mistakes a .pb file can hold', () => {
  it('reads the valid files the cases start from', () => {
    expect(parsePabulib(fileWith({})).ballots).toHaveLength(2);
    expect(parsePabulib(fileWith({}, CUMULATIVE)).ballots).toHaveLength(2);
  });

  it.each<[string, string, number, PabulibErrorCode, string]>([
    ['an empty file', '', 1, 'empty_file', 'The file is empty'],
    ['only blank lines', '\n  \n', 1, 'empty_file', 'The file is empty'],
    ['rows before META', `note;x\n${fileWith({})}`, 1, 'outside_section', 'must start with the line META'],
    [
      'no VOTES section',
      fileWith({ 9: null, 10: null, 11: null, 12: null }),
      8,
      'missing_section',
      'VOTES is missing',
    ],
    [
      'no META section',
      fileWith({ 1: null, 2: null, 3: null, 4: null }),
      8,
      'missing_section',
      'META is missing',
    ],
    [
      'PROJECTS twice',
      fileWith({ 9: 'PROJECTS' }),
      9,
      'duplicate_section',
      'PROJECTS appears a second time (first at line 5)',
    ],
    [
      'a section without header',
      fileWith({ 10: null, 11: null, 12: null }),
      9,
      'missing_header',
      'VOTES has no header row',
    ],
    [
      'META without its header',
      fileWith({ 2: null }),
      2,
      'missing_header',
      'must begin with the header row key;value',
    ],
    [
      'a META row without a value',
      fileWith({ 3: 'budget' }),
      3,
      'column_count',
      'Expected 2 fields (key;value), found 1',
    ],
    [
      'a META key twice',
      fileWith({ 4: 'budget;900' }),
      4,
      'duplicate_meta_key',
      'budget appears a second time (first at line 3)',
    ],
    ['no budget', fileWith({ 3: null }), 1, 'missing_meta', 'no budget row'],
    ['no vote type', fileWith({ 4: null }), 1, 'missing_meta', 'no vote_type row'],
    [
      'an unknown vote type',
      fileWith({ 4: 'vote_type;ranking' }),
      4,
      'unknown_vote_type',
      'Unknown vote_type "ranking"',
    ],
    [
      'a budget with cents',
      fileWith({ 3: 'budget;1000.50' }),
      3,
      'not_an_amount',
      'The budget: expected a whole number',
    ],
    [
      'a non-integer cost',
      fileWith({ 8: 'b;700.5;Library' }),
      8,
      'not_an_amount',
      'The cost of project b: expected a whole number of at least 0 (no fractions), not "700.5"',
    ],
    ['a negative cost', fileWith({ 7: 'a;-400;Park' }), 7, 'not_an_amount', 'The cost of project a'],
    ['a cost that is no number', fileWith({ 7: 'a;;Park' }), 7, 'not_an_amount', 'not ""'],
    [
      'PROJECTS without cost',
      fileWith({ 6: 'project_id;price;name' }),
      6,
      'missing_column',
      'The PROJECTS header has no cost column',
    ],
    [
      'VOTES without vote',
      fileWith({ 10: 'voter_id;ballot;age' }),
      10,
      'missing_column',
      'The VOTES header has no vote column',
    ],
    [
      'a column twice',
      fileWith({ 6: 'project_id;cost;cost' }),
      6,
      'duplicate_column',
      'names the column cost twice',
    ],
    [
      'a project row too short',
      fileWith({ 8: 'b;700' }),
      8,
      'column_count',
      'Expected 3 fields (project_id;cost;name), found 2',
    ],
    [
      'a vote row too long',
      fileWith({ 12: '2;b;41;F' }),
      12,
      'column_count',
      'Expected 3 fields (voter_id;vote;age), found 4',
    ],
    ['an empty project id', fileWith({ 8: ' ;700;Library' }), 8, 'empty_id', 'The project_id field is empty'],
    [
      'a comma in a project id',
      fileWith({ 8: 'b,c;700;Library' }),
      8,
      'comma_in_project_id',
      '"b,c" contains a comma',
    ],
    [
      'a project twice',
      fileWith({ 8: 'a;700;Library' }),
      8,
      'duplicate_project',
      'Project a is already listed at line 7',
    ],
    ['an empty voter id', fileWith({ 12: ';b;41' }), 12, 'empty_id', 'The voter_id field is empty'],
    ['a voter twice', fileWith({ 12: '1;b;41' }), 12, 'duplicate_voter', 'Voter 1 already voted at line 11'],
    [
      'a vote for an unknown project',
      fileWith({ 12: '2;b,z;41' }),
      12,
      'unknown_project',
      'names project z, which section PROJECTS does not list',
    ],
    [
      'a project twice in one vote',
      fileWith({ 11: '1;a,b,a;30' }),
      11,
      'repeated_project',
      'names project a twice',
    ],
    ['an empty place in a vote', fileWith({ 11: '1;a,,b;30' }), 11, 'empty_id', 'empty place between commas'],
    [
      'an unclosed quote',
      fileWith({ 7: 'a;400;"Park' }),
      7,
      'bad_quoting',
      'not closed before the end of the line',
    ],
    [
      'text after a closing quote',
      fileWith({ 7: 'a;400;"Park"s' }),
      7,
      'bad_quoting',
      'must be followed by ; or the end',
    ],
    [
      'points on approval ballots',
      fileWith({ 10: 'voter_id;vote;points' }),
      10,
      'unexpected_column',
      'vote_type here is approval',
    ],
    [
      'cumulative ballots without points',
      fileWith({ 10: 'voter_id;vote', 11: '1;a,b', 12: '2;b' }, CUMULATIVE),
      10,
      'missing_column',
      'no points column',
    ],
    [
      'fewer points than projects',
      fileWith({ 11: '1;a,b;3' }, CUMULATIVE),
      11,
      'points_count',
      'names 2 project(s) but gives 1 point value(s)',
    ],
    [
      'points that are not whole',
      fileWith({ 11: '1;a,b;2.5,1' }, CUMULATIVE),
      11,
      'not_a_number',
      'not "2.5,1"',
    ],
  ])('%s: line %i, %s', (_case, text, line, code, message) => {
    const error = errorOf(text);

    expect(error).toMatchObject({ name: 'PabulibError', line, code });
    expect(error.message).toContain(`line ${line}: `);
    expect(error.text.en).toContain(message);
    expect(error.text.uk.length).toBeGreaterThan(0);
  });

  it('counts lines the same with CRLF line ends and a byte-order mark', () => {
    const error = errorOf(`\uFEFF${fileWith({ 12: '2;b,z;41' }).replaceAll('\n', '\r\n')}`);

    expect(error).toMatchObject({ line: 12, code: 'unknown_project' });
  });

  it('says it in Ukrainian too', () => {
    const error = errorOf(fileWith({ 12: '1;b;41' }));

    expect(error.text.uk).toBe('Виборець 1 уже голосував у рядку 11.');
  });
});
