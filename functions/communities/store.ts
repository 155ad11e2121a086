import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Membership } from '../../domain/communities/community';
import type { CommunityStore, Page } from '../../domain/communities/ports';
import { Role } from '../../domain/identity/actor';
import { auditPuts } from '../audit/intents';
import { queryAll, readItem } from '../shared/dynamo';
import { keys } from '../shared/keys';
import { commitWithEvents, newPut } from '../shared/outbox';
import { decodeCursor, pageAfter, tableCursor } from '../shared/pagination';
import { communityFromItem, communityToItem, memberFromItem, memberToItem } from '../shared/tenancy';

/** The DynamoDB implementation of {@link CommunityStore}. */
export function dynamoCommunityStore(client: DynamoDBDocumentClient, tableName: string): CommunityStore {
  const memberQuery = (communityId: string) => {
    const members = keys.members(communityId);
    return {
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': members.PK, ':prefix': members.SKPrefix },
    };
  };

  return {
    async get(communityId) {
      const item = await readItem(client, tableName, keys.community(communityId));
      return item ? communityFromItem(item) : undefined;
    },

    async create(community, members, events) {
      const committed = await commitWithEvents(
        client,
        tableName,
        [
          newPut(tableName, communityToItem(community)),
          ...members.map((member) => ({ Put: { TableName: tableName, Item: memberToItem(member) } })),
        ],
        events,
      );
      return committed === 'committed' ? 'created' : 'exists';
    },

    async saveSettings(community, expectedVersion, events, audit) {
      const committed = await commitWithEvents(
        client,
        tableName,
        [
          {
            Put: {
              TableName: tableName,
              Item: communityToItem(community),
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': expectedVersion },
            },
          },
          ...auditPuts(tableName, audit),
        ],
        events,
      );
      return committed === 'committed' ? 'saved' : 'conflict';
    },

    async listMembers(communityId, page): Promise<Page<Membership>> {
      const startKey = decodeCursor(page.cursor, tableCursor(keys.members(communityId)));
      const result = await client.send(
        new QueryCommand({ ...memberQuery(communityId), Limit: page.limit, ExclusiveStartKey: startKey }),
      );
      return pageAfter((result.Items ?? []).map(memberFromItem), result.LastEvaluatedKey);
    },

    async councilMembers(communityId) {
      const items = await queryAll(client, { ...memberQuery(communityId), ConsistentRead: true });
      return items.map(memberFromItem).filter((member) => member.roles.includes(Role.council));
    },

    async getMember(communityId, issuer, subject) {
      const item = await readItem(client, tableName, keys.member(communityId, issuer, subject));
      return item ? memberFromItem(item) : undefined;
    },

    async putMember(member, events, audit) {
      await commitWithEvents(
        client,
        tableName,
        [{ Put: { TableName: tableName, Item: memberToItem(member) } }, ...auditPuts(tableName, audit)],
        events,
      );
    },

    async removeMember(member, events, audit) {
      const key = keys.member(member.communityId, member.issuer, member.subject);
      await commitWithEvents(
        client,
        tableName,
        [{ Delete: { TableName: tableName, Key: key } }, ...auditPuts(tableName, audit)],
        events,
      );
    },
  };
}
