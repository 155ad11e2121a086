import { z } from 'zod';
import { deleteComment } from '../../domain/consultations/commands/delete-comment';
import { editComment } from '../../domain/consultations/commands/edit-comment';
import { type PostCommentInput, postComment } from '../../domain/consultations/commands/post-comment';
import { voteOnComment } from '../../domain/consultations/commands/vote-on-comment';
import { withdrawVote } from '../../domain/consultations/commands/withdraw-vote';
import {
  type Comment,
  type CommentVote,
  commentNotFound,
  type VoteValue,
} from '../../domain/consultations/comment';
import type { Consultation } from '../../domain/consultations/consultation';
import { type Draft, type DraftTarget, findBlock, WHOLE, WHOLE_ID } from '../../domain/consultations/draft';
import type { ParticipationRules } from '../../domain/consultations/eligibility';
import type { ConsultationStore, VoteWrite } from '../../domain/consultations/ports';
import type { CommentCursor, CommentOrder } from '../../domain/consultations/ranking';
import {
  type CommentThread,
  type CountedComment,
  listedThread,
  targetsUnder,
  threadPage,
} from '../../domain/consultations/threads';
import type { CommandContext } from '../../domain/shared/command';
import { text } from '../../domain/shared/localized';
import { type DomainError, type Outcome, ok, reject } from '../../domain/shared/outcome';
import { decodeTaggedCursor, encodeCursor, isKeyValue } from '../shared/pagination';
import { ProblemError } from '../shared/problems';
import { found, type RetryPolicy, runChange } from '../shared/use-case';
import { consultationReads } from './use-cases';

/** Names the comment in a `version_conflict` message. */
export const COMMENT_WHAT = text('Коментар', 'The comment');

/** A comment as its author or a reader sees it: with the version that says where it attaches now. */
export interface CommentOnDraft {
  readonly comment: CountedComment;
  readonly draft: Draft;
}

/** What a caller asks of a comment list. */
export interface CommentListQuery {
  readonly section?: string;
  readonly sort: CommentOrder;
  readonly limit: number;
  readonly cursor?: string;
}

/**
 * Where a page of a comment list ended, tied to that list so a cursor cannot
 * be used on another: the last thread's sort key in the order's index (the
 * consultation-wide lists), or its ranking as it was then (a section's list,
 * sorted in memory).
 */
const CursorSchema = z.union([
  z.object({ list: z.string(), after: z.string().refine(isKeyValue) }).strict(),
  z.object({ list: z.string(), id: z.string(), createdAt: z.string(), up: z.int(), down: z.int() }).strict(),
]);

const damagedCursor = () =>
  new ProblemError(
    'invalid_cursor',
    text(
      'Курсор пошкоджено. Почніть з першої сторінки без cursor.',
      'The cursor is damaged. Start again from the first page without a cursor.',
    ),
    [{ pointer: '/query/cursor', detail: 'unknown cursor' }],
  );

function decodeCommentCursor(cursor: string | undefined, list: string): string | CommentCursor | undefined {
  const raw = decodeTaggedCursor(cursor, { attribute: 'list', value: list });
  if (raw === undefined) return undefined;
  const parsed = CursorSchema.safeParse(raw);
  if (!parsed.success) throw damagedCursor();
  if ('after' in parsed.data) return parsed.data.after;
  const { list: _list, ...key } = parsed.data;
  return key;
}

/**
 * At most this many top-level comments are read for one page of a
 * consultation-wide list. Waiting and rejected ones without a listed reply are
 * skipped; a page that meets this many of them ends early, with a cursor.
 */
const MAX_ROOTS_SCANNED = 500;

/**
 * One page of a consultation's threads in `order`, read from the order's
 * index after the sort key `after`: the top-level comments of the page, then
 * the replies of just those threads. The cost depends on the page size, not
 * on how many comments the consultation has.
 */
async function indexedThreadPage(
  store: ConsultationStore,
  consultation: Consultation,
  order: CommentOrder,
  limit: number,
  after: string | undefined,
): Promise<{ threads: CommentThread[]; next?: string }> {
  const { communityId, id } = consultation;
  const threads: CommentThread[] = [];
  let key = after;
  let scanned = 0;
  for (;;) {
    const page = await store.topLevelComments(communityId, id, order, limit - threads.length, key);
    const replies = await store.replies(
      communityId,
      id,
      page.items.map((entry) => entry.comment.id),
    );
    for (const entry of page.items) {
      const thread = listedThread(entry.comment, replies.get(entry.comment.id) ?? []);
      if (thread) threads.push(thread);
      key = entry.key;
    }
    scanned += page.items.length;
    if (!page.more || key === undefined || page.items.length === 0) return { threads };
    if (threads.length >= limit || scanned >= MAX_ROOTS_SCANNED) return { threads, next: key };
  }
}

const unknownSection = (sectionId: string): DomainError => ({
  code: 'validation_failed',
  message: text(
    'У чинній редакції проєкту немає такого розділу.',
    'The current version of the draft has no such section.',
  ),
  details: { errors: [{ pointer: '/query/section', detail: 'no such section' }], sectionId },
});

/**
 * The consultations tool's use cases for comments and their votes. An
 * author's edit or deletion runs through the runner (the comment or its queue
 * entry may change meanwhile); a new comment and a vote are one conditional
 * write each, with no race to lose.
 */
export function commentUseCases(store: ConsultationStore, policy?: RetryPolicy) {
  const options = { what: COMMENT_WHAT, ...(policy ? { policy } : {}) };
  const reads = consultationReads(store);

  /** The comment, if it is one of this consultation's. */
  const commentIn = async (
    consultation: Consultation,
    commentId: string,
  ): Promise<Outcome<CountedComment>> => {
    const comment = await store.comment(consultation.communityId, commentId);
    return found(comment && comment.consultationId === consultation.id ? comment : undefined, () =>
      commentNotFound(commentId),
    );
  };

  /** The consultation and the comment of a path. */
  const both = async (communityId: string, consultationId: string, commentId: string) => {
    const consultation = await reads.consultation(communityId, consultationId);
    if (!consultation.ok) return consultation;
    const comment = await commentIn(consultation.value, commentId);
    return comment.ok ? ok({ consultation: consultation.value, comment: comment.value }) : comment;
  };

  /** An author's change of their comment, retried when it or its queue entry changed meanwhile. */
  const changeComment = async (
    communityId: string,
    consultationId: string,
    commentId: string,
    decide: (consultation: Consultation, comment: Comment) => Outcome<Comment>,
  ): Promise<Outcome<CommentOnDraft>> => {
    const outcome = await runChange(
      {
        load: () => both(communityId, consultationId, commentId),
        decide: ({ consultation, comment }) => {
          const decided = decide(consultation, comment);
          // The tally owns the counts: the saved comment shows them as they were read.
          return decided.ok
            ? {
                ...decided,
                value: { consultation, comment: { ...decided.value, up: comment.up, down: comment.down } },
              }
            : decided;
        },
        save: ({ consultation, comment }, done) =>
          store.saveComment(consultation, comment, done.value.comment, done.events),
      },
      options,
    );
    if (!outcome.ok) return outcome;
    const { consultation, comment } = outcome.value;
    return ok({ comment, draft: await reads.currentDraft(consultation) }, outcome.events);
  };

  return {
    /**
     * One page of threads: consultation-wide from the order's index, or a
     * section's (or `whole`) sorted in memory from its newest comments.
     * @throws ProblemError `invalid_cursor` when the cursor is not one of this list's.
     */
    async list(
      communityId: string,
      consultationId: string,
      query: CommentListQuery,
    ): Promise<
      Outcome<{ readonly draft: Draft; readonly threads: CommentThread[]; readonly cursor?: string }>
    > {
      const loaded = await reads.consultation(communityId, consultationId);
      if (!loaded.ok) return loaded;
      const consultation = loaded.value;
      const draft = await reads.currentDraft(consultation);
      const { section, sort, limit, cursor } = query;
      if (section !== undefined && section !== WHOLE_ID && findBlock(draft, section)?.kind !== 'section') {
        return reject(unknownSection(section));
      }
      const list = `${consultation.id}|${section ?? '*'}|${sort}`;
      const after = decodeCommentCursor(cursor, list);
      if (section === undefined) {
        if (typeof after === 'object') throw damagedCursor();
        const page = await indexedThreadPage(store, consultation, sort, limit, after);
        const next = page.next === undefined ? undefined : encodeCursor({ list, after: page.next });
        return ok({ draft, threads: page.threads, ...(next ? { cursor: next } : {}) });
      }
      if (typeof after === 'string') throw damagedCursor();
      const comments = await store.commentsOn(
        consultation.communityId,
        consultation.id,
        targetsUnder(draft, section === WHOLE_ID ? undefined : section),
      );
      const page = threadPage(comments, sort, limit, after);
      const next = page.next ? encodeCursor({ list, ...page.next }) : undefined;
      return ok({ draft, threads: page.threads, ...(next ? { cursor: next } : {}) });
    },

    /** One comment, where it attaches now. */
    async get(
      communityId: string,
      consultationId: string,
      commentId: string,
    ): Promise<Outcome<CommentOnDraft>> {
      const loaded = await both(communityId, consultationId, commentId);
      if (!loaded.ok) return loaded;
      return ok({
        comment: loaded.value.comment,
        draft: await reads.currentDraft(loaded.value.consultation),
      });
    },

    /** An eligible resident comments, or replies to a comment of the same consultation. */
    async post(
      command: CommandContext,
      rules: ParticipationRules,
      communityId: string,
      consultationId: string,
      input: {
        readonly stance: Comment['stance'];
        readonly text: string;
        readonly target?: DraftTarget;
        readonly replyTo?: string;
      },
    ): Promise<Outcome<CommentOnDraft>> {
      const loaded = await reads.consultation(communityId, consultationId);
      if (!loaded.ok) return loaded;
      const consultation = loaded.value;
      const { stance, text: commentText, target, replyTo } = input;
      let placed: PostCommentInput = { stance, text: commentText, target: target ?? WHOLE };
      if (replyTo) {
        const parent = await commentIn(consultation, replyTo);
        if (!parent.ok) return parent;
        placed = { stance, text: commentText, replyTo: parent.value };
      }
      const draft = await reads.currentDraft(consultation);
      const outcome = postComment(command, rules, consultation, draft, placed);
      if (!outcome.ok) return outcome;
      await store.postComment(consultation, outcome.value, outcome.events);
      return ok({ comment: { ...outcome.value, up: 0, down: 0 }, draft }, outcome.events);
    },

    /** The author corrects their comment. */
    edit(
      command: CommandContext,
      rules: ParticipationRules,
      communityId: string,
      consultationId: string,
      commentId: string,
      newText: string,
    ): Promise<Outcome<CommentOnDraft>> {
      return changeComment(communityId, consultationId, commentId, (consultation, comment) =>
        editComment(command, rules, consultation, comment, newText),
      );
    },

    /** The author deletes their comment. */
    remove(
      command: CommandContext,
      communityId: string,
      consultationId: string,
      commentId: string,
    ): Promise<Outcome<CommentOnDraft>> {
      return changeComment(communityId, consultationId, commentId, (_consultation, comment) =>
        deleteComment(command, comment),
      );
    },

    /**
     * An eligible resident votes: one conditional write per resident and
     * comment. `consultation` may be a cached read (the hot path); the
     * comment is always read fresh.
     */
    async vote(
      command: CommandContext,
      rules: ParticipationRules,
      consultation: Outcome<Consultation>,
      commentId: string,
      value: VoteValue,
    ): Promise<Outcome<{ readonly vote: CommentVote; readonly written: VoteWrite }>> {
      if (!consultation.ok) return consultation;
      const comment = await commentIn(consultation.value, commentId);
      if (!comment.ok) return comment;
      const outcome = voteOnComment(command, rules, consultation.value, comment.value, value);
      if (!outcome.ok) return outcome;
      return ok({ vote: outcome.value, written: await store.vote(outcome.value) });
    },

    /** An eligible resident takes their vote back; `none` when there was none. */
    async withdrawVote(
      command: CommandContext,
      rules: ParticipationRules,
      communityId: string,
      consultationId: string,
      commentId: string,
    ): Promise<Outcome<'withdrawn' | 'none'>> {
      const loaded = await both(communityId, consultationId, commentId);
      if (!loaded.ok) return loaded;
      const outcome = withdrawVote(command, rules, loaded.value.consultation, loaded.value.comment);
      if (!outcome.ok) return outcome;
      return ok(await store.withdrawVote(outcome.value));
    },

    /** The caller's vote on a comment, if any. */
    async myVote(
      command: CommandContext,
      communityId: string,
      consultationId: string,
      commentId: string,
    ): Promise<Outcome<{ readonly value: VoteValue; readonly votedAt: string } | undefined>> {
      const loaded = await both(communityId, consultationId, commentId);
      if (!loaded.ok) return loaded;
      const { comment } = loaded.value;
      return ok(await store.voteOf(comment.communityId, comment.id, command.actor.signerKey));
    },
  };
}

/** The comment use cases of one store. */
export type CommentUseCases = ReturnType<typeof commentUseCases>;
