import { LimitedAction } from '../../domain/communities/limits';
import type { Consultation } from '../../domain/consultations/consultation';
import type { Outcome } from '../../domain/shared/outcome';
import type { ProblemCode } from '../../domain/shared/problem-codes';
import { pageBody } from '../shared/pagination';
import { limitedBy } from '../shared/rate-limits';
import { type AnyRoute, answer, created, defineRoute, type RouteRequest, userScope } from '../shared/routes';
import { ttlCache } from '../shared/ttl-cache';
import { commentUseCases } from './comment-use-cases';
import { COMMENT, ITEM, rulesOf, storeFor } from './requests';
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
import { consultationReads } from './use-cases';
import { commentView, threadView } from './views';

const COMMENT_ERRORS: readonly ProblemCode[] = [
  'community_not_found',
  'consultation_not_found',
  'comment_not_found',
];
const TEXT_ERRORS: readonly ProblemCode[] = ['comment_empty', 'comment_too_long'];

const commentsFor = (request: RouteRequest) => commentUseCases(storeFor(request));

/**
 * Consultations as the voting path sees them: up to two seconds old. A vote
 * that slips in within two seconds of an early close is one of very few, and
 * the comment itself is always read fresh.
 */
const votingConsultations = ttlCache<Outcome<Consultation>>(2_000, { keep: (loaded) => loaded.ok });

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
      const { communityId, consultationId } = request.params;
      return answer(await commentsFor(request).list(communityId, consultationId, request.query), (page) => ({
        status: 200,
        body: pageBody({ items: page.threads, cursor: page.cursor }, (thread) =>
          threadView(page.draft, thread),
        ),
      }));
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
      const { communityId, consultationId, commentId } = request.params;
      return answer(
        await commentsFor(request).get(communityId, consultationId, commentId),
        ({ comment, draft }) => ({
          status: 200,
          body: commentView(draft, comment),
        }),
      );
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
      'rate_limited',
      ...TEXT_ERRORS,
    ],
    handle: limitedBy(LimitedAction.commentCreate, async (request) => {
      const { command, community } = userScope(request);
      const { consultationId } = request.params;
      return answer(
        await commentsFor(request).post(
          command,
          rulesOf(community),
          community.id,
          consultationId,
          request.body,
        ),
        ({ comment, draft }) =>
          created(
            COMMENT,
            { communityId: community.id, consultationId, commentId: comment.id },
            commentView(draft, comment, true),
          ),
      );
    }),
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
      'rate_limited',
      ...TEXT_ERRORS,
    ],
    // An edit costs what a new comment costs (under pre-moderation it waits for a moderator
    // again), so it counts against the same limit.
    handle: limitedBy(LimitedAction.commentCreate, async (request) => {
      const { command, community } = userScope(request);
      const { consultationId, commentId } = request.params;
      return answer(
        await commentsFor(request).edit(
          command,
          rulesOf(community),
          community.id,
          consultationId,
          commentId,
          request.body.text,
        ),
        ({ comment, draft }) => ({ status: 200, body: commentView(draft, comment, true) }),
      );
    }),
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
    handle: async (request) => {
      const { command, community } = userScope(request);
      const { consultationId, commentId } = request.params;
      return answer(
        await commentsFor(request).remove(command, community.id, consultationId, commentId),
        ({ comment, draft }) => ({ status: 200, body: commentView(draft, comment, true) }),
      );
    },
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
      const { consultationId, commentId } = request.params;
      const store = storeFor(request);
      const consultation = await votingConsultations.get(
        `${request.config.tableName}|${community.id}|${consultationId}`,
        () => consultationReads(store).consultation(community.id, consultationId),
      );
      return answer(
        await commentUseCases(store).vote(
          command,
          rulesOf(community),
          consultation,
          commentId,
          request.body.value,
        ),
        ({ vote, written }) => ({
          status: written === 'cast' ? 201 : 200,
          body: { value: vote.value, outcome: written, votedAt: vote.votedAt },
        }),
      );
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
      const { consultationId, commentId } = request.params;
      return answer(
        await commentsFor(request).withdrawVote(
          command,
          rulesOf(community),
          community.id,
          consultationId,
          commentId,
        ),
        (written) => ({ status: 200, body: { value: null, outcome: written } }),
      );
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
      const { command, community } = userScope(request);
      const { consultationId, commentId } = request.params;
      return answer(
        await commentsFor(request).myVote(command, community.id, consultationId, commentId),
        (vote) => ({
          status: 200,
          body: vote ? { value: vote.value, votedAt: vote.votedAt } : { value: null },
          headers: { 'cache-control': 'no-store' },
        }),
      );
    },
  }),
];
