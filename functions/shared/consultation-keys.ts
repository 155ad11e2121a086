import { communityPartition, type ItemKey, type KeyPrefix, part } from './key-parts';

// ---- consultations: partitions ----
const consultationPartition = (communityId: string, consultationId: string): string =>
  `${communityPartition(communityId)}#CONS#${consultationId}`;

/** A comment's own partition: the moderation centre and its votes find it by its id alone. */
const commentPartition = (communityId: string, commentId: string): string =>
  `${communityPartition(communityId)}#CMT#${commentId}`;

const consultationComments = (communityId: string, consultationId: string): string =>
  `${consultationPartition(communityId, consultationId)}#COMMENTS`;

/** The comments made on one block of the draft, or (`undefined`) on the whole consultation. */
/** A consultation's replies (GSI1), one thread's replies (GSI3), and its top-level comments by `top` (GSI3) and `controversial` (GSI4). */
const consultationReplies = (communityId: string, consultationId: string): string =>
  `${consultationComments(communityId, consultationId)}#REPLIES`;
const threadReplies = (communityId: string, consultationId: string, threadId: string): string =>
  `${consultationComments(communityId, consultationId)}#THREAD#${threadId}`;
const commentsTop = (communityId: string, consultationId: string): string =>
  `${consultationComments(communityId, consultationId)}#TOP`;
const commentsControversial = (communityId: string, consultationId: string): string =>
  `${consultationComments(communityId, consultationId)}#CONTROVERSIAL`;

const commentTargetPartition = (communityId: string, consultationId: string, targetId: string | undefined) =>
  `${consultationPartition(communityId, consultationId)}#ON#${targetId === undefined ? 'WHOLE' : `B#${part(targetId)}`}`;

/** How many GSI1 partitions a consultation's survey responses are spread over (respondent keys are uniform hex). */
export const SURVEY_RESPONSE_BUCKETS = 16;

const surveyResponseBucket = (communityId: string, consultationId: string, bucket: number): string =>
  `${consultationPartition(communityId, consultationId)}#RESPONSES#${bucket}`;

/** How many GSI1 partitions a consultation's comment votes are spread over (voter keys are uniform hex). */
export const COMMENT_VOTE_BUCKETS = 16;

const commentVoteBucket = (communityId: string, consultationId: string, bucket: number): string =>
  `${consultationPartition(communityId, consultationId)}#VOTES#${bucket}`;

/** The partition of a consultation's survey counters: the results read it whole, and nothing else is in it. */
const surveyCounterPartition = (communityId: string, consultationId: string): string =>
  `${consultationPartition(communityId, consultationId)}#SURVEY`;

/** Everyone's survey counters, or one district's. */
const surveyScope = (districtId: string | undefined): string =>
  districtId === undefined ? 'ALL' : `D#${part(districtId)}`;

/** Sort-key prefix of a consultation's comment counters. */
const COMMENT_COUNTER_PREFIX = 'CCOUNT#';

/** Digits of a draft version and of a part number in a draft part's sort key. */
const DRAFT_VERSION_DIGITS = 6;
const DRAFT_PART_DIGITS = 3;
// ---- end consultations: partitions ----

/** Keys of consultations, their drafts, comments, votes and survey responses; part of {@link keys}. */
export const consultationKeys = {
  /**
   * A consultation, its draft versions and its report share its partition.
   * Consultations are listed on GSI1 per phase, newest first; while a date
   * is still to move its phase (a draft's `opensAt`, an open one's `closesAt`)
   * the item is on GSI2 under one platform-wide key, so the phase job finds
   * every due consultation with one query.
   */
  consultation: (communityId: string, consultationId: string): ItemKey => ({
    PK: consultationPartition(communityId, consultationId),
    SK: 'CONSULTATION',
  }),
  consultationListing: (communityId: string, phase: string) => ({
    GSI1PK: `${communityPartition(communityId)}#CONSULTATIONS#${phase}`,
  }),
  consultationNewest: (createdAt: string, consultationId: string) => ({
    GSI1SK: `${createdAt}#${consultationId}`,
  }),
  consultationSchedule: (communityId: string, dueAt: string, consultationId: string) => ({
    GSI2PK: 'CONSULTATIONS#SCHEDULE',
    GSI2SK: `${dueAt}#${communityId}#${consultationId}`,
  }),
  consultationScheduleDue: { GSI2PK: 'CONSULTATIONS#SCHEDULE' },
  /** A version of the draft is stored compressed, in parts (`DRAFT#000002#000`, …) that one query reads in order. */
  consultationDraftPart: (
    communityId: string,
    consultationId: string,
    version: number,
    part: number,
  ): ItemKey => ({
    PK: consultationPartition(communityId, consultationId),
    SK: `DRAFT#${String(version).padStart(DRAFT_VERSION_DIGITS, '0')}#${String(part).padStart(DRAFT_PART_DIGITS, '0')}`,
  }),
  consultationDraftVersion: (communityId: string, consultationId: string, version: number): KeyPrefix => ({
    PK: consultationPartition(communityId, consultationId),
    SKPrefix: `DRAFT#${String(version).padStart(DRAFT_VERSION_DIGITS, '0')}#`,
  }),
  consultationReport: (communityId: string, consultationId: string): ItemKey => ({
    PK: consultationPartition(communityId, consultationId),
    SK: 'REPORT',
  }),

  /**
   * A comment, in its own partition beside its vote receipts. Top-level
   * comments are listed on GSI1 per consultation, newest first, and on GSI3
   * and GSI4 by the `top` and `controversial` keys the vote tally keeps;
   * replies are on GSI1 in the consultation's replies partition and on GSI3
   * under their thread, oldest first. GSI2 holds the comments made on one
   * block of the draft (or on the whole consultation), which a section's list
   * gathers from the blocks that attach to it now.
   */
  comment: (communityId: string, commentId: string): ItemKey => ({
    PK: commentPartition(communityId, commentId),
    SK: 'COMMENT',
  }),
  commentIndex: (
    communityId: string,
    consultationId: string,
    targetId: string | undefined,
    createdAt: string,
    commentId: string,
    thread: { readonly threadId: string; readonly depth: number },
  ) => {
    const newest = `${createdAt}#${commentId}`;
    const comments = consultationComments(communityId, consultationId);
    const onTarget = {
      GSI2PK: commentTargetPartition(communityId, consultationId, targetId),
      GSI2SK: newest,
    };
    if (thread.depth > 1) {
      return {
        GSI1PK: consultationReplies(communityId, consultationId),
        GSI1SK: newest,
        ...onTarget,
        GSI3PK: threadReplies(communityId, consultationId, thread.threadId),
        GSI3SK: newest,
      };
    }
    return { GSI1PK: comments, GSI1SK: newest, ...onTarget };
  },
  /** The ranking keys of a top-level comment (GSI3 `top`, GSI4 `controversial`), rewritten by the vote tally. */
  commentRanking: (communityId: string, consultationId: string, topKey: string, controversyKey: string) => ({
    GSI3PK: commentsTop(communityId, consultationId),
    GSI3SK: topKey,
    GSI4PK: commentsControversial(communityId, consultationId),
    GSI4SK: controversyKey,
  }),
  /** The GSI1 partition of a consultation's replies (its top-level comments are in `commentsOfConsultation`). */
  repliesOfConsultation: (communityId: string, consultationId: string) => ({
    GSI1PK: consultationReplies(communityId, consultationId),
  }),
  /** The GSI3 partition of one thread's replies. */
  repliesOfThread: (communityId: string, consultationId: string, threadId: string) => ({
    GSI3PK: threadReplies(communityId, consultationId, threadId),
  }),
  /** The GSI3 (`top`) and GSI4 (`controversial`) partitions of a consultation's top-level comments. */
  commentsByTop: (communityId: string, consultationId: string) => ({
    GSI3PK: commentsTop(communityId, consultationId),
  }),
  commentsByControversy: (communityId: string, consultationId: string) => ({
    GSI4PK: commentsControversial(communityId, consultationId),
  }),
  /**
   * The counts of visible comments made on one block (or the whole
   * consultation), per stance, kept by the comment count tally in the
   * consultation's partition: the consultation's page reads these, never its comments.
   */
  commentCounter: (communityId: string, consultationId: string, targetId: string | undefined): ItemKey => ({
    PK: consultationPartition(communityId, consultationId),
    SK: `${COMMENT_COUNTER_PREFIX}${targetId === undefined ? 'WHOLE' : `B#${part(targetId)}`}`,
  }),
  /** Every comment counter of a consultation. */
  commentCounters: (communityId: string, consultationId: string): KeyPrefix => ({
    PK: consultationPartition(communityId, consultationId),
    SKPrefix: COMMENT_COUNTER_PREFIX,
  }),
  /** Which revisions of a comment the count tally has counted (`<revision>` strings in a set). */
  commentCountReceipt: (communityId: string, commentId: string): ItemKey => ({
    PK: commentPartition(communityId, commentId),
    SK: 'COUNTED',
  }),
  /** The GSI1 partition of a consultation's top-level comments, newest first. */
  commentsOfConsultation: (communityId: string, consultationId: string) => ({
    GSI1PK: consultationComments(communityId, consultationId),
  }),
  /** The GSI2 partition of the comments made on one block (or, `undefined`, on the whole consultation). */
  commentsOnTarget: (communityId: string, consultationId: string, targetId: string | undefined) => ({
    GSI2PK: commentTargetPartition(communityId, consultationId, targetId),
  }),
  /**
   * One resident's vote on one comment, in a partition of its own (like a
   * signature): a popular comment's votes spread over the table.
   */
  commentVote: (communityId: string, commentId: string, voterKey: string): ItemKey => ({
    PK: `${commentPartition(communityId, commentId)}#V#${voterKey}`,
    SK: 'VOTE',
  }),
  /**
   * A vote on GSI1, over {@link COMMENT_VOTE_BUCKETS} buckets per consultation:
   * how the retention job finds a consultation's votes (each is in a partition
   * of its own) without reading the table.
   */
  commentVoteIndex: (communityId: string, consultationId: string, commentId: string, voterKey: string) => ({
    GSI1PK: commentVoteBucket(
      communityId,
      consultationId,
      Number.parseInt(voterKey.slice(0, 2), 16) % COMMENT_VOTE_BUCKETS,
    ),
    GSI1SK: `${commentId}#${voterKey}`,
  }),
  commentVoteBucket: (communityId: string, consultationId: string, bucket: number) => ({
    GSI1PK: commentVoteBucket(communityId, consultationId, bucket),
  }),
  /** Which vote changes made in one second (`votedAt.slice(0, 19)`) the tally has counted on a comment. */
  commentVoteReceipt: (communityId: string, commentId: string, second: string): ItemKey => ({
    PK: commentPartition(communityId, commentId),
    SK: `RECEIPT#${second}`,
  }),
  /** One resident's survey response, in its own partition; GSI1 gathers a consultation's over buckets. */
  surveyResponse: (communityId: string, consultationId: string, respondentKey: string): ItemKey => ({
    PK: `${consultationPartition(communityId, consultationId)}#R#${respondentKey}`,
    SK: 'RESPONSE',
  }),
  /** Ordered by submission within a bucket, so that the export pages through them in submission order. */
  surveyResponseIndex: (
    communityId: string,
    consultationId: string,
    respondentKey: string,
    submittedAt: string,
  ) => ({
    GSI1PK: surveyResponseBucket(
      communityId,
      consultationId,
      Number.parseInt(respondentKey.slice(0, 2), 16) % SURVEY_RESPONSE_BUCKETS,
    ),
    GSI1SK: `${submittedAt}#${respondentKey}`,
  }),
  surveyResponseBucket: (communityId: string, consultationId: string, bucket: number) => ({
    GSI1PK: surveyResponseBucket(communityId, consultationId, bucket),
  }),
  /**
   * One page of a consultation's survey counters, for everyone (`districtId`
   * undefined) or one district, kept by the survey tally. A page holds the
   * counters of a run of questions small enough for one update.
   */
  surveyCounter: (
    communityId: string,
    consultationId: string,
    districtId: string | undefined,
    page: number,
  ): ItemKey => ({
    PK: surveyCounterPartition(communityId, consultationId),
    SK: `SCOUNT#${surveyScope(districtId)}#${page}`,
  }),
  surveyCounterPartition: (communityId: string, consultationId: string) => ({
    PK: surveyCounterPartition(communityId, consultationId),
  }),
  /**
   * Which response changes submitted in one second (`submittedAt.slice(0, 19)`)
   * the survey tally has counted on one counter page; each page's receipts in
   * a partition of their own, off the counters' partition.
   */
  surveyCountReceipt: (
    communityId: string,
    consultationId: string,
    districtId: string | undefined,
    page: number,
    second: string,
  ): ItemKey => ({
    PK: `${surveyCounterPartition(communityId, consultationId)}#${surveyScope(districtId)}#${page}`,
    SK: `RECEIPT#${second}`,
  }),
} as const;
