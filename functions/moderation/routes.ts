import type { Community } from '../../domain/communities/community';
import { forbidden } from '../../domain/communities/permissions';
import type { ModerationItem } from '../../domain/moderation/item';
import { isItemAuthor, mayViewQueue } from '../../domain/moderation/permissions';
import { transparencyReport } from '../../domain/moderation/transparency';
import { text } from '../../domain/shared/localized';
import type { DomainError } from '../../domain/shared/outcome';
import type { ProblemCode } from '../../domain/shared/problem-codes';
import type { AppConfig } from '../shared/config';
import { documentClient } from '../shared/dynamo';
import { PageQuerySchema } from '../shared/pagination';
import {
  type AnyRoute,
  defineRoute,
  type RouteReply,
  type RouteRequest,
  type ToolDefinition,
  userScope,
} from '../shared/routes';
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
import { appeal, claim, decide, itemNotFound, release, report } from './service';
import { dynamoModerationStore } from './store';
import type { SubjectDeps } from './subjects';

const BASE = '/v1/communities/{communityId}/moderation';
const ITEM = `${BASE}/items/{itemId}`;

const depsOf = (request: RouteRequest): SubjectDeps => ({
  client: documentClient(request.config),
  tableName: request.config.tableName,
});

const storeFor = (request: RouteRequest) =>
  dynamoModerationStore(depsOf(request).client, request.config.tableName);

/** An item (or a refusal) as the caller may see it. */
function reply(request: RouteRequest, result: ModerationItem | DomainError, status = 200): RouteReply {
  if ('code' in result) return { error: result };
  const { command, community } = userScope(request);
  return {
    status,
    body: itemView(result, {
      staff: mayViewQueue(command.actor),
      actor: command.actor,
      slaDays: community.settings.moderationSlaDays,
      now: command.clock.now(),
    }),
    headers: { 'cache-control': 'no-store' },
  };
}

const ITEM_ERRORS: readonly ProblemCode[] = ['community_not_found', 'item_not_found'];
const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;
/** The longest period one report covers: a leap year, with the default 365 days inside it. */
export const REPORT_MAX_DAYS = 366;
/**
 * The most decisions one report reads (about 200 bytes each: a few 1 MB
 * queries). A busier period is refused with `report_too_large`, never
 * answered from part of it: the median must be of every decision.
 */
export const REPORT_MAX_DECISIONS = 20_000;

/** The decisions a report may read: `REPORT_MAX_DECISIONS` from the environment (tests make it small), else the default. */
const reportMaxDecisions = (config: Pick<AppConfig, 'reportMaxDecisions'>): number =>
  config.reportMaxDecisions ?? REPORT_MAX_DECISIONS;

/** A `from`/`to` query value as an instant: a calendar date means its first moment (UTC). */
const instant = (value: string): string =>
  new Date(value.length === 10 ? `${value}T00:00:00.000Z` : value).toISOString();

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
      if (!mayViewQueue(command.actor)) return { error: forbidden('moderator') };
      const page = await storeFor(request).queue({ communityId: community.id, ...request.query });
      const viewer = {
        staff: true,
        actor: command.actor,
        slaDays: community.settings.moderationSlaDays,
        now: command.clock.now(),
      };
      return {
        status: 200,
        body: {
          items: page.items.map((item) => itemView(item, viewer)),
          ...(page.cursor ? { cursor: page.cursor } : {}),
        },
        headers: { 'cache-control': 'no-store' },
      };
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
      const { limit, cursor } = request.query;
      const page = await storeFor(request).byAuthor(community.id, command.actor.signerKey, {
        limit,
        ...(cursor ? { cursor } : {}),
      });
      const viewer = {
        staff: false,
        actor: command.actor,
        slaDays: community.settings.moderationSlaDays,
        now: command.clock.now(),
      };
      return {
        status: 200,
        body: {
          items: page.items.map((item) => itemView(item, viewer)),
          ...(page.cursor ? { cursor: page.cursor } : {}),
        },
        headers: { 'cache-control': 'no-store' },
      };
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
      const item = await storeFor(request).get(community.id, request.params.itemId);
      // Anyone else learns nothing, not even that the item exists.
      if (!item || !(mayViewQueue(command.actor) || isItemAuthor(command.actor, item))) {
        return { error: itemNotFound(request.params.itemId) };
      }
      return reply(request, item);
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
    errors: [...ITEM_ERRORS, 'forbidden', 'nothing_to_decide', 'item_claimed', 'version_conflict'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      if (!mayViewQueue(command.actor)) return { error: forbidden('moderator') };
      return reply(request, await claim(depsOf(request), command, community.id, request.params.itemId));
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
      if (!mayViewQueue(command.actor)) return { error: forbidden('moderator') };
      return reply(request, await release(depsOf(request), command, community.id, request.params.itemId));
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
      'is 409 and nothing is written. The item id of a published subject that never was in the queue is ' +
      '`<type>.<id>` all the same (e.g. `petition.<petitionId>`).',
    params: ItemPathSchema,
    body: DecisionBodySchema,
    responses: { 200: { description: 'The decided item', schema: ItemViewSchema } },
    errors: [
      ...ITEM_ERRORS,
      'forbidden',
      'reason_required',
      'item_claimed',
      'invalid_state',
      'version_conflict',
    ],
    handle: async (request) => {
      const { command, community } = userScope(request);
      if (!mayViewQueue(command.actor)) return { error: forbidden('moderator') };
      return reply(
        request,
        await decide(depsOf(request), command, community, request.params.itemId, request.body),
      );
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
    errors: [...ITEM_ERRORS, 'not_eligible', 'not_reportable', 'invalid_state', 'version_conflict'],
    handle: async (request) => {
      const { command, community } = userScope(request);
      const result = await report(depsOf(request), command, community, request.params.itemId, request.body);
      if ('code' in result) return { error: result };
      return {
        status: result.alreadyReported ? 200 : 201,
        body: { alreadyReported: result.alreadyReported, itemId: result.item.id },
      };
    },
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
      const item = await storeFor(request).get(community.id, request.params.itemId);
      // Only the author may know the item exists; staff get the same answer as for a missing one.
      if (!item || !isItemAuthor(command.actor, item)) return { error: itemNotFound(request.params.itemId) };
      return reply(
        request,
        await appeal(depsOf(request), command, community.id, request.params.itemId, request.body.text),
      );
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
      const to = request.query.to ? instant(request.query.to) : new Date().toISOString();
      const from = request.query.from
        ? instant(request.query.from)
        : new Date(Date.parse(to) - YEAR_MS).toISOString();
      if (from >= to) {
        return {
          error: {
            code: 'validation_failed',
            message: text(
              'Початок періоду (from) має бути раніше за кінець (to).',
              'The start of the period (from) must be before its end (to).',
            ),
            details: { errors: [{ pointer: '/query/from', detail: 'must be before to' }] },
          },
        };
      }
      if (Date.parse(to) - Date.parse(from) > REPORT_MAX_DAYS * DAY_MS) {
        return {
          error: {
            code: 'validation_failed',
            message: text(
              `Звіт охоплює щонайбільше ${REPORT_MAX_DAYS} днів: звузьте період між from і to.`,
              `A report covers at most ${REPORT_MAX_DAYS} days: narrow the period between from and to.`,
            ),
            details: {
              errors: [{ pointer: '/query/from', detail: `at most ${REPORT_MAX_DAYS} days before to` }],
            },
          },
        };
      }
      const limit = reportMaxDecisions(request.config);
      const read = await storeFor(request).decisionsBetween(community.id, from, to, limit);
      if (!read.complete) {
        return {
          error: {
            code: 'report_too_large',
            message: text(
              `У цьому періоді понад ${limit} рішень. Запросіть коротший період (from, to), наприклад квартал.`,
              `This period has more than ${limit} decisions. Ask for a shorter period (from, to), e.g. a quarter.`,
            ),
            details: { limit },
          },
        };
      }
      return { status: 200, body: transparencyReport(read.decisions, from, to) };
    },
  }),
];

/** The moderation centre: one queue for every tool, claims, decisions, reports, appeals, transparency. */
export const moderationTool: ToolDefinition = {
  name: 'moderation',
  entry: 'functions/moderation/http.ts',
  routes,
  tableActions: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:TransactWriteItems',
  ],
};
