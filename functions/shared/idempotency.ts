import { randomUUID } from 'node:crypto';
import { IdempotencyConfig, IdempotencyItemAlreadyExistsError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { ConditionalCheckFailedException, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
 *
 * Under faults (test/faults, issue 8) two things of Powertools' DynamoDB layer needed help:
 * - the in-progress record is a conditional put; when its answer is lost (a timeout after the
 *   write) the SDK's retry finds the record and Powertools took it for another request in
 *   progress, so the caller got 409 until the Lambda's timeout passed. Each put now carries an
 *   owner token, and a put that finds its own token took the record (OwnedPersistenceLayer).
 *   The put is retried past the SDK's attempts too: an attempt that wrote the record followed
 *   by attempts that failed would otherwise leave it in progress with no one to release it;
 * - when releasing the record after a failure (delete) or storing the answer (update) fails
 *   after the SDK's own retries, the key stays blocked until the in-progress expiry, and a
 *   stored answer would be lost although the use case ran. Both are retried here a few more
 *   times before giving up (the caller then gets a retryable 503 or the 409 with Retry-After).
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

/** Extra attempts (after the SDK's own) for releasing a record or storing an answer. */
const persistenceAttempts = 6;

/** Attribute naming the request that wrote the in-progress record. */
const ownerAttribute = 'owner';

async function persistently<T>(write: () => Promise<T>, retryable: (error: unknown) => boolean = () => true): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= persistenceAttempts || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(400, 20 * 2 ** attempt) * (0.5 + Math.random() / 2)));
    }
  }
}

/**
 * Powertools' DynamoDB layer, with the in-progress put owned by the request that made it and
 * the release and the answer retried (see the module comment). The put below is Powertools'
 * own (2.x, DynamoDBPersistenceLayer._putRecord) plus the owner attribute and its check.
 */
export class OwnedPersistenceLayer extends DynamoDBPersistenceLayer {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(config: { readonly tableName: string; readonly awsSdkV3Client: DynamoDBClient }) {
    super(config);
    this.#client = config.awsSdkV3Client;
    this.#tableName = config.tableName;
  }

  protected override async _putRecord(record: IdempotencyRecord): Promise<void> {
    const owner = randomUUID();
    // Powertools' default attribute names (PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS), key `id`, no sort key.
    const item: Record<string, AttributeValue> = {
      ...this.getKey(record.idempotencyKey),
      expiration: { N: String(record.expiryTimestamp ?? 0) },
      status: { S: record.getStatus() },
      [ownerAttribute]: { S: owner },
      ...(record.inProgressExpiryTimestamp === undefined ? {} : { in_progress_expiration: { N: String(record.inProgressExpiryTimestamp) } }),
      ...(this.isPayloadValidationEnabled() && record.payloadHash !== undefined ? { validation: { S: record.payloadHash } } : {}),
    };
    const now = Date.now();
    try {
      // Retried past the SDK's own attempts as well: when one attempt wrote the record and its
      // answer was lost, a put that then gives up would leave the key in progress (409) for the
      // Lambda's whole timeout; a later attempt finds the record with our owner token instead.
      await persistently(() => this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: item,
          ExpressionAttributeNames: { '#id': 'id', '#expiry': 'expiration', '#in_progress_expiry': 'in_progress_expiration', '#status': 'status' },
          ExpressionAttributeValues: { ':now': { N: String(now / 1000) }, ':now_in_millis': { N: String(now) }, ':inprogress': { S: 'INPROGRESS' } },
          ConditionExpression: 'attribute_not_exists(#id) OR #expiry < :now OR (#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ), (error) => !(error instanceof ConditionalCheckFailedException));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Our own put, whose first answer was lost and whose SDK retry found it: we hold the record.
      if (error.Item?.[ownerAttribute]?.S === owner) return;
      // Powertools reads the existing record itself and answers from it (replay, 409, 422).
      throw new IdempotencyItemAlreadyExistsError(`Failed to put record for already existing idempotency key: ${record.idempotencyKey}`);
    }
  }

  protected override _deleteRecord(record: IdempotencyRecord): Promise<void> {
    return persistently(() => super._deleteRecord(record));
  }

  protected override _updateRecord(record: IdempotencyRecord): Promise<void> {
    return persistently(() => super._updateRecord(record));
  }
}

let persistence: DynamoDBPersistenceLayer | undefined;

function persistenceStore(): DynamoDBPersistenceLayer {
  persistence ??= new OwnedPersistenceLayer({
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
