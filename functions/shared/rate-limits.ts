import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type LimitedAction,
  type RateCounter,
  type RateCounterKey,
  rateLimited,
  rateWindow,
} from '../../domain/communities/limits';
import { hasRole, Role } from '../../domain/identity/actor';
import { documentClient } from './dynamo';
import { Entity, keys } from './keys';
import type { RouteReply, RouteRequest } from './routes';
import { TABLE } from './table';

/**
 * How long a counter outlives its window before DynamoDB may delete it. A new
 * window is a new item, so an old one is never read again; the hour covers a
 * container whose clock runs a little behind and still counts into it.
 */
export const COUNTER_TTL_MARGIN_SECONDS = 60 * 60;

const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

/**
 * The counters in the table: one item per community, resident, action and
 * window, counted by one conditional `UpdateItem`, so that concurrent requests
 * of one resident can never together pass the limit.
 */
export function dynamoRateCounter(client: DynamoDBDocumentClient, tableName: string): RateCounter {
  const keyOf = (key: RateCounterKey) =>
    keys.rateCounter(key.communityId, key.residentKey, key.action, key.window.startsAt);
  const names = { '#count': 'count' };
  return {
    consume: async (key, limit) => {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keyOf(key),
            UpdateExpression: 'ADD #count :one SET #entity = :entity, #expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: { ...names, '#entity': 'entity', '#expiresAt': TABLE.ttlAttribute },
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': limit,
              ':entity': Entity.rateCounter,
              ':expiresAt': key.window.endsAt + COUNTER_TTL_MARGIN_SECONDS,
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    // A counter back at zero stays until its TTL: deleting it would cost a request and a grant
    // (DeleteItem) that the tools writing comments and answers otherwise do without.
    release: async (key) => {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keyOf(key),
            UpdateExpression: 'ADD #count :minusOne',
            ConditionExpression: '#count > :zero',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
}

/** The counters of the request's table. */
const tableCounter = (request: RouteRequest): RateCounter =>
  dynamoRateCounter(documentClient(request.config), request.config.tableName);

/** Moderators and the council act for the community: their own actions are not limited. */
const isStaff = (request: RouteRequest): boolean =>
  hasRole(request.actor, Role.moderator) || hasRole(request.actor, Role.council);

/** How a limited route counts: the counters (a fake in unit tests), and which replies wrote something. */
export interface LimitOptions {
  readonly counterFor?: (request: RouteRequest) => RateCounter;
  /** Whether the reply wrote; a unit is given back when not. By default every reply but a problem. */
  readonly wrote?: (reply: RouteReply) => boolean;
}

/**
 * A route's handler behind the community's limit on `action` for the caller:
 * the one way each limited route counts. The stack has already validated the
 * body, so a malformed request costs nothing; then one unit is counted
 * (past the limit: 429 `rate_limited` with `Retry-After`, and the handler does
 * not run); then the handler writes. A write the handler refuses (not open,
 * not eligible, …), or answers that nothing new was written (`wrote`), gives
 * its unit back, so that only what was written counts.
 * While a write is being tried its unit is held: of requests sent at once,
 * those past the limit are refused even if some of the others then fail.
 * A handler that throws keeps its unit (whether it wrote is unknown).
 * @example handle: limitedBy(LimitedAction.commentCreate, async (request) => …)
 */
export function limitedBy<Params, Query, Body>(
  action: LimitedAction,
  handle: (request: RouteRequest<Params, Query, Body>) => Promise<RouteReply>,
  options: LimitOptions = {},
): (request: RouteRequest<Params, Query, Body>) => Promise<RouteReply> {
  const { counterFor = tableCounter, wrote = (reply: RouteReply) => !('error' in reply) } = options;
  return async (request) => {
    const { actor, community } = request;
    if (!actor || !community) throw new Error(`limitedBy(${action}) on a route without actor or community`);
    if (isStaff(request)) return handle(request);

    const rule = community.settings.limits[action];
    const key: RateCounterKey = {
      communityId: community.id,
      residentKey: actor.signerKey,
      action,
      window: rateWindow(request.clock.now(), rule.windowSeconds),
    };
    const counter = counterFor(request);
    if (!(await counter.consume(key, rule.limit))) {
      return {
        error: rateLimited(action, rule, key.window),
        headers: { 'retry-after': String(key.window.retryAfterSeconds) },
      };
    }
    const reply = await handle(request);
    if (!wrote(reply)) await counter.release(key);
    return reply;
  };
}
