import type { Community } from '../../domain/communities/community';
import { documentClient } from '../shared/dynamo';
import {
  type AnyRoute,
  answer,
  created,
  defineRoute,
  type RouteRequest,
  TABLE_READS,
  type ToolDefinition,
  userScope,
} from '../shared/routes';
import {
  CommunityPathSchema,
  CommunityViewSchema,
  CreateCommunityBodySchema,
  communityView,
  MemberListSchema,
  MemberPathSchema,
  MemberQuerySchema,
  MembershipViewSchema,
  MembersQuerySchema,
  membershipView,
  PutMemberBodySchema,
  UpdateSettingsBodySchema,
} from './schemas';
import { dynamoCommunityStore } from './store';
import { communityUseCases } from './use-cases';

const useCases = (request: RouteRequest) =>
  communityUseCases(
    dynamoCommunityStore(documentClient(request.config), request.config.tableName),
    request.config.issuers.map((trusted) => trusted.issuer),
  );

const COMMUNITY = '/v1/communities/{communityId}';

/** Browsers ask before sending a token cross-origin; allowed origins come from the community's settings. */
const preflight = (path: string) =>
  defineRoute({
    method: 'OPTIONS',
    path,
    auth: 'public',
    internal: true,
    operationId: `preflight${path.endsWith('+}') ? 'Nested' : 'Community'}`,
    summary: 'CORS preflight',
    responses: { 204: { description: 'Allowed methods and headers' } },
    handle: async (request) => {
      const origin = request.headers.origin;
      const allowed =
        origin !== undefined && (request.community?.settings.corsOrigins ?? []).includes(origin);
      const headers: Record<string, string> = allowed
        ? {
            'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
            'access-control-allow-headers':
              'authorization, content-type, accept-language, if-none-match, if-match, x-request-id, idempotency-key',
            'access-control-max-age': '600',
          }
        : {};
      return { status: 204, headers };
    },
  });

const routes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/communities',
    auth: 'user',
    operationId: 'createCommunity',
    summary: 'Create a community with its first council (platform admin)',
    body: CreateCommunityBodySchema,
    responses: { 201: { description: 'The community', schema: CommunityViewSchema } },
    errors: ['forbidden', 'community_exists', 'unknown_issuer'],
    handle: async (request) => {
      const command = request.command;
      if (!command) throw new Error('A user route ran without an actor');
      const { id, settings, council } = request.body;
      const issuerOf = (person: (typeof council)[number]) => person.issuer ?? command.actor.issuer;
      const input = {
        id,
        settings,
        council: council.map((person) => ({ subject: person.subject, issuer: issuerOf(person) })),
      };
      return answer(await useCases(request).create(command, input), (community) =>
        created(COMMUNITY, { communityId: community.id }, communityView(community)),
      );
    },
  }),

  defineRoute({
    method: 'GET',
    path: COMMUNITY,
    auth: 'public',
    operationId: 'getCommunity',
    summary: 'A community and its settings (public)',
    params: CommunityPathSchema,
    cache: { maxAgeSeconds: 60 },
    responses: { 200: { description: 'The community', schema: CommunityViewSchema } },
    errors: ['community_not_found'],
    handle: async (request) => ({ status: 200, body: communityView(request.community as Community) }),
  }),

  defineRoute({
    method: 'PATCH',
    path: '/v1/communities/{communityId}/settings',
    auth: 'user',
    operationId: 'updateCommunitySettings',
    summary: 'Change settings (council); nested groups merge, lists are replaced whole',
    params: CommunityPathSchema,
    body: UpdateSettingsBodySchema,
    responses: { 200: { description: 'The community after the change', schema: CommunityViewSchema } },
    errors: ['forbidden', 'community_not_found', 'version_conflict'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const changed = await useCases(request).changeSettings(command, community.id, request.body);
      return answer(changed, (after) => ({ status: 200, body: communityView(after) }));
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/v1/communities/{communityId}/members',
    auth: 'user',
    operationId: 'listCommunityMembers',
    summary: 'Moderators and council members (council, moderators)',
    params: CommunityPathSchema,
    query: MembersQuerySchema,
    responses: { 200: { description: 'A page of memberships', schema: MemberListSchema } },
    errors: ['forbidden', 'community_not_found', 'invalid_cursor'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const page = await useCases(request).listMembers(command, community.id, request.query);
      return answer(page, ({ items, cursor }) => ({
        status: 200,
        body: { items: items.map(membershipView), ...(cursor ? { cursor } : {}) },
      }));
    },
  }),

  defineRoute({
    method: 'PUT',
    path: '/v1/communities/{communityId}/members/{subject}',
    auth: 'user',
    operationId: 'putCommunityMember',
    summary: "Set a person's roles (council; a platform admin may bootstrap)",
    params: MemberPathSchema,
    body: PutMemberBodySchema,
    responses: {
      200: { description: 'The changed membership', schema: MembershipViewSchema },
      201: { description: 'The new membership', schema: MembershipViewSchema },
    },
    errors: ['forbidden', 'community_not_found', 'last_council_member', 'unknown_issuer'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const person = { subject: request.params.subject, issuer: request.body.issuer };
      const { roles, units } = request.body;
      const changed = await useCases(request).setRoles(command, community, person, roles, units);
      return answer(changed, ({ previous, membership }) => {
        if (!membership) throw new Error('Granting roles returned no membership');
        return { status: previous ? 200 : 201, body: membershipView(membership) };
      });
    },
  }),

  defineRoute({
    method: 'DELETE',
    path: '/v1/communities/{communityId}/members/{subject}',
    auth: 'user',
    operationId: 'removeCommunityMember',
    summary: 'Remove all roles of a person (council)',
    params: MemberPathSchema,
    query: MemberQuerySchema,
    responses: { 204: { description: 'Removed' } },
    errors: ['forbidden', 'community_not_found', 'member_not_found', 'last_council_member'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const person = { subject: request.params.subject, issuer: request.query.issuer };
      const removed = await useCases(request).setRoles(command, community, person, []);
      return answer(removed, () => ({ status: 204 }));
    },
  }),

  preflight('/v1/communities/{communityId}'),
  preflight('/v1/communities/{communityId}/{proxy+}'),
];

/** The communities tool: tenancy, settings and membership. */
export const communitiesTool: ToolDefinition = {
  name: 'communities',
  entry: 'functions/communities/http.ts',
  routes,
  tableActions: [...TABLE_READS, 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:TransactWriteItems'],
  indexes: [],
};
