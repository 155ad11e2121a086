import { EXCERPT_CHARS, ModerationType, type SubjectSnapshot } from '../../domain/moderation/item';
import type { PaperBatch } from '../../domain/petitions/commands/add-offline-signatures';
import type { Petition } from '../../domain/petitions/petition';
import { totalSignatures } from '../../domain/petitions/petition';
import { type FieldsOf, pickFields } from '../shared/item-fields';
import { Entity, keys } from '../shared/keys';

/**
 * How petitions, signatures and their side items are stored. The tally (stream
 * consumer), the recount and the petitions store all read and write these
 * shapes, so they are declared here once.
 */

/** Attributes only the tally writes; a command's save never touches them (see store.ts). */
export const TALLY_OWNED = ['signatureCount', 'GSI2SK', 'thresholdsReached'] as const;

/**
 * Lower-cased title and text: `?q=` matches on it with `contains`. Empty
 * while the content is withheld: the public list must not find a hidden
 * petition by the words it may not show (a name, an address).
 */
export const searchTextOf = (petition: Pick<Petition, 'title' | 'text' | 'textHidden'>): string =>
  petition.textHidden ? '' : `${petition.title}\n${petition.text}`.toLocaleLowerCase('uk-UA');

export function petitionToItem(petition: Petition): Record<string, unknown> {
  return {
    ...keys.petition(petition.communityId, petition.id),
    entity: Entity.petition,
    ...keys.petitionListing(petition.communityId, petition.state),
    ...keys.petitionNewest(petition.createdAt, petition.id),
    ...keys.petitionBySignatures(totalSignatures(petition), petition.id),
    ...keys.petitionAuthorIndex(petition.communityId, petition.authorKey, petition.createdAt, petition.id),
    search: searchTextOf(petition),
    ...petition,
  };
}

const PETITION_FIELDS = {
  id: true,
  communityId: true,
  title: true,
  text: true,
  category: true,
  districtId: true,
  authorKey: true,
  state: true,
  responseState: true,
  sponsorToken: true,
  sponsorsNeeded: true,
  sponsorCount: true,
  thresholds: true,
  durationDays: true,
  createdAt: true,
  submittedAt: true,
  openedAt: true,
  closesAt: true,
  closedAt: true,
  anonymised: true,
  signatureCount: true,
  offlineSignatureCount: true,
  thresholdsReached: true,
  moderation: true,
  textHidden: true,
  response: true,
  version: true,
} as const satisfies FieldsOf<Petition>;

export const petitionFromItem = (item: Record<string, unknown>): Petition =>
  pickFields<Petition>(item, PETITION_FIELDS);

const PAPER_BATCH_FIELDS = {
  id: true,
  petitionId: true,
  count: true,
  note: true,
  addedAt: true,
  addedBy: true,
} as const satisfies FieldsOf<PaperBatch>;

/** A batch of paper signatures as stored beside its petition, under its id. */
export const paperBatchToItem = (communityId: string, batch: PaperBatch): Record<string, unknown> => ({
  ...keys.petitionPaperBatch(communityId, batch.petitionId, batch.id),
  entity: Entity.petitionPaperBatch,
  ...batch,
});

export const paperBatchFromItem = (item: Record<string, unknown>): PaperBatch =>
  pickFields<PaperBatch>(item, PAPER_BATCH_FIELDS);

/** A signature as stored: one item, in a partition of its own. */
export interface SignatureItem {
  readonly PK: string;
  readonly SK: string;
  readonly GSI1PK: string;
  readonly GSI1SK: string;
  readonly entity: typeof Entity.signature;
  readonly communityId: string;
  readonly petitionId: string;
  readonly signerKey: string;
  readonly signedAt: string;
  /** From the token's residency, for the by-district statistics; absent when the provider did not say. */
  readonly districtId?: string;
}

export function signatureItem(input: {
  communityId: string;
  petitionId: string;
  signerKey: string;
  signedAt: string;
  districtId?: string;
}): SignatureItem {
  return {
    ...keys.signature(input.communityId, input.petitionId, input.signerKey),
    ...keys.signatureIndex(input.communityId, input.petitionId, input.signerKey, input.signedAt),
    entity: Entity.signature,
    communityId: input.communityId,
    petitionId: input.petitionId,
    signerKey: input.signerKey,
    signedAt: input.signedAt,
    ...(input.districtId ? { districtId: input.districtId } : {}),
  };
}

/**
 * The by-district and by-day counts live in the petition's `STATS` item as
 * top-level numbers (`district#d1`, `day#2026-11-22`), so the tally can ADD to
 * them without creating maps first. No personal data: counts only.
 */
export const statsAttribute = {
  district: (districtId: string | undefined) => `district#${districtId ?? 'unknown'}`,
  day: (signedAt: string) => `day#${signedAt.slice(0, 10)}`,
} as const;

/** What the moderation queue shows of a petition. */
export function petitionSnapshot(petition: Petition): SubjectSnapshot {
  return {
    type: ModerationType.petition,
    subjectId: petition.id,
    title: petition.title,
    excerpt: [...petition.text].slice(0, EXCERPT_CHARS).join(''),
    authorKey: petition.authorKey,
  };
}
