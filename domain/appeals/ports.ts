import type { EventEnvelope } from '../../events/envelope';
import type { AuditIntent } from '../audit/intent';
import type { Page } from '../communities/ports';
import type { Appeal, AppealStatus } from './appeal';
import type { AppealKind } from './settings';
import type { StoredStats } from './stats';

/** A page request of a list. */
export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
}

/** A staff list of one unit's items: open ones by due day (overdue first), closed ones newest first. */
export interface UnitQuery extends PageRequest {
  readonly communityId: string;
  readonly unitId: string;
  readonly open: boolean;
  readonly status?: AppealStatus;
  readonly kind?: AppealKind;
  /** Only items due before this day (`YYYY-MM-DD`): today's, for the overdue ones; open lists only. */
  readonly dueBefore?: string;
}

/**
 * Storage the reception needs. Every write is one conditional transaction with
 * the command's events and audit intent; `conflict` means another change came
 * first (for `register`: another item took the number), so the runner loads
 * and decides again.
 */
export interface AppealStore {
  get(communityId: string, appealId: string): Promise<Appeal | undefined>;
  /** The last registration number given in the community's `year` (0 before the first). */
  lastNumber(communityId: string, year: string): Promise<number>;
  /**
   * Stores a new item and moves the year's counter from `previousLast` to the
   * item's number, both or neither.
   */
  register(
    appeal: Appeal,
    previousLast: number,
    events: readonly EventEnvelope[],
  ): Promise<'saved' | 'conflict'>;
  save(
    previous: Appeal,
    next: Appeal,
    events: readonly EventEnvelope[],
    audit?: AuditIntent,
  ): Promise<'saved' | 'conflict'>;
  /** One author's items, newest first. */
  byAuthor(communityId: string, authorKey: string, page: PageRequest): Promise<Page<Appeal>>;
  byUnit(query: UnitQuery): Promise<Page<Appeal>>;
  /** Public items of a kind, newest publication first. */
  published(communityId: string, kind: AppealKind, page: PageRequest): Promise<Page<Appeal>>;
}

/**
 * The reception's statistics, which the store keeps in the same write as
 * every change of an item (`stats.ts`): the buckets of a community's months.
 */
export interface AppealStatsReader {
  /** Every bucket of the months `from`…`to` (`YYYY-MM`, inclusive). */
  statsOf(communityId: string, from: string, to: string): Promise<StoredStats[]>;
}
