import type { AuditIntent } from '../../../domain/audit/intent';
import { type CommentVote, STANCES, type Stance, voteDelta } from '../../../domain/consultations/comment';
import { type Consultation, ConsultationPhase } from '../../../domain/consultations/consultation';
import type { Draft } from '../../../domain/consultations/draft';
import {
  type ConsultationStore,
  MAX_REPLIES_READ,
  MAX_SECTION_READ,
  type StoredSurveyResponse,
} from '../../../domain/consultations/ports';
import { newestKey, orderKey, type TargetCommentCounts } from '../../../domain/consultations/ranking';
import type { ConsultationReport } from '../../../domain/consultations/report';
import { addSurveyCounters, surveyTallyDelta } from '../../../domain/consultations/survey-tally';
import type { CountedComment } from '../../../domain/consultations/threads';
import type { EventEnvelope } from '../../../events/envelope';

/** What the fake has been asked to write, in order: what a test asserts after a use case. */
export interface ConsultationWrites {
  readonly events: EventEnvelope[];
  readonly audits: AuditIntent[];
  /** Conditional saves tried, `conflict` ones included. */
  saves: number;
}

/** The in-memory consultation store, with its switches and what it recorded. */
export interface FakeConsultationStore extends ConsultationStore {
  readonly written: ConsultationWrites;
  /** The next `count` conditional saves answer `conflict` and write nothing: another change came first. */
  conflictNext(count?: number): void;
  /** Puts a consultation and its current draft as they would be stored (a test's Prepare). */
  seed(consultation: Consultation, draft: Draft): void;
}

const copy = <T>(value: T): T => structuredClone(value);

/** When the schedule moves a consultation next, as the store's schedule index says. */
const dueAt = (consultation: Consultation): string | undefined =>
  consultation.phase === ConsultationPhase.draft
    ? consultation.opensAt
    : consultation.phase === ConsultationPhase.open
      ? consultation.closesAt
      : undefined;

/** A position in an ordered list, as the fake's cursors and `after`s name it. */
const positionOf = (keys: readonly string[], after: string | undefined): number =>
  after === undefined ? 0 : keys.filter((key) => key <= after).length;

/**
 * An in-memory {@link ConsultationStore} for unit tests of the use cases: the
 * same answers as the DynamoDB store (revision conditions, `conflict`, vote
 * and response writes), with what the stream tallies keep (vote counts,
 * comment and survey counters) computed at once instead of a second later.
 * Everything is copied in and out, so a test cannot change what is stored by
 * holding on to an object.
 */
export function fakeConsultationStore(): FakeConsultationStore {
  const consultations = new Map<string, Consultation>();
  const drafts = new Map<string, Draft>();
  const reports = new Map<string, ConsultationReport>();
  const comments = new Map<string, CountedComment>();
  const votes = new Map<string, { value: 'up' | 'down' | 'none'; votedAt: string }>();
  const responses = new Map<string, StoredSurveyResponse & { readonly consultationId: string }>();
  const written: ConsultationWrites = { events: [], audits: [], saves: 0 };
  let conflicts = 0;

  const at = (...parts: readonly (string | number)[]) => parts.join('|');

  /** One conditional save: `conflict` when switched so or when the revision moved on. */
  const conditional = (
    current: number | undefined,
    expected: number,
    write: () => void,
    events: readonly EventEnvelope[],
    audit?: AuditIntent,
  ): 'saved' | 'conflict' => {
    written.saves += 1;
    if (conflicts > 0) {
      conflicts -= 1;
      return 'conflict';
    }
    if (current !== expected) return 'conflict';
    write();
    written.events.push(...copy(events));
    if (audit) written.audits.push(copy(audit));
    return 'saved';
  };

  /** A write conditioned on the consultation's revision, as every consultation save is. */
  const overConsultation = (
    previous: Consultation,
    write: (key: string) => void,
    events: readonly EventEnvelope[],
    audit?: AuditIntent,
  ): 'saved' | 'conflict' => {
    const key = at(previous.communityId, previous.id);
    return conditional(consultations.get(key)?.revision, previous.revision, () => write(key), events, audit);
  };

  const commentsOf = (communityId: string, consultationId: string) =>
    [...comments.values()].filter(
      (comment) => comment.communityId === communityId && comment.consultationId === consultationId,
    );

  const responsesOf = (communityId: string, consultationId: string) =>
    [...responses.entries()]
      .filter(
        ([key, response]) => key.startsWith(`${communityId}|`) && response.consultationId === consultationId,
      )
      .map(([, { consultationId: _consultationId, ...response }]) => response)
      .sort((a, b) =>
        `${a.submittedAt}#${a.respondentKey}`.localeCompare(`${b.submittedAt}#${b.respondentKey}`),
      );

  /** At most `rows` of `items` after `after`, within `bytes` by `sizeOf` (at least one), as an export page. */
  const pageAfter = <T>(
    items: readonly T[],
    keyOf: (item: T) => string,
    page: { after?: string; rows: number; bytes: number; sizeOf: (item: T) => number },
  ): { items: T[]; after?: string } => {
    const rest = items.slice(positionOf(items.map(keyOf), page.after));
    const taken: T[] = [];
    let bytes = 0;
    for (const item of rest) {
      if (taken.length >= page.rows) break;
      const size = page.sizeOf(item);
      if (taken.length > 0 && bytes + size > page.bytes) break;
      taken.push(item);
      bytes += size;
    }
    const last = taken.at(-1);
    return taken.length < rest.length && last !== undefined
      ? { items: copy(taken), after: keyOf(last) }
      : { items: copy(taken) };
  };

  return {
    written,

    conflictNext(count = 1) {
      conflicts += count;
    },

    seed(consultation, draft) {
      consultations.set(at(consultation.communityId, consultation.id), copy(consultation));
      drafts.set(at(consultation.communityId, consultation.id, draft.version), copy(draft));
    },

    async get(communityId, consultationId) {
      const found = consultations.get(at(communityId, consultationId));
      return found && copy(found);
    },

    async draft(communityId, consultationId, version) {
      const found = drafts.get(at(communityId, consultationId, version));
      return found && copy(found);
    },

    async create({ consultation, draft }, events, audit) {
      const key = at(consultation.communityId, consultation.id);
      if (consultations.has(key)) throw new Error(`Consultation ${consultation.id} exists already`);
      consultations.set(key, copy(consultation));
      drafts.set(at(consultation.communityId, consultation.id, draft.version), copy(draft));
      written.events.push(...copy(events));
      if (audit) written.audits.push(copy(audit));
    },

    async save(previous, next, events, audit) {
      return overConsultation(previous, (key) => consultations.set(key, copy(next)), events, audit);
    },

    async saveRevision(previous, { consultation, draft }, events, audit) {
      return overConsultation(
        previous,
        (key) => {
          consultations.set(key, copy(consultation));
          drafts.set(at(consultation.communityId, consultation.id, draft.version), copy(draft));
        },
        events,
        audit,
      );
    },

    async saveReport(previous, { consultation, report }, events, audit) {
      return overConsultation(
        previous,
        (key) => {
          consultations.set(key, copy(consultation));
          reports.set(key, copy(report));
        },
        events,
        audit,
      );
    },

    async report(communityId, consultationId) {
      const found = reports.get(at(communityId, consultationId));
      return found && copy(found);
    },

    async list(query) {
      const listed = [...consultations.values()]
        .filter(
          (consultation) =>
            consultation.communityId === query.communityId && consultation.phase === query.phase,
        )
        .sort((a, b) => newestKey(b).localeCompare(newestKey(a)));
      const from = query.cursor === undefined ? 0 : Number(query.cursor);
      const items = listed.slice(from, from + query.limit);
      const more = from + query.limit < listed.length;
      return { items: copy(items), ...(more ? { cursor: String(from + query.limit) } : {}) };
    },

    async dueForPhaseChange(now) {
      return [...consultations.values()]
        .filter((consultation) => {
          const due = dueAt(consultation);
          return due !== undefined && due <= now;
        })
        .map((consultation) => ({ communityId: consultation.communityId, consultationId: consultation.id }));
    },

    async comment(communityId, commentId) {
      const found = comments.get(at(communityId, commentId));
      return found && copy(found);
    },

    async postComment(_consultation, comment, events) {
      const key = at(comment.communityId, comment.id);
      if (comments.has(key)) throw new Error(`Comment ${comment.id} exists already`);
      comments.set(key, { ...copy(comment), up: 0, down: 0 });
      written.events.push(...copy(events));
    },

    async saveComment(_consultation, previous, next, events) {
      const key = at(previous.communityId, previous.id);
      const stored = comments.get(key);
      return conditional(
        stored?.revision,
        previous.revision,
        // The tally owns the counts: a command's save keeps those stored.
        () => comments.set(key, { ...copy(next), up: stored?.up ?? 0, down: stored?.down ?? 0 }),
        events,
      );
    },

    async comments(communityId, consultationId) {
      return copy(commentsOf(communityId, consultationId));
    },

    async commentPage(communityId, consultationId, page) {
      const ordered = commentsOf(communityId, consultationId).sort((a, b) =>
        newestKey(a).localeCompare(newestKey(b)),
      );
      return pageAfter(ordered, newestKey, page);
    },

    async commentIdsAmong(communityId, consultationId, ids) {
      return new Set(
        ids.filter((id) => comments.get(at(communityId, id))?.consultationId === consultationId),
      );
    },

    async commentCounts(communityId, consultationId) {
      const byTarget = new Map<string | undefined, Record<Stance, number>>();
      for (const comment of commentsOf(communityId, consultationId)) {
        if (comment.state !== 'visible') continue;
        const targetId = comment.target.kind === 'whole' ? undefined : comment.target.id;
        const counts =
          byTarget.get(targetId) ??
          (Object.fromEntries(STANCES.map((stance) => [stance, 0])) as Record<Stance, number>);
        counts[comment.stance] += 1;
        byTarget.set(targetId, counts);
      }
      return [...byTarget.entries()].map(
        ([targetId, byStance]): TargetCommentCounts => ({ targetId, byStance }),
      );
    },

    async topLevelComments(communityId, consultationId, order, limit, after) {
      const ranked = commentsOf(communityId, consultationId)
        .filter((comment) => comment.depth === 1)
        .map((comment) => ({ comment, key: orderKey(order, comment) }))
        .filter((entry) => after === undefined || entry.key < after)
        .sort((a, b) => b.key.localeCompare(a.key));
      return { items: copy(ranked.slice(0, limit)), more: ranked.length > limit };
    },

    async replies(communityId, consultationId, threadIds) {
      const all = commentsOf(communityId, consultationId)
        .filter((comment) => comment.depth > 1)
        .sort((a, b) => newestKey(a).localeCompare(newestKey(b)));
      return new Map(
        threadIds.map((threadId) => [
          threadId,
          copy(all.filter((reply) => reply.threadId === threadId).slice(0, MAX_REPLIES_READ)),
        ]),
      );
    },

    async commentsOn(communityId, consultationId, targets) {
      const blocks = new Set(targets.blockIds);
      return copy(
        commentsOf(communityId, consultationId)
          .filter((comment) =>
            comment.target.kind === 'whole' ? targets.whole : blocks.has(comment.target.id),
          )
          .sort((a, b) => newestKey(b).localeCompare(newestKey(a)))
          .slice(0, MAX_SECTION_READ),
      );
    },

    async vote(vote: CommentVote) {
      const key = at(vote.communityId, vote.commentId, vote.voterKey);
      const before = votes.get(key)?.value;
      if (before === vote.value) return 'unchanged';
      votes.set(key, { value: vote.value, votedAt: vote.votedAt });
      countVote(vote.communityId, vote.commentId, before, vote.value);
      return before === undefined || before === 'none' ? 'cast' : 'changed';
    },

    async withdrawVote(withdrawal) {
      const key = at(withdrawal.communityId, withdrawal.commentId, withdrawal.voterKey);
      const before = votes.get(key)?.value;
      if (before !== 'up' && before !== 'down') return 'none';
      votes.set(key, { value: 'none', votedAt: withdrawal.votedAt });
      countVote(withdrawal.communityId, withdrawal.commentId, before, 'none');
      return 'withdrawn';
    },

    async voteOf(communityId, commentId, voterKey) {
      const found = votes.get(at(communityId, commentId, voterKey));
      return found && found.value !== 'none' ? { value: found.value, votedAt: found.votedAt } : undefined;
    },

    async submitResponse(response) {
      const key = at(response.communityId, response.consultationId, response.respondentKey);
      const before = responses.get(key);
      if (before && before.submittedAt > response.submittedAt) return 'superseded';
      responses.set(key, {
        consultationId: response.consultationId,
        respondentKey: response.respondentKey,
        answers: copy(response.answers),
        submittedAt: response.submittedAt,
        ...(response.districtId ? { districtId: response.districtId } : {}),
      });
      return before ? 'replaced' : 'created';
    },

    async responseOf(communityId, consultationId, respondentKey) {
      return copy(
        responsesOf(communityId, consultationId).find((response) => response.respondentKey === respondentKey),
      );
    },

    async responses(communityId, consultationId) {
      return copy(responsesOf(communityId, consultationId));
    },

    async responsePage(communityId, consultationId, page) {
      return pageAfter(
        responsesOf(communityId, consultationId),
        (response) => `${response.submittedAt}#${response.respondentKey}`,
        page,
      );
    },

    async surveyCounters(communityId, consultationId) {
      const survey = consultations.get(at(communityId, consultationId))?.survey;
      if (!survey) return { overall: {}, byDistrict: {} };
      return responsesOf(communityId, consultationId).reduce(
        (total, response) => addSurveyCounters(total, surveyTallyDelta(survey, undefined, response)),
        { overall: {}, byDistrict: {} },
      );
    },
  };

  /** What the vote tally does a second later: the comment's counts follow the vote. */
  function countVote(
    communityId: string,
    commentId: string,
    before: 'up' | 'down' | 'none' | undefined,
    after: 'up' | 'down' | 'none',
  ) {
    const key = at(communityId, commentId);
    const comment = comments.get(key);
    if (!comment) return;
    const delta = voteDelta(before === 'none' ? undefined : before, after === 'none' ? undefined : after);
    comments.set(key, { ...comment, up: comment.up + delta.up, down: comment.down + delta.down });
  }
}
