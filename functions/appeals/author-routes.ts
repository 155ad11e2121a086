import { handles } from '../../domain/appeals/permissions';
import { PageQuerySchema, pageBody, pageRequest } from '../shared/pagination';
import { type AnyRoute, answer, created, defineRoute, userScope } from '../shared/routes';
import { BASE, ITEM, useCasesFor } from './requests';
import {
  AppealListSchema,
  AppealPathSchema,
  AppealsPathSchema,
  AppealViewSchema,
  appealView,
  SubmitAppealBodySchema,
} from './schemas';

/** What residents do: submit, follow their own items, read one. */
export const authorRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: BASE,
    auth: 'user',
    operationId: 'submitAppeal',
    summary: 'Submit an appeal, a request for public information or an issue report (resident)',
    description:
      'Registered at once with the year’s next number (`2026-000123`) and routed to the unit of its category; ' +
      'the due day follows the law for its kind. An issue report’s location must lie within the community’s bounds.',
    params: AppealsPathSchema,
    body: SubmitAppealBodySchema,
    responses: { 201: { description: 'The registered item', schema: AppealViewSchema } },
    errors: [
      'community_not_found',
      'not_eligible',
      'unknown_category',
      'category_not_for_kind',
      'location_out_of_bounds',
      'version_conflict',
    ],
    handle: async (request) => {
      const { command, community } = userScope(request);
      return answer(await useCasesFor(request).submit(command, community, request.body), (appeal) =>
        created(ITEM, { communityId: community.id, appealId: appeal.id }, appealView(appeal, false)),
      );
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${BASE}/mine`,
    auth: 'user',
    operationId: 'listMyAppeals',
    summary: "The caller's own items of every kind and status, newest first",
    params: AppealsPathSchema,
    query: PageQuerySchema,
    responses: { 200: { description: 'A page of items', schema: AppealListSchema } },
    errors: ['community_not_found', 'invalid_cursor'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const page = await useCasesFor(request).mine(command.actor, community, pageRequest(request.query));
      return { status: 200, body: pageBody(page, (appeal) => appealView(appeal, false)) };
    },
  }),

  defineRoute({
    method: 'GET',
    path: ITEM,
    auth: 'user',
    operationId: 'getAppeal',
    summary:
      'One item with its timeline, answer or refusal (its author, the unit’s officers and head, the council)',
    description: 'Anyone else hears 404, as if it did not exist.',
    params: AppealPathSchema,
    responses: { 200: { description: 'The item', schema: AppealViewSchema } },
    errors: ['community_not_found', 'appeal_not_found'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const outcome = await useCasesFor(request).visible(command.actor, community, request.params.appealId);
      return answer(outcome, (appeal) => ({
        status: 200,
        body: appealView(appeal, handles(command.actor, community.settings.appeals, appeal.unitId, appeal)),
      }));
    },
  }),
];
