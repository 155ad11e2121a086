import type { ReasonCode } from './reasons';

/**
 * What the moderation centre can hold: one kind per participation tool. A tool
 * plugs in by naming its kind here and implementing the subject port
 * (`functions/moderation/subjects.ts`).
 */
export const ModerationType = {
  petition: 'petition',
  budgetProject: 'budget-project',
  comment: 'comment',
  /** An issue report of the internet reception ("Open City"). */
  issueReport: 'issue_report',
} as const;
export type ModerationType = (typeof ModerationType)[keyof typeof ModerationType];
export const MODERATION_TYPES = Object.values(ModerationType) as [ModerationType, ...ModerationType[]];

/**
 * Where an item is: `pending` waits for a moderator (a new submission, or
 * reports), `appeal` waits for the council (the author appealed), `decided`
 * waits for nobody.
 */
export const ItemStatus = { pending: 'pending', appeal: 'appeal', decided: 'decided' } as const;
export type ItemStatus = (typeof ItemStatus)[keyof typeof ItemStatus];
export const ITEM_STATUSES = Object.values(ItemStatus) as [ItemStatus, ...ItemStatus[]];

/** Statuses in which someone still has to decide, and so can claim the item. */
export const WAITING = new Set<ItemStatus>([ItemStatus.pending, ItemStatus.appeal]);

/** What a moderator (or, on appeal, the council) can decide. */
export const Decision = { approve: 'approve', reject: 'reject', hide: 'hide', restore: 'restore' } as const;
export type Decision = (typeof Decision)[keyof typeof Decision];
export const DECISIONS = Object.values(Decision) as [Decision, ...Decision[]];

/** Decisions that take something away from the public: they need a reason, and they can be appealed. */
export const ADVERSE = new Set<Decision>([Decision.reject, Decision.hide]);

/** Who decided when nobody did: reports reaching the community's `reportsBeforeHide`. */
export const SYSTEM_DECIDER = 'system';

/** How long a claim keeps other moderators off an item. */
export const CLAIM_MINUTES = 15;

/** How many decisions an item keeps (the decision log keeps them all): an item must stay far below 400 KB. */
export const MAX_KEPT_DECISIONS = 20;

export interface DecisionRecord {
  readonly decision: Decision;
  /** Absent for approvals and restorations given without one. */
  readonly reasonCode?: ReasonCode;
  readonly note?: string;
  /** The staff subject who decided. */
  readonly decidedBy: string;
  readonly decidedAt: string;
  /** True when the council decided the author's appeal. */
  readonly onAppeal: boolean;
  /** From `waitingSince` to the decision: what the transparency report's median is made of. */
  readonly waitedSeconds: number;
}

export interface Claim {
  readonly by: string;
  readonly until: string;
}

export interface Appeal {
  readonly text: string;
  readonly appealedAt: string;
  readonly decidedAt?: string;
}

/** How much of a subject's text the queue shows (`excerpt`), in characters: enough to judge, small enough for a list. */
export const EXCERPT_CHARS = 280;

/** What the queue shows of a tool's subject: enough to decide, nothing about the author but a key. */
export interface SubjectSnapshot {
  readonly type: ModerationType;
  readonly subjectId: string;
  /** The container the subject lives in, when it has one (a budget, a consultation). */
  readonly parentId?: string;
  readonly title: string;
  readonly excerpt: string;
  /** The author's pseudonymous signer key: who may appeal. */
  readonly authorKey: string;
}

export interface ModerationItem extends SubjectSnapshot {
  /** `<type>.<subjectId>`: one item per subject, so a report or a decision finds it without a lookup. */
  readonly id: string;
  readonly communityId: string;
  readonly status: ItemStatus;
  readonly createdAt: string;
  /** Since when someone has had to decide (entry, first report since the last decision, or appeal). */
  readonly waitingSince: string;
  /** Every report ever made, by reason. */
  readonly reports: Readonly<Partial<Record<ReasonCode, number>>>;
  /** Reports since the last decision: what `reportsBeforeHide` is compared with. */
  readonly reportsSinceDecision: number;
  /** Hidden by reports, waiting for a moderator. */
  readonly autoHidden: boolean;
  readonly claim?: Claim;
  /** The latest decisions, oldest first (at most {@link MAX_KEPT_DECISIONS}). */
  readonly decisions: readonly DecisionRecord[];
  readonly appeal?: Appeal;
  /** 0 for an item not stored yet; increases with every change. */
  readonly version: number;
}

const ITEM_ID_SEPARATOR = '.';

/** The item id of a tool's subject. */
export const itemIdOf = (type: ModerationType, subjectId: string): string =>
  `${type}${ITEM_ID_SEPARATOR}${subjectId}`;

/** The kind and subject an item id names, or undefined when it names none. */
export function parseItemId(itemId: string): { type: ModerationType; subjectId: string } | undefined {
  const at = itemId.indexOf(ITEM_ID_SEPARATOR);
  const type = itemId.slice(0, at) as ModerationType;
  const subjectId = itemId.slice(at + 1);
  if (at < 1 || !MODERATION_TYPES.includes(type) || subjectId === '') return undefined;
  return { type, subjectId };
}

/** A subject the centre has not seen before, as an item not stored yet. */
export function newModerationItem(
  communityId: string,
  subject: SubjectSnapshot,
  now: Date,
  status: ItemStatus,
): ModerationItem {
  const at = now.toISOString();
  return {
    ...subject,
    id: itemIdOf(subject.type, subject.subjectId),
    communityId,
    status,
    createdAt: at,
    waitingSince: at,
    reports: {},
    reportsSinceDecision: 0,
    autoHidden: false,
    decisions: [],
    version: 0,
  };
}

/** True when a decision on an appeal gives the author what they asked for. */
export const overturns = (record: Pick<DecisionRecord, 'decision' | 'onAppeal'>): boolean =>
  record.onAppeal && !ADVERSE.has(record.decision);

export const lastDecision = (item: ModerationItem): DecisionRecord | undefined => item.decisions.at(-1);

/** True when a claim by someone else still holds at `now`. */
export const claimedByOther = (item: ModerationItem, subject: string, now: Date): boolean =>
  item.claim !== undefined && item.claim.by !== subject && item.claim.until > now.toISOString();

/** Waiting longer than the community's service level (`moderationSlaDays`). */
export const isOverdue = (item: ModerationItem, slaDays: number, now: Date): boolean =>
  WAITING.has(item.status) && now.getTime() - Date.parse(item.waitingSince) > slaDays * 86_400_000;

/** The total of an item's reports. */
export const reportTotal = (item: Pick<ModerationItem, 'reports'>): number =>
  Object.values(item.reports).reduce<number>((sum, count) => sum + (count ?? 0), 0);
