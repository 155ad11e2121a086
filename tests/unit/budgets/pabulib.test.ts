import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type PabulibInstance,
  pabulibSha256,
  parsePabulib,
  VoteType,
  writePabulib,
} from '../../../domain/budgets/pabulib';
import { pabulibFiles, pabulibText } from '../../support/pabulib';

const FILES = pabulibFiles();

describe('reading and writing the shared pabulib files', () => {
  it('finds the shared files, so that the checks below are not vacuous', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(7);
  });

  it.each(FILES)('reads %s and reads back what it writes', (file) => {
    const text = pabulibText(file);

    const instance = parsePabulib(text);
    const again = parsePabulib(writePabulib(instance));
    const againCrlf = parsePabulib(writePabulib(instance, '\r\n'));

    expect(again).toEqual(instance);
    expect(againCrlf).toEqual(instance);
    expect(instance.projects.length).toBe(Number(instance.meta.get('num_projects')));
    expect(instance.ballots.length).toBe(Number(instance.meta.get('num_votes')));
  });

  it('reads Rembertów 2023 as written: budget, vote type, columns, an empty voter field', () => {
    const instance = parsePabulib(pabulibText('Poland_Warszawa_2023_Rembertow.pb'));

    expect(instance.budget).toBe(1_011_308n);
    expect(instance.voteType).toBe(VoteType.approval);
    expect(instance.meta.get('district')).toBe('Rembertów');
    expect(instance.projectColumns).toEqual([
      'project_id',
      'cost',
      'votes',
      'name',
      'category',
      'beneficiaries',
      'selected',
      'latitude',
      'longitude',
    ]);
    expect(instance.projects[0]).toMatchObject({
      id: '1639',
      cost: 202_100n,
      fields: { votes: '650', selected: '1', category: 'urban greenery,sport,public space' },
    });
    expect(instance.ballots.find((ballot) => ballot.voterId === '109529')).toEqual({
      voterId: '109529',
      projectIds: ['909', '950', '1324'],
      fields: { age: '', sex: 'M', voting_method: 'internet' },
    });
  });

  it('reads cumulative points and ranked ballots in their order', () => {
    const zurich = parsePabulib(pabulibText('Switzerland_Zurich_D5.pb'));
    const merced = parsePabulib(
      pabulibText('US_Stanford_Dataset_Merced_Peoples_Budget_Ballot_2019_vote_rankings.pb'),
    );

    expect(zurich.ballots[0]).toMatchObject({
      voterId: 'QGVT6BFJ',
      projectIds: ['2', '3', '1'],
      points: [2n, 2n, 1n],
    });
    expect(merced.ballots[0]).toEqual({ voterId: '106-0', projectIds: ['1108', '1109', '1104'], fields: {} });
    expect(merced.ballots[0]).not.toHaveProperty('points');
  });

  it('keeps a META value that holds an unquoted semicolon whole', () => {
    const instance = parsePabulib(pabulibText('Synthetic_MES_seed11_12voters.pb'));

    expect(instance.meta.get('description')).toBe(
      'Synthetic instance (seed 11); selected = Method of Equal Shares with add1 completion',
    );
    expect(writePabulib(instance)).toContain(
      'description;"Synthetic instance (seed 11); selected = Method of Equal Shares with add1 completion"\n',
    );
  });

  it('hashes the exact text, as sha256sum does for the file', () => {
    expect(pabulibSha256(pabulibText('Poland_Warszawa_2023_Rembertow.pb'))).toBe(
      '06c941cc343652baad4775c5f6916d104f009803ddfd6b3bfca42cb04c6ac053',
    );
  });
});

const SMALL_FILE = [
  'META',
  'key;value',
  'budget;100.00',
  'vote_type;scoring',
  'PROJECTS',
  'project_id;cost;name',
  'a;40;"Park; playground"',
  'b;0;"The ""old"" library"',
  'VOTES',
  'voter_id;vote;points;district',
  'v1;b,a;3,-1;North',
  'v2;;;',
].join('\r\n');

describe('the format details', () => {
  it('reads a byte-order mark, CRLF, blank lines, quoted fields, a zero fraction and an empty vote', () => {
    const instance = parsePabulib(`\uFEFF${SMALL_FILE.replace('PROJECTS', '\r\nPROJECTS')}\r\n\r\n`);

    expect(instance.budget).toBe(100n);
    expect(instance.meta.get('budget')).toBe('100');
    expect(instance.projects.map((project) => project.fields.name)).toEqual([
      'Park; playground',
      'The "old" library',
    ]);
    expect(instance.ballots).toEqual([
      { voterId: 'v1', projectIds: ['b', 'a'], points: [3n, -1n], fields: { district: 'North' } },
      { voterId: 'v2', projectIds: [], points: [], fields: { district: '' } },
    ]);
  });

  it('writes quotes only where a field needs them', () => {
    const written = writePabulib(parsePabulib(SMALL_FILE));

    expect(written.split('\n')).toEqual([
      'META',
      'key;value',
      'budget;100',
      'vote_type;scoring',
      'PROJECTS',
      'project_id;cost;name',
      'a;40;"Park; playground"',
      'b;0;"The ""old"" library"',
      'VOTES',
      'voter_id;vote;points;district',
      'v1;b,a;3,-1;North',
      'v2;;;',
      '',
    ]);
  });

  it('writes the typed budget and vote type, adding their rows when the map lacks them', () => {
    const instance = parsePabulib(SMALL_FILE);
    const changed: PabulibInstance = { ...instance, budget: 250n, meta: new Map([['currency', 'UAH']]) };

    const again = parsePabulib(writePabulib(changed));

    expect(again.budget).toBe(250n);
    expect([...again.meta]).toEqual([
      ['currency', 'UAH'],
      ['budget', '250'],
      ['vote_type', 'scoring'],
    ]);
  });

  it('refuses to write what no .pb line can hold', () => {
    const instance = parsePabulib(SMALL_FILE);
    const broken: PabulibInstance = {
      ...instance,
      projects: [{ id: 'a', cost: 1n, fields: { name: 'two\nlines' } }],
    };

    expect(() => writePabulib(broken)).toThrow(
      expect.objectContaining({ name: 'PabulibError', code: 'unwritable_field', line: 7 }),
    );
  });

  it('reads back any instance it writes, whatever its texts hold', () => {
    const field = fc.string({ maxLength: 12 }).filter((value) => !/[\r\n]/.test(value));
    const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/);
    const instances = fc
      .record({
        ids: fc.uniqueArray(id, { minLength: 1, maxLength: 6 }),
        costs: fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 6, maxLength: 6 }),
        names: fc.array(field, { minLength: 6, maxLength: 6 }),
        description: field,
        budget: fc.bigInt({ min: 0n, max: 10n ** 15n }),
        votes: fc.array(fc.tuple(fc.array(fc.nat(), { maxLength: 6 }), field), { maxLength: 8 }),
      })
      .map(
        ({ ids, costs, names, description, budget, votes }): PabulibInstance => ({
          meta: new Map([
            ['description', description],
            ['budget', budget.toString()],
            ['vote_type', VoteType.approval],
          ]),
          budget,
          voteType: VoteType.approval,
          projectColumns: ['project_id', 'cost', 'name'],
          projects: ids.map((projectId, index) => ({
            id: projectId,
            cost: costs[index] as bigint,
            fields: { name: names[index] as string },
          })),
          voteColumns: ['voter_id', 'vote', 'district'],
          ballots: votes.map(([picks, district], voter) => ({
            voterId: `v${voter}`,
            projectIds: [...new Set(picks.map((pick) => ids[pick % ids.length] as string))],
            fields: { district },
          })),
        }),
      );

    fc.assert(
      fc.property(instances, (instance) => {
        expect(parsePabulib(writePabulib(instance))).toEqual(instance);
      }),
      { numRuns: 150 },
    );
  });
});
