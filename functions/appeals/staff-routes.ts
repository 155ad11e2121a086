import type { ZodType } from 'zod';
import { type Appeal, OPEN } from '../../domain/appeals/appeal';
import { localDay } from '../../domain/appeals/calendar';
import type { Page } from '../../domain/communities/ports';
import { text } from '../../domain/shared/localized';
import type { Outcome } from '../../domain/shared/outcome';
import type { ProblemCode } from '../../domain/shared/problem-codes';
import { pageBody, pageRequest } from '../shared/pagination';
import { type AnyRoute, answer, defineRoute, type RouteReply, userScope } from '../shared/routes';
import { BASE, ITEM, STAFF_ERRORS, useCasesFor } from './requests';
import {
  AnswerBodySchema,
  AppealListSchema,
  AppealPathSchema,
  AppealsPathSchema,
  AppealViewSchema,
  AssignBodySchema,
  appealView,
  ExtendBodySchema,
  ForwardBodySchema,
  RefuseBodySchema,
  StaffListQuerySchema,
  StartBodySchema,
} from './schemas';

/** The item after a staff action, as the staff see it. */
const staffView = (appeal: Appeal): RouteReply => ({ status: 200, body: appealView(appeal, true) });

/** The order of a list over several units: open by due day (then id), closed newest first. */
const byListOrder = (open: boolean) => (a: Appeal, b: Appeal) => {
  const key = (appeal: Appeal) =>
    open ? `${appeal.dueOn}#${appeal.id}` : `${appeal.timeline.at(-1)?.at ?? ''}#${appeal.id}`;
  return open ? key(a).localeCompare(key(b)) : key(b).localeCompare(key(a));
};

/** A staff action on one item: `path` under the item, its body, and its own codes besides {@link STAFF_ERRORS}. */
function staffAction<Body>(spec: {
  readonly verb: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly body: ZodType<Body>;
  readonly errors?: readonly ProblemCode[];
  readonly run: (
    useCases: ReturnType<typeof useCasesFor>,
    scope: ReturnType<typeof userScope>,
    appealId: string,
    body: Body,
  ) => Promise<Outcome<Appeal>>;
}): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: `${ITEM}/${spec.verb}`,
    auth: 'user',
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    params: AppealPathSchema,
    body: spec.body,
    responses: { 200: { description: 'The item after the action', schema: AppealViewSchema } },
    errors: [...STAFF_ERRORS, ...(spec.errors ?? [])],
    handle: async (request) =>
      answer(
        await spec.run(useCasesFor(request), userScope(request), request.params.appealId, request.body),
        staffView,
      ),
  });
}

/** What the unit's officers, its head and the council do. */
export const staffRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: BASE,
    auth: 'user',
    operationId: 'listAppeals',
    summary: 'Items of the units the caller handles (officers: their units; heads: theirs; the council: all)',
    description:
      'Open items by due day, so overdue ones come first; `state=closed` (or a closed `status`) lists closed ' +
      'ones newest first. Without `unit` the first page of every unit the caller handles is merged and has no ' +
      'cursor: name a `unit` to page further. A unit the caller does not handle is 404. `overdue=true` lists only ' +
      'open items whose due day has passed (before today in Kyiv). With `status` or `kind` ' +
      'a page may hold fewer than `limit` items: follow `cursor` until it is absent.',
    params: AppealsPathSchema,
    query: StaffListQuerySchema,
    responses: { 200: { description: 'A page of items', schema: AppealListSchema } },
    errors: ['community_not_found', 'not_found', 'invalid_cursor'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const { unit, status, kind, state, overdue, limit, cursor } = request.query;
      const useCases = useCasesFor(request);
      const units = useCases.unitsOf(command.actor, community, unit);
      if (units.length === 0) {
        return {
          error: {
            code: 'not_found',
            message: text(
              'Немає підрозділів, звернення яких ви опрацьовуєте.',
              'There are no units whose items you handle.',
            ),
            ...(unit ? { details: { unit } } : {}),
          },
        };
      }
      // Overdue items are open ones: `overdue=true` lists open items due before today's (Kyiv) day.
      const open = overdue ? true : status ? OPEN.has(status) : state !== 'closed';
      const filters = {
        ...(status ? { status } : {}),
        ...(kind ? { kind } : {}),
        ...(overdue ? { dueBefore: localDay(request.clock.now()) } : {}),
      };
      const query = (unitId: string, page: { limit: number; cursor?: string }) =>
        useCases.listUnit({ communityId: community.id, unitId, open, ...filters, ...page });
      if (unit) {
        const page = await query(unit, pageRequest({ limit, cursor }));
        return { status: 200, body: pageBody(page, (appeal) => appealView(appeal, true)) };
      }
      const pages: Page<Appeal>[] = await Promise.all(units.map((unitId) => query(unitId, { limit })));
      const items = pages
        .flatMap((page) => page.items)
        .sort(byListOrder(open))
        .slice(0, limit);
      return { status: 200, body: { items: items.map((appeal) => appealView(appeal, true)) } };
    },
  }),

  staffAction({
    verb: 'assign',
    operationId: 'assignAppeal',
    summary:
      'Give the item to an officer of its unit (its head, the council), or move it to another unit (the council)',
    body: AssignBodySchema,
    errors: ['forbidden', 'unknown_unit'],
    run: (useCases, { command, community }, appealId, { officer, unitId }) =>
      useCases.assign(command, community, appealId, {
        ...(officer
          ? { officer: { issuer: officer.issuer ?? command.actor.issuer, subject: officer.subject } }
          : {}),
        ...(unitId ? { unitId } : {}),
      }),
  }),

  staffAction({
    verb: 'start',
    operationId: 'startAppeal',
    summary: 'Start work on the item; an appeal needing no further study is due within the shorter term',
    body: StartBodySchema,
    errors: ['invalid_state'],
    run: (useCases, { command, community }, appealId, body) =>
      useCases.start(command, community, appealId, body ?? {}),
  }),

  staffAction({
    verb: 'extend',
    operationId: 'extendAppeal',
    summary: 'Extend the deadline once, within the law’s limit, with a reason the author reads',
    description:
      '`extension_refused` says why in `reason`: already_extended, not_later, beyond_limit or too_late.',
    body: ExtendBodySchema,
    errors: ['extension_refused'],
    run: (useCases, { command, community }, appealId, body) =>
      useCases.extend(command, community, appealId, body),
  }),

  staffAction({
    verb: 'answer',
    operationId: 'answerAppeal',
    summary: 'Answer the item; an answered request for public information becomes public',
    body: AnswerBodySchema,
    run: (useCases, { command, community }, appealId, body) =>
      useCases.answer(command, community, appealId, body),
  }),

  staffAction({
    verb: 'refuse',
    operationId: 'refuseAppeal',
    summary:
      'Refuse with a lawful reason of the item’s kind; `repeated` links the answered appeal it repeats',
    body: RefuseBodySchema,
    errors: ['unknown_refusal_reason', 'invalid_previous_appeal'],
    run: (useCases, { command, community }, appealId, body) =>
      useCases.refuse(command, community, appealId, body),
  }),

  staffAction({
    verb: 'forward',
    operationId: 'forwardAppeal',
    summary: 'Send the item on to the body that can answer it, named',
    body: ForwardBodySchema,
    run: (useCases, { command, community }, appealId, body) =>
      useCases.forward(command, community, appealId, body),
  }),
];
