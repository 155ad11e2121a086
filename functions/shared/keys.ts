/**
 * The only place that builds `PK`/`SK`/`GSI*` strings. Every community key starts
 * with `C#<communityId>`, so tenants never share a partition and no query can
 * cross communities. Parts that come from outside (issuers, subjects) are
 * URI-encoded so that a `#` inside them cannot forge another key.
 */

const part = (value: string): string => encodeURIComponent(value);

export const Entity = {
  community: 'community',
  member: 'member',
  platformAdmin: 'platform-admin',
  outbox: 'outbox',
  petition: 'petition',
  petitionStats: 'petition-stats',
  petitionSponsor: 'petition-sponsor',
  petitionThreshold: 'petition-threshold',
  petitionClosing: 'petition-closing',
  signature: 'signature',
  tallyReceipt: 'tally-receipt',
  auditIntent: 'audit-intent',
  auditEntry: 'audit-entry',
  auditHead: 'audit-head',
  auditApplied: 'audit-applied',
  moderationItem: 'moderation-item',
  moderationReport: 'moderation-report',
  moderationDecision: 'moderation-decision',
  // consultations
  consultation: 'consultation',
  consultationDraft: 'consultation-draft',
  consultationReport: 'consultation-report',
  comment: 'comment',
  commentVote: 'comment-vote',
  commentVoteReceipt: 'comment-vote-receipt',
  commentCounter: 'comment-counter',
  commentCountReceipt: 'comment-count-receipt',
  surveyResponse: 'survey-response',
  surveyCounter: 'survey-counter',
  surveyCountReceipt: 'survey-count-receipt',
  budget: 'budget',
  budgetProject: 'budget-project',
  budgetBallot: 'budget-ballot',
  budgetResult: 'budget-result',
  budgetResultsJob: 'budget-results-job',
} as const;
export type Entity = (typeof Entity)[keyof typeof Entity];

export interface ItemKey {
  readonly PK: string;
  readonly SK: string;
}

/** The items of one partition whose sort keys start alike: queried with `begins_with(SK, :prefix)`. */
export interface KeyPrefix {
  readonly PK: string;
  readonly SKPrefix: string;
}

export const communityPartition = (communityId: string): string => `C#${communityId}`;

const petitionPartition = (communityId: string, petitionId: string): string =>
  `${communityPartition(communityId)}#P#${petitionId}`;

const moderationItemPartition = (communityId: string, itemId: string): string =>
  `${communityPartition(communityId)}#MOD#${part(itemId)}`;

const moderationQueuePartition = (communityId: string, status: string): string =>
  `${communityPartition(communityId)}#MODQ#${status}`;
const moderationAuthorPartition = (communityId: string, authorKey: string): string =>
  `${communityPartition(communityId)}#MODA#${authorKey}`;

const auditPartition = (communityId: string): string => `${communityPartition(communityId)}#AUDIT`;

const budgetPartition = (communityId: string, budgetId: string): string =>
  `${communityPartition(communityId)}#BUD#${budgetId}`;

/** The platform-wide GSI2 partitions of budgets due a phase change and of results jobs still watched. */
const BUDGETS_DUE = 'BUDGETS#DUE';
const RESULTS_JOBS_WATCHED = 'BUDGETS#RESULTS-JOBS';

/** How many GSI1 partitions a budget's ballots are spread over (voter keys are uniform hex). */
export const BALLOT_BUCKETS = 16;

const ballotBucket = (communityId: string, budgetId: string, bucket: number): string =>
  `${budgetPartition(communityId, budgetId)}#BALLOTS#${bucket}`;
const AUDIT_ENTRY_PREFIX = 'ENTRY#';
/** Digits of an audit entry's sequence number in its sort key: room for 10¹² entries. */
const AUDIT_SEQ_DIGITS = 12;

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
/** An author's petitions (GSI3), and an author's projects of one budget (GSI3). */
const petitionAuthorPartition = (communityId: string, authorKey: string): string =>
  `${communityPartition(communityId)}#PETITIONS#AUTHOR#${authorKey}`;
const projectAuthorPartition = (communityId: string, budgetId: string, authorKey: string): string =>
  `${budgetPartition(communityId, budgetId)}#PROJECTS#AUTHOR#${authorKey}`;

const commentTargetPartition = (communityId: string, consultationId: string, targetId: string | undefined) =>
  `${consultationPartition(communityId, consultationId)}#ON#${targetId === undefined ? 'WHOLE' : `B#${part(targetId)}`}`;

/** How many GSI1 partitions a consultation's survey responses are spread over (respondent keys are uniform hex). */
export const SURVEY_RESPONSE_BUCKETS = 16;

const surveyResponseBucket = (communityId: string, consultationId: string, bucket: number): string =>
  `${consultationPartition(communityId, consultationId)}#RESPONSES#${bucket}`;

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

/** How many GSI1 partitions a petition's signatures are spread over (signer keys are uniform hex). */
export const SIGNATURE_BUCKETS = 16;

const signatureBucket = (communityId: string, petitionId: string, bucket: number): string =>
  `${petitionPartition(communityId, petitionId)}#SIGS#${bucket}`;

export const keys = {
  community: (communityId: string): ItemKey => ({ PK: communityPartition(communityId), SK: 'COMMUNITY' }),

  member: (communityId: string, issuer: string, subject: string): ItemKey => ({
    PK: communityPartition(communityId),
    SK: `MEMBER#${part(issuer)}#${part(subject)}`,
  }),
  /** Sort-key prefix of every membership of a community. */
  memberPrefix: 'MEMBER#',
  /** Platform administrators are the one thing above communities. */
  platformAdmin: (issuer: string, subject: string): ItemKey => ({
    PK: 'PLATFORM',
    SK: `ADMIN#${part(issuer)}#${part(subject)}`,
  }),

  /**
   * A petition and the items that live beside it in its partition: its signature
   * breakdown (`STATS`), its sponsors and its threshold marks.
   */
  petition: (communityId: string, petitionId: string): ItemKey => ({
    PK: petitionPartition(communityId, petitionId),
    SK: 'PETITION',
  }),
  petitionStats: (communityId: string, petitionId: string): ItemKey => ({
    PK: petitionPartition(communityId, petitionId),
    SK: 'STATS',
  }),
  petitionSponsor: (communityId: string, petitionId: string, signerKey: string): ItemKey => ({
    PK: petitionPartition(communityId, petitionId),
    SK: `SPONSOR#${signerKey}`,
  }),
  /** Written once, with a condition: "has this threshold fired" is a fact, not a computation. */
  petitionThreshold: (communityId: string, petitionId: string, threshold: string): ItemKey => ({
    PK: petitionPartition(communityId, petitionId),
    SK: `THRESHOLD#${threshold}`,
  }),
  /** Listings of a community's petitions in one state: GSI1 newest first, GSI2 by signatures. */
  petitionListing: (communityId: string, state: string) => {
    const listing = `${communityPartition(communityId)}#PETITIONS#${state}`;
    return { GSI1PK: listing, GSI2PK: listing };
  },
  petitionNewest: (createdAt: string, petitionId: string) => ({ GSI1SK: `${createdAt}#${petitionId}` }),
  /** An author's petitions on GSI3, newest first: `GET …/petitions/mine` reads only these. */
  petitionAuthorIndex: (communityId: string, authorKey: string, createdAt: string, petitionId: string) => ({
    GSI3PK: petitionAuthorPartition(communityId, authorKey),
    GSI3SK: `${createdAt}#${petitionId}`,
  }),
  petitionsOfAuthor: petitionAuthorPartition,
  /** Zero-padded so that the string order of GSI2SK is the numeric order of totals. */
  petitionBySignatures: (total: number, petitionId: string) => ({
    GSI2SK: `${String(total).padStart(10, '0')}#${petitionId}`,
  }),

  /**
   * While a petition is open, one item says when it closes: in the community's
   * partition for the `closing` sort, and on GSI2 under one platform-wide key so
   * the closing job finds every due petition with one query.
   */
  petitionClosing: (communityId: string, closesAt: string, petitionId: string): ItemKey => ({
    PK: `${communityPartition(communityId)}#PETITIONS#CLOSING`,
    SK: `${closesAt}#${petitionId}`,
  }),
  petitionClosingIndex: (communityId: string, closesAt: string, petitionId: string) => ({
    GSI2PK: 'PETITIONS#CLOSING',
    GSI2SK: `${closesAt}#${communityId}#${petitionId}`,
  }),
  petitionClosingDue: 'PETITIONS#CLOSING',

  /**
   * Which signatures made in one second (`signedAt.slice(0, 19)`) the tally has
   * counted: one item per petition-second, beside the petition, so that the
   * recount finds them all with one query of the petition's partition.
   */
  tallyReceipt: (communityId: string, petitionId: string, second: string): ItemKey => ({
    PK: petitionPartition(communityId, petitionId),
    SK: `RECEIPT#${second}`,
  }),

  /**
   * One signature, one partition: the signer's key is part of the partition key,
   * so a popular petition's signatures spread over the whole table instead of
   * piling onto one hot partition. GSI1 gathers them again for the recount, over
   * {@link SIGNATURE_BUCKETS} buckets so that no index partition runs hot either.
   */
  signature: (communityId: string, petitionId: string, signerKey: string): ItemKey => ({
    PK: `${petitionPartition(communityId, petitionId)}#S#${signerKey}`,
    SK: 'SIGNATURE',
  }),
  signatureIndex: (communityId: string, petitionId: string, signerKey: string, signedAt: string) => ({
    GSI1PK: signatureBucket(
      communityId,
      petitionId,
      Number.parseInt(signerKey.slice(0, 2), 16) % SIGNATURE_BUCKETS,
    ),
    GSI1SK: `${signedAt}#${signerKey}`,
  }),
  signatureBucket: (communityId: string, petitionId: string, bucket: number) => ({
    GSI1PK: signatureBucket(communityId, petitionId, bucket),
  }),

  /** One outbox item per event, in the community's outbox partition, ordered by event id (ULID). */
  outbox: (communityId: string, eventId: string): ItemKey => ({
    PK: `${communityPartition(communityId)}#OUTBOX`,
    SK: `EVT#${eventId}`,
  }),

  /**
   * A community's audit trail lives in one partition (staff actions are rare):
   * the intents actions write, the chain's head, its entries (the sequence
   * number zero-padded so that entries sort by it) and one marker per appended
   * intent, so that an intent delivered twice is appended once.
   */
  auditIntent: (communityId: string, intentId: string): ItemKey => ({
    PK: auditPartition(communityId),
    SK: `INTENT#${intentId}`,
  }),
  auditHead: (communityId: string): ItemKey => ({ PK: auditPartition(communityId), SK: 'HEAD' }),
  auditEntry: (communityId: string, seq: number): ItemKey => ({
    PK: auditPartition(communityId),
    SK: `${AUDIT_ENTRY_PREFIX}${String(seq).padStart(AUDIT_SEQ_DIGITS, '0')}`,
  }),
  /** Sort-key prefix of every entry of a community's chain. */
  auditEntryPrefix: AUDIT_ENTRY_PREFIX,
  auditApplied: (communityId: string, intentId: string): ItemKey => ({
    PK: auditPartition(communityId),
    SK: `APPLIED#${intentId}`,
  }),

  /**
   * A moderation item and its reports share a partition: one report per
   * resident is one conditional put beside the item it counts for.
   */
  moderationItem: (communityId: string, itemId: string): ItemKey => ({
    PK: moderationItemPartition(communityId, itemId),
    SK: 'ITEM',
  }),
  moderationReport: (communityId: string, itemId: string, signerKey: string): ItemKey => ({
    PK: moderationItemPartition(communityId, itemId),
    SK: `REPORT#${signerKey}`,
  }),
  /**
   * The queue on GSI1: one partition per community and status, sorted by when
   * the item started waiting (or was decided), so "oldest first" is the index
   * order. The author's items on GSI2, newest last.
   */
  moderationQueueIndex: (communityId: string, status: string, since: string, itemId: string) => ({
    GSI1PK: moderationQueuePartition(communityId, status),
    GSI1SK: `${since}#${itemId}`,
  }),
  /** The partition of one status's queue, as a query reads it. */
  moderationQueue: (communityId: string, status: string) => ({
    GSI1PK: moderationQueuePartition(communityId, status),
  }),
  moderationByAuthorIndex: (communityId: string, authorKey: string, createdAt: string, itemId: string) => ({
    GSI2PK: moderationAuthorPartition(communityId, authorKey),
    GSI2SK: `${createdAt}#${itemId}`,
  }),
  /** The partition of one author's items, as a query reads it. */
  moderationByAuthor: (communityId: string, authorKey: string) => ({
    GSI2PK: moderationAuthorPartition(communityId, authorKey),
  }),
  /** Every decision, in time order, in one partition: what the transparency report reads by period. */
  moderationDecision: (communityId: string, decidedAt: string, itemId: string): ItemKey => ({
    PK: `${communityPartition(communityId)}#MODLOG`,
    SK: `${decidedAt}#${itemId}`,
  }),

  // ---- consultations ----
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
  // ---- end consultations ----

  /**
   * A participatory budget, with its projects, results and results jobs in its
   * partition (one query reads them all); budgets listed on GSI1, newest first.
   */
  budget: (communityId: string, budgetId: string): ItemKey => ({
    PK: budgetPartition(communityId, budgetId),
    SK: 'BUDGET',
  }),
  /** The community's budgets on GSI1, newest first; without `budget`, the partition a listing queries. */
  budgetListing: (communityId: string, budget?: { readonly createdAt: string; readonly id: string }) => ({
    GSI1PK: `${communityPartition(communityId)}#BUDGETS`,
    ...(budget ? { GSI1SK: `${budget.createdAt}#${budget.id}` } : {}),
  }),
  budgetProject: (communityId: string, budgetId: string, projectId: string): ItemKey => ({
    PK: budgetPartition(communityId, budgetId),
    SK: `PROJECT#${projectId}`,
  }),
  budgetProjectPrefix: 'PROJECT#',
  /** An author's projects of one budget on GSI3, in the order of their ids: `GET …/projects/mine` reads only these. */
  budgetProjectAuthorIndex: (
    communityId: string,
    budgetId: string,
    authorKey: string,
    projectId: string,
  ) => ({
    GSI3PK: projectAuthorPartition(communityId, budgetId, authorKey),
    GSI3SK: `PROJECT#${projectId}`,
  }),
  budgetProjectsOfAuthor: projectAuthorPartition,
  /** How many projects were ever submitted to a budget: the cap on submissions is a condition on it. */
  budgetProjectCount: (communityId: string, budgetId: string): ItemKey => ({
    PK: budgetPartition(communityId, budgetId),
    SK: 'PROJECTS#COUNT',
  }),
  budgetResult: (communityId: string, budgetId: string, potId: string): ItemKey => ({
    PK: budgetPartition(communityId, budgetId),
    SK: `RESULT#${part(potId)}`,
  }),
  budgetResultPrefix: 'RESULT#',
  budgetResultsJob: (communityId: string, budgetId: string, jobId: string): ItemKey => ({
    PK: budgetPartition(communityId, budgetId),
    SK: `JOB#${jobId}`,
  }),
  /**
   * Every results job not yet seen to its end: one platform-wide GSI2 key lists
   * them by when they are overdue, so the phase job finds a lost job (still
   * `running` long past its time) with one query, and takes finished ones off.
   */
  budgetResultsWatched: RESULTS_JOBS_WATCHED,
  budgetResultsWatchedOrder: (overdueAt: string, communityId: string, budgetId: string, jobId: string) => ({
    GSI2PK: RESULTS_JOBS_WATCHED,
    GSI2SK: `${overdueAt}#${communityId}#${budgetId}#${jobId}`,
  }),
  /**
   * While a budget has a scheduled phase change ahead, one platform-wide GSI2
   * key lists it by due time, so the phase job finds every due budget with one query.
   */
  budgetDue: BUDGETS_DUE,
  budgetDueOrder: (dueAt: string, communityId: string, budgetId: string) => ({
    GSI2PK: BUDGETS_DUE,
    GSI2SK: `${dueAt}#${communityId}#${budgetId}`,
  }),
  /**
   * One ballot per voter and pot, in the voter's own partition (like a
   * signature): a busy vote spreads over the whole table. GSI1 gathers a
   * budget's ballots again for the results, over {@link BALLOT_BUCKETS} buckets.
   */
  budgetBallot: (communityId: string, budgetId: string, voterKey: string, potId: string): ItemKey => ({
    PK: `${budgetPartition(communityId, budgetId)}#V#${voterKey}`,
    SK: `POT#${part(potId)}`,
  }),
  budgetBallotIndex: (communityId: string, budgetId: string, voterKey: string, potId: string) => ({
    GSI1PK: ballotBucket(communityId, budgetId, Number.parseInt(voterKey.slice(0, 2), 16) % BALLOT_BUCKETS),
    GSI1SK: `${voterKey}#${part(potId)}`,
  }),
  budgetBallotBucket: (communityId: string, budgetId: string, bucket: number) => ({
    GSI1PK: ballotBucket(communityId, budgetId, bucket),
  }),
} as const;
