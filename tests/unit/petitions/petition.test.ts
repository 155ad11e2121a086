import { describe, expect, it } from 'vitest';
import { ageOn } from '../../../domain/identity/eligibility';
import {
  canTransition,
  PETITION_STATES,
  type PetitionState,
  TRANSITIONS,
} from '../../../domain/petitions/petition';

const LEGAL = new Set(TRANSITIONS.map(([from, to]) => `${from}->${to}`));
const EVERY_PAIR = PETITION_STATES.flatMap((from) =>
  PETITION_STATES.map((to) => [from, to] as [PetitionState, PetitionState]),
);

describe('the petition transition table', () => {
  it.each(EVERY_PAIR.filter(([from, to]) => LEGAL.has(`${from}->${to}`)))('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each(EVERY_PAIR.filter(([from, to]) => !LEGAL.has(`${from}->${to}`)))('refuses %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('lists exactly the lifecycle of the issue', () => {
    expect([...LEGAL].sort()).toEqual(
      [
        'draft->gathering_sponsors',
        'draft->in_moderation',
        'draft->open',
        'gathering_sponsors->in_moderation',
        'gathering_sponsors->open',
        'in_moderation->open',
        'in_moderation->rejected',
        'in_moderation->hidden',
        'open->hidden',
        'open->closed',
        'hidden->open',
        'rejected->open',
      ].sort(),
    );
    expect(EVERY_PAIR).toHaveLength(49);
  });

  it('has no way out of closed, and out of rejected or hidden only back to open (moderation undone)', () => {
    expect(TRANSITIONS.filter(([from]) => from === 'closed')).toEqual([]);
    for (const end of ['rejected', 'hidden'] as const) {
      expect(TRANSITIONS.filter(([from]) => from === end)).toEqual([[end, 'open']]);
    }
  });
});

describe('ageOn', () => {
  it.each([
    ['2010-11-22', '2026-11-22', 16],
    ['2010-11-23', '2026-11-22', 15],
    ['2010-12-01', '2026-11-22', 15],
    ['2010-01-31', '2026-11-22', 16],
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
  ])('born %s is on %s %i years old', (birthdate, day, age) => {
    expect(ageOn(birthdate, new Date(`${day}T12:00:00Z`))).toBe(age);
  });
});
