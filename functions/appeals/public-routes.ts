import type { Appeal } from '../../domain/appeals/appeal';
import type { Community } from '../../domain/communities/community';
import { pageBody, pageRequest } from '../shared/pagination';
import { type AnyRoute, answer, defineRoute } from '../shared/routes';
import { PUBLIC, PUBLIC_ITEM, useCasesFor } from './requests';
import {
  AppealListSchema,
  AppealPathSchema,
  AppealsPathSchema,
  AppealViewSchema,
  PublicListQuerySchema,
  publicAppealView,
} from './schemas';

/** The public view with the category's names, which the community's settings hold. */
const publicView = (community: Community) => (appeal: Appeal) => {
  const category = community.settings.appeals.categories.find((c) => c.id === appeal.categoryId);
  return { ...publicAppealView(appeal), ...(category ? { category: category.names } : {}) };
};

/**
 * What anyone may read, without the author: answered requests for public
 * information, and issue reports the moderators published, with every status
 * change (so anyone can follow them).
 */
export const publicRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: PUBLIC,
    auth: 'public',
    operationId: 'listPublicAppeals',
    summary:
      'Answered requests for public information (`kind=information_request`, the default) or published ' +
      'issue reports (`kind=issue_report`), newest publication first, without the author',
    params: AppealsPathSchema,
    query: PublicListQuerySchema,
    cache: { maxAgeSeconds: 10 },
    responses: { 200: { description: 'A page of public items', schema: AppealListSchema } },
    errors: ['community_not_found', 'invalid_cursor'],
    handle: async (request) => {
      const community = request.community as Community;
      const page = await useCasesFor(request).published(
        community,
        request.query.kind,
        pageRequest(request.query),
      );
      return { status: 200, body: pageBody(page, publicView(community)) };
    },
  }),

  defineRoute({
    method: 'GET',
    path: PUBLIC_ITEM,
    auth: 'public',
    operationId: 'getPublicAppeal',
    summary:
      'One answered request for public information or published issue report, with its timeline, without the author',
    description:
      'An issue report is here from its publication by the moderators, whatever its status; one waiting, ' +
      'rejected or hidden is 404, as are open and refused requests and every appeal.',
    params: AppealPathSchema,
    cache: { maxAgeSeconds: 10 },
    responses: { 200: { description: 'The public item', schema: AppealViewSchema } },
    errors: ['community_not_found', 'appeal_not_found'],
    handle: async (request) => {
      const community = request.community as Community;
      const outcome = await useCasesFor(request).publicOne(community, request.params.appealId);
      return answer(outcome, (appeal) => ({ status: 200, body: publicView(community)(appeal) }));
    },
  }),
];
