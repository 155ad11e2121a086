import { describe, expect, it } from 'vitest';
import { REASON_CODE_LIST } from '../../../domain/moderation/reasons';
import { shownOfSubject, withholdsContent } from '../../../domain/moderation/withheld';

// The one rule of what the public may read of a moderated subject, as every tool's public view applies it.

describe('withholdsContent', () => {
  it.each([
    ['personal_data', true],
    ['offensive', true],
    ['unlawful', true],
    ['spam', true],
    ['reported', true],
    ['duplicate', false],
    ['not_in_competence', false],
    ['off_topic', false],
    ['unclear', false],
    ['other', false],
    ['a code of a later version', false],
    [undefined, false],
  ])('%s: %s', (reasonCode, withheld) => {
    expect(withholdsContent(reasonCode)).toBe(withheld);
  });

  it('knows every reason code', () => {
    expect(REASON_CODE_LIST.filter(withholdsContent).sort()).toEqual([
      'offensive',
      'personal_data',
      'reported',
      'spam',
      'unlawful',
    ]);
  });
});

describe('shownOfSubject', () => {
  const everything = { content: true, note: true };
  const nothing = { content: false, note: false };

  it.each([
    ['the public, content withheld', true, { author: false, staff: false }, nothing],
    ['the author, content withheld', true, { author: true, staff: false }, everything],
    ['the staff, content withheld', true, { author: false, staff: true }, everything],
    ['the public, content not withheld', false, { author: false, staff: false }, everything],
    ['the author, content not withheld', false, { author: true, staff: false }, everything],
  ])('%s', (_case, withheld, viewer, shown) => {
    expect(shownOfSubject(withheld, viewer)).toEqual(shown);
  });
});
