import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dynamoClientRateLimiter, type ClientRateLimiter } from '../adapters/dynamodb/client-rate-limit';
import { documentClient } from './clients';
import { env } from './env';
import { TooManyRequestsError } from './errors';
import { routeKeyOf, type RouteSpec } from './route';

/**
 * Each client's share of a route (RouteSpec.clientLimit, issue 13), enforced by the shared
 * HTTP edge once the input is valid and before the use case runs. The client is the source
 * address API Gateway saw (requestContext.http.sourceIp; the local adapter sets the socket's).
 *
 * `XIUHUA_RATE_LIMITS=off` turns the check (and the local adapter's route throttle) off: the test suites that post hundreds of
 * complaints from one address (fuzz, faults, authz) set it; `npm start` and AWS never do.
 */

let limiter: ClientRateLimiter | undefined;

function defaultLimiter(): ClientRateLimiter {
  limiter ??= dynamoClientRateLimiter(documentClient(), env.mainTable);
  return limiter;
}

export async function checkClientLimit(spec: RouteSpec, event: APIGatewayProxyEventV2, given?: ClientRateLimiter, nowMs = Date.now()): Promise<void> {
  const limit = spec.clientLimit;
  if (limit === undefined || process.env['XIUHUA_RATE_LIMITS'] === 'off') return;
  const client = event.requestContext?.http?.sourceIp ?? 'unknown';
  const decision = await (given ?? defaultLimiter())(limit.group ?? routeKeyOf(spec), client, limit, nowMs);
  if (!decision.allowed) throw new TooManyRequestsError(limit, decision.retryAfterSeconds);
}
