import { createHash } from 'node:crypto';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * A per-client request limit in the main table (issue 13: 63 anonymous Open311 complaints in
 * 6 s, each raising an order). API Gateway's HTTP API throttles per route and stage, never per
 * client, so the client's share is counted here: one counter item per client, route and
 * fixed window, incremented by one conditional UpdateItem that refuses at the limit. No read
 * before the write, so two concurrent requests cannot both take the last place.
 *
 * A fixed window lets a client reach twice the limit across a window boundary; the route's
 * gateway throttle (RouteSpec.throttle) bounds everyone together. Counters expire by TTL
 * (`expiresAt`, the main table's TTL attribute) a window after they close.
 *
 * The client is hashed into the key: an IP address is personal data and the table need not
 * hold it in clear.
 */

export interface ClientLimit {
  /** Requests a client may make per window. */
  readonly requests: number;
  /** The window, in seconds. */
  readonly perSeconds: number;
}

export interface LimitDecision {
  readonly allowed: boolean;
  /** When refused: seconds until the window ends (at least 1). */
  readonly retryAfterSeconds: number;
}

/** Counts one request of `client` on `routeKey` against `limit` at `nowMs`. */
export type ClientRateLimiter = (routeKey: string, client: string, limit: ClientLimit, nowMs: number) => Promise<LimitDecision>;

/** Entity of a counter item (never listed; read by nothing but this limiter). */
export const rateWindowEntity = 'RateWindow';

/** The key of `client`'s counter of `routeKey` for the window starting at `windowStartMs`. */
export function rateWindowKey(routeKey: string, client: string, windowStartMs: number): { pk: string; sk: string } {
  const digest = createHash('sha256').update(`${routeKey}\u0000${client}`).digest('base64url').slice(0, 32);
  return { pk: `RATE#${digest}`, sk: `W#${windowStartMs}` };
}

export function dynamoClientRateLimiter(client: DynamoDBDocumentClient, tableName: string): ClientRateLimiter {
  return async (routeKey, who, limit, nowMs) => {
    const windowMs = limit.perSeconds * 1000;
    const windowStartMs = Math.floor(nowMs / windowMs) * windowMs;
    const windowEndMs = windowStartMs + windowMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((windowEndMs - nowMs) / 1000));
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: rateWindowKey(routeKey, who, windowStartMs),
          UpdateExpression: 'ADD #count :one SET #entity = :entity, #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count', '#entity': 'entity', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit.requests, ':entity': rateWindowEntity, ':expiresAt': Math.ceil((windowEndMs + windowMs) / 1000) },
        }),
      );
      return { allowed: true, retryAfterSeconds: 0 };
    } catch (error) {
      if ((error as { name?: unknown }).name === 'ConditionalCheckFailedException') return { allowed: false, retryAfterSeconds };
      throw error;
    }
  };
}
