import { describe, expect, it } from 'vitest';
import { deleteComment } from '../../../domain/consultations/commands/delete-comment';
import { editComment } from '../../../domain/consultations/commands/edit-comment';
import { type PostCommentInput, postComment } from '../../../domain/consultations/commands/post-comment';
import { voteOnComment } from '../../../domain/consultations/commands/vote-on-comment';
import { type Comment, voteDelta } from '../../../domain/consultations/comment';
import type { Consultation } from '../../../domain/consultations/consultation';
import { ineligibility } from '../../../domain/consultations/eligibility';
import { codePointLength } from '../../../domain/consultations/text-length';
import { contextAt, inPhase, NOW, openConsultation, resident, rules, sequence, succeeded } from './fixtures';

const author = resident('author');
const { consultation, draft } = openConsultation();
const [intro, goals, goalsText] = draft.blocks;
/** One sequence for the file, so that every comment has an id of its own. */
const commentIds = sequence('M');

const post = (
  input: Partial<PostCommentInput> = {},
  options: {
    who?: typeof author;
    at?: string;
    moderation?: 'pre' | 'post';
    on?: Consultation;
  } = {},
) =>
  postComment(
    contextAt(options.who ?? author, options.at ?? NOW, commentIds),
    rules(options.moderation ?? 'post'),
    options.on ?? consultation,
    draft,
    { target: { kind: 'whole' }, stance: 'for', text: 'Підтримую', ...input } as PostCommentInput,
  );

const posted = (input: Partial<PostCommentInput> = {}): Comment => succeeded(post(input));

/** The time `minutes:seconds` after NOW. */
const minutesAfter = (minutes: number, seconds = 0): string =>
  new Date(Date.parse(NOW) + (minutes * 60 + seconds) * 1000).toISOString();

describe('postComment', () => {
  it.each([
    ['the whole consultation', { kind: 'whole' } as const],
    ['a section', { kind: 'section', id: goals!.id } as const],
    ['a paragraph', { kind: 'paragraph', id: goalsText!.id } as const],
    ['a paragraph before the first heading', { kind: 'paragraph', id: intro!.id } as const],
  ])('comments on %s of the current version', (_case, target) => {
    const comment = posted({ target, stance: 'against', text: '  Заперечую  ' });

    expect(comment).toMatchObject({
      communityId: 'demo',
      consultationId: consultation.id,
      target,
      draftVersion: 1,
      depth: 1,
      threadId: comment.id,
      stance: 'against',
      text: 'Заперечую',
      state: 'visible',
      authorKey: author.signerKey,
      districtId: 'd1',
      createdAt: NOW,
    });
    expect(comment).not.toHaveProperty('parentCommentId');
  });

  it('holds a comment for the moderators under pre-moderation', () => {
    expect(succeeded(post({}, { moderation: 'pre' })).state).toBe('pending');
  });

  it.each([
    ['an unknown id', { kind: 'section', id: 'nope' } as const],
    ['a paragraph named as a section', { kind: 'section', id: goalsText!.id } as const],
    ['a section named as a paragraph', { kind: 'paragraph', id: goals!.id } as const],
  ])('refuses a target that is %s', (_case, target) => {
    const outcome = post({ target });

    expect(outcome.ok || outcome.error).toMatchObject({
      code: 'unknown_target',
      details: { targetId: target.id, currentVersion: 1 },
    });
  });

  it.each([
    ['one character', 'a', true],
    ['5,000 characters', 'a'.repeat(5_000), true],
    ['5,000 characters between spaces', ` ${'a'.repeat(5_000)}\n`, true],
    ['5,000 emoji (10,000 UTF-16 units)', '😀'.repeat(5_000), true],
    ['5,001 characters', 'a'.repeat(5_001), false],
    ['5,001 emoji', '😀'.repeat(5_001), false],
  ])('counts code points: %s is %s', (_case, text, accepted) => {
    const outcome = post({ text });

    expect(outcome.ok).toBe(accepted);
    if (!outcome.ok)
      expect(outcome.error).toMatchObject({
        code: 'comment_too_long',
        details: { maxLength: 5_000, length: 5_001 },
      });
  });

  it.each([
    ['empty', ''],
    ['only spaces and new lines', ' \n\t '],
  ])('refuses a comment that is %s', (_case, text) => {
    const outcome = post({ text });

    expect(outcome.ok || outcome.error.code).toBe('comment_empty');
  });

  it('counts an emoji with a skin tone as its two code points', () => {
    expect(codePointLength(' 👍🏽 ')).toBe(2);
    expect('👍🏽'.length).toBe(4);
  });

  it.each(['draft', 'closed', 'report_published'] as const)(
    'refuses a comment while %s, naming the phase',
    (phase) => {
      const outcome = post({}, { on: inPhase(consultation, phase) });

      expect(outcome.ok || outcome.error).toMatchObject({
        code: 'consultation_not_open',
        details: { currentPhase: phase },
      });
    },
  );

  it('refuses a comment once closesAt has passed, though the job has not closed it yet', () => {
    const outcome = post({}, { at: consultation.closesAt });

    expect(outcome.ok || outcome.error).toMatchObject({
      code: 'consultation_not_open',
      details: { currentPhase: 'closed' },
    });
  });

  it.each([
    [
      'a resident of another community',
      resident('x', { residency: { communityId: 'other' } }),
      'not_resident',
    ],
    ['someone the provider gives no residency', resident('x', { residency: undefined }), 'not_resident'],
  ])('refuses %s', (_case, who, reason) => {
    const outcome = post({}, { who });

    expect(outcome.ok || outcome.error).toMatchObject({ code: 'not_eligible', details: { reason } });
  });
});

describe('replies', () => {
  const top = posted();
  const reply = (parent: Comment, options: Parameters<typeof post>[1] = {}) =>
    post({ replyTo: parent } as Partial<PostCommentInput>, options);
  const second = succeeded(reply(top));
  const third = succeeded(reply(second));

  it('nests replies to depth 3 in the thread of their top-level comment, on its target', () => {
    expect([top.depth, second.depth, third.depth]).toEqual([1, 2, 3]);
    expect(third).toMatchObject({ parentCommentId: second.id, threadId: top.id, target: top.target });
  });

  it('refuses a reply at depth 4', () => {
    const outcome = reply(third);

    expect(outcome.ok || outcome.error).toMatchObject({ code: 'reply_too_deep', details: { maxDepth: 3 } });
  });

  it.each(['pending', 'hidden', 'rejected', 'deleted'] as const)(
    'refuses a reply to a %s comment',
    (state) => {
      const outcome = reply({ ...top, state });

      expect(outcome.ok || outcome.error).toMatchObject({
        code: 'comment_state_conflict',
        details: { currentState: state, action: 'reply' },
      });
    },
  );

  it('refuses a reply to a comment of another consultation', () => {
    const outcome = reply({ ...top, consultationId: 'other' });

    expect(outcome.ok || outcome.error.code).toBe('comment_not_found');
  });
});

describe('editComment', () => {
  const comment = posted();
  const edit = (
    at: string,
    options: { who?: typeof author; on?: Consultation; target?: Comment; moderation?: 'pre' | 'post' } = {},
    text = 'Виправлено',
  ) =>
    editComment(
      contextAt(options.who ?? author, at),
      rules(options.moderation ?? 'post'),
      options.on ?? consultation,
      options.target ?? comment,
      text,
    );

  it('lets the author edit at 14:59', () => {
    const outcome = edit(minutesAfter(14, 59));

    expect(outcome.ok && outcome.value).toMatchObject({
      text: 'Виправлено',
      state: 'visible',
      editedAt: minutesAfter(14, 59),
      revision: 2,
    });
  });

  it.each([
    ['15:00', minutesAfter(15)],
    ['15:01', minutesAfter(15, 1)],
  ])('refuses an edit at %s', (_case, at) => {
    const outcome = edit(at);

    expect(outcome.ok || outcome.error).toMatchObject({
      code: 'edit_window_closed',
      details: { editableUntil: minutesAfter(15) },
    });
  });

  it('sends an edited comment back to the queue under pre-moderation', () => {
    expect(succeeded(edit(minutesAfter(1), { moderation: 'pre' })).state).toBe('pending');
  });

  it.each([
    ['someone else', { who: resident('other') }, 'not_author'],
    ['a closed consultation', { on: inPhase(consultation, 'closed') }, 'consultation_not_open'],
    ['a deleted comment', { target: { ...comment, state: 'deleted' as const } }, 'comment_state_conflict'],
    ['a hidden comment', { target: { ...comment, state: 'hidden' as const } }, 'comment_state_conflict'],
  ])('refuses an edit by or on %s', (_case, options, code) => {
    const outcome = edit(minutesAfter(1), options);

    expect(outcome.ok || outcome.error.code).toBe(code);
  });

  it('checks the new text like a new comment', () => {
    const outcome = edit(minutesAfter(1), {}, 'a'.repeat(5_001));

    expect(outcome.ok || outcome.error.code).toBe('comment_too_long');
  });
});

describe('deleteComment', () => {
  const comment = posted();

  it('removes the text and keeps the comment, with its place in the thread, even after closing', () => {
    const reply = succeeded(post({ replyTo: comment } as Partial<PostCommentInput>));

    const deleted = succeeded(deleteComment(contextAt(author, '2027-01-01T00:00:00.000Z'), comment));

    expect(deleted).toMatchObject({
      id: comment.id,
      text: '',
      state: 'deleted',
      deletedAt: '2027-01-01T00:00:00.000Z',
      threadId: comment.id,
    });
    expect(reply.parentCommentId).toBe(deleted.id);
  });

  it.each([
    ['by someone else', resident('other'), comment, 'not_author'],
    ['twice', author, { ...comment, state: 'deleted' as const }, 'comment_state_conflict'],
  ])('refuses a deletion %s', (_case, who, target, code) => {
    const outcome = deleteComment(contextAt(who), target);

    expect(outcome.ok || outcome.error.code).toBe(code);
  });
});

describe('voteOnComment', () => {
  const comment = posted();
  const voter = resident('voter');

  it('returns the vote to write, keyed by the voter', () => {
    const outcome = voteOnComment(contextAt(voter), rules(), consultation, comment, 'down');

    expect(outcome.ok && outcome.value).toEqual({
      communityId: 'demo',
      consultationId: consultation.id,
      commentId: comment.id,
      voterKey: voter.signerKey,
      value: 'down',
      votedAt: NOW,
    });
  });

  it.each([
    ['a pending comment', consultation, { ...comment, state: 'pending' as const }, 'comment_state_conflict'],
    [
      'a comment of another consultation',
      consultation,
      { ...comment, consultationId: 'x' },
      'comment_not_found',
    ],
    ['a closed consultation', inPhase(consultation, 'closed'), comment, 'consultation_not_open'],
  ])('refuses a vote on %s', (_case, on, target, code) => {
    const outcome = voteOnComment(contextAt(voter), rules(), on, target, 'up');

    expect(outcome.ok || outcome.error.code).toBe(code);
  });

  it.each([
    [undefined, 'up', { up: 1, down: 0 }],
    [undefined, 'down', { up: 0, down: 1 }],
    ['up', 'down', { up: -1, down: 1 }],
    ['down', 'up', { up: 1, down: -1 }],
    ['up', 'up', { up: 0, down: 0 }],
    ['down', undefined, { up: 0, down: -1 }],
  ] as const)('turns a vote changing from %s to %s into %o', (before, after, delta) => {
    expect(voteDelta(before, after)).toEqual(delta);
  });
});

describe('eligibility by age', () => {
  const on = new Date(NOW);

  it.each([
    ['no age limit, no birth date', undefined, undefined, undefined],
    ['16 today', 16, '2010-11-22', undefined],
    ['16 tomorrow', 16, '2010-11-23', 'under_age'],
    ['no birth date where the community sets an age', 16, undefined, 'age_unknown'],
  ])('%s: %s', (_case, minimumAge, birthdate, reason) => {
    const who = resident('r', { birthdate });

    const refusal = ineligibility(who, rules('post', minimumAge), on);

    expect(refusal?.details?.reason).toBe(reason);
  });
});
