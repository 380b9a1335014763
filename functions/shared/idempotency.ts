import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { ValidationError } from '../../domain/errors';
import { dynamoClient } from './clients';
import { env } from './env';

/**
 * `Idempotency-Key` on POST (DESIGN §6) through Powertools idempotency on DynamoDB: the first
 * answer is stored (24 h) and a repeat with the same key, tenant and route gets it back
 * without running the use case again; the same key with another body is refused (422); a
 * repeat while the first is still running gets 409. Errors are not stored, so a refused
 * request may be retried with the same key once corrected.
 */

export const idempotencyHeader = 'idempotency-key';
const keyPattern = /^[\x21-\x7e]{8,255}$/;

export interface IdempotentCall<T> {
  readonly tenantId: string;
  /**
   * Who is calling (the JWT subject). Part of the key: a stored answer is only ever replayed
   * to the caller it was given to, so another user repeating the same key and body is
   * authorized afresh instead of receiving someone else's answer (found by the authz matrix).
   */
  readonly caller: string;
  readonly routeKey: string;
  readonly path: string;
  readonly key: string;
  readonly payload: unknown;
  readonly run: () => Promise<T>;
}

/** The answer plus whether it was replayed from the store. */
export interface IdempotentOutcome<T> {
  readonly result: T;
  readonly replayed: boolean;
}

let persistence: DynamoDBPersistenceLayer | undefined;

function persistenceStore(): DynamoDBPersistenceLayer {
  persistence ??= new DynamoDBPersistenceLayer({
    tableName: env.idempotencyTable,
    awsSdkV3Client: dynamoClient(),
  });
  return persistence;
}

const config = new IdempotencyConfig({
  // Scoped by tenant, route and caller: two tenants, routes or users may use the same key.
  eventKeyJmesPath: '[tenantId, routeKey, path, key, caller]',
  payloadValidationJmesPath: 'payload',
  expiresAfterSeconds: 24 * 60 * 60,
  throwOnNoIdempotencyKey: true,
});

export function checkIdempotencyKey(key: string): void {
  if (!keyPattern.test(key)) {
    throw new ValidationError('the Idempotency-Key header is malformed', [
      { path: 'headers.idempotency-key', message: 'use 8–255 printable ASCII characters, e.g. a UUID' },
    ]);
  }
}

/** Runs `call.run` at most once per (tenant, route, path, key, caller). */
export async function runIdempotently<T>(call: IdempotentCall<T>, context: Context): Promise<IdempotentOutcome<T>> {
  checkIdempotencyKey(call.key);
  config.registerLambdaContext(context);
  let ran = false;
  // The wrapped function's argument is what Powertools hashes; `run` is a closure so it is not.
  const execute = makeIdempotent(
    async (_data: { tenantId: string; routeKey: string; path: string; key: string; caller: string; payload: unknown }): Promise<T> => {
      ran = true;
      return call.run();
    },
    { persistenceStore: persistenceStore(), config },
  );
  const result = await execute({
    tenantId: call.tenantId,
    routeKey: call.routeKey,
    path: call.path,
    key: call.key,
    caller: call.caller,
    payload: call.payload ?? null,
  });
  return { result, replayed: !ran };
}
