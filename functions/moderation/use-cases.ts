import type { Community } from '../../domain/communities/community';
import { forbidden } from '../../domain/communities/permissions';
import { appealItem } from '../../domain/moderation/commands/appeal-item';
import { claimItem, releaseClaim } from '../../domain/moderation/commands/claim-item';
import {
  type DecideItemInput,
  decideWithSubject,
  repeatsLastDecision,
} from '../../domain/moderation/commands/decide-item';
import type { ReportItemInput } from '../../domain/moderation/commands/report-item';
import type { ModerationItem } from '../../domain/moderation/item';
import { isItemAuthor, mayViewQueue } from '../../domain/moderation/permissions';
import type { CommandContext } from '../../domain/shared/command';
import { type Outcome, ok, reject } from '../../domain/shared/outcome';
import { type RetryPolicy, type RunOptions, runChange, type Saved } from '../shared/use-case';
import { ITEM, itemChanged, itemNotFound, loadItem, loadStored } from './loading';
import type { ModerationPort } from './ports';
import { REPORT_POLICY, report } from './reports';
import type { SubjectChange } from './subjects';

/**
 * The moderation centre's use cases, each one load → pure command → one
 * conditional save through the {@link ModerationPort}: the item (over the
 * version it was read at), the tool's change to its subject, the decision log,
 * the audit intent and the events, all or nothing. A lost race on the item is
 * a 409 for a decision (someone else decided, claimed or reported first: look
 * again) and another try for a claim, a release or an appeal; a lost race on
 * the subject alone is tried again, since the subject's tool re-checks it.
 */

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

/**
 * A moderator's change of a stored item (claim, release): staff only, so
 * anyone else is `forbidden` before anything is read.
 */
function staffChange(
  port: ModerationPort,
  options: RunOptions,
  context: CommandContext,
  communityId: string,
  itemId: string,
  command: (item: ModerationItem) => Outcome<ModerationItem>,
): Promise<Outcome<ModerationItem>> {
  if (!mayViewQueue(context.actor)) return Promise.resolve(reject(forbidden('moderator')));
  return changeItem(port, options, () => loadStored(port, context, communityId, itemId), command);
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
 * moved on, the next try decides again. The 409 always says to look at the
 * item again: sent again as it is, the decision could overrule one not seen.
 * Unless the newer item stands by this very decision of this very decider (a
 * retry, a double click, the same request sent five times at once): then the
 * command answers the repeat, the item as it is, and nothing is written.
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
    if (item.version !== looked && !repeatsLastDecision(item, context.actor.subject, input)) {
      return reject(itemChanged(itemId));
    }
    const change = await port.decideSubject(context, community, item.type, item.subjectId, input);
    if (!change.ok) {
      // The tool read its subject after we read the item: if another decision came in between, that
      // decision is what the tool refused, and the honest answer is that the item changed.
      const now = await port.get(community.id, itemId);
      if ((now?.version ?? 0) !== item.version) return reject(itemChanged(itemId));
    }
    return ok({ item, change });
  };
  return runChange(
    {
      load,
      decide: ({ item, change }) => decideWithSubject(context, item, input, change),
      save: (state, done): Promise<Saved> =>
        done.value.repeated
          ? Promise.resolve('saved')
          : port.saveDecision(state.item.version, done.value, done.value.change, done.events, done.audit),
    },
    // Every try lost: the decider looks again, as after a decision made meanwhile.
    { ...options, conflict: itemChanged(itemId) },
  ).then((outcome) => (outcome.ok ? ok(outcome.value.item, outcome.events, outcome.audit) : outcome));
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
      staffChange(port, options, context, communityId, itemId, (item) => claimItem(context, item)),
    /** The holder gives a claim back. */
    release: (context: CommandContext, communityId: string, itemId: string) =>
      staffChange(port, options, context, communityId, itemId, (item) => releaseClaim(context, item)),
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
