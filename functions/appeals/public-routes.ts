import type { Community } from '../../domain/communities/community';
import { pageBody, pageRequest } from '../shared/pagination';
import { type AnyRoute, answer, defineRoute } from '../shared/routes';
import { PUBLIC, useCasesFor } from './requests';
import {
  AppealListSchema,
  AppealPathSchema,
  AppealsPathSchema,
  AppealViewSchema,
  PublicListQuerySchema,
  publicAppealView,
} from './schemas';

/** What anyone may read: answered requests for public information, without the requester. */
export const publicRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: PUBLIC,
    auth: 'public',
    operationId: 'listPublicAppeals',
    summary: 'Answered requests for public information, newest answer first, without the requester',
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
      return { status: 200, body: pageBody(page, publicAppealView) };
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${PUBLIC}/{appealId}`,
    auth: 'public',
    operationId: 'getPublicAppeal',
    summary: 'One answered request for public information, without the requester',
    description: 'Open, refused and private items are 404 here.',
    params: AppealPathSchema,
    cache: { maxAgeSeconds: 10 },
    responses: { 200: { description: 'The public item', schema: AppealViewSchema } },
    errors: ['community_not_found', 'appeal_not_found'],
    handle: async (request) => {
      const community = request.community as Community;
      const outcome = await useCasesFor(request).publicOne(community, request.params.appealId);
      return answer(outcome, (appeal) => ({ status: 200, body: publicAppealView(appeal) }));
    },
  }),
];
