import { communityPartition, type ItemKey, part } from './key-parts';

// ---- internet reception: partitions ----
const appealPartition = (communityId: string, appealId: string): string =>
  `${communityPartition(communityId)}#A#${appealId}`;

/** A unit's items on GSI1: open ones by due day (overdue first), closed ones by closing time. */
const unitList = (communityId: string, unitId: string, open: boolean): string =>
  `${communityPartition(communityId)}#APPEALS#UNIT#${part(unitId)}#${open ? 'OPEN' : 'CLOSED'}`;

const authorList = (communityId: string, authorKey: string): string =>
  `${communityPartition(communityId)}#APPEALS#AUTHOR#${part(authorKey)}`;

const publicList = (communityId: string, kind: string): string =>
  `${communityPartition(communityId)}#APPEALS#PUBLIC#${kind}`;

/** The platform-wide GSI2 partition of open items by due day: the overdue job reads it. */
const APPEALS_DUE = 'APPEALS#DUE';

/** The community's statistics buckets, sorted by month first. */
const STATS_PREFIX = 'APPEALS#STATS#';
// ---- end internet reception: partitions ----

/** Keys of the internet reception's items, their co-signers and the registration counters; part of `keys`. */
export const appealKeys = {
  appeal: (communityId: string, appealId: string): ItemKey => ({
    PK: appealPartition(communityId, appealId),
    SK: 'APPEAL',
  }),
  appealCosigner: (communityId: string, appealId: string, authorKey: string): ItemKey => ({
    PK: appealPartition(communityId, appealId),
    SK: `COSIGNER#${part(authorKey)}`,
  }),
  /** The last registration number of a community's year (`last`): one item, moved with every registration. */
  appealCounter: (communityId: string, year: string): ItemKey => ({
    PK: communityPartition(communityId),
    SK: `APPEALS#NUMBER#${year}`,
  }),
  /** An item in its unit's list: `sortKey` is the due day while open, the closing time after. */
  appealUnitIndex: (
    communityId: string,
    unitId: string,
    open: boolean,
    sortKey: string,
    appealId: string,
  ) => ({
    GSI1PK: unitList(communityId, unitId, open),
    GSI1SK: `${sortKey}#${appealId}`,
  }),
  appealUnitList: (communityId: string, unitId: string, open: boolean) => ({
    GSI1PK: unitList(communityId, unitId, open),
  }),
  appealAuthorIndex: (communityId: string, authorKey: string, submittedAt: string, appealId: string) => ({
    GSI3PK: authorList(communityId, authorKey),
    GSI3SK: `${submittedAt}#${appealId}`,
  }),
  appealAuthorList: (communityId: string, authorKey: string) => ({
    GSI3PK: authorList(communityId, authorKey),
  }),
  appealPublicIndex: (communityId: string, kind: string, publishedAt: string, appealId: string) => ({
    GSI4PK: publicList(communityId, kind),
    GSI4SK: `${publishedAt}#${appealId}`,
  }),
  appealPublicList: (communityId: string, kind: string) => ({ GSI4PK: publicList(communityId, kind) }),
  /** An open item not yet marked overdue, on the platform-wide schedule by due day. */
  appealDueIndex: (dueOn: string, communityId: string, appealId: string) => ({
    GSI2PK: APPEALS_DUE,
    GSI2SK: `${dueOn}#${communityId}#${appealId}`,
  }),
  appealsDue: { GSI2PK: APPEALS_DUE },
  /** The statistics of one bucket (month of registration, kind, category, unit): counters only. */
  appealStats: (
    communityId: string,
    month: string,
    kind: string,
    categoryId: string,
    unitId: string,
  ): ItemKey => ({
    PK: communityPartition(communityId),
    SK: `${STATS_PREFIX}${month}#${kind}#${part(categoryId)}#${part(unitId)}`,
  }),
  /** The statistics of the months `from`…`to` (inclusive): the sort-key bounds of one Query. */
  appealStatsRange: (communityId: string, from: string, to: string) => ({
    PK: communityPartition(communityId),
    SKFrom: `${STATS_PREFIX}${from}#`,
    SKTo: `${STATS_PREFIX}${to}#\uffff`,
  }),
} as const;
