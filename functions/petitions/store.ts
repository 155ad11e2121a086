import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { enterQueue } from '../../domain/moderation/queue';
import { type Petition, PetitionState, totalSignatures } from '../../domain/petitions/petition';
import type { PetitionQuery, PetitionStats, PetitionStore } from '../../domain/petitions/ports';
import { RetentionKind } from '../../domain/retention/retention';
import { auditPuts } from '../audit/intents';
import { enqueuePut } from '../moderation/items';
import { retentionEntryPut } from '../retention/entries';
import { batchGetAll, dueQuery, indexPage, readItem, setExpression } from '../shared/dynamo';
import { Entity, keys } from '../shared/keys';
import { commitWithEvents, commitWithEventsAt, newPut, type TransactItem } from '../shared/outbox';
import { decodeCursor, indexCursor, pageAfter, tableCursor } from '../shared/pagination';
import {
  paperBatchFromItem,
  paperBatchToItem,
  petitionFromItem,
  petitionSnapshot,
  petitionToItem,
  searchTextOf,
  signatureItem,
  TALLY_OWNED,
} from './items';

/** The attributes a command owns: everything but the tally's counts and the keys. */
function commandOwned(petition: Petition): Record<string, unknown> {
  const { PK: _pk, SK: _sk, GSI2SK: _gsi2sk, ...item } = petitionToItem(petition);
  for (const field of TALLY_OWNED) delete item[field];
  return item;
}

/** The conditional update of a petition's command-owned attributes over the version it was read at. */
function petitionUpdate(
  tableName: string,
  previous: Petition,
  values: Record<string, unknown>,
  extraCondition = '',
): TransactItem {
  const set = setExpression(values);
  return {
    Update: {
      TableName: tableName,
      Key: keys.petition(previous.communityId, previous.id),
      UpdateExpression: `SET ${set.assignments.join(', ')}`,
      ConditionExpression: `#version = :expectedVersion${extraCondition}`,
      ExpressionAttributeNames: { ...set.names, '#version': 'version' },
      ExpressionAttributeValues: { ...set.values, ':expectedVersion': previous.version },
    },
  };
}

/** The item that lists an open petition by its closing time; it exists exactly while the petition is open. */
function closingItems(tableName: string, previous: Petition, next: Petition): TransactItem[] {
  const wasOpen = previous.state === PetitionState.open;
  const isOpen = next.state === PetitionState.open;
  if (!wasOpen && isOpen && next.closesAt) {
    return [
      {
        Put: {
          TableName: tableName,
          Item: {
            ...keys.petitionClosing(next.communityId, next.closesAt, next.id),
            ...keys.petitionClosingIndex(next.communityId, next.closesAt, next.id),
            entity: Entity.petitionClosing,
            communityId: next.communityId,
            petitionId: next.id,
            closesAt: next.closesAt,
          },
        },
      },
    ];
  }
  if (wasOpen && !isOpen && previous.closesAt) {
    return [
      {
        Delete: {
          TableName: tableName,
          Key: keys.petitionClosing(previous.communityId, previous.closesAt, previous.id),
        },
      },
    ];
  }
  return [];
}

/** A petition that has just closed goes on the retention schedule: its signers' data expires from `closedAt`. */
function retentionItems(tableName: string, previous: Petition, next: Petition): TransactItem[] {
  if (previous.state === PetitionState.closed || next.state !== PetitionState.closed || !next.closedAt)
    return [];
  return [
    retentionEntryPut(tableName, {
      kind: RetentionKind.petition,
      communityId: next.communityId,
      subjectId: next.id,
      endedAt: next.closedAt,
    }),
  ];
}

/**
 * A petition that has just become ready for moderation enters the moderation
 * centre's queue in the same transaction: it cannot be waiting unseen.
 */
function queueItems(tableName: string, previous: Petition, next: Petition): TransactItem[] {
  if (previous.state === PetitionState.in_moderation || next.state !== PetitionState.in_moderation) return [];
  // `submittedAt` is when it became ready for the public: when it started waiting for a moderator.
  const since = next.submittedAt ?? next.createdAt;
  const item = enterQueue(undefined, {
    communityId: next.communityId,
    snapshot: petitionSnapshot(next),
    since,
  });
  return [enqueuePut(tableName, item)];
}

/**
 * Every write that takes a petition from `previous` to `next` (a command's
 * change): the conditional update, its closing-time listing, its queue entry,
 * its place on the retention schedule.
 * The moderation centre commits these together with its own record.
 */
export function petitionChangeWrites(tableName: string, previous: Petition, next: Petition): TransactItem[] {
  return [
    petitionUpdate(tableName, previous, commandOwned(next)),
    ...closingItems(tableName, previous, next),
    ...queueItems(tableName, previous, next),
    ...retentionItems(tableName, previous, next),
  ];
}

/** The DynamoDB implementation of {@link PetitionStore}. */
export function dynamoPetitionStore(client: DynamoDBDocumentClient, tableName: string): PetitionStore {
  const update = (previous: Petition, values: Record<string, unknown>, extraCondition = ''): TransactItem =>
    petitionUpdate(tableName, previous, values, extraCondition);

  /** Sponsors' puts (each on the condition that this person has not sponsored) and the petition's change, together. */
  const addSponsors: PetitionStore['addSponsors'] = async (
    previous,
    next,
    sponsorKeys,
    events,
    sponsoredAt,
  ) => {
    const sponsorPuts: TransactItem[] = sponsorKeys.map((sponsorKey) => ({
      Put: {
        TableName: tableName,
        Item: {
          ...keys.petitionSponsor(next.communityId, next.id, sponsorKey),
          entity: Entity.petitionSponsor,
          sponsoredAt,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    }));
    const result = await commitWithEventsAt(
      client,
      tableName,
      [...sponsorPuts, ...petitionChangeWrites(tableName, previous, next)],
      events,
    );
    if (result.committed) return { status: 'added' };
    const already = sponsorKeys.filter((_, index) => result.failedIndexes.includes(index));
    return already.length > 0 ? { status: 'already', sponsorKeys: already } : { status: 'conflict' };
  };

  const batchGetPetitions = async (communityId: string, ids: readonly string[]): Promise<Petition[]> => {
    // Under load BatchGetItem leaves keys unprocessed: batchGetAll asks again, so no petition drops out of a page.
    const items = await batchGetAll(
      client,
      tableName,
      ids.map((id) => keys.petition(communityId, id)),
    );
    const byId = new Map(items.map((item) => [item.id as string, petitionFromItem(item)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  };

  const filters = (query: PetitionQuery) => {
    const clauses: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (query.districtId) {
      clauses.push('#district = :district');
      names['#district'] = 'districtId';
      values[':district'] = query.districtId;
    }
    if (query.category) {
      clauses.push('#category = :category');
      names['#category'] = 'category';
      values[':category'] = query.category;
    }
    const words = (query.q ?? '').toLocaleLowerCase('uk-UA').split(/\s+/).filter(Boolean);
    words.forEach((word, index) => {
      clauses.push(`contains(#search, :q${index})`);
      names['#search'] = 'search';
      values[`:q${index}`] = word;
    });
    return { clauses, names, values };
  };

  const matches = (petition: Petition, query: PetitionQuery): boolean => {
    const search = searchTextOf(petition);
    const words = (query.q ?? '').toLocaleLowerCase('uk-UA').split(/\s+/).filter(Boolean);
    return (
      (!query.districtId || petition.districtId === query.districtId) &&
      (!query.category || petition.category === query.category) &&
      words.every((word) => search.includes(word))
    );
  };

  return {
    async get(communityId, petitionId) {
      const item = await readItem(client, tableName, keys.petition(communityId, petitionId));
      return item ? petitionFromItem(item) : undefined;
    },

    async create(petition, events) {
      await commitWithEvents(client, tableName, [newPut(tableName, petitionToItem(petition))], events);
    },

    async save(previous, next, events, audit) {
      const committed = await commitWithEvents(
        client,
        tableName,
        [...petitionChangeWrites(tableName, previous, next), ...auditPuts(tableName, audit)],
        events,
      );
      return committed === 'committed' ? 'saved' : 'conflict';
    },

    async saveCounts(previous, next, crossed, events, audit, batch) {
      const reached: Record<string, unknown> = {};
      const names: Record<string, string> = {
        '#online': 'signatureCount',
        ...(crossed.length > 0 ? { '#reached': 'thresholdsReached' } : {}),
      };
      const assignments: string[] = [];
      crossed.forEach((threshold, index) => {
        names[`#t${index}`] = threshold.name;
        reached[`:t${index}`] = next.thresholdsReached[threshold.name];
        assignments.push(`#reached.#t${index} = :t${index}`);
      });
      const base = update(
        previous,
        {
          offlineSignatureCount: next.offlineSignatureCount,
          ...keys.petitionBySignatures(totalSignatures(next), next.id),
          version: next.version,
        },
        ' AND #online = :seenOnline',
      );
      const counts: TransactItem = {
        Update: {
          ...base.Update!,
          UpdateExpression: [base.Update!.UpdateExpression, ...assignments].join(', '),
          ExpressionAttributeNames: { ...base.Update!.ExpressionAttributeNames, ...names },
          ExpressionAttributeValues: {
            ...base.Update!.ExpressionAttributeValues,
            ...reached,
            ':seenOnline': previous.signatureCount,
          },
        },
      };
      const marks: TransactItem[] = crossed.map((threshold) => ({
        Put: {
          TableName: tableName,
          Item: {
            ...keys.petitionThreshold(next.communityId, next.id, threshold.name),
            entity: Entity.petitionThreshold,
            reachedAt: next.thresholdsReached[threshold.name]?.reachedAt,
            total: totalSignatures(next),
            eventId: events.find((event) => event.detail.threshold === threshold.name)?.id,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      }));
      // The batch only if its id is new: a twin request that got here first makes this one a conflict, and its
      // next load finds the batch and answers the replay.
      const recorded: TransactItem = {
        Put: {
          TableName: tableName,
          Item: paperBatchToItem(next.communityId, batch),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      };
      const committed = await commitWithEvents(
        client,
        tableName,
        [counts, recorded, ...marks, ...auditPuts(tableName, audit)],
        events,
      );
      return committed === 'committed' ? 'saved' : 'conflict';
    },

    async paperBatch(communityId, petitionId, batchId) {
      const item = await readItem(
        client,
        tableName,
        keys.petitionPaperBatch(communityId, petitionId, batchId),
      );
      return item ? paperBatchFromItem(item) : undefined;
    },

    addSponsors,

    async sign(signature) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: signatureItem(signature),
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        return 'signed';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'already';
        throw error;
      }
    },

    async signatureOf(communityId, petitionId, signerKey) {
      const item = await readItem(client, tableName, keys.signature(communityId, petitionId, signerKey));
      return item ? { signedAt: item.signedAt as string } : undefined;
    },

    async list(query) {
      if (query.sort === 'closing') {
        const partition = keys.petitionClosing(query.communityId, '', '').PK;
        const startKey = decodeCursor(query.cursor, tableCursor({ PK: partition }));
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': partition },
            Limit: query.limit,
            ExclusiveStartKey: startKey,
          }),
        );
        const petitions = await batchGetPetitions(
          query.communityId,
          (page.Items ?? []).map((item) => item.petitionId as string),
        );
        return pageAfter(
          petitions.filter((petition) => petition.state === query.state && matches(petition, query)),
          page.LastEvaluatedKey,
        );
      }
      const index = query.sort === 'signatures' ? 'GSI2' : 'GSI1';
      const partitionKey = `${index}PK` as const;
      const partition = keys.petitionListing(query.communityId, query.state)[partitionKey];
      const filter = filters(query);
      const input: QueryCommandInput = {
        TableName: tableName,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': partitionKey, ...filter.names },
        ExpressionAttributeValues: { ':pk': partition, ...filter.values },
        ScanIndexForward: false,
        Limit: query.limit,
        ExclusiveStartKey: decodeCursor(query.cursor, indexCursor(index, partition)),
        ...(filter.clauses.length > 0 ? { FilterExpression: filter.clauses.join(' AND ') } : {}),
      };
      const page = await client.send(new QueryCommand(input));
      return pageAfter((page.Items ?? []).map(petitionFromItem), page.LastEvaluatedKey);
    },

    byAuthor(communityId, authorKey, query) {
      const partition = keys.petitionsOfAuthor(communityId, authorKey).GSI3PK;
      return indexPage(client, tableName, { index: 'GSI3', partition, page: query }, petitionFromItem);
    },

    async stats(communityId, petitionId): Promise<PetitionStats> {
      const result = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.petitionStats(communityId, petitionId) }),
      );
      const byDistrict: Record<string, number> = {};
      const byDay: Record<string, number> = {};
      for (const [name, value] of Object.entries(result.Item ?? {})) {
        if (name.startsWith('district#')) byDistrict[name.slice('district#'.length)] = value as number;
        if (name.startsWith('day#')) byDay[name.slice('day#'.length)] = value as number;
      }
      return { byDistrict, byDay };
    },

    async dueForClosing(now, limit) {
      const page = await client.send(
        new QueryCommand({ ...dueQuery(tableName, keys.petitionClosingDue.GSI2PK, now), Limit: limit }),
      );
      return (page.Items ?? []).map((item) => ({
        communityId: item.communityId as string,
        petitionId: item.petitionId as string,
      }));
    },
  };
}
