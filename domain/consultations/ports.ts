import type { EventEnvelope } from '../../events/envelope';
import type { AuditIntent } from '../audit/intent';
import type { Page } from '../communities/ports';
import type { ConsultationWithDraft } from './commands/create-consultation';
import type { ConsultationWithReport } from './commands/publish-report';
import type { SurveyResponseToWrite } from './commands/submit-survey-response';
import type { VoteWithdrawal } from './commands/withdraw-vote';
import type { Comment, CommentVote, VoteValue } from './comment';
import type { Consultation, ConsultationPhase } from './consultation';
import type { Draft } from './draft';
import type { CommentOrder, TargetCommentCounts } from './ranking';
import type { ConsultationReport } from './report';
import type { SurveyResponse } from './survey-results';
import type { SurveyTallyCounters } from './survey-tally';
import type { CountedComment } from './threads';

export interface ConsultationQuery {
  readonly communityId: string;
  readonly phase: ConsultationPhase;
  readonly limit: number;
  readonly cursor?: string;
}

/** What a vote write did: a first vote, a changed one, or the same again (nothing written). */
export type VoteWrite = 'cast' | 'changed' | 'unchanged';

/**
 * Storage the consultations tool needs. Writes carry the command's events
 * (the outbox, in the same transaction), a council action's audit intent, and
 * a revision condition: a `conflict` means another change came first, so the
 * use-case runner reads again and runs the command again.
 */
export interface ConsultationStore {
  get(communityId: string, consultationId: string): Promise<Consultation | undefined>;
  /** One published version of the draft; versions never change once written. */
  draft(communityId: string, consultationId: string, version: number): Promise<Draft | undefined>;
  create(created: ConsultationWithDraft, events: readonly EventEnvelope[], audit: AuditIntent): Promise<void>;
  save(
    previous: Consultation,
    next: Consultation,
    events: readonly EventEnvelope[],
    audit?: AuditIntent,
  ): Promise<'saved' | 'conflict'>;
  /** The consultation pointing at a new version, and that version, in one write. */
  saveRevision(
    previous: Consultation,
    revised: ConsultationWithDraft,
    events: readonly EventEnvelope[],
    audit: AuditIntent,
  ): Promise<'saved' | 'conflict'>;
  /** The consultation moving to `report_published`, and the report, in one write. */
  saveReport(
    previous: Consultation,
    published: ConsultationWithReport,
    events: readonly EventEnvelope[],
    audit: AuditIntent,
  ): Promise<'saved' | 'conflict'>;
  report(communityId: string, consultationId: string): Promise<ConsultationReport | undefined>;
  /** Newest first. */
  list(query: ConsultationQuery): Promise<Page<Consultation>>;
  /** Drafts whose `opensAt` and open consultations whose `closesAt` is at or before `now`, across communities. */
  dueForPhaseChange(now: string): Promise<readonly { communityId: string; consultationId: string }[]>;

  comment(communityId: string, commentId: string): Promise<CountedComment | undefined>;
  /** A new comment; a waiting one (pre-moderation) enters the moderation queue in the same write. */
  postComment(consultation: Consultation, comment: Comment, events: readonly EventEnvelope[]): Promise<void>;
  /** A command's change of a comment (never its vote counts); a comment waiting again is queued again. */
  saveComment(
    consultation: Consultation,
    previous: Comment,
    next: Comment,
    events: readonly EventEnvelope[],
  ): Promise<'saved' | 'conflict'>;
  /** Every comment of a consultation (not for a request: the export reads {@link commentPage}). */
  comments(communityId: string, consultationId: string): Promise<CountedComment[]>;
  /**
   * A page of a consultation's comments, top-level and replies, oldest first
   * (by creation, then id), after the position `after` a previous page ended
   * at: at most `rows` read, and no more than fit in `bytes` by `sizeOf` (at
   * least one). `after` in the answer is where the next page starts; absent
   * when none is left.
   */
  commentPage(
    communityId: string,
    consultationId: string,
    page: ExportPageRequest<CountedComment>,
  ): Promise<{ readonly items: CountedComment[]; readonly after?: string }>;
  /** Which of these ids are comments of this consultation (read by key: the cost grows with the ids, not the comments). */
  commentIdsAmong(communityId: string, consultationId: string, ids: readonly string[]): Promise<Set<string>>;
  /** The counts of visible comments per target and stance, as the count tally keeps them: no comment is read. */
  commentCounts(communityId: string, consultationId: string): Promise<TargetCommentCounts[]>;
  /**
   * Up to `limit` top-level comments in `order`, from the order's index, each
   * with its sort key there; `after` is the key the previous page ended at.
   * `more` says whether the index holds more after these.
   */
  topLevelComments(
    communityId: string,
    consultationId: string,
    order: CommentOrder,
    limit: number,
    after?: string,
  ): Promise<{ readonly items: readonly RankedEntry[]; readonly more: boolean }>;
  /** The replies in each of these threads (by the top-level comment's id), oldest first, at most {@link MAX_REPLIES_READ} each. */
  replies(
    communityId: string,
    consultationId: string,
    threadIds: readonly string[],
  ): Promise<ReadonlyMap<string, readonly CountedComment[]>>;
  /**
   * The comments made on these targets (block ids, and the whole consultation
   * when `whole`), newest first, at most {@link MAX_SECTION_READ} of them.
   */
  commentsOn(
    communityId: string,
    consultationId: string,
    targets: { readonly whole: boolean; readonly blockIds: readonly string[] },
  ): Promise<CountedComment[]>;

  /** One conditional write per resident and comment; the stream tally counts it. */
  vote(vote: CommentVote): Promise<VoteWrite>;
  /** `withdrawn`, or `none` when there was no vote to take back. */
  withdrawVote(withdrawal: VoteWithdrawal): Promise<'withdrawn' | 'none'>;
  voteOf(
    communityId: string,
    commentId: string,
    voterKey: string,
  ): Promise<{ value: VoteValue; votedAt: string } | undefined>;

  /**
   * One conditional write per resident: `created` the first time, `replaced`
   * after; `superseded` when a later response of the same resident is stored already.
   */
  submitResponse(response: SurveyResponseToWrite): Promise<'created' | 'replaced' | 'superseded'>;
  responseOf(
    communityId: string,
    consultationId: string,
    respondentKey: string,
  ): Promise<StoredSurveyResponse | undefined>;
  /** Every response (not for a request: the export reads {@link responsePage}). */
  responses(communityId: string, consultationId: string): Promise<StoredSurveyResponse[]>;
  /** A page of the survey's responses in submission order (then respondent key), as {@link commentPage}. */
  responsePage(
    communityId: string,
    consultationId: string,
    page: ExportPageRequest<StoredSurveyResponse>,
  ): Promise<{ readonly items: StoredSurveyResponse[]; readonly after?: string }>;
  /**
   * The survey's counters as the survey tally keeps them from the responses
   * (a bounded read: a page per run of questions, per district).
   */
  surveyCounters(communityId: string, consultationId: string): Promise<SurveyTallyCounters>;
}

/** What one export page may read: after where the last page ended, `rows` items, `bytes` by `sizeOf`. */
export interface ExportPageRequest<Item> {
  readonly after?: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sizeOf: (item: Item) => number;
}

/** A top-level comment in a list, with its sort key in the list's index. */
export interface RankedEntry {
  readonly comment: CountedComment;
  readonly key: string;
}

/** A thread's replies read for one list page: a thread deeper than this shows its oldest replies. */
export const MAX_REPLIES_READ = 1_000;

/**
 * A section's list is sorted in memory from at most this many of its newest
 * comments: no index orders a section (a set of blocks that changes with each
 * revision) by votes. Beyond it the oldest comments of the section drop out of
 * its list (they stay in the consultation-wide lists).
 */
export const MAX_SECTION_READ = 2_000;

/** A stored response: what the results read, and who (pseudonymously) and when, for the export. */
export interface StoredSurveyResponse extends SurveyResponse {
  readonly respondentKey: string;
  readonly submittedAt: string;
}
