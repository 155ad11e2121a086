import { AuditAction, newAuditIntent } from '../../domain/audit/intent';
import type { Community } from '../../domain/communities/community';
import { forbidden } from '../../domain/communities/permissions';
import { appealItem } from '../../domain/moderation/commands/appeal-item';
import { claimItem, releaseClaim } from '../../domain/moderation/commands/claim-item';
import {
  type DecidedItem,
  type DecideItemInput,
  decideItem,
} from '../../domain/moderation/commands/decide-item';
import { type ReportItemInput, reportItem } from '../../domain/moderation/commands/report-item';
import {
  ItemStatus,
  type ModerationItem,
  newModerationItem,
  parseItemId,
} from '../../domain/moderation/item';
import { isItemAuthor, mayViewQueue } from '../../domain/moderation/permissions';
import type { CommandContext } from '../../domain/shared/command';
import { type Localized, text } from '../../domain/shared/localized';
import { type DomainError, type Outcome, ok, reject } from '../../domain/shared/outcome';
import type { EventEnvelope } from '../../events/envelope';
import {
  CHANGE_ATTEMPTS,
  RETRY,
  type RetryPolicy,
  type RunOptions,
  retrying,
  runChange,
  versionConflict,
} from '../shared/use-case';
import type { ModerationPort, NewReport } from './ports';
import type { DescribedSubject, SubjectChange } from './subjects';

/**
 * The moderation centre's use cases, each one load → pure command → one
 * conditional save through the {@link ModerationPort}: the item (over the
 * version it was read at), the tool's change to its subject, the decision log,
 * the audit intent and the events, all or nothing. A lost race on the item is
 * a 409 for a decision (someone else decided, claimed or reported first: look
 * again) and another try for a claim, a release or an appeal; a lost race on
 * the subject alone is tried again, since the subject's tool re-checks it.
 */

/** Names the item in the `version_conflict` message. */
const ITEM: Localized = text('Запис модерації', 'The moderation item');

/** Someone else changed the item the caller looked at (a decision, a claim or a report). */
const itemChanged = (itemId: string): DomainError => ({ ...versionConflict(ITEM), details: { itemId } });

export const itemNotFound = (itemId: string): DomainError => ({
  code: 'item_not_found',
  message: text(
    'Такого запису модерації немає в цій громаді.',
    'There is no such moderation item in this community.',
  ),
  details: { itemId },
});

interface Loaded {
  readonly item: ModerationItem;
  readonly subject: DescribedSubject;
}

/**
 * The item of an id, with the subject as it is now. A subject the centre has
 * not seen yet (a petition published without pre-moderation) gets a fresh,
 * unsaved item (version 0): waiting if the public does not see the subject,
 * settled if it does.
 */
async function loadItem(
  port: ModerationPort,
  context: CommandContext,
  communityId: string,
  itemId: string,
): Promise<Outcome<Loaded>> {
  const id = parseItemId(itemId);
  if (!id) return reject(itemNotFound(itemId));
  const [stored, subject] = await Promise.all([
    port.get(communityId, itemId),
    port.subject(communityId, id.type, id.subjectId),
  ]);
  if (!subject) return reject(itemNotFound(itemId));
  const status = subject.isPublic ? ItemStatus.decided : ItemStatus.pending;
  const item = stored ?? newModerationItem(communityId, subject.snapshot, context.clock.now(), status);
  return ok({ item, subject });
}

/** A stored item only: claims and appeals are about something that has been in the queue. */
async function loadStored(
  port: ModerationPort,
  context: CommandContext,
  communityId: string,
  itemId: string,
): Promise<Outcome<ModerationItem>> {
  const loaded = await loadItem(port, context, communityId, itemId);
  if (!loaded.ok) return loaded;
  return loaded.value.item.version === 0 ? reject(itemNotFound(itemId)) : ok(loaded.value.item);
}

/**
 * A change of the item alone (claim, release, appeal) through the runner:
 * tried again when the item moved on meanwhile, since the command then sees
 * the newer item and decides again (a claim someone else just took becomes
 * `item_claimed`).
 */
const changeItem = (
  port: ModerationPort,
  options: RunOptions,
  load: () => Promise<Outcome<ModerationItem>>,
  command: (item: ModerationItem) => Outcome<ModerationItem>,
): Promise<Outcome<ModerationItem>> =>
  runChange(
    { load, decide: command, save: (item, done) => port.saveItem(item.version, done.value, done.events) },
    options,
  );

/** A moderator takes an item for a while (staff only: anyone else is `forbidden` before anything is read). */
function claim(
  port: ModerationPort,
  options: RunOptions,
  context: CommandContext,
  communityId: string,
  itemId: string,
): Promise<Outcome<ModerationItem>> {
  if (!mayViewQueue(context.actor)) return Promise.resolve(reject(forbidden('moderator')));
  return changeItem(
    port,
    options,
    () => loadStored(port, context, communityId, itemId),
    (item) => claimItem(context, item),
  );
}

/** The holder gives a claim back (staff only). */
function release(
  port: ModerationPort,
  options: RunOptions,
  context: CommandContext,
  communityId: string,
  itemId: string,
): Promise<Outcome<ModerationItem>> {
  if (!mayViewQueue(context.actor)) return Promise.resolve(reject(forbidden('moderator')));
  return changeItem(
    port,
    options,
    () => loadStored(port, context, communityId, itemId),
    (item) => releaseClaim(context, item),
  );
}

/**
 * The author appeals. Only the author may learn that the item exists: anyone
 * else, staff included, gets the answer for a missing one.
 */
function appeal(
  port: ModerationPort,
  options: RunOptions,
  context: CommandContext,
  communityId: string,
  itemId: string,
  appealText: string,
): Promise<Outcome<ModerationItem>> {
  const load = async (): Promise<Outcome<ModerationItem>> => {
    const loaded = await loadStored(port, context, communityId, itemId);
    if (loaded.ok && !isItemAuthor(context.actor, loaded.value)) return reject(itemNotFound(itemId));
    return loaded;
  };
  return changeItem(port, options, load, (item) => appealItem(context, item, appealText));
}

export interface DecideRequest extends DecideItemInput {
  /** The item version the decider looked at; when given, a newer item is a 409 instead of a decision. */
  readonly version?: number;
}

/** The item as a decision found it, and the tool's part of the decision (or its refusal). */
interface DecisionState {
  readonly item: ModerationItem;
  readonly change: Outcome<SubjectChange>;
}

/**
 * A moderator's (or on appeal the council's) decision, with the tool's change
 * to the subject, the decision log line and the audit entry, in one save. The
 * decision is about the item as the decider saw it: the `version` they send,
 * or else the version first read. When a try loses its race on the item, the
 * next load finds a newer version and answers 409; when only the subject
 * moved on, the next try decides again.
 */
function decide(
  port: ModerationPort,
  options: RunOptions,
  context: CommandContext,
  community: Community,
  itemId: string,
  request: DecideRequest,
): Promise<Outcome<ModerationItem>> {
  if (!mayViewQueue(context.actor)) return Promise.resolve(reject(forbidden('moderator')));
  const { version, ...input } = request;
  let looked = version;
  const load = async (): Promise<Outcome<DecisionState>> => {
    const loaded = await loadItem(port, context, community.id, itemId);
    if (!loaded.ok) return loaded;
    const { item } = loaded.value;
    looked ??= item.version;
    if (item.version !== looked) return reject(itemChanged(itemId));
    const change = await port.decideSubject(context, community, item.type, item.subjectId, input);
    if (!change.ok) {
      // The tool read its subject after we read the item: if another decision came in between, that
      // decision is what the tool refused, and the honest answer is that the item changed.
      const now = await port.get(community.id, itemId);
      if ((now?.version ?? 0) !== item.version) return reject(itemChanged(itemId));
    }
    return ok({ item, change });
  };
  const command = ({ item, change }: DecisionState): Outcome<DecidedItem & { change: SubjectChange }> => {
    const outcome = decideItem(context, item, input);
    if (!outcome.ok) return outcome;
    if (!change.ok) return change;
    const { item: decided, record } = outcome.value;
    const audit = newAuditIntent(context, {
      communityId: community.id,
      action: AuditAction.moderationDecide,
      target: `${item.type}/${item.subjectId}`,
      before: { status: item.status, ...change.value.before },
      after: {
        status: decided.status,
        decision: record.decision,
        ...(record.reasonCode ? { reasonCode: record.reasonCode } : {}),
        ...(record.note ? { note: record.note } : {}),
        onAppeal: record.onAppeal,
        ...change.value.after,
      },
    });
    const events = [...change.value.events, ...outcome.events];
    return ok({ ...outcome.value, change: change.value }, events, audit);
  };
  return runChange(
    {
      load,
      decide: command,
      save: (state, done) =>
        port.saveDecision(state.item.version, done.value, done.value.change, done.events, done.audit),
    },
    options,
  ).then((outcome) => (outcome.ok ? ok(outcome.value.item, outcome.events, outcome.audit) : outcome));
}

export interface ReportResult {
  readonly item: ModerationItem;
  readonly alreadyReported: boolean;
}

/** A report waiting for its item's next write in this process. */
interface WaitingReport {
  readonly context: CommandContext;
  readonly input: ReportItemInput;
  readonly resolve: (result: Outcome<ReportResult>) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Reports written by one transaction at most: each is one put, beside the
 * item, the subject's hiding writes and a few events, within the 100 items
 * a transaction may hold.
 */
export const MAX_REPORTS_PER_WRITE = 40;

/**
 * Lost races in a row before a group of reports answers 409: twice a
 * change's, since a storm of reports from several processes is what reports
 * are grouped for, and a report that waits a little is better than a refusal.
 */
const REPORT_POLICY: RetryPolicy = { attempts: CHANGE_ATTEMPTS * 2, ceilingMs: 100 };

/** The reports waiting in this process, per `scope|community|item`. */
const waitingReports = new Map<string, WaitingReport[]>();

/**
 * One try of a group of reports on one item: writes the reports of `open`
 * together, as if they came one after another in that order. Each is checked
 * against the item as the reports before it left it (the one that reaches
 * `reportsBeforeHide` hides the subject, and those after it find the subject
 * no longer public), and all go in one save with the item (over the version
 * read). A resident's report that exists already answers `alreadyReported`
 * and leaves the write, which is made again at once without it; a resident
 * twice in `open` waits for the next write. Settles every report it can and
 * takes it out of `open`; {@link RETRY} when the item or the subject moved on
 * meanwhile.
 */
async function reportRound(
  port: ModerationPort,
  community: Community,
  itemId: string,
  open: WaitingReport[],
): Promise<'written' | typeof RETRY> {
  while (open.length > 0) {
    // The first report's clock dates an item the centre has not stored yet.
    const { context: first } = open[0] as WaitingReport;
    const loaded = await loadItem(port, first, community.id, itemId);
    if (!loaded.ok) {
      for (const waiting of open.splice(0)) waiting.resolve(loaded);
      return 'written';
    }
    const base = loaded.value.item;
    let item = base;
    let subjectPublic = loaded.value.subject.isPublic;
    const answers = new Map<WaitingReport, Outcome<ReportResult>>();
    const writing: { readonly waiting: WaitingReport; readonly report: NewReport }[] = [];
    const hidings: SubjectChange[] = [];
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
        answers.set(waiting, outcome);
        continue;
      }
      const hiding = outcome.value.hide
        ? await port.hideSubject(context, community, item.type, item.subjectId)
        : undefined;
      if (hiding && !hiding.ok) {
        answers.set(waiting, hiding);
        continue;
      }
      if (hiding) {
        subjectPublic = false;
        hidings.push(hiding.value);
      }
      signers.add(context.actor.signerKey);
      writing.push({
        waiting,
        report: {
          signerKey: context.actor.signerKey,
          reasonCode: input.reasonCode,
          ...(input.note ? { note: input.note } : {}),
          reportedAt: context.clock.now().toISOString(),
        },
      });
      item = outcome.value.item;
      events.push(...outcome.events, ...(hiding?.value.events ?? []));
      answers.set(waiting, ok({ item, alreadyReported: false }));
    }
    const settleAnswered = () => {
      const still = open.filter((waiting) => !answers.has(waiting));
      for (const waiting of open) {
        const answer = answers.get(waiting);
        if (answer) waiting.resolve(answer);
      }
      open.splice(0, open.length, ...still);
    };
    if (writing.length === 0) {
      settleAnswered();
      continue;
    }
    const saved = await port.saveReports(
      base.version,
      item,
      writing.map(({ report }) => report),
      hidings,
      events,
    );
    if (saved === 'saved') {
      settleAnswered();
      return 'written';
    }
    if (saved === 'conflict') return RETRY;
    // Those residents reported before; the others are checked again at once on the item as it is.
    const already = saved.alreadyReported.map((index) => writing[index]?.waiting);
    for (const waiting of already) waiting?.resolve(ok({ item: base, alreadyReported: true }));
    const rest = open.filter((waiting) => !already.includes(waiting));
    open.splice(0, open.length, ...rest);
  }
  return 'written';
}

/**
 * Writes a group of reports on one item: rounds through the runner's retry
 * loop, the count of lost races starting again after every write; when
 * `policy.attempts` races in a row are lost, what is still open answers
 * 409.
 */
async function reportTogether(
  port: ModerationPort,
  policy: RetryPolicy,
  community: Community,
  itemId: string,
  taken: readonly WaitingReport[],
): Promise<void> {
  const open = [...taken];
  while (open.length > 0) {
    const round = await retrying(() => reportRound(port, community, itemId, open), policy);
    if (round === RETRY) {
      for (const waiting of open.splice(0)) waiting.resolve(reject(itemChanged(itemId)));
    }
  }
}

/**
 * A resident's report: one conditional put per resident and item, the item's
 * counts, and (at the community's threshold) the tool hiding the subject, in
 * one save. Reports race each other often (a storm after a post goes round),
 * so reports of one item in this process wait in one queue and are written
 * together (group commit, up to {@link MAX_REPORTS_PER_WRITE} a save) instead
 * of racing for the item's version; a lost race with another process is tried
 * again after a jittered pause, not answered with a 409.
 */
function report(
  port: ModerationPort,
  policy: RetryPolicy,
  context: CommandContext,
  community: Community,
  itemId: string,
  input: ReportItemInput,
): Promise<Outcome<ReportResult>> {
  return new Promise((resolve, reject) => {
    const key = `${port.scope}|${community.id}|${itemId}`;
    const entry: WaitingReport = { context, input, resolve, reject };
    const waiting = waitingReports.get(key);
    if (waiting) {
      waiting.push(entry);
      return;
    }
    const started = [entry];
    waitingReports.set(key, started);
    void drainReports(port, policy, community, itemId, key, started);
  });
}

/** Writes an item's waiting reports, a group at a time, until none waits; then forgets the queue. */
async function drainReports(
  port: ModerationPort,
  policy: RetryPolicy,
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
      await reportTogether(port, policy, community, itemId, taken);
    }
  } catch (error) {
    // Settling twice is harmless: a promise keeps its first answer.
    for (const { reject } of [...taken, ...waiting.splice(0)]) reject(error);
  } finally {
    waitingReports.delete(key);
  }
}

/**
 * The moderation centre's use cases on a port: DynamoDB's
 * (`dynamoModerationPort`) for the routes, an in-memory fake in unit tests.
 * `policy` replaces the runner's retry policy (tests pass one that does not
 * sleep); a group of reports gets twice its attempts.
 * @example const outcome = await moderationUseCases(port).claim(command, community.id, itemId);
 */
export function moderationUseCases(port: ModerationPort, policy?: RetryPolicy) {
  const options: RunOptions = { what: ITEM, ...(policy ? { policy } : {}) };
  const reportPolicy = policy ? { ...policy, attempts: policy.attempts * 2 } : REPORT_POLICY;
  return {
    /** A moderator takes an item for a while. */
    claim: (context: CommandContext, communityId: string, itemId: string) =>
      claim(port, options, context, communityId, itemId),
    /** The holder gives a claim back. */
    release: (context: CommandContext, communityId: string, itemId: string) =>
      release(port, options, context, communityId, itemId),
    /** The author appeals a rejection or a hide. */
    appeal: (context: CommandContext, communityId: string, itemId: string, appealText: string) =>
      appeal(port, options, context, communityId, itemId, appealText),
    /** A moderator (or the council) decides, with the tool's change to the subject. */
    decide: (context: CommandContext, community: Community, itemId: string, request: DecideRequest) =>
      decide(port, options, context, community, itemId, request),
    /** A resident reports something published. */
    report: (context: CommandContext, community: Community, itemId: string, input: ReportItemInput) =>
      report(port, reportPolicy, context, community, itemId, input),
  };
}
