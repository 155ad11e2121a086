import type { Community } from '../../domain/communities/community';
import { type ReportItemInput, reportItem } from '../../domain/moderation/commands/report-item';
import type { ModerationItem } from '../../domain/moderation/item';
import type { CommandContext } from '../../domain/shared/command';
import { type Outcome, ok, reject } from '../../domain/shared/outcome';
import type { EventEnvelope } from '../../events/envelope';
import { CHANGE_ATTEMPTS, RETRY, type RetryPolicy, retrying } from '../shared/use-case';
import { itemChanged, loadItem } from './loading';
import type { ModerationPort, NewReport } from './ports';
import type { SubjectChange } from './subjects';

/**
 * Residents' reports, written a group at a time: the moderation centre's one
 * use case that batches, since reports of one item come in storms. A group
 * is tried through the runner's retry loop (`retrying`).
 */

/** A report as the resident hears of it: counted now, or counted before. */
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
const MAX_REPORTS_PER_WRITE = 40;

/**
 * Lost races in a row before a group of reports answers 409: twice a
 * change's, since a storm of reports from several processes is what reports
 * are grouped for, and a report that waits a little is better than a refusal.
 */
export const REPORT_POLICY: RetryPolicy = { attempts: CHANGE_ATTEMPTS * 2, ceilingMs: 100 };

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
export function report(
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
