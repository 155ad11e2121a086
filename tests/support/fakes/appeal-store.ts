import { type Appeal, OPEN } from '../../../domain/appeals/appeal';
import { isPublic } from '../../../domain/appeals/permissions';
import type { AppealStatsReader, AppealStore } from '../../../domain/appeals/ports';
import { bucketKey, type StoredStats, statsChanges } from '../../../domain/appeals/stats';
import type { AuditIntent } from '../../../domain/audit/intent';
import type { Page } from '../../../domain/communities/ports';
import type { EventEnvelope } from '../../../events/envelope';

/** What the fake remembers besides items: everything a use case wrote, in order. */
export interface AppealStoreRecord {
  readonly events: EventEnvelope[];
  readonly audits: AuditIntent[];
  /** The year counters, by `<communityId>|<year>`. */
  readonly counters: Map<string, number>;
  /** The statistics buckets, by `<communityId>|<bucketKey>`, moved with each write as the DynamoDB store does. */
  readonly stats: Map<string, StoredStats>;
}

/**
 * An in-memory {@link AppealStore} with the DynamoDB one's contract: a save is
 * conditioned on the version the command read, a registration on the year's
 * counter as read. `conflictNext(n)` makes the next `n` conditional writes
 * answer `conflict`, as if another change had come first.
 */
export function fakeAppealStore(seed: readonly Appeal[] = []) {
  const appeals = new Map<string, Appeal>();
  const key = (communityId: string, appealId: string) => `${communityId}|${appealId}`;
  for (const appeal of seed) appeals.set(key(appeal.communityId, appeal.id), appeal);
  const record: AppealStoreRecord = { events: [], audits: [], counters: new Map(), stats: new Map() };
  const countStats = (previous: Appeal | undefined, next: Appeal) => {
    for (const delta of statsChanges(previous, next)) {
      const id = `${delta.communityId}|${bucketKey(delta)}`;
      const counters: Record<string, number> = { ...record.stats.get(id)?.counters };
      for (const [name, change] of Object.entries(delta.counters))
        counters[name] = (counters[name] ?? 0) + change;
      record.stats.set(id, { ...delta, counters });
    }
  };
  let conflicts = 0;
  let writes = 0;

  const injected = (): boolean => {
    writes += 1;
    if (conflicts === 0) return false;
    conflicts -= 1;
    return true;
  };
  const page = (items: Appeal[], limit: number): Page<Appeal> => ({ items: items.slice(0, limit) });
  const all = (communityId: string) => [...appeals.values()].filter((a) => a.communityId === communityId);

  const store: AppealStore = {
    async get(communityId, appealId) {
      return appeals.get(key(communityId, appealId));
    },
    async lastNumber(communityId, year) {
      return record.counters.get(`${communityId}|${year}`) ?? 0;
    },
    async register(appeal, previousLast, events) {
      const [year, sequence] = appeal.number.split('-') as [string, string];
      const counter = `${appeal.communityId}|${year}`;
      if (injected() || (record.counters.get(counter) ?? 0) !== previousLast) return 'conflict';
      record.counters.set(counter, Number(sequence));
      appeals.set(key(appeal.communityId, appeal.id), appeal);
      countStats(undefined, appeal);
      record.events.push(...events);
      return 'saved';
    },
    async save(previous, next, events, audit) {
      if (injected() || appeals.get(key(previous.communityId, previous.id))?.version !== previous.version)
        return 'conflict';
      appeals.set(key(next.communityId, next.id), next);
      countStats(previous, next);
      record.events.push(...events);
      if (audit) record.audits.push(audit);
      return 'saved';
    },
    async byAuthor(communityId, authorKey, { limit }) {
      const mine = all(communityId).filter((a) => a.authorKey === authorKey);
      return page(
        mine.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt)),
        limit,
      );
    },
    async byUnit(query) {
      const items = all(query.communityId).filter(
        (a) =>
          a.unitId === query.unitId &&
          OPEN.has(a.status) === query.open &&
          (!query.status || a.status === query.status) &&
          (!query.kind || a.kind === query.kind) &&
          (!query.dueBefore || a.dueOn < query.dueBefore),
      );
      return page(
        items.sort((a, b) => `${a.dueOn}#${a.id}`.localeCompare(`${b.dueOn}#${b.id}`)),
        query.limit,
      );
    },
    async published(communityId, kind, { limit }) {
      const items = all(communityId).filter((a) => a.kind === kind && isPublic(a));
      return page(items.reverse(), limit);
    },
  };

  const statsReader: AppealStatsReader = {
    async statsOf(communityId, from, to) {
      return [...record.stats.values()].filter(
        (stats) => stats.communityId === communityId && stats.month >= from && stats.month <= to,
      );
    },
  };

  return {
    store,
    statsReader,
    record,
    appeals,
    /** The next `count` conditional writes answer `conflict`. */
    conflictNext(count: number) {
      conflicts = count;
    },
    /** How many conditional writes were tried. */
    writes: () => writes,
  };
}
