import type { AuditIntent } from '../../../domain/audit/intent';
import type { Page } from '../../../domain/communities/ports';
import { ADVERSE, type ModerationItem, type SubjectSnapshot } from '../../../domain/moderation/item';
import type { LoggedDecision } from '../../../domain/moderation/transparency';
import { fail, type Outcome, ok } from '../../../domain/shared/outcome';
import type { EventEnvelope } from '../../../events/envelope';
import type { ModerationPort, NewReport } from '../../../functions/moderation/ports';
import type { SubjectChange } from '../../../functions/moderation/subjects';

/** A tool's subject as the fake keeps it: what the queue shows, and whether the public sees it. */
export interface FakeSubject {
  readonly snapshot: SubjectSnapshot;
  readonly isPublic: boolean;
}

/** What the fake remembers besides items and subjects: everything a use case wrote, in order. */
export interface ModerationPortRecord {
  readonly events: EventEnvelope[];
  readonly audits: AuditIntent[];
  readonly decisions: LoggedDecision[];
  /** `<itemId>|<signerKey>` of every report written. */
  readonly reports: Map<string, NewReport>;
}

/**
 * An in-memory {@link ModerationPort} with the DynamoDB one's contract: every
 * save is conditioned on the item's version as read (absent for version 0),
 * a report is written once per resident and item, and the subject's change
 * (public or not) is applied with the save that carries it. The tools are
 * reduced to one rule: approve and restore make a subject public, reject
 * and hide take it away, `refuseSubjects` makes the tool refuse. Items and
 * subjects are seeded with `seedItem` and `seedSubject`. `conflictNext(n)`
 * makes the next `n` saves answer `conflict`, as if another change had come
 * first, so the runner's retry is tested without a race.
 */
export function fakeModerationPort() {
  const items = new Map<string, ModerationItem>();
  const subjects = new Map<string, FakeSubject>();
  const itemKey = (communityId: string, itemId: string) => `${communityId}|${itemId}`;
  const subjectKey = (communityId: string, type: string, subjectId: string) =>
    `${communityId}|${type}|${subjectId}`;
  const record: ModerationPortRecord = { events: [], audits: [], decisions: [], reports: new Map() };
  let conflicts = 0;
  let saves = 0;
  let refusal: Outcome<never> | undefined;

  /** The version condition, and the injected conflicts. */
  const mayWrite = (communityId: string, itemId: string, previousVersion: number): boolean => {
    saves += 1;
    if (conflicts > 0) {
      conflicts -= 1;
      return false;
    }
    return (items.get(itemKey(communityId, itemId))?.version ?? 0) === previousVersion;
  };
  const apply = (
    item: ModerationItem,
    changes: readonly SubjectChange[],
    events: readonly EventEnvelope[],
  ) => {
    items.set(itemKey(item.communityId, item.id), item);
    for (const change of changes) {
      const key = subjectKey(item.communityId, item.type, item.subjectId);
      const subject = subjects.get(key);
      if (subject) subjects.set(key, { ...subject, isPublic: change.after.public === true });
    }
    record.events.push(...events);
  };
  const subjectChange = (isPublic: boolean, toPublic: boolean): SubjectChange => ({
    writes: [],
    events: [],
    before: { public: isPublic },
    after: { public: toPublic },
  });
  const page = (list: ModerationItem[], limit: number): Page<ModerationItem> => ({
    items: list.slice(0, limit),
  });

  const port: ModerationPort = {
    scope: `fake-${Math.random().toString(36).slice(2)}`,

    async get(communityId, itemId) {
      return items.get(itemKey(communityId, itemId));
    },
    async queue(query) {
      const list = [...items.values()]
        .filter((item) => item.communityId === query.communityId && item.status === query.status)
        .filter((item) => query.type === undefined || item.type === query.type)
        .sort((a, b) => a.waitingSince.localeCompare(b.waitingSince));
      return page(list, query.limit);
    },
    async byAuthor(communityId, authorKey, { limit }) {
      const list = [...items.values()]
        .filter((item) => item.communityId === communityId && item.authorKey === authorKey)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return page(list, limit);
    },
    async decisionsBetween(_communityId, from, to, max) {
      const inPeriod = record.decisions.filter((entry) => entry.decidedAt >= from && entry.decidedAt < to);
      return { decisions: inPeriod.slice(0, max), complete: inPeriod.length <= max };
    },

    async subject(communityId, type, subjectId) {
      return subjects.get(subjectKey(communityId, type, subjectId));
    },
    async decideSubject(_context, community, type, subjectId, input) {
      if (refusal) return refusal;
      const subject = subjects.get(subjectKey(community.id, type, subjectId));
      if (!subject) return fail('item_not_found', { uk: 'Немає.', en: 'None.' });
      return ok(subjectChange(subject.isPublic, !ADVERSE.has(input.decision)));
    },
    async hideSubject(_context, community, type, subjectId) {
      if (refusal) return refusal;
      const subject = subjects.get(subjectKey(community.id, type, subjectId));
      if (!subject) return fail('item_not_found', { uk: 'Немає.', en: 'None.' });
      return ok(subjectChange(subject.isPublic, false));
    },

    async saveItem(previousVersion, item, events) {
      if (!mayWrite(item.communityId, item.id, previousVersion)) return 'conflict';
      apply(item, [], events);
      return 'saved';
    },
    async saveDecision(previousVersion, decided, change, events, audit) {
      const { item, record: decision } = decided;
      if (!mayWrite(item.communityId, item.id, previousVersion)) return 'conflict';
      apply(item, [change], events);
      record.decisions.push({
        type: item.type,
        decision: decision.decision,
        ...(decision.reasonCode ? { reasonCode: decision.reasonCode } : {}),
        decidedAt: decision.decidedAt,
        waitedSeconds: decision.waitedSeconds,
        onAppeal: decision.onAppeal,
      });
      if (audit) record.audits.push(audit);
      return 'saved';
    },
    async saveReports(previousVersion, item, reports, changes, events) {
      const alreadyReported = reports
        .map((report, index) => (record.reports.has(`${item.id}|${report.signerKey}`) ? index : -1))
        .filter((index) => index >= 0);
      if (alreadyReported.length > 0) return { alreadyReported };
      if (!mayWrite(item.communityId, item.id, previousVersion)) return 'conflict';
      for (const report of reports) record.reports.set(`${item.id}|${report.signerKey}`, report);
      apply(item, changes, events);
      return 'saved';
    },
  };

  return {
    port,
    record,
    /** A tool's subject the centre can find, public or not. */
    seedSubject(communityId: string, subject: FakeSubject) {
      subjects.set(subjectKey(communityId, subject.snapshot.type, subject.snapshot.subjectId), subject);
    },
    /** A stored item (its subject must be seeded too, as in the table). */
    seedItem(item: ModerationItem) {
      items.set(itemKey(item.communityId, item.id), item);
    },
    /** Whether the public sees a subject now. */
    isPublic(communityId: string, type: string, subjectId: string): boolean | undefined {
      return subjects.get(subjectKey(communityId, type, subjectId))?.isPublic;
    },
    /** From now on the tools refuse every decision and hide with `invalid_state`. */
    refuseSubjects() {
      refusal = fail('invalid_state', { uk: 'Не можна.', en: 'Not now.' });
    },
    /** The next `count` conditional saves answer `conflict`. */
    conflictNext(count: number) {
      conflicts = count;
    },
    /** Conditional saves tried so far, refused ones included. */
    get saves() {
      return saves;
    },
  };
}
