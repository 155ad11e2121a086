import { AuditAction, newAuditIntent } from '../../domain/audit/intent';
import { changes } from '../../domain/audit/summary';
import { createCommunity } from '../../domain/communities/commands/create-community';
import { setMemberRoles } from '../../domain/communities/commands/set-member-roles';
import { updateSettings } from '../../domain/communities/commands/update-settings';
import type { Community } from '../../domain/communities/community';
import { forbidden, mayListMembers } from '../../domain/communities/permissions';
import type { CommunitySettings } from '../../domain/communities/settings';
import type { Role } from '../../domain/identity/actor';
import { text } from '../../domain/shared/localized';
import { documentClient } from '../shared/dynamo';
import {
  type AnyRoute,
  defineRoute,
  type RouteRequest,
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

const storeFor = (request: RouteRequest) =>
  dynamoCommunityStore(documentClient(request.config), request.config.tableName);

/**
 * On `user` routes the stack guarantees these; reading them through one helper
 * keeps handlers free of non-null assertions scattered everywhere.
 */
/**
 * Reads what the membership rule needs (the person's current roles and the
 * whole council) and runs it. `issuer` defaults to the caller's: a community
 * usually trusts one identity provider.
 */
async function changeRoles(
  request: RouteRequest,
  subject: string,
  issuer: string | undefined,
  roles: readonly Role[],
) {
  const { command, community } = userScope(request);
  const store = storeFor(request);
  const memberIssuer = issuer ?? command.actor.issuer;
  const [current, council] = await Promise.all([
    store.getMember(community.id, memberIssuer, subject),
    store.councilMembers(community.id),
  ]);
  const outcome = setMemberRoles(command, community, current, council, {
    issuer: memberIssuer,
    subject,
    roles,
  });
  const audit = newAuditIntent(command, {
    communityId: community.id,
    action: AuditAction.communityMemberSet,
    target: `member/${subject}`,
    before: { roles: [...(current?.roles ?? [])] },
    after: { roles: [...new Set(roles)].sort() },
  });
  return { store, current, outcome, audit };
}

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
              'authorization, content-type, accept-language, if-none-match, if-match, x-request-id',
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
    errors: ['forbidden', 'community_exists'],
    handle: async (request) => {
      const command = request.command;
      if (!command) throw new Error('A user route ran without an actor');
      const { id, settings, council } = request.body;
      const outcome = createCommunity(command, {
        id,
        settings,
        council: council.map((person) => ({
          subject: person.subject,
          issuer: person.issuer ?? command.actor.issuer,
        })),
      });
      if (!outcome.ok) return outcome;
      const stored = await storeFor(request).create(
        outcome.value.community,
        outcome.value.members,
        outcome.events,
      );
      if (stored === 'exists') {
        return {
          error: {
            code: 'community_exists',
            message: text(
              `Громада «${id}» вже існує; оберіть інший id.`,
              `Community "${id}" already exists; choose another id.`,
            ),
            details: { communityId: id },
          },
        };
      }
      return {
        status: 201,
        body: communityView(outcome.value.community),
        headers: { location: `/v1/communities/${id}` },
      };
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/v1/communities/{communityId}',
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
      const outcome = updateSettings(command, community, request.body);
      if (!outcome.ok) return outcome;
      if (outcome.events.length > 0) {
        const audit = newAuditIntent(command, {
          communityId: community.id,
          action: AuditAction.communitySettingsUpdate,
          target: `community/${community.id}`,
          ...changes(
            community.settings,
            outcome.value.settings,
            Object.keys(outcome.value.settings) as (keyof CommunitySettings)[],
          ),
        });
        const saved = await storeFor(request).saveSettings(
          outcome.value,
          community.version,
          outcome.events,
          audit,
        );
        if (saved === 'conflict') {
          return {
            error: {
              code: 'version_conflict',
              message: text(
                'Налаштування щойно змінив хтось інший. Перечитайте їх і повторіть зміну.',
                'Someone else changed the settings just now. Read them again and repeat your change.',
              ),
            },
          };
        }
      }
      return { status: 200, body: communityView(outcome.value) };
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
      if (!mayListMembers(command.actor)) return { error: forbidden('council or moderator') };
      const page = await storeFor(request).listMembers(community.id, request.query);
      return {
        status: 200,
        body: { items: page.items.map(membershipView), ...(page.cursor ? { cursor: page.cursor } : {}) },
      };
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
    errors: ['forbidden', 'community_not_found', 'last_council_member'],
    handle: async (request) => {
      const change = await changeRoles(
        request,
        request.params.subject,
        request.body.issuer,
        request.body.roles,
      );
      if (!change.outcome.ok) return change.outcome;
      const membership = change.outcome.value;
      if (!membership) throw new Error('Granting roles returned no membership');
      await change.store.putMember(membership, change.outcome.events, change.audit);
      return { status: change.current ? 200 : 201, body: membershipView(membership) };
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
      const change = await changeRoles(request, request.params.subject, request.query.issuer, []);
      if (!change.outcome.ok) return change.outcome;
      if (change.current)
        await change.store.removeMember(change.current, change.outcome.events, change.audit);
      return { status: 204 };
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
  tableActions: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:DeleteItem',
    'dynamodb:TransactWriteItems',
  ],
};
