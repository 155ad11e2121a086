import { afterEach, describe, expect, it, vi } from 'vitest';
import { parsePabulib, VoteType } from '../../../domain/budgets/pabulib';
import {
  GENERATED_NAME,
  GENERATED_SOURCE,
  loadRuleInstance,
  ruleSources,
  ruleVersion,
  TimedRule,
} from '../../bench/budget-rules';
import { BenchUsageError } from '../../bench/lib/benchmark';
import { type RuleTiming, ruleLimitFromEnv } from '../../bench/lib/budget-rules-process';
import {
  grouped,
  instanceLabel,
  meetsRuleGoal,
  ruleProgressLine,
  ruleRowCells,
  rulesSummary,
  rulesTable,
  secondsCell,
  unitsText,
} from '../../bench/lib/rule-table';
import { PABULIB_DIR, pabulibFiles, pabulibText } from '../../support/pabulib';

/** How the result-rule timings are named, limited and written; nothing here times anything. */

const PRAGA = {
  name: 'Poland_Warszawa_2023_Praga-Poludnie.pb',
  voteType: VoteType.approval,
  voters: 8922,
  projects: 81,
};
const timed = (seconds: number, runs = 1): RuleTiming['outcome'] => ({
  kind: 'timed',
  seconds,
  runs,
  heapMiB: 41.25,
  peakRssMiB: 120,
});
const stopped: RuleTiming['outcome'] = { kind: 'stopped', limitSeconds: 120 };
const row = (outcome: RuleTiming['outcome'], units: 1 | 100 = 1): RuleTiming => ({
  instance: PRAGA,
  units,
  rule: 'equal-shares/1+add1/1',
  outcome,
});

describe('the rule table', () => {
  it('groups thousands with commas, whatever the locale', () => {
    expect([0, 81, 999, 1000, 8922, 100_000, 1_234_567].map(grouped)).toEqual([
      '0',
      '81',
      '999',
      '1,000',
      '8,922',
      '100,000',
      '1,234,567',
    ]);
  });

  it('names an instance by file, vote type, voters × projects, and its units', () => {
    expect(instanceLabel(PRAGA)).toBe('Poland_Warszawa_2023_Praga-Poludnie.pb (approval, 8,922 × 81)');
    expect(
      instanceLabel({
        name: 'Poland_Czestochowa_2025.pb',
        voteType: VoteType.cumulative,
        voters: 30375,
        projects: 44,
      }),
    ).toBe('Poland_Czestochowa_2025.pb (cumulative, 30,375 × 44)');
    expect([unitsText(1), unitsText(100)]).toEqual(['×1', '×100']);
  });

  it('passes a run under 1 s and misses one at 1 s or more, or stopped at the limit', () => {
    expect(meetsRuleGoal(timed(0.999))).toBe(true);
    expect(meetsRuleGoal(timed(1))).toBe(false);
    expect(meetsRuleGoal(stopped)).toBe(false);
    expect(secondsCell(timed(0.5321))).toBe('0.532');
    expect(secondsCell(stopped)).toBe('> 120 s (stopped)');
  });

  it('writes a timed row with its runs and heap, and a stopped one without them', () => {
    expect(ruleRowCells(row(timed(0.25, 1234), 100))).toEqual([
      'Poland_Warszawa_2023_Praga-Poludnie.pb (approval, 8,922 × 81)',
      '×100',
      'equal-shares/1+add1/1',
      '0.250',
      '1,234',
      '41.3',
      '< 1 s',
      'pass',
    ]);
    expect(ruleRowCells(row(stopped))).toEqual([
      'Poland_Warszawa_2023_Praga-Poludnie.pb (approval, 8,922 × 81)',
      '×1',
      'equal-shares/1+add1/1',
      '> 120 s (stopped)',
      '–',
      '–',
      '< 1 s',
      '**FAIL**',
    ]);
  });

  it('makes a Markdown table with a header and one escaped line per row', () => {
    const piped = { ...row(timed(2)), instance: { ...PRAGA, name: 'a|b.pb' } };
    expect(rulesTable({ rows: [row(timed(0.5)), piped] })).toEqual([
      '| Instance | Units | Rule | Seconds | Rule runs | Heap MiB | Goal | Result |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      '| Poland_Warszawa_2023_Praga-Poludnie.pb (approval, 8,922 × 81) | ×1 | equal-shares/1+add1/1 | 0.500 | 1 | 41.3 | < 1 s | pass |',
      '| a\\|b.pb (approval, 8,922 × 81) | ×1 | equal-shares/1+add1/1 | 2.000 | 1 | 41.3 | < 1 s | **FAIL** |',
    ]);
  });

  it('prints progress and a summary that count the passed and the stopped runs', () => {
    expect(ruleProgressLine(row(timed(0.5, 1)))).toBe(
      '  Poland_Warszawa_2023_Praga-Poludnie.pb (approval, 8,922 × 81) ×1 equal-shares/1+add1/1: 0.500 s, 1 run, heap 41.3 MiB — pass',
    );
    expect(ruleProgressLine(row(stopped, 100))).toBe(
      '  Poland_Warszawa_2023_Praga-Poludnie.pb (approval, 8,922 × 81) ×100 equal-shares/1+add1/1: > 120 s (stopped) — **FAIL**',
    );
    expect(rulesSummary({ rows: [row(timed(0.5)), row(timed(3)), row(stopped)] })).toBe(
      '1 of 3 under 1 s, 1 stopped at the limit',
    );
  });
});

describe('the rule timings', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('take their time limit from BENCH_RULE_TIMEOUT_S, 120 s when unset, and refuse a bad one', () => {
    vi.stubEnv('BENCH_RULE_TIMEOUT_S', '');
    expect(ruleLimitFromEnv()).toBe(120);
    vi.stubEnv('BENCH_RULE_TIMEOUT_S', '60');
    expect(ruleLimitFromEnv()).toBe(60);
    vi.stubEnv('BENCH_RULE_TIMEOUT_S', '0');
    expect(() => ruleLimitFromEnv()).toThrow(BenchUsageError);
    vi.stubEnv('BENCH_RULE_TIMEOUT_S', '1.5');
    expect(() => ruleLimitFromEnv()).toThrow(BenchUsageError);
  });

  it('name the rules by the versions result documents carry', () => {
    expect(ruleVersion(TimedRule.greedy)).toBe('greedy/1');
    expect(ruleVersion(TimedRule.equalSharesAdd1)).toBe('equal-shares/1+add1/1');
  });

  it('time every approval and cumulative file by name, then the generated election; never an ordinal one', () => {
    const sources = ruleSources();
    const pointable = pabulibFiles().filter(
      (file) => parsePabulib(pabulibText(file)).voteType !== VoteType.ordinal,
    );
    expect(sources.map(({ facts }) => facts.name)).toEqual([...pointable, GENERATED_NAME]);
    expect(sources.every(({ facts }) => facts.voteType !== VoteType.ordinal)).toBe(true);
    expect(sources.at(-1)).toEqual({
      source: GENERATED_SOURCE,
      facts: { name: GENERATED_NAME, voteType: VoteType.approval, voters: 100_000, projects: 80 },
    });
    expect(sources[0]?.source.startsWith(PABULIB_DIR)).toBe(true);
  });

  it('load an instance ×100 with every cost and the budget a hundred times larger, the ballots the same', () => {
    const [first] = ruleSources();
    if (!first) throw new Error('No pabulib file to load');
    const whole = loadRuleInstance(first.source, 1);
    const minor = loadRuleInstance(first.source, 100);
    expect(minor.budget).toBe(whole.budget * 100n);
    expect(minor.meta.get('budget')).toBe((whole.budget * 100n).toString());
    expect(minor.projects.map((project) => project.cost)).toEqual(
      whole.projects.map((project) => project.cost * 100n),
    );
    expect(minor.ballots).toEqual(whole.ballots);
    expect([whole.ballots.length, whole.projects.length]).toEqual([first.facts.voters, first.facts.projects]);
  });
});
