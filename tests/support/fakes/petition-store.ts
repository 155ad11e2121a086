import type { AuditIntent } from '../../../domain/audit/intent';
import type { Page } from '../../../domain/communities/ports';
import type { PaperBatch } from '../../../domain/petitions/commands/add-offline-signatures';
import { type Petition, type PetitionThreshold, totalSignatures } from '../../../domain/petitions/petition';
import type { PetitionQuery, PetitionStats, PetitionStore } from '../../../domain/petitions/ports';
import type { EventEnvelope } from '../../../events/envelope';

/** What the fake remembers besides petitions: everything a use case wrote, in order. */
export interface PetitionStoreRecord {
  readonly events: EventEnvelope[];
  readonly audits: AuditIntent[];
  readonly signatures: Map<string, { signedAt: string; districtId?: string }>;
  readonly sponsors: Set<string>;
  readonly thresholdMarks: Set<string>;
  /** Paper batches by `<petitionId>|<batchId>`. */
  readonly paperBatches: Map<string, PaperBatch>;
}

/**
 * An in-memory {@link PetitionStore} with the same contract as the DynamoDB one:
 * a save is conditioned on the version the command read, a signature and a
 * sponsor are written once per person, a threshold mark and a paper batch once. `conflictNext(n)`
 * makes the next `n` conditional saves answer `conflict`, as if another change
 * had come first, so the runner's retry can be tested without a race.
 */
export function fakePetitionStore(seed: readonly Petition[] = []) {
  const petitions = new Map<string, Petition>();
  const key = (communityId: string, petitionId: string) => `${communityId}|${petitionId}`;
  for (const petition of seed) petitions.set(key(petition.communityId, petition.id), petition);
  const record: PetitionStoreRecord = {
    events: [],
    audits: [],
    signatures: new Map(),
    sponsors: new Set(),
    thresholdMarks: new Set(),
    paperBatches: new Map(),
  };
  let conflicts = 0;
  let saves = 0;

  /** The version condition, and the injected conflicts. */
  const mayWrite = (previous: Petition): boolean => {
    saves += 1;
    if (conflicts > 0) {
      conflicts -= 1;
      return false;
    }
    return petitions.get(key(previous.communityId, previous.id))?.version === previous.version;
  };
  const commit = (next: Petition, events: readonly EventEnvelope[], audit?: AuditIntent) => {
    petitions.set(key(next.communityId, next.id), next);
    record.events.push(...events);
    if (audit) record.audits.push(audit);
  };
  const page = (items: Petition[], limit: number): Page<Petition> => ({ items: items.slice(0, limit) });

  const store: PetitionStore = {
    async get(communityId, petitionId) {
      return petitions.get(key(communityId, petitionId));
    },
    async create(petition, events) {
      if (petitions.has(key(petition.communityId, petition.id))) throw new Error('petition exists');
      commit(petition, events);
    },
    async save(previous, next, events, audit) {
      if (!mayWrite(previous)) return 'conflict';
      commit(next, events, audit);
      return 'saved';
    },
    async saveCounts(previous, next, crossed: readonly PetitionThreshold[], events, audit, batch) {
      const batchKey = `${next.id}|${batch.id}`;
      if (!mayWrite(previous) || record.paperBatches.has(batchKey)) return 'conflict';
      record.paperBatches.set(batchKey, batch);
      for (const threshold of crossed) record.thresholdMarks.add(`${next.id}|${threshold.name}`);
      commit(next, events, audit);
      return 'saved';
    },
    async addSponsors(previous, next, sponsorKeys, events) {
      const already = sponsorKeys.filter((sponsorKey) => record.sponsors.has(`${previous.id}|${sponsorKey}`));
      if (already.length > 0) return { status: 'already', sponsorKeys: already };
      if (!mayWrite(previous)) return { status: 'conflict' };
      for (const sponsorKey of sponsorKeys) record.sponsors.add(`${previous.id}|${sponsorKey}`);
      commit(next, events);
      return { status: 'added' };
    },
    async sign(signature) {
      const id = `${signature.petitionId}|${signature.signerKey}`;
      if (record.signatures.has(id)) return 'already';
      record.signatures.set(id, {
        signedAt: signature.signedAt,
        ...(signature.districtId ? { districtId: signature.districtId } : {}),
      });
      return 'signed';
    },
    async paperBatch(_communityId, petitionId, batchId) {
      return record.paperBatches.get(`${petitionId}|${batchId}`);
    },
    async signatureOf(_communityId, petitionId, signerKey) {
      const signature = record.signatures.get(`${petitionId}|${signerKey}`);
      return signature ? { signedAt: signature.signedAt } : undefined;
    },
    async list(query: PetitionQuery) {
      const items = [...petitions.values()]
        .filter((petition) => petition.communityId === query.communityId && petition.state === query.state)
        .sort((a, b) =>
          query.sort === 'signatures' ? totalSignatures(b) - totalSignatures(a) : b.id.localeCompare(a.id),
        );
      return page(items, query.limit);
    },
    async byAuthor(communityId, authorKey, { limit }) {
      const items = [...petitions.values()]
        .filter((petition) => petition.communityId === communityId && petition.authorKey === authorKey)
        .sort((a, b) => b.id.localeCompare(a.id));
      return page(items, limit);
    },
    async stats(): Promise<PetitionStats> {
      return { byDistrict: {}, byDay: {} };
    },
    async dueForClosing(now, limit) {
      return [...petitions.values()]
        .filter(
          (petition) =>
            petition.state === 'open' && petition.closesAt !== undefined && petition.closesAt <= now,
        )
        .slice(0, limit)
        .map((petition) => ({ communityId: petition.communityId, petitionId: petition.id }));
    },
  };

  return {
    store,
    record,
    /** The next `count` conditional saves answer `conflict`. */
    conflictNext(count: number) {
      conflicts = count;
    },
    /** Conditional saves tried so far, refused ones included. */
    get saves() {
      return saves;
    },
  };
}
