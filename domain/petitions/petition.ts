import type { Anonymisation } from '../retention/retention';
/** Where a petition is in its life. */
export const PetitionState = {
  draft: 'draft',
  gathering_sponsors: 'gathering_sponsors',
  in_moderation: 'in_moderation',
  open: 'open',
  closed: 'closed',
  rejected: 'rejected',
  hidden: 'hidden',
} as const;
export type PetitionState = (typeof PetitionState)[keyof typeof PetitionState];
export const PETITION_STATES = Object.values(PetitionState);

/** The council's duty to answer: it arises when the `response` threshold is reached. */
export const ResponseState = {
  none: 'none',
  awaiting_response: 'awaiting_response',
  answered: 'answered',
} as const;
export type ResponseState = (typeof ResponseState)[keyof typeof ResponseState];

/**
 * Every legal transition, in one table. `submit` leads on to sponsors, to
 * moderation, or straight to `open` when the community moderates afterwards.
 */
export const TRANSITIONS: readonly (readonly [PetitionState, PetitionState])[] = [
  [PetitionState.draft, PetitionState.gathering_sponsors],
  [PetitionState.draft, PetitionState.in_moderation],
  [PetitionState.draft, PetitionState.open],
  [PetitionState.gathering_sponsors, PetitionState.in_moderation],
  [PetitionState.gathering_sponsors, PetitionState.open],
  [PetitionState.in_moderation, PetitionState.open],
  [PetitionState.in_moderation, PetitionState.rejected],
  [PetitionState.in_moderation, PetitionState.hidden],
  [PetitionState.open, PetitionState.hidden],
  [PetitionState.open, PetitionState.closed],
  // Moderation undone: restored after a hide, approved on appeal after a rejection.
  [PetitionState.hidden, PetitionState.open],
  [PetitionState.rejected, PetitionState.open],
];

export function canTransition(from: PetitionState, to: PetitionState): boolean {
  return TRANSITIONS.some(([legalFrom, legalTo]) => legalFrom === from && legalTo === to);
}

/** Only an open petition takes signatures. */
export const SIGNABLE = new Set<PetitionState>([PetitionState.open]);
/** Paper signatures are added while open, or after closing for sheets that arrive late. */
export const OFFLINE_COUNTABLE = new Set<PetitionState>([PetitionState.open, PetitionState.closed]);
/** Anyone may read these; the others only their author and the community's staff. */
export const PUBLIC_STATES = new Set<PetitionState>([
  PetitionState.open,
  PetitionState.closed,
  PetitionState.rejected,
  PetitionState.hidden,
]);
/** The council answers petitions that were published. */
export const ANSWERABLE = new Set<PetitionState>([PetitionState.open, PetitionState.closed]);

export const ResponseDecision = {
  supported: 'supported',
  partially_supported: 'partially_supported',
  not_supported: 'not_supported',
} as const;
export type ResponseDecision = (typeof ResponseDecision)[keyof typeof ResponseDecision];

export interface PetitionThreshold {
  /** `response` obliges the council to answer; others are the community's own (e.g. `hearing`). */
  readonly name: string;
  readonly signatures: number;
}

export interface ReachedThreshold {
  readonly signatures: number;
  readonly reachedAt: string;
}

export interface ModerationRecord {
  readonly decision: 'approve' | 'reject' | 'hide' | 'restore';
  /** From the shared list (`domain/moderation/reasons.ts`); absent for an approval given without one. */
  readonly reasonCode?: string;
  readonly note?: string;
  readonly decidedAt: string;
  readonly decidedBy: string;
}

export interface PetitionResponse {
  readonly text: string;
  readonly decision: ResponseDecision;
  readonly documentUrl?: string;
  readonly answeredAt: string;
  readonly answeredBy: string;
}

export interface Petition {
  readonly id: string;
  readonly communityId: string;
  readonly title: string;
  readonly text: string;
  readonly category?: string;
  readonly districtId?: string;
  /** The author's signer key: pseudonymous, and what "is this the author" compares. */
  readonly authorKey: string;
  readonly state: PetitionState;
  readonly responseState: ResponseState;
  /** Shared by the author with would-be sponsors; sponsoring needs it. */
  readonly sponsorToken: string;
  readonly sponsorsNeeded: number;
  readonly sponsorCount: number;
  /** Fixed when the petition is created, so a later settings change does not move the goalposts. */
  readonly thresholds: readonly PetitionThreshold[];
  readonly durationDays: number;
  readonly createdAt: string;
  readonly submittedAt?: string;
  readonly openedAt?: string;
  readonly closesAt?: string;
  readonly closedAt?: string;
  /** Set once the retention job has erased its personal data (see `domain/retention`). */
  readonly anonymised?: Anonymisation;
  /** Online signatures counted by the tally. */
  readonly signatureCount: number;
  /** Verified paper signatures added by the council. */
  readonly offlineSignatureCount: number;
  readonly thresholdsReached: Readonly<Record<string, ReachedThreshold>>;
  readonly moderation?: ModerationRecord;
  /** Set by reason codes that make the text unfit to show (offensive, personal data, unlawful). */
  readonly textHidden: boolean;
  readonly response?: PetitionResponse;
  /** Increases with every change a command makes; the tally's counts do not touch it. */
  readonly version: number;
}

export const totalSignatures = (
  petition: Pick<Petition, 'signatureCount' | 'offlineSignatureCount'>,
): number => petition.signatureCount + petition.offlineSignatureCount;
