import { type Localized, text } from '../shared/localized';
import type { Publication } from './publication';
import type { AppealKind } from './settings';

/**
 * An item of the internet reception: an appeal, a request for public
 * information or a public issue report, on one skeleton. `submitted` is only
 * the first entry of the timeline: the reception registers and assigns an item
 * by its category in the same write that takes it.
 */
export const AppealStatus = {
  submitted: 'submitted',
  registered: 'registered',
  assigned: 'assigned',
  in_progress: 'in_progress',
  extended: 'extended',
  answered: 'answered',
  refused: 'refused',
  forwarded: 'forwarded',
} as const;
export type AppealStatus = (typeof AppealStatus)[keyof typeof AppealStatus];
export const APPEAL_STATUSES = Object.values(AppealStatus);

/** Still being handled: an officer may act on these, and their due day counts. */
export const OPEN = new Set<AppealStatus>([
  AppealStatus.registered,
  AppealStatus.assigned,
  AppealStatus.in_progress,
  AppealStatus.extended,
]);
/** Terminal: nothing changes them any more. */
export const CLOSED = new Set<AppealStatus>([
  AppealStatus.answered,
  AppealStatus.refused,
  AppealStatus.forwarded,
]);
/** An officer starts work on an item not yet started. */
export const STARTABLE = new Set<AppealStatus>([AppealStatus.registered, AppealStatus.assigned]);

/**
 * Every legal transition, in one table: open items may be (re)assigned,
 * started, extended, answered, refused or forwarded; closed ones nothing.
 */
export const TRANSITIONS: readonly (readonly [AppealStatus, AppealStatus])[] = [
  [AppealStatus.submitted, AppealStatus.registered],
  [AppealStatus.registered, AppealStatus.assigned],
  ...[...OPEN].flatMap((from): (readonly [AppealStatus, AppealStatus])[] => [
    [from, AppealStatus.answered],
    [from, AppealStatus.refused],
    [from, AppealStatus.forwarded],
  ]),
  // Reassigned (to another officer, or by the council to another unit): back to waiting for a start.
  [AppealStatus.assigned, AppealStatus.assigned],
  [AppealStatus.in_progress, AppealStatus.assigned],
  [AppealStatus.extended, AppealStatus.assigned],
  [AppealStatus.registered, AppealStatus.in_progress],
  [AppealStatus.assigned, AppealStatus.in_progress],
  [AppealStatus.registered, AppealStatus.extended],
  [AppealStatus.assigned, AppealStatus.extended],
  [AppealStatus.in_progress, AppealStatus.extended],
];

export function canTransition(from: AppealStatus, to: AppealStatus): boolean {
  return TRANSITIONS.some(([legalFrom, legalTo]) => legalFrom === from && legalTo === to);
}

/** What an appeal (звернення) is, as the Law "On Citizens' Appeals" (art. 3) names them. */
export const AppealType = { proposal: 'proposal', statement: 'statement', complaint: 'complaint' } as const;
export type AppealType = (typeof AppealType)[keyof typeof AppealType];
export const APPEAL_TYPES = Object.values(AppealType);

export interface Person {
  readonly issuer: string;
  readonly subject: string;
}

export interface TimelineEntry {
  readonly status: AppealStatus;
  readonly at: string;
  readonly note?: Localized;
}

export interface Appeal {
  readonly id: string;
  readonly communityId: string;
  readonly kind: AppealKind;
  /** `2026-000123`: the registration year in Kyiv time and a gapless number within it. */
  readonly number: string;
  readonly categoryId: string;
  /** The unit whose officers answer it: the category's at registration, the council's choice after. */
  readonly unitId: string;
  readonly assignee?: Person;
  readonly author: Person;
  /** The author's signer key: what "is this the author" compares, and the author's listing key. */
  readonly authorKey: string;
  readonly appealType?: AppealType;
  readonly title: string;
  readonly text: string;
  readonly location?: { readonly lat: number; readonly lon: number };
  readonly photoUrl?: string;
  readonly status: AppealStatus;
  readonly timeline: readonly TimelineEntry[];
  readonly submittedAt: string;
  readonly registeredAt: string;
  /** The community's day of registration: every due day is counted from it. */
  readonly registeredOn: string;
  readonly dueOn: string;
  readonly noFurtherStudy?: boolean;
  readonly extension?: {
    readonly reason: string;
    readonly previousDue: string;
    readonly dueOn: string;
    readonly at: string;
  };
  readonly answer?: { readonly text: string; readonly at: string };
  readonly refusal?: {
    readonly reasonCode: string;
    readonly text: string;
    readonly at: string;
    readonly previousAppealId?: string;
  };
  readonly forwardedTo?: { readonly body: string; readonly note?: string; readonly at: string };
  /** The day the overdue job marked it. */
  readonly overdueSince?: string;
  /** Issue reports only: whether the public sees it, as the moderation centre decided. */
  readonly publication?: Publication;
  readonly version: number;
}

/** Digits of the number within a year: a million items a year per community. */
export const NUMBER_DIGITS = 6;

/** `2026-000123` from the year and the number within it. */
export function registrationNumber(year: string, sequence: number): string {
  return `${year}-${String(sequence).padStart(NUMBER_DIGITS, '0')}`;
}

/** Where the item is now, with the step recorded on its timeline. */
export function moved(appeal: Appeal, status: AppealStatus, at: string, note?: Localized): Appeal {
  return {
    ...appeal,
    status,
    timeline: [...appeal.timeline, note ? { status, at, note } : { status, at }],
    version: appeal.version + 1,
  };
}

/** How a status reads to the author and the public. */
export const STATUS_LABELS: Readonly<Record<AppealStatus, Localized>> = {
  submitted: text('Подано', 'Submitted'),
  registered: text('Зареєстровано', 'Registered'),
  assigned: text('Передано на розгляд', 'Assigned'),
  in_progress: text('Розглядається', 'In progress'),
  extended: text('Строк розгляду продовжено', 'Deadline extended'),
  answered: text('Надано відповідь', 'Answered'),
  refused: text('Відмовлено', 'Refused'),
  forwarded: text('Надіслано за належністю', 'Forwarded'),
};
