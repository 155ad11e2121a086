/**
 * The only place that builds `PK`/`SK`/`GSI*` strings. Every community key starts
 * with `C#<communityId>`, so tenants never share a partition and no query can
 * cross communities. Parts that come from outside (issuers, subjects) are
 * URI-encoded so that a `#` inside them cannot forge another key.
 *
 * `keys` is the one object callers use; the keys of consultations and of budgets
 * are written in `consultation-keys.ts` and `budget-keys.ts` (on the parts of
 * `key-parts.ts`) and spread into it. Every builder returns a key object naming
 * its attributes (`{ PK, SK }`, `{ GSI1PK, GSI1SK }`, a `KeyPrefix`), never a bare string.
 */

import { appealKeys } from './appeal-keys';
import { budgetKeys } from './budget-keys';
import { consultationKeys } from './consultation-keys';
import { communityPartition, type ItemKey, type KeyPrefix, part } from './key-parts';

export { archivedVoter, BALLOT_BUCKETS } from './budget-keys';
export { COMMENT_VOTE_BUCKETS, SURVEY_RESPONSE_BUCKETS } from './consultation-keys';
export { communityPartition, Entity, type ItemKey, type KeyPrefix } from './key-parts';

const petitionPartition = (communityId: string, petitionId: string): string =>
  `${communityPartition(communityId)}#P#${petitionId}`;

const moderationItemPartition = (communityId: string, itemId: string): string =>
  `${communityPartition(communityId)}#MOD#${part(itemId)}`;

const moderationQueuePartition = (communityId: string, status: string): string =>
  `${communityPartition(communityId)}#MODQ#${status}`;
const moderationAuthorPartition = (communityId: string, authorKey: string): string =>
  `${communityPartition(communityId)}#MODA#${authorKey}`;

const auditPartition = (communityId: string): string => `${communityPartition(communityId)}#AUDIT`;
const AUDIT_ENTRY_PREFIX = 'ENTRY#';
/** Digits of an audit entry's sequence number in its sort key: room for 10¹² entries. */
const AUDIT_SEQ_DIGITS = 12;
/** An author's petitions (GSI3), and an author's projects of one budget (GSI3). */
const petitionAuthorPartition = (communityId: string, authorKey: string): string =>
  `${communityPartition(communityId)}#PETITIONS#AUTHOR#${authorKey}`;

/** The platform-wide GSI2 partition of open petitions by closing time. */
const PETITIONS_CLOSING = 'PETITIONS#CLOSING';

/** The platform-wide GSI2 partition of subjects whose personal data is to expire, by when they ended. */
const RETENTION_DUE = 'RETENTION#DUE';

/** How many GSI1 partitions a petition's signatures are spread over (signer keys are uniform hex). */
export const SIGNATURE_BUCKETS = 16;

const signatureBucket = (communityId: string, petitionId: string, bucket: number): string =>
  `${petitionPartition(communityId, petitionId)}#SIGS#${bucket}`;

export const keys = {
  community: (communityId: string): ItemKey => ({ PK: communityPartition(communityId), SK: 'COMMUNITY' }),

  member: (communityId: string, issuer: string, subject: string): ItemKey => ({
    PK: communityPartition(communityId),
    SK: `MEMBER#${part(issuer)}#${part(subject)}`,
  }),
  /** Every membership of a community. */
  members: (communityId: string): KeyPrefix => ({ PK: communityPartition(communityId), SKPrefix: 'MEMBER#' }),
  /** Platform administrators are the one thing above communities. */
  platformAdmin: (issuer: string, subject: string): ItemKey => ({
    PK: 'PLATFORM',
    SK: `ADMIN#${part(issuer)}#${part(subject)}`,
  }),

  /**
   * A petition and the items that live beside it in its partition: its signature
   * breakdown (`STATS`), its sponsors and its threshold marks.
   */
  petition: (communityId: string, petitionId: string): ItemKey => ({
    PK: petitionPartition(communityId, petitionId),
    SK: 'PETITION',
  }),
  petitionStats: (communityId: string, petitionId: string): ItemKey => ({
    PK: petitionPartition(communityId, petitionId),
    SK: 'STATS',
  }),
  petitionSponsor: (communityId: string, petitionId: string, signerKey: string): ItemKey => ({
    PK: petitionPartition(communityId, petitionId),
    SK: `SPONSOR#${signerKey}`,
  }),
  /** Written once, with a condition: "has this threshold fired" is a fact, not a computation. */
  petitionThreshold: (communityId: string, petitionId: string, threshold: string): ItemKey => ({
    PK: petitionPartition(communityId, petitionId),
    SK: `THRESHOLD#${threshold}`,
  }),
  /** A batch of paper signatures, by the council's `Idempotency-Key`: its existence is "counted once". */
  petitionPaperBatch: (communityId: string, petitionId: string, batchId: string): ItemKey => ({
    PK: petitionPartition(communityId, petitionId),
    SK: `PAPER#${part(batchId)}`,
  }),
  /** Listings of a community's petitions in one state: GSI1 newest first, GSI2 by signatures. */
  petitionListing: (communityId: string, state: string) => {
    const listing = `${communityPartition(communityId)}#PETITIONS#${state}`;
    return { GSI1PK: listing, GSI2PK: listing };
  },
  petitionNewest: (createdAt: string, petitionId: string) => ({ GSI1SK: `${createdAt}#${petitionId}` }),
  /** An author's petitions on GSI3, newest first: `GET …/petitions/mine` reads only these. */
  petitionAuthorIndex: (communityId: string, authorKey: string, createdAt: string, petitionId: string) => ({
    GSI3PK: petitionAuthorPartition(communityId, authorKey),
    GSI3SK: `${createdAt}#${petitionId}`,
  }),
  /** The partition of one author's petitions, as a query reads it. */
  petitionsOfAuthor: (communityId: string, authorKey: string) => ({
    GSI3PK: petitionAuthorPartition(communityId, authorKey),
  }),
  /** Zero-padded so that the string order of GSI2SK is the numeric order of totals. */
  petitionBySignatures: (total: number, petitionId: string) => ({
    GSI2SK: `${String(total).padStart(10, '0')}#${petitionId}`,
  }),

  /**
   * While a petition is open, one item says when it closes: in the community's
   * partition for the `closing` sort, and on GSI2 under one platform-wide key so
   * the closing job finds every due petition with one query.
   */
  petitionClosing: (communityId: string, closesAt: string, petitionId: string): ItemKey => ({
    PK: `${communityPartition(communityId)}#PETITIONS#CLOSING`,
    SK: `${closesAt}#${petitionId}`,
  }),
  petitionClosingIndex: (communityId: string, closesAt: string, petitionId: string) => ({
    GSI2PK: PETITIONS_CLOSING,
    GSI2SK: `${closesAt}#${communityId}#${petitionId}`,
  }),
  /** The partition the closing job queries. */
  petitionClosingDue: { GSI2PK: PETITIONS_CLOSING },

  /**
   * Which signatures made in one second (`signedAt.slice(0, 19)`) the tally has
   * counted: one item per petition-second, beside the petition, so that the
   * recount finds them all with one query of the petition's partition.
   */
  tallyReceipt: (communityId: string, petitionId: string, second: string): ItemKey => ({
    PK: petitionPartition(communityId, petitionId),
    SK: `RECEIPT#${second}`,
  }),

  /**
   * One signature, one partition: the signer's key is part of the partition key,
   * so a popular petition's signatures spread over the whole table instead of
   * piling onto one hot partition. GSI1 gathers them again for the recount, over
   * {@link SIGNATURE_BUCKETS} buckets so that no index partition runs hot either.
   */
  signature: (communityId: string, petitionId: string, signerKey: string): ItemKey => ({
    PK: `${petitionPartition(communityId, petitionId)}#S#${signerKey}`,
    SK: 'SIGNATURE',
  }),
  signatureIndex: (communityId: string, petitionId: string, signerKey: string, signedAt: string) => ({
    GSI1PK: signatureBucket(
      communityId,
      petitionId,
      Number.parseInt(signerKey.slice(0, 2), 16) % SIGNATURE_BUCKETS,
    ),
    GSI1SK: `${signedAt}#${signerKey}`,
  }),
  signatureBucket: (communityId: string, petitionId: string, bucket: number) => ({
    GSI1PK: signatureBucket(communityId, petitionId, bucket),
  }),

  /** One outbox item per event, in the community's outbox partition, ordered by event id (ULID). */
  outbox: (communityId: string, eventId: string): ItemKey => ({
    PK: `${communityPartition(communityId)}#OUTBOX`,
    SK: `EVT#${eventId}`,
  }),

  /**
   * A community's audit trail lives in one partition (staff actions are rare):
   * the intents actions write, the chain's head, its entries (the sequence
   * number zero-padded so that entries sort by it) and one marker per appended
   * intent, so that an intent delivered twice is appended once.
   */
  auditIntent: (communityId: string, intentId: string): ItemKey => ({
    PK: auditPartition(communityId),
    SK: `INTENT#${intentId}`,
  }),
  auditHead: (communityId: string): ItemKey => ({ PK: auditPartition(communityId), SK: 'HEAD' }),
  auditEntry: (communityId: string, seq: number): ItemKey => ({
    PK: auditPartition(communityId),
    SK: `${AUDIT_ENTRY_PREFIX}${String(seq).padStart(AUDIT_SEQ_DIGITS, '0')}`,
  }),
  /** Every entry of a community's chain. */
  auditEntries: (communityId: string): KeyPrefix => ({
    PK: auditPartition(communityId),
    SKPrefix: AUDIT_ENTRY_PREFIX,
  }),
  auditApplied: (communityId: string, intentId: string): ItemKey => ({
    PK: auditPartition(communityId),
    SK: `APPLIED#${intentId}`,
  }),

  /**
   * A moderation item and its reports share a partition: one report per
   * resident is one conditional put beside the item it counts for.
   */
  moderationItem: (communityId: string, itemId: string): ItemKey => ({
    PK: moderationItemPartition(communityId, itemId),
    SK: 'ITEM',
  }),
  moderationReport: (communityId: string, itemId: string, signerKey: string): ItemKey => ({
    PK: moderationItemPartition(communityId, itemId),
    SK: `REPORT#${signerKey}`,
  }),
  /**
   * The queue on GSI1: one partition per community and status, sorted by when
   * the item started waiting (or was decided), so "oldest first" is the index
   * order. The author's items on GSI2, newest last.
   */
  moderationQueueIndex: (communityId: string, status: string, since: string, itemId: string) => ({
    GSI1PK: moderationQueuePartition(communityId, status),
    GSI1SK: `${since}#${itemId}`,
  }),
  /** The partition of one status's queue, as a query reads it. */
  moderationQueue: (communityId: string, status: string) => ({
    GSI1PK: moderationQueuePartition(communityId, status),
  }),
  moderationByAuthorIndex: (communityId: string, authorKey: string, createdAt: string, itemId: string) => ({
    GSI2PK: moderationAuthorPartition(communityId, authorKey),
    GSI2SK: `${createdAt}#${itemId}`,
  }),
  /** The partition of one author's items, as a query reads it. */
  moderationByAuthor: (communityId: string, authorKey: string) => ({
    GSI2PK: moderationAuthorPartition(communityId, authorKey),
  }),
  /** Every decision, in time order, in one partition: what the transparency report reads by period. */
  moderationDecision: (communityId: string, decidedAt: string, itemId: string): ItemKey => ({
    PK: `${communityPartition(communityId)}#MODLOG`,
    SK: `${decidedAt}#${itemId}`,
  }),

  /**
   * What one resident has done of one limited action in one fixed window
   * (`domain/communities/limits.ts`): a partition per resident, so that one
   * busy resident's counters never share a partition with anyone else's; the
   * window's start (epoch seconds) in the sort key, so a new window is a new item.
   */
  rateCounter: (
    communityId: string,
    residentKey: string,
    action: string,
    windowStartsAt: number,
  ): ItemKey => ({
    PK: `${communityPartition(communityId)}#LIMIT#${part(residentKey)}`,
    SK: `${action}#${windowStartsAt}`,
  }),

  /**
   * A subject whose personal data is to expire (a closed petition, a budget
   * with published results, a consultation with a published report): one item
   * in the community's partition, and on GSI2 under one platform-wide key by
   * when it ended, so the retention job finds every subject that may be due
   * with one query. Written with the change that ends it, deleted with the
   * erasure's last transaction.
   */
  retentionEntry: (communityId: string, kind: string, subjectId: string): ItemKey => ({
    PK: `${communityPartition(communityId)}#RETENTION`,
    SK: `${kind}#${subjectId}`,
  }),
  retentionEntryIndex: (endedAt: string, communityId: string, kind: string, subjectId: string) => ({
    GSI2PK: RETENTION_DUE,
    GSI2SK: `${endedAt}#${communityId}#${kind}#${subjectId}`,
  }),
  /** The partition the retention job queries. */
  retentionDue: { GSI2PK: RETENTION_DUE },

  ...consultationKeys,
  ...budgetKeys,
  ...appealKeys,
} as const;
