import type { Community } from '../../domain/communities/community';
import { LimitedAction } from '../../domain/communities/limits';
import type { Page } from '../../domain/communities/ports';
import type { ModerationItem } from '../../domain/moderation/item';
import { mayViewQueue } from '../../domain/moderation/permissions';
import { REPORT_MAX_DAYS } from '../../domain/moderation/transparency';
import type { ProblemCode } from '../../domain/shared/problem-codes';
import type { AppConfig } from '../shared/config';
import { documentClient } from '../shared/dynamo';
import { PageQuerySchema, pageBody, pageRequest } from '../shared/pagination';
import { limitedBy } from '../shared/rate-limits';
import {
  type AnyRoute,
  answer,
  defineRoute,
  type RouteReply,
  type RouteRequest,
  TABLE_READ_WRITE,
  type ToolDefinition,
  userScope,
} from '../shared/routes';
import { dynamoModerationPort, type ModerationPort } from './ports';
import { listMine, listQueue, REPORT_MAX_DECISIONS, transparency, viewItem } from './reads';
import {
  AppealBodySchema,
  DecisionBodySchema,
  ItemListSchema,
  ItemPathSchema,
  ItemViewSchema,
  itemView,
  ModerationPathSchema,
  QueueQuerySchema,
  ReasonListSchema,
  ReportBodySchema,
  ReportResultSchema,
  reasonList,
  TransparencyQuerySchema,
  TransparencyReportSchema,
} from './schemas';
import { moderationUseCases } from './use-cases';

export { REPORT_MAX_DAYS, REPORT_MAX_DECISIONS };

const BASE = '/v1/communities/{communityId}/moderation';
const ITEM = `${BASE}/items/{itemId}`;

const portOf = (request: RouteRequest): ModerationPort =>
  dynamoModerationPort({ client: documentClient(request.config), tableName: request.config.tableName });

const useCases = (request: RouteRequest) => moderationUseCases(portOf(request));

/** How the caller sees items: staff see reports and claims, authors their reasons and appeal rights. */
function viewerOf(request: RouteRequest, staff: boolean) {
  const { command, community } = userScope(request);
  return {
    staff,
    actor: command.actor,
    slaDays: community.settings.moderationSlaDays,
    now: request.clock.now(),
  };
}

/** An item as the caller may see it; never cached, since claims and reports change it. */
const itemReply =
  (request: RouteRequest) =>
  (item: ModerationItem): RouteReply => ({
    status: 200,
    body: itemView(item, viewerOf(request, mayViewQueue(userScope(request).command.actor))),
    headers: { 'cache-control': 'no-store' },
  });

/** A page of items as the caller may see them. */
const pageReply =
  (request: RouteRequest, staff: boolean) =>
  (page: Page<ModerationItem>): RouteReply => {
    const viewer = viewerOf(request, staff);
    return {
      status: 200,
      body: pageBody(page, (item) => itemView(item, viewer)),
      headers: { 'cache-control': 'no-store' },
    };
  };

const ITEM_ERRORS: readonly ProblemCode[] = ['community_not_found', 'item_not_found'];

/** The decisions a report may read: `REPORT_MAX_DECISIONS` from the environment (tests make it small), else the default. */
const reportMaxDecisions = (config: Pick<AppConfig, 'reportMaxDecisions'>): number =>
  config.reportMaxDecisions ?? REPORT_MAX_DECISIONS;

const routes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: `${BASE}/queue`,
    auth: 'user',
    operationId: 'listModerationQueue',
    summary: 'What waits for a decision, across every tool, oldest first (moderator, council)',
    description:
      '`status=pending` (default) waits for a moderator, `status=appeal` for the council, `status=decided` ' +
      'lists settled items, most recent decision first. `overdue` marks items waiting longer than the ' +
      "community's `moderationSlaDays`. A page may hold fewer than `limit` items when `type` filters; " +
      'follow `cursor` until it is absent.',
    params: ModerationPathSchema,
    query: QueueQuerySchema,
    responses: { 200: { description: 'A page of items', schema: ItemListSchema } },
    errors: ['forbidden', 'community_not_found', 'invalid_cursor'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const query = { communityId: community.id, ...request.query };
      return answer(await listQueue(portOf(request), command.actor, query), pageReply(request, true));
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${BASE}/mine`,
    auth: 'user',
    operationId: 'listMyModerationItems',
    summary: "Decisions about the caller's own submissions, with reasons in uk and en and appeal rights",
    params: ModerationPathSchema,
    query: PageQuerySchema,
    responses: { 200: { description: 'A page of the items, newest first', schema: ItemListSchema } },
    errors: ['community_not_found', 'invalid_cursor'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      return answer(
        await listMine(portOf(request), command.actor, community.id, pageRequest(request.query)),
        pageReply(request, false),
      );
    },
  }),

  defineRoute({
    method: 'GET',
    path: ITEM,
    auth: 'user',
    operationId: 'getModerationItem',
    summary: 'One item: staff see reports and claims; the author sees decisions, reasons and appeal rights',
    params: ItemPathSchema,
    responses: { 200: { description: 'The item', schema: ItemViewSchema } },
    errors: ITEM_ERRORS,
    handle: async (request) => {
      const { command, community } = userScope(request);
      const item = await viewItem(portOf(request), command.actor, community.id, request.params.itemId);
      return answer(item, itemReply(request));
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${ITEM}/claim`,
    auth: 'user',
    operationId: 'claimModerationItem',
    summary: 'Take an item for 15 minutes so that no other moderator works on it (claiming again renews)',
    params: ItemPathSchema,
    responses: { 200: { description: 'The item with its claim', schema: ItemViewSchema } },
    errors: [
      ...ITEM_ERRORS,
      'forbidden',
      'own_item',
      'nothing_to_decide',
      'item_claimed',
      'version_conflict',
    ],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const claimed = await useCases(request).claim(command, community.id, request.params.itemId);
      return answer(claimed, itemReply(request));
    },
  }),

  defineRoute({
    method: 'DELETE',
    path: `${ITEM}/claim`,
    auth: 'user',
    operationId: 'releaseModerationItem',
    summary: 'Give a claim back before its 15 minutes are up (its holder)',
    params: ItemPathSchema,
    responses: { 200: { description: 'The item without a claim', schema: ItemViewSchema } },
    errors: [...ITEM_ERRORS, 'forbidden', 'not_claimed', 'item_claimed', 'version_conflict'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const released = await useCases(request).release(command, community.id, request.params.itemId);
      return answer(released, itemReply(request));
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${ITEM}/decisions`,
    auth: 'user',
    operationId: 'decideModerationItem',
    summary:
      'Approve, reject, hide or restore (moderator; an appeal: council), with a reason code from the list',
    description:
      'Reject and hide need a `reasonCode` (see `GET …/moderation/reasons`); its text is shown to the author in ' +
      'uk and en. Send the `version` you looked at: if the item changed since (another decision), the answer ' +
      'is 409 and nothing is written. The same decision sent again by the same person (same `decision`, ' +
      '`reasonCode` and `note`) on an item that stands by it is answered 200 with the item as it is and writes ' +
      'nothing (no second decision, event or audit entry), whichever `version` it carries: a retry is safe. ' +
      'The item id of a published subject that never was in the queue is ' +
      '`<type>.<id>` all the same (e.g. `petition.<petitionId>`).',
    params: ItemPathSchema,
    body: DecisionBodySchema,
    responses: { 200: { description: 'The decided item', schema: ItemViewSchema } },
    errors: [
      ...ITEM_ERRORS,
      'forbidden',
      'own_item',
      'reason_required',
      'item_claimed',
      'invalid_state',
      'version_conflict',
    ],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const decided = await useCases(request).decide(command, community, request.params.itemId, request.body);
      return answer(decided, itemReply(request));
    },
  }),

  defineRoute({
    method: 'POST',
    path: `${ITEM}/reports`,
    auth: 'user',
    operationId: 'reportModerationItem',
    summary:
      "Report something published (resident, once per item); at the community's threshold it is hidden",
    params: ItemPathSchema,
    body: ReportBodySchema,
    responses: {
      201: { description: 'Reported', schema: ReportResultSchema },
      200: { description: 'Reported before by this person; not counted again', schema: ReportResultSchema },
    },
    errors: [
      ...ITEM_ERRORS,
      'not_eligible',
      'not_reportable',
      'invalid_state',
      'version_conflict',
      'rate_limited',
    ],
    handle: limitedBy(
      LimitedAction.reportCreate,
      async (request) => {
        const { command, community } = userScope(request);
        const reported = await useCases(request).report(
          command,
          community,
          request.params.itemId,
          request.body,
        );
        return answer(reported, (result) => ({
          status: result.alreadyReported ? 200 : 201,
          body: { alreadyReported: result.alreadyReported, itemId: result.item.id },
        }));
        // A repeated report writes nothing (200), so it costs the resident no unit.
      },
      { wrote: (reply) => 'status' in reply && reply.status === 201 },
    ),
  }),

  defineRoute({
    method: 'POST',
    path: `${ITEM}/appeal`,
    auth: 'user',
    operationId: 'appealModerationItem',
    summary: 'Appeal a rejection or a hide, once (the author); the council decides',
    params: ItemPathSchema,
    body: AppealBodySchema,
    responses: { 200: { description: 'The item, now waiting for the council', schema: ItemViewSchema } },
    errors: [...ITEM_ERRORS, 'not_author', 'already_appealed', 'not_appealable', 'version_conflict'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const { itemId } = request.params;
      const appealed = await useCases(request).appeal(command, community.id, itemId, request.body.text);
      return answer(appealed, itemReply(request));
    },
  }),

  defineRoute({
    method: 'GET',
    path: `${BASE}/reasons`,
    auth: 'public',
    operationId: 'listModerationReasons',
    summary: 'The reason codes shared by every tool, with the uk/en text authors are shown',
    params: ModerationPathSchema,
    cache: { maxAgeSeconds: 3600 },
    responses: { 200: { description: 'The reason codes', schema: ReasonListSchema } },
    errors: ['community_not_found'],
    handle: async () => ({ status: 200, body: reasonList() }),
  }),

  defineRoute({
    method: 'GET',
    path: `${BASE}/report`,
    auth: 'public',
    operationId: 'getModerationTransparencyReport',
    summary: 'Transparency report: decisions by tool, reason code and month, median time to decision',
    description:
      '`from` inclusive, `to` exclusive (dates or instants, UTC); by default the last 365 days, at most ' +
      `${REPORT_MAX_DAYS} days (400 \`validation_failed\` beyond). A period with more than ` +
      `${REPORT_MAX_DECISIONS} decisions is refused with 422 \`report_too_large\`: ask for a shorter one.`,
    params: ModerationPathSchema,
    query: TransparencyQuerySchema,
    cache: { maxAgeSeconds: 300 },
    responses: { 200: { description: 'The report', schema: TransparencyReportSchema } },
    errors: ['community_not_found', 'validation_failed', 'report_too_large'],
    handle: async (request) => {
      const community = request.community as Community;
      const limit = reportMaxDecisions(request.config);
      const made = await transparency(portOf(request), community, request.query, request.clock.now(), limit);
      return answer(made, (body) => ({ status: 200, body }));
    },
  }),
];

/** The moderation centre: one queue for every tool, claims, decisions, reports, appeals, transparency. */
export const moderationTool: ToolDefinition = {
  name: 'moderation',
  entry: 'functions/moderation/http.ts',
  routes,
  tableActions: TABLE_READ_WRITE,
  indexes: ['GSI1', 'GSI2', 'GSI3', 'GSI4'],
};
