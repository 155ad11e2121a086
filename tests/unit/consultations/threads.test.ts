import { describe, expect, it } from 'vitest';
import type { Comment, CommentState } from '../../../domain/consultations/comment';
import { type Draft, parseDraft, reviseDraft } from '../../../domain/consultations/draft';
import {
  type CountedComment,
  listedComments,
  targetsUnder,
  threadPage,
} from '../../../domain/consultations/threads';
import { sequence, succeeded } from './fixtures';

const VERSION_1 =
  'Intro.\n\n# Goals {#goals}\n\nFewer cars.\n\n## Steps {#steps}\n\nA new lane.\n\nOld text to go.';
const VERSION_2 = '# Goals {#goals}\n\nFewer cars.\n\n## Steps {#steps}\n\nA new lane.';
const ids = sequence('B');
const v1: Draft = succeeded(parseDraft(VERSION_1, ids));
const v2: Draft = succeeded(reviseDraft(v1, VERSION_2, ids));
const [intro, fewerCars, newLane, oldText] = v1.blocks.filter((block) => block.kind === 'paragraph');

let serial = 0;
function comment(overrides: Partial<Comment> & { up?: number; down?: number } = {}): CountedComment {
  serial += 1;
  const id = `M${String(serial).padStart(3, '0')}`;
  return {
    id,
    communityId: 'demo',
    consultationId: 'K1',
    target: { kind: 'whole' },
    draftVersion: 1,
    threadId: id,
    depth: 1,
    stance: 'for',
    text: 'Text',
    state: 'visible',
    authorKey: 'a'.repeat(64),
    createdAt: `2026-11-22T10:00:${String(serial).padStart(2, '0')}.000Z`,
    revision: 1,
    up: 0,
    down: 0,
    ...overrides,
  };
}

const replyTo = (parent: CountedComment, state: CommentState = 'visible') =>
  comment({ parentCommentId: parent.id, threadId: parent.threadId, depth: parent.depth + 1, state });

describe('targetsUnder', () => {
  it("gathers a section, its own paragraphs and the removed blocks that now attach to it, but not a subsection's", () => {
    expect(targetsUnder(v2, 'goals')).toEqual({ whole: false, blockIds: ['goals', fewerCars?.id] });
    expect([...targetsUnder(v2, 'steps').blockIds].sort()).toEqual(
      [newLane?.id, oldText?.id, 'steps'].sort(),
    );
  });

  it('gathers the whole consultation and the text before the first heading, removed or not', () => {
    expect(targetsUnder(v2, undefined)).toEqual({ whole: true, blockIds: [intro?.id] });
    expect(targetsUnder(v1, undefined)).toEqual({ whole: true, blockIds: [intro?.id] });
  });
});

describe('listedComments', () => {
  it('shows published, hidden and deleted comments, and waiting or rejected ones only above a shown reply', () => {
    const hidden = comment({ state: 'hidden' });
    const deleted = comment({ state: 'deleted' });
    const pending = comment({ state: 'pending' });
    const rejected = comment({ state: 'rejected' });
    const rejectedWithReply = comment({ state: 'rejected' });
    const reply = replyTo(rejectedWithReply);
    const pendingReply = replyTo(hidden, 'pending');

    const listed = listedComments([
      hidden,
      deleted,
      pending,
      rejected,
      rejectedWithReply,
      reply,
      pendingReply,
    ]);

    expect([...listed].map((entry) => entry.id).sort()).toEqual(
      [hidden.id, deleted.id, rejectedWithReply.id, reply.id].sort(),
    );
  });
});

describe('threadPage', () => {
  it('pages top-level comments in order, each with its replies oldest first', () => {
    const low = comment({ up: 1 });
    const high = comment({ up: 5, down: 1 });
    const middle = comment({ up: 3 });
    const firstReply = replyTo(high);
    const deepReply = replyTo(firstReply);

    const first = threadPage([low, high, middle, deepReply, firstReply], 'top', 2);
    const second = threadPage([low, high, middle, deepReply, firstReply], 'top', 2, first.next);

    expect(
      first.threads.map((thread) => [thread.comment.id, thread.replies.map((entry) => entry.id)]),
    ).toEqual([
      [high.id, [firstReply.id, deepReply.id]],
      [middle.id, []],
    ]);
    expect(second.threads.map((thread) => thread.comment.id)).toEqual([low.id]);
    expect(second.next).toBeUndefined();
  });
});
