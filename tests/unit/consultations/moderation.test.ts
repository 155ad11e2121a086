import { describe, expect, it } from 'vitest';
import {
  autoHideComment,
  MODERATION_MOVES,
  moderateComment,
} from '../../../domain/consultations/commands/moderate-comment';
import { type Comment, CommentState } from '../../../domain/consultations/comment';
import { Role } from '../../../domain/identity/actor';
import { type Decision, SYSTEM_DECIDER } from '../../../domain/moderation/item';
import { actor } from '../../support/actors';
import { contextAt, resident } from './fixtures';

const moderator = actor({ subject: 'moderator', roles: new Set([Role.moderator]) });
const context = () => contextAt(moderator);

function comment(state: Comment['state']): Comment {
  return {
    id: 'C1',
    communityId: 'demo',
    consultationId: 'K1',
    target: { kind: 'whole' },
    draftVersion: 1,
    threadId: 'C1',
    depth: 1,
    stance: 'for',
    text: 'Текст',
    state,
    authorKey: resident('author').signerKey,
    createdAt: '2026-11-22T09:00:00.000Z',
    revision: 3,
  };
}

const TARGET: Record<Decision, Comment['state']> = {
  approve: 'visible',
  reject: 'rejected',
  hide: 'hidden',
  restore: 'visible',
};

describe('moderateComment', () => {
  const moves = (Object.keys(TARGET) as Decision[]).flatMap((decision) =>
    MODERATION_MOVES.filter(([, to]) => to === TARGET[decision]).map(
      ([from, to]) => [decision, from, to] as const,
    ),
  );

  it.each(moves)('%s takes a %s comment to %s, with an event', (decision, from, to) => {
    const outcome = moderateComment(context(), comment(from), { decision, reasonCode: 'off_topic' });

    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value).toMatchObject({
      state: to,
      revision: 4,
      moderation: { decision, reasonCode: 'off_topic', decidedBy: 'moderator' },
    });
    expect(outcome.events.map((event) => [event.name, event.detail.from, event.detail.to])).toEqual([
      ['consultation.comment-moderated.v1', from, to],
    ]);
  });

  it('refuses a move the table does not list, naming both states', () => {
    const outcome = moderateComment(context(), comment(CommentState.rejected), {
      decision: 'hide',
      reasonCode: 'spam',
    });

    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'invalid_state', details: { currentState: 'rejected', requestedState: 'hidden' } },
    });
  });

  it('only records a decision on a comment its author deleted, so its queue entry can be settled', () => {
    const outcome = moderateComment(context(), comment(CommentState.deleted), {
      decision: 'reject',
      reasonCode: 'spam',
    });

    expect(outcome).toMatchObject({
      ok: true,
      value: { state: 'deleted', moderation: { decision: 'reject' } },
    });
    expect(outcome.ok && outcome.events).toEqual([]);
  });

  it('records a decision that confirms the state without emitting an event', () => {
    const outcome = moderateComment(context(), comment(CommentState.visible), { decision: 'approve' });

    expect(outcome).toMatchObject({
      ok: true,
      value: { state: 'visible', moderation: { decision: 'approve' } },
    });
    expect(outcome.ok && outcome.events).toEqual([]);
  });
});

describe('autoHideComment', () => {
  it('hides a published comment with the system reason', () => {
    const outcome = autoHideComment(context(), comment(CommentState.visible));

    expect(outcome).toMatchObject({
      ok: true,
      value: {
        state: 'hidden',
        moderation: { decision: 'hide', reasonCode: 'reported', decidedBy: SYSTEM_DECIDER },
      },
    });
  });

  it.each(['pending', 'hidden', 'rejected', 'deleted'] as const)('refuses a %s comment', (state) => {
    expect(autoHideComment(context(), comment(state))).toMatchObject({
      ok: false,
      error: { code: 'invalid_state', details: { currentState: state } },
    });
  });
});
