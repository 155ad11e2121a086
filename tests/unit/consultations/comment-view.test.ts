import { describe, expect, it } from 'vitest';
import type { Comment } from '../../../domain/consultations/comment';
import { parseDraft } from '../../../domain/consultations/draft';
import type { CountedComment } from '../../../domain/consultations/threads';
import { commentView } from '../../../functions/consultations/views';
import { sequence, succeeded } from './fixtures';

// What a consultation comment's view shows once a moderator took it away: the moderation centre's rule
// (domain/moderation/withheld.ts), which a hidden petition follows too.

const draft = succeeded(parseDraft('# Goals {#goals}\n\nFewer cars.', sequence('B')));
const paragraph = draft.blocks[1]?.id as string;

function comment(overrides: Partial<Comment>): CountedComment {
  return {
    id: 'M1',
    communityId: 'demo',
    consultationId: 'K1',
    target: { kind: 'paragraph', id: paragraph },
    draftVersion: 1,
    threadId: 'M1',
    depth: 1,
    stance: 'against',
    text: 'My neighbour Ivan Petrenko parks on the pavement.',
    state: 'visible',
    authorKey: 'a'.repeat(64),
    createdAt: '2026-11-22T10:00:00.000Z',
    revision: 1,
    up: 0,
    down: 0,
    ...overrides,
  };
}

const hiddenForPersonalData = comment({
  state: 'hidden',
  moderation: {
    decision: 'hide',
    reasonCode: 'personal_data',
    note: 'Names Ivan Petrenko.',
    decidedAt: '2026-11-22T11:00:00.000Z',
    decidedBy: 'moderator-1',
  },
});

describe('commentView of a moderated comment', () => {
  it('withholds the text and the note of a comment hidden for personal data from the public', () => {
    const view = commentView(draft, hiddenForPersonalData);

    expect(view.text).toBeNull();
    expect(view.moderation).toEqual({
      decision: 'hide',
      reasonCode: 'personal_data',
      reason: { uk: 'Текст містить персональні дані.', en: 'The text contains personal data.' },
      decidedAt: '2026-11-22T11:00:00.000Z',
    });
    expect(JSON.stringify(view)).not.toContain('Petrenko');
  });

  it.each([
    ['the public, published', comment({}), false, true],
    ['the public, hidden', hiddenForPersonalData, false, false],
    ['its author, hidden', hiddenForPersonalData, true, true],
    ['its author, deleted', comment({ state: 'deleted' }), true, false],
  ])('%s', (_case, subject, forAuthor, shown) => {
    expect(commentView(draft, subject, forAuthor).text).toBe(shown ? subject.text : null);
  });
});
