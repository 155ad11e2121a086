import { AuditAction, newAuditIntent } from '../../domain/audit/intent';
import type { Community } from '../../domain/communities/community';
import { appealItem } from '../../domain/moderation/commands/appeal-item';
import { claimItem, releaseClaim } from '../../domain/moderation/commands/claim-item';
import { type DecideItemInput, decideItem } from '../../domain/moderation/commands/decide-item';
import { type ReportItemInput, reportItem } from '../../domain/moderation/commands/report-item';
import {
  ItemStatus,
  type ModerationItem,
  newModerationItem,
  parseItemId,
} from '../../domain/moderation/item';
import type { CommandContext } from '../../domain/shared/command';
import { text } from '../../domain/shared/localized';
import type { DomainError, Outcome } from '../../domain/shared/outcome';
import type { EventEnvelope } from '../../events/envelope';
import { auditIntentPut } from '../audit/intents';
import { commitWithEventsAt, type TransactItem } from '../shared/outbox';
import { jitteredPause } from '../shared/retry';
import { decisionLogPut, moderationItemPut, reportPut } from './items';
import { SUBJECT_PORTS } from './ports';
import { dynamoModerationStore } from './store';
import type { DescribedSubject, SubjectDeps, SubjectPort } from './subjects';

/**
 * The moderation centre's use cases, each one read → pure command → one
 * transaction: the item (conditioned on the version it was read at), the
 * tool's change to its subject, the decision log, the audit intent and the
 * events, all or nothing. A lost race on the item is a 409 (someone else
 * decided, claimed or reported first: look again); a lost race on the subject
 * alone is retried, since the subject's tool re-checks it.
 */

const ATTEMPTS = 4;

export const itemNotFound = (itemId: string): DomainError => ({
  code: 'item_not_found',
  message: text(
    'Такого запису модерації немає в цій громаді.',
    'There is no such moderation item in this community.',
  ),
  details: { itemId },
});

const itemChanged = (itemId: string): DomainError => ({
  code: 'version_conflict',
  message: text(
    'Запис щойно змінив хтось інший (рішення, взяття в роботу чи скарга). Перегляньте його ще раз.',
    'Someone else changed this item just now (a decision, a claim or a report). Look at it again.',
  ),
  details: { itemId },
});

interface Loaded {
  readonly item: ModerationItem;
  readonly port: SubjectPort;
  readonly subject: DescribedSubject;
}

/**
 * The item of an id, with its tool's port and the subject as it is now. A
 * subject the centre has not seen yet (a petition published without
 * pre-moderation) gets a fresh, unsaved item: waiting if the public does not
 * see the subject, settled if it does.
 */
async function load(deps: SubjectDeps, communityId: string, itemId: string): Promise<Loaded | DomainError> {
  const id = parseItemId(itemId);
  const port = id && SUBJECT_PORTS[id.type];
  if (!id || !port) return itemNotFound(itemId);
  const [stored, subject] = await Promise.all([
    dynamoModerationStore(deps.client, deps.tableName).get(communityId, itemId),
    port.describe(deps, communityId, id.subjectId),
  ]);
  if (!subject) return itemNotFound(itemId);
  const item =
    stored ??
    newModerationItem(
      communityId,
      subject.snapshot,
      new Date(),
      subject.isPublic ? ItemStatus.decided : ItemStatus.pending,
    );
  return { item, port, subject };
}

/** A stored item only: claims and appeals are about something that has been in the queue. */
async function loadStored(
  deps: SubjectDeps,
  communityId: string,
  itemId: string,
): Promise<ModerationItem | DomainError> {
  const loaded = await load(deps, communityId, itemId);
  if ('code' in loaded) return loaded;
  return loaded.item.version === 0 ? itemNotFound(itemId) : loaded.item;
}

type Commit = { committed: true } | { committed: false; failedIndexes: number[] };

const commit = (
  deps: SubjectDeps,
  items: readonly TransactItem[],
  events: readonly EventEnvelope[],
): Promise<Commit> => commitWithEventsAt(deps.client, deps.tableName, items, events);

/**
 * A change of the item alone (claim, release, appeal): retried when the item
 * moved on meanwhile, since the command then sees the newer item and decides
 * again (a claim someone else just took becomes `item_claimed`).
 */
async function changeItem(
  deps: SubjectDeps,
  communityId: string,
  itemId: string,
  run: (item: ModerationItem) => Outcome<ModerationItem>,
): Promise<ModerationItem | DomainError> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const item = await loadStored(deps, communityId, itemId);
    if ('code' in item) return item;
    const outcome = run(item);
    if (!outcome.ok) return outcome.error;
    const result = await commit(
      deps,
      [moderationItemPut(deps.tableName, item.version, outcome.value)],
      outcome.events,
    );
    if (result.committed) return outcome.value;
  }
  return itemChanged(itemId);
}

export const claim = (deps: SubjectDeps, context: CommandContext, communityId: string, itemId: string) =>
  changeItem(deps, communityId, itemId, (item) => claimItem(context, item));

export const release = (deps: SubjectDeps, context: CommandContext, communityId: string, itemId: string) =>
  changeItem(deps, communityId, itemId, (item) => releaseClaim(context, item));

export const appeal = (
  deps: SubjectDeps,
  context: CommandContext,
  communityId: string,
  itemId: string,
  appealText: string,
) => changeItem(deps, communityId, itemId, (item) => appealItem(context, item, appealText));

export interface DecideRequest extends DecideItemInput {
  /** The item version the decider looked at; when given, a newer item is a 409 instead of a decision. */
  readonly version?: number;
}

/**
 * A moderator's (or on appeal the council's) decision, with the tool's change
 * to the subject, the decision log line and the audit entry, in one transaction.
 */
export async function decide(
  deps: SubjectDeps,
  context: CommandContext,
  community: Community,
  itemId: string,
  request: DecideRequest,
): Promise<ModerationItem | DomainError> {
  const { version, ...input } = request;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const loaded = await load(deps, community.id, itemId);
    if ('code' in loaded) return loaded;
    const { item, port } = loaded;
    if (version !== undefined && version !== item.version) return itemChanged(itemId);
    const outcome = decideItem(context, item, input);
    if (!outcome.ok) return outcome.error;
    const change = await port.decide(deps, context, community, item.subjectId, input);
    if ('code' in change) {
      // The tool read its subject after we read the item: if another decision came in between, that
      // decision is what the tool refused, and the honest answer is that the item changed.
      const now = await dynamoModerationStore(deps.client, deps.tableName).get(community.id, itemId);
      return (now?.version ?? 0) === item.version ? change : itemChanged(itemId);
    }
    const { item: decided, record } = outcome.value;
    const audit = newAuditIntent(context, {
      communityId: community.id,
      action: AuditAction.moderationDecide,
      target: `${item.type}/${item.subjectId}`,
      before: { status: item.status, ...change.before },
      after: {
        status: decided.status,
        decision: record.decision,
        ...(record.reasonCode ? { reasonCode: record.reasonCode } : {}),
        ...(record.note ? { note: record.note } : {}),
        onAppeal: record.onAppeal,
        ...change.after,
      },
    });
    const result = await commit(
      deps,
      [
        moderationItemPut(deps.tableName, item.version, decided),
        ...change.writes,
        decisionLogPut(deps.tableName, decided, record),
        auditIntentPut(deps.tableName, audit),
      ],
      [...change.events, ...outcome.events],
    );
    if (result.committed) return decided;
    if (result.failedIndexes.includes(0)) return itemChanged(itemId);
  }
  return itemChanged(itemId);
}

export interface ReportResult {
  readonly item: ModerationItem;
  readonly alreadyReported: boolean;
}

/** A report waiting for its item's next write in this process. */
interface WaitingReport {
  readonly context: CommandContext;
  readonly input: ReportItemInput;
  readonly resolve: (result: ReportResult | DomainError) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Reports written by one transaction at most: each is one put, beside the
 * item, the subject's hiding writes and a few events, within the 100 items
 * a transaction may hold.
 */
export const MAX_REPORTS_PER_WRITE = 40;

/** The reports waiting in this process, per `table|community|item`. */
const waitingReports = new Map<string, WaitingReport[]>();

/**
 * Writes the reports of `open` on one item together, as if they came one
 * after another in that order: each is checked against the item as the
 * reports before it left it (the one that reaches `reportsBeforeHide` hides
 * the subject, and those after it find the subject no longer public), and all
 * go in one transaction with the item (conditioned on the version read). A
 * resident's report that exists already answers `alreadyReported` and leaves
 * the write; a resident twice in `open` waits for the next write. Settles
 * every waiting report.
 */
async function reportTogether(
  deps: SubjectDeps,
  community: Community,
  itemId: string,
  taken: readonly WaitingReport[],
): Promise<void> {
  let open = [...taken];
  for (let misses = 0; open.length > 0 && misses < ATTEMPTS * 2; ) {
    const loaded = await load(deps, community.id, itemId);
    if ('code' in loaded) {
      for (const waiting of open) waiting.resolve(loaded);
      return;
    }
    const { port } = loaded;
    let item = loaded.item;
    let subjectPublic = loaded.subject.isPublic;
    const answers = new Map<WaitingReport, ReportResult | DomainError>();
    const writing: { readonly waiting: WaitingReport; readonly put: TransactItem }[] = [];
    const hidingWrites: TransactItem[] = [];
    const events: EventEnvelope[] = [];
    const signers = new Set<string>();
    for (const waiting of open) {
      const { context, input } = waiting;
      // One transaction cannot put one resident's report twice: the repeat waits, then finds it.
      if (signers.has(context.actor.signerKey)) continue;
      const outcome = reportItem(context, item, input, {
        reportsBeforeHide: community.settings.reportsBeforeHide,
        subjectPublic,
      });
      if (!outcome.ok) {
        answers.set(waiting, outcome.error);
        continue;
      }
      const hiding = outcome.value.hide
        ? await port.hide(deps, context, community, item.subjectId)
        : undefined;
      if (hiding && 'code' in hiding) {
        answers.set(waiting, hiding);
        continue;
      }
      if (hiding) subjectPublic = false;
      signers.add(context.actor.signerKey);
      writing.push({
        waiting,
        put: reportPut(deps.tableName, item, context.actor.signerKey, {
          reasonCode: input.reasonCode,
          ...(input.note ? { note: input.note } : {}),
          reportedAt: context.clock.now().toISOString(),
        }),
      });
      item = outcome.value.item;
      hidingWrites.push(...(hiding?.writes ?? []));
      events.push(...outcome.events, ...(hiding?.events ?? []));
      answers.set(waiting, { item, alreadyReported: false });
    }
    const settle = (settled: readonly WaitingReport[]) => {
      for (const waiting of settled) {
        const answer = answers.get(waiting);
        if (answer) waiting.resolve(answer);
      }
      open = open.filter((waiting) => !settled.includes(waiting) || !answers.has(waiting));
    };
    if (writing.length === 0) {
      settle(open);
      continue;
    }
    const result = await commit(
      deps,
      [
        ...writing.map(({ put }) => put),
        moderationItemPut(deps.tableName, loaded.item.version, item),
        ...hidingWrites,
      ],
      events,
    );
    if (result.committed) {
      settle(open);
      misses = 0;
      continue;
    }
    // A refused report put: that resident reported before. The others are checked again on the item as it is.
    const already = writing
      .filter((_, index) => result.failedIndexes.includes(index))
      .map(({ waiting }) => waiting);
    for (const waiting of already) waiting.resolve({ item: loaded.item, alreadyReported: true });
    open = open.filter((waiting) => !already.includes(waiting));
    if (already.length > 0) continue;
    misses += 1;
    await jitteredPause(misses, { ceilingMs: 100 });
  }
  for (const waiting of open) waiting.resolve(itemChanged(itemId));
}

/**
 * A resident's report: one conditional put per resident and item, the item's
 * counts, and (at the community's threshold) the tool hiding the subject, in
 * one transaction. Reports race each other often (a storm after a post goes
 * round), so reports of one item in this process wait in one queue and are
 * written together (group commit, up to {@link MAX_REPORTS_PER_WRITE} a
 * transaction) instead of racing for the item's version; a lost race with
 * another process is retried after a jittered pause, not answered with a 409.
 */
export function report(
  deps: SubjectDeps,
  context: CommandContext,
  community: Community,
  itemId: string,
  input: ReportItemInput,
): Promise<ReportResult | DomainError> {
  return new Promise((resolve, reject) => {
    const key = `${deps.tableName}|${community.id}|${itemId}`;
    const entry: WaitingReport = { context, input, resolve, reject };
    const waiting = waitingReports.get(key);
    if (waiting) {
      waiting.push(entry);
      return;
    }
    const started = [entry];
    waitingReports.set(key, started);
    void drainReports(deps, community, itemId, key, started);
  });
}

/** Writes an item's waiting reports, a group at a time, until none waits; then forgets the queue. */
async function drainReports(
  deps: SubjectDeps,
  community: Community,
  itemId: string,
  key: string,
  waiting: WaitingReport[],
): Promise<void> {
  let taken: WaitingReport[] = [];
  try {
    // Reports made in the same turn as the first join its write.
    await Promise.resolve();
    while (waiting.length > 0) {
      taken = waiting.splice(0, MAX_REPORTS_PER_WRITE);
      await reportTogether(deps, community, itemId, taken);
    }
  } catch (error) {
    // Settling twice is harmless: a promise keeps its first answer.
    for (const { reject } of [...taken, ...waiting.splice(0)]) reject(error);
  } finally {
    waitingReports.delete(key);
  }
}
