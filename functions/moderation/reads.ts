import type { Community } from '../../domain/communities/community';
import { forbidden } from '../../domain/communities/permissions';
import type { Page } from '../../domain/communities/ports';
import type { Actor } from '../../domain/identity/actor';
import type { ModerationItem } from '../../domain/moderation/item';
import { isItemAuthor, mayViewQueue } from '../../domain/moderation/permissions';
import type { ModerationStore, QueueQuery } from '../../domain/moderation/ports';
import {
  reportPeriod,
  type TransparencyReport,
  transparencyReport,
} from '../../domain/moderation/transparency';
import { text } from '../../domain/shared/localized';
import { fail, type Outcome, ok, reject } from '../../domain/shared/outcome';
import { itemNotFound } from './loading';

/**
 * The moderation centre's reads: what waits (staff), the caller's own items,
 * one item as its viewer may see it, and the public transparency report.
 */

/** The queue of one status (staff only). */
export async function listQueue(
  store: ModerationStore,
  actor: Actor,
  query: QueueQuery,
): Promise<Outcome<Page<ModerationItem>>> {
  if (!mayViewQueue(actor)) return reject(forbidden('moderator'));
  return ok(await store.queue(query));
}

/** The items about the caller's own submissions, newest first. */
export async function listMine(
  store: ModerationStore,
  actor: Actor,
  communityId: string,
  page: { limit: number; cursor?: string },
): Promise<Outcome<Page<ModerationItem>>> {
  return ok(await store.byAuthor(communityId, actor.signerKey, page));
}

/** One item, for the staff and its author; anyone else learns nothing, not even that it exists. */
export async function viewItem(
  store: ModerationStore,
  actor: Actor,
  communityId: string,
  itemId: string,
): Promise<Outcome<ModerationItem>> {
  const item = await store.get(communityId, itemId);
  if (!item || !(mayViewQueue(actor) || isItemAuthor(actor, item))) return reject(itemNotFound(itemId));
  return ok(item);
}

/**
 * The most decisions one report reads (about 200 bytes each: a few 1 MB
 * queries). A busier period is refused with `report_too_large`, never
 * answered from part of it: the median must be of every decision.
 */
export const REPORT_MAX_DECISIONS = 20_000;

/**
 * The transparency report of a period (see `reportPeriod` for its bounds),
 * reading at most `maxDecisions` decisions.
 *
 * Outcomes: ok; `validation_failed` (the period); `report_too_large` (more
 * decisions than `maxDecisions`: ask for a shorter period).
 */
export async function transparency(
  store: ModerationStore,
  community: Community,
  query: { readonly from?: string; readonly to?: string },
  now: Date,
  maxDecisions: number,
): Promise<Outcome<TransparencyReport>> {
  const period = reportPeriod(query, now);
  if (!period.ok) return period;
  const { from, to } = period.value;
  const read = await store.decisionsBetween(community.id, from, to, maxDecisions);
  if (!read.complete) {
    return fail(
      'report_too_large',
      text(
        `У цьому періоді понад ${maxDecisions} рішень. Запросіть коротший період (from, to), наприклад квартал.`,
        `This period has more than ${maxDecisions} decisions. Ask for a shorter period (from, to), e.g. a quarter.`,
      ),
      { limit: maxDecisions },
    );
  }
  return ok(transparencyReport(read.decisions, from, to));
}
