/**
 * The only place that builds `PK`/`SK`/`GSI*` strings. Every community key starts
 * with `C#<communityId>`, so tenants never share a partition and no query can
 * cross communities. Parts that come from outside (issuers, subjects) are
 * URI-encoded so that a `#` inside them cannot forge another key.
 */

const part = (value: string): string => encodeURIComponent(value);

export const Entity = {
  community: 'community',
  member: 'member',
  platformAdmin: 'platform-admin',
  outbox: 'outbox',
  petition: 'petition',
  petitionStats: 'petition-stats',
  petitionSponsor: 'petition-sponsor',
  petitionThreshold: 'petition-threshold',
  petitionClosing: 'petition-closing',
  signature: 'signature',
  tallyReceipt: 'tally-receipt',
  auditIntent: 'audit-intent',
  auditEntry: 'audit-entry',
  auditHead: 'audit-head',
  auditApplied: 'audit-applied',
  moderationItem: 'moderation-item',
  moderationReport: 'moderation-report',
  moderationDecision: 'moderation-decision',
} as const;
export type Entity = (typeof Entity)[keyof typeof Entity];

export interface ItemKey {
  readonly PK: string;
  readonly SK: string;
}

export const communityPartition = (communityId: string): string => `C#${communityId}`;

const petitionPartition = (communityId: string, petitionId: string): string =>
  `${communityPartition(communityId)}#P#${petitionId}`;

const moderationItemPartition = (communityId: string, itemId: string): string =>
  `${communityPartition(communityId)}#MOD#${part(itemId)}`;

const auditPartition = (communityId: string): string => `${communityPartition(communityId)}#AUDIT`;
const AUDIT_ENTRY_PREFIX = 'ENTRY#';
/** Digits of an audit entry's sequence number in its sort key: room for 10¹² entries. */
const AUDIT_SEQ_DIGITS = 12;

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
  /** Sort-key prefix of every membership of a community. */
  memberPrefix: 'MEMBER#',
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
  /** Listings of a community's petitions in one state: GSI1 newest first, GSI2 by signatures. */
  petitionListing: (communityId: string, state: string) =>
    `${communityPartition(communityId)}#PETITIONS#${state}`,
  petitionNewest: (createdAt: string, petitionId: string) => `${createdAt}#${petitionId}`,
  /** Zero-padded so that the string order of GSI2SK is the numeric order of totals. */
  petitionBySignatures: (total: number, petitionId: string) =>
    `${String(total).padStart(10, '0')}#${petitionId}`,

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
    GSI2PK: 'PETITIONS#CLOSING',
    GSI2SK: `${closesAt}#${communityId}#${petitionId}`,
  }),
  petitionClosingDue: 'PETITIONS#CLOSING',

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
  signatureBucket: (communityId: string, petitionId: string, bucket: number) =>
    signatureBucket(communityId, petitionId, bucket),

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
  /** Sort-key prefix of every entry of a community's chain. */
  auditEntryPrefix: AUDIT_ENTRY_PREFIX,
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
  moderationQueue: (communityId: string, status: string) =>
    `${communityPartition(communityId)}#MODQ#${status}`,
  moderationQueueOrder: (since: string, itemId: string) => `${since}#${itemId}`,
  moderationByAuthor: (communityId: string, authorKey: string) =>
    `${communityPartition(communityId)}#MODA#${authorKey}`,
  /** Every decision, in time order, in one partition: what the transparency report reads by period. */
  moderationDecision: (communityId: string, decidedAt: string, itemId: string): ItemKey => ({
    PK: `${communityPartition(communityId)}#MODLOG`,
    SK: `${decidedAt}#${itemId}`,
  }),
} as const;
