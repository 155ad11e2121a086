import type { EventEnvelope } from '../../events/envelope';
import type { AuditIntent } from '../audit/intent';
import type { Page } from '../communities/ports';
import type { PaperBatch } from './commands/add-offline-signatures';
import type { Petition, PetitionState, PetitionThreshold } from './petition';

export type PetitionSort = 'signatures' | 'newest' | 'closing';

export interface PetitionQuery {
  readonly communityId: string;
  readonly state: PetitionState;
  readonly sort: PetitionSort;
  readonly districtId?: string;
  readonly category?: string;
  /** Words matched in title and text, case-insensitively. */
  readonly q?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface PetitionStats {
  readonly byDistrict: Readonly<Record<string, number>>;
  readonly byDay: Readonly<Record<string, number>>;
}

/**
 * Storage the petitions tool needs. Writes carry the command's events (the
 * outbox, in the same transaction) and a version condition; a `conflict`
 * means another change came first: reload and run the command again.
 */
export interface PetitionStore {
  get(communityId: string, petitionId: string): Promise<Petition | undefined>;
  create(petition: Petition, events: readonly EventEnvelope[]): Promise<void>;
  /** Saves what a command changed; never the tally's counts. */
  save(
    previous: Petition,
    next: Petition,
    events: readonly EventEnvelope[],
    audit?: AuditIntent,
  ): Promise<'saved' | 'conflict'>;
  /**
   * Saves a change of counts made on the request path (paper signatures), with
   * the threshold marks it crossed and the batch that made it, written only if
   * no batch of that id is recorded: a batch counts once.
   */
  saveCounts(
    previous: Petition,
    next: Petition,
    crossed: readonly PetitionThreshold[],
    events: readonly EventEnvelope[],
    audit: AuditIntent | undefined,
    batch: PaperBatch,
  ): Promise<'saved' | 'conflict'>;
  /** The batch of paper signatures recorded under `batchId` on this petition, if any. */
  paperBatch(communityId: string, petitionId: string, batchId: string): Promise<PaperBatch | undefined>;
  /**
   * Several sponsors in one write, the petition moved from `previous` to
   * `next` by all of them: `already` names those who sponsored before (then
   * nothing was written). One sponsor per person; `sponsoredAt` is the
   * command clock's time.
   */
  addSponsors(
    previous: Petition,
    next: Petition,
    sponsorKeys: readonly string[],
    events: readonly EventEnvelope[],
    sponsoredAt: string,
  ): Promise<
    | { readonly status: 'added' | 'conflict' }
    | { readonly status: 'already'; readonly sponsorKeys: readonly string[] }
  >;
  /** One conditional write: `already` when this signer signed before. */
  sign(signature: {
    communityId: string;
    petitionId: string;
    signerKey: string;
    signedAt: string;
    districtId?: string;
  }): Promise<'signed' | 'already'>;
  signatureOf(
    communityId: string,
    petitionId: string,
    signerKey: string,
  ): Promise<{ signedAt: string } | undefined>;
  list(query: PetitionQuery): Promise<Page<Petition>>;
  /** A page of one author's petitions, every state, newest first. */
  byAuthor(
    communityId: string,
    authorKey: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<Petition>>;
  stats(communityId: string, petitionId: string): Promise<PetitionStats>;
  /** Open petitions whose `closesAt` is at or before `now`, across communities. */
  dueForClosing(now: string, limit: number): Promise<readonly { communityId: string; petitionId: string }[]>;
}
