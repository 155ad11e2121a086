import { z } from 'zod';
import type { Community } from '../../domain/communities/community';
import { deleteComment } from '../../domain/consultations/commands/delete-comment';
import { editComment } from '../../domain/consultations/commands/edit-comment';
import { type PostCommentInput, postComment } from '../../domain/consultations/commands/post-comment';
import { voteOnComment } from '../../domain/consultations/commands/vote-on-comment';
import { withdrawVote } from '../../domain/consultations/commands/withdraw-vote';
import { type Comment, commentNotFound } from '../../domain/consultations/comment';
import type { Consultation } from '../../domain/consultations/consultation';
import { findBlock, WHOLE, WHOLE_ID } from '../../domain/consultations/draft';
import { commentPostedEvent } from '../../domain/consultations/events';
import type { ConsultationStore } from '../../domain/consultations/ports';
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
import type { DomainError, Outcome } from '../../domain/shared/outcome';
import type { ProblemCode } from '../../domain/shared/problem-codes';
import { decodeCursor, encodeCursor } from '../shared/pagination';
import { ProblemError } from '../shared/problems';
import { type AnyRoute, defineRoute, type RouteReply, type RouteRequest, userScope } from '../shared/routes';
import { ttlCache } from '../shared/ttl-cache';
import { COMMENT, currentDraftOf, ITEM, loadConsultation, retrying, rulesOf, storeFor } from './requests';
import {
  CommentListSchema,
  CommentPathSchema,
  CommentsQuerySchema,
  CommentViewSchema,
  ConsultationPathSchema,
  EditCommentBodySchema,
  MyVoteSchema,
  PostCommentBodySchema,
  VoteBodySchema,
  VoteResultSchema,
} from './schemas';
import { commentView, threadView } from './views';

const COMMENT_ERRORS: readonly ProblemCode[] = [
  'community_not_found',
  'consultation_not_found',
  'comment_not_found',
];
const TEXT_ERRORS: readonly ProblemCode[] = ['comment_empty', 'comment_too_long'];

/** The comment of the path, in the consultation of the path. */
async function loadComment(
  request: RouteRequest<{ consultationId: string; commentId: string }>,
  consultation: Consultation,
): Promise<CountedComment | DomainError> {
  const comment = await storeFor(request).comment(consultation.communityId, request.params.commentId);
  return comment && comment.consultationId === consultation.id
    ? comment
    : commentNotFound(request.params.commentId);
}

/**
 * An author's change of their comment (edit, delete), retried when the
 * comment or its queue entry changed meanwhile. The author reads the text back.
 */
function changeComment(
  request: RouteRequest<{ consultationId: string; commentId: string }>,
  run: (
    command: CommandContext,
    community: Community,
    consultation: Consultation,
    comment: Comment,
  ) => Outcome<Comment>,
): Promise<RouteReply> {
  const { command, community } = userScope(request);
  return retrying(async () => {
    const consultation = await loadConsultation(request);
    if ('code' in consultation) return { error: consultation };
    const comment = await loadComment(request, consultation);
    if ('code' in comment) return { error: comment };
    const outcome = run(command, community, consultation, comment);
    if (!outcome.ok) return outcome;
    const next = { ...outcome.value, up: comment.up, down: comment.down };
    const saved = await storeFor(request).saveComment(consultation, comment, next, outcome.events);
    if (saved === 'conflict') return 'conflict';
    const draft = await currentDraftOf(request, consultation);
    return { status: 200, body: commentView(draft, next, true) };
  });
}

/**
 * Where a page of a comment list ended, tied to that list so a cursor cannot
 * be used on another: the last thread's sort key in the order's index (the
 * consultation-wide lists), or its ranking as it was then (a section's list,
 * sorted in memory).
 */
const CursorSchema = z.union([
  z.object({ list: z.string(), after: z.string().min(1) }).strict(),
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
  const raw = decodeCursor(cursor, { attribute: 'list', value: list });
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
 * Consultations as the voting path sees them: up to two seconds old. A vote
 * that slips in within two seconds of an early close is one of very few, and
 * the comment itself is always read fresh.
 */
const votingConsultations = ttlCache<Consultation | DomainError>(
  2_000,
  1000,
  Date.now,
  (loaded) => !('code' in loaded),
);

export const commentRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: `${ITEM}/comments`,
    auth: 'public',
    operationId: 'listConsultationComments',
    summary: 'Comment threads of a section (or `section=whole`, or all), sorted newest, top or controversial',
    description:
      'Each item is a top-level comment with its replies (oldest first). A section lists the comments on it ' +
      'and on its own paragraphs, including those made on earlier versions that attach there now. `top` sorts ' +
      'by up − down votes, `controversial` by many votes evenly split. Hidden and deleted comments keep their ' +
      "place without their text. The whole consultation's lists page through indexes kept in these orders; " +
      "a section's list sorts at most its 2,000 newest comments in memory (see README).",
    params: ConsultationPathSchema,
    query: CommentsQuerySchema,
    cache: { maxAgeSeconds: 5 },
    responses: { 200: { description: 'A page of threads', schema: CommentListSchema } },
    errors: ['community_not_found', 'consultation_not_found', 'invalid_cursor', 'validation_failed'],
    handle: async (request) => {
      const consultation = await loadConsultation(request);
      if ('code' in consultation) return { error: consultation };
      const draft = await currentDraftOf(request, consultation);
      const { section, sort, limit, cursor } = request.query;
      if (section !== undefined && section !== WHOLE_ID && findBlock(draft, section)?.kind !== 'section') {
        return { error: unknownSection(section) };
      }
      const list = `${consultation.id}|${section ?? '*'}|${sort}`;
      const after = decodeCommentCursor(cursor, list);
      const store = storeFor(request);
      let threads: CommentThread[];
      let next: string | undefined;
      if (section === undefined) {
        if (typeof after === 'object') throw damagedCursor();
        const page = await indexedThreadPage(store, consultation, sort, limit, after);
        threads = page.threads;
        next = page.next === undefined ? undefined : encodeCursor({ list, after: page.next });
      } else {
        if (typeof after === 'string') throw damagedCursor();
        const comments = await store.commentsOn(
          consultation.communityId,
          consultation.id,
          targetsUnder(draft, section === WHOLE_ID ? undefined : section),
        );
        const page = threadPage(comments, sort, limit, after);
        threads = page.threads;
        next = page.next ? encodeCursor({ list, ...page.next }) : undefined;
      }
      return {
        status: 200,
        body: {
          items: threads.map((thread) => threadView(draft, thread)),
          ...(next ? { cursor: next } : {}),
        },
      };
    },
  }),

  defineRoute({
    method: 'GET',
    path: COMMENT,
    auth: 'public',
    operationId: 'getConsultationComment',
    summary: 'One comment, with its votes and where it attaches now',
    params: CommentPathSchema,
    cache: { maxAgeSeconds: 5 },
    responses: { 200: { description: 'The comment', schema: CommentViewSchema } },
    errors: COMMENT_ERRORS,
    handle: async (request) => {
      const consultation = await loadConsultation(request);
      if ('code' in consultation) return { error: consultation };
      const comment = await loadComment(request, consultation);
      if ('code' in comment) return { error: comment };
      return { status: 200, body: commentView(await currentDraftOf(request, consultation), comment) };
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${ITEM}/comments`,
    auth: 'user',
    operationId: 'postConsultationComment',
    summary:
      'Comment on the whole consultation, a section or a paragraph, or reply (eligible resident, while open)',
    description:
      'A stance (`for`, `against`, `neutral`) and 1–5,000 characters. Replies go down to depth 3. Under ' +
      'pre-moderation the comment waits in the moderation queue (`state: pending`); under post-moderation it ' +
      'is published at once and can be reported through the moderation centre (`comment.<id>`).',
    params: ConsultationPathSchema,
    body: PostCommentBodySchema,
    responses: { 201: { description: 'The comment', schema: CommentViewSchema } },
    errors: [
      'community_not_found',
      'consultation_not_found',
      'comment_not_found',
      'not_eligible',
      'consultation_not_open',
      'unknown_target',
      'comment_state_conflict',
      'reply_too_deep',
      ...TEXT_ERRORS,
    ],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const consultation = await loadConsultation(request);
      if ('code' in consultation) return { error: consultation };
      const store = storeFor(request);
      const { stance, text: commentText, target, replyTo } = request.body;
      let input: PostCommentInput = { stance, text: commentText, target: target ?? WHOLE };
      if (replyTo) {
        const parent = await store.comment(community.id, replyTo);
        if (!parent || parent.consultationId !== consultation.id) return { error: commentNotFound(replyTo) };
        input = { stance, text: commentText, replyTo: parent };
      }
      const draft = await currentDraftOf(request, consultation);
      const outcome = postComment(command, rulesOf(community), consultation, draft, input);
      if (!outcome.ok) return outcome;
      const comment = outcome.value;
      await store.postComment(consultation, comment, [
        commentPostedEvent(command.ids, command.clock.now(), comment),
      ]);
      return {
        status: 201,
        body: commentView(draft, { ...comment, up: 0, down: 0 }, true),
        headers: {
          location: `/v1/communities/${community.id}/consultations/${consultation.id}/comments/${comment.id}`,
        },
      };
    },
  }),

  defineRoute({
    method: 'PATCH',
    path: COMMENT,
    auth: 'user',
    operationId: 'editConsultationComment',
    summary: 'Correct your comment within 15 minutes of posting it, while open (author)',
    description: 'Under pre-moderation an edited comment waits for a moderator again.',
    params: CommentPathSchema,
    body: EditCommentBodySchema,
    responses: { 200: { description: 'The comment', schema: CommentViewSchema } },
    errors: [
      ...COMMENT_ERRORS,
      'not_author',
      'consultation_not_open',
      'comment_state_conflict',
      'edit_window_closed',
      'version_conflict',
      ...TEXT_ERRORS,
    ],
    handle: (request) =>
      changeComment(request, (command, community, consultation, comment) =>
        editComment(command, rulesOf(community), consultation, comment, request.body.text),
      ),
  }),

  defineRoute({
    method: 'DELETE',
    path: COMMENT,
    auth: 'user',
    operationId: 'deleteConsultationComment',
    summary: 'Delete your comment (author): its text goes, its place in the thread stays',
    params: CommentPathSchema,
    responses: { 200: { description: 'The deleted comment', schema: CommentViewSchema } },
    errors: [...COMMENT_ERRORS, 'not_author', 'comment_state_conflict', 'version_conflict'],
    handle: (request) =>
      changeComment(request, (command, _community, _consultation, comment) =>
        deleteComment(command, comment),
      ),
  }),

  defineRoute({
    method: 'PUT',
    path: `${COMMENT}/votes/me`,
    auth: 'user',
    operationId: 'voteOnConsultationComment',
    summary: 'Vote a comment up or down (eligible resident, while open); voting again changes the vote',
    description:
      'One conditional write, keyed by comment and voter: 201 for a first vote, 200 for a changed one or ' +
      'the same again (`unchanged`, counted once). The counts follow within seconds, from the stream tally.',
    params: CommentPathSchema,
    body: VoteBodySchema,
    // The hot path: no role lookup, and settings and the consultation may be seconds old.
    scope: { roles: false, communityCacheMs: 5_000 },
    responses: {
      201: { description: 'Voted', schema: VoteResultSchema },
      200: { description: 'Changed, or the same as before', schema: VoteResultSchema },
    },
    errors: [...COMMENT_ERRORS, 'not_eligible', 'consultation_not_open', 'comment_state_conflict'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const consultation = await votingConsultations.get(
        `${request.config.tableName}|${community.id}|${request.params.consultationId}`,
        () => loadConsultation(request),
      );
      if ('code' in consultation) return { error: consultation };
      const comment = await loadComment(request, consultation);
      if ('code' in comment) return { error: comment };
      const outcome = voteOnComment(command, rulesOf(community), consultation, comment, request.body.value);
      if (!outcome.ok) return outcome;
      const written = await storeFor(request).vote(outcome.value);
      return {
        status: written === 'cast' ? 201 : 200,
        body: { value: outcome.value.value, outcome: written, votedAt: outcome.value.votedAt },
      };
    },
  }),

  defineRoute({
    method: 'DELETE',
    path: `${COMMENT}/votes/me`,
    auth: 'user',
    operationId: 'withdrawConsultationCommentVote',
    summary: 'Take your vote on a comment back (eligible resident, while open)',
    params: CommentPathSchema,
    responses: { 200: { description: 'Withdrawn, or there was none', schema: VoteResultSchema } },
    errors: [...COMMENT_ERRORS, 'not_eligible', 'consultation_not_open'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const consultation = await loadConsultation(request);
      if ('code' in consultation) return { error: consultation };
      const comment = await loadComment(request, consultation);
      if ('code' in comment) return { error: comment };
      const outcome = withdrawVote(command, rulesOf(community), consultation, comment);
      if (!outcome.ok) return outcome;
      const written = await storeFor(request).withdrawVote(outcome.value);
      return { status: 200, body: { value: null, outcome: written } };
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${COMMENT}/votes/me`,
    auth: 'user',
    operationId: 'getMyConsultationCommentVote',
    summary: 'Your vote on a comment, if any',
    params: CommentPathSchema,
    responses: { 200: { description: 'Your vote', schema: MyVoteSchema } },
    errors: COMMENT_ERRORS,
    handle: async (request) => {
      const { command } = userScope(request);
      const consultation = await loadConsultation(request);
      if ('code' in consultation) return { error: consultation };
      const comment = await loadComment(request, consultation);
      if ('code' in comment) return { error: comment };
      const vote = await storeFor(request).voteOf(comment.communityId, comment.id, command.actor.signerKey);
      return {
        status: 200,
        body: vote ? { value: vote.value, votedAt: vote.votedAt } : { value: null },
        headers: { 'cache-control': 'no-store' },
      };
    },
  }),
];
