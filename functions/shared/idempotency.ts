import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { IdempotencyConfig, IdempotencyItemAlreadyExistsError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { ConditionalCheckFailedException, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { ValidationError } from '../../domain/errors';
import { dynamoClient } from './clients';
import { env } from './env';
import { runWithRequestIds } from './request-ids';

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
 *
 * And one more (issue 13, the fault suite's seed 1725429042): a failed attempt's record is not
 * deleted but released with its first start kept, and the use case runs with ids derived from
 * the request and that start (request-ids.ts). An attempt whose write went through but whose
 * every answer was lost fails with a 503; its retry now draws the same ids, and the stores take
 * the existing items for what they are — this request's, already written — instead of writing
 * a second bid with a second audit entry under new ids.
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
/** The instant (ms) the request was first attempted: the seed of its ids (request-ids.ts). */
const startedAttribute = 'started';

/** What the in-progress put of the running request learnt: when the request first started. */
const claims = new AsyncLocalStorage<{ startedAtMs?: number }>();

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

  /**
   * Powertools' in-progress put (2.x, DynamoDBPersistenceLayer._putRecord: same record, same
   * conditions) as an UpdateItem, so the `started` instant of a released or crashed earlier
   * attempt survives: it seeds the request's ids (request-ids.ts). A record that had completed
   * (its answer expired) starts afresh: a key reused after its record expired is a new request.
   */
  protected override async _putRecord(record: IdempotencyRecord): Promise<void> {
    const owner = randomUUID();
    const now = Date.now();
    const names: Record<string, string> = { '#id': 'id', '#expiry': 'expiration', '#in_progress_expiry': 'in_progress_expiration', '#status': 'status', '#owner': ownerAttribute, '#started': startedAttribute, '#data': 'data' };
    const values: Record<string, AttributeValue> = {
      ':now': { N: String(now / 1000) },
      ':now_in_millis': { N: String(now) },
      ':inprogress': { S: 'INPROGRESS' },
      ':expiry': { N: String(record.expiryTimestamp ?? 0) },
      ':status': { S: record.getStatus() },
      ':owner': { S: owner },
    };
    const sets = ['#expiry = :expiry', '#status = :status', '#owner = :owner', '#started = if_not_exists(#started, :now_in_millis)'];
    if (record.inProgressExpiryTimestamp !== undefined) {
      sets.push('#in_progress_expiry = :in_progress_expiry');
      values[':in_progress_expiry'] = { N: String(record.inProgressExpiryTimestamp) };
    }
    if (this.isPayloadValidationEnabled() && record.payloadHash !== undefined) {
      sets.push('#validation = :validation');
      names['#validation'] = 'validation';
      values[':validation'] = { S: record.payloadHash };
    }
    let started: number;
    try {
      // Retried past the SDK's own attempts as well: when one attempt wrote the record and its
      // answer was lost, a put that then gives up would leave the key in progress (409) for the
      // Lambda's whole timeout; a later attempt finds the record with our owner token instead.
      const { Attributes: before } = await persistently(() => this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: this.getKey(record.idempotencyKey),
          UpdateExpression: `SET ${sets.join(', ')} REMOVE #data`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ConditionExpression: 'attribute_not_exists(#id) OR #expiry < :now OR (#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)',
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ), (error) => !(error instanceof ConditionalCheckFailedException));
      // A record that was not in progress had completed and expired: its key is a new request's.
      const reused = before !== undefined && before['status']?.S !== 'INPROGRESS';
      started = reused ? now : numberOf(before?.[startedAttribute]) ?? now;
      if (reused && before[startedAttribute] !== undefined) await this.#restart(record, owner, now);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Our own put, whose first answer was lost and whose SDK retry found it: we hold the record.
      if (error.Item?.[ownerAttribute]?.S !== owner) {
        // Powertools reads the existing record itself and answers from it (replay, 409, 422).
        throw new IdempotencyItemAlreadyExistsError(`Failed to put record for already existing idempotency key: ${record.idempotencyKey}`);
      }
      started = numberOf(error.Item[startedAttribute]) ?? now;
    }
    const claim = claims.getStore();
    if (claim !== undefined) claim.startedAtMs = started;
  }

  /** A completed record's key taken again after its expiry: the new request's own start. */
  async #restart(record: IdempotencyRecord, owner: string, now: number): Promise<void> {
    await persistently(() => this.#client.send(
      new UpdateItemCommand({
        TableName: this.#tableName,
        Key: this.getKey(record.idempotencyKey),
        UpdateExpression: 'SET #started = :now_in_millis',
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#started': startedAttribute, '#owner': ownerAttribute },
        ExpressionAttributeValues: { ':now_in_millis': { N: String(now) }, ':owner': { S: owner } },
      }),
    ));
  }

  /**
   * Releases the key after a failed attempt without forgetting when the request started: the
   * record stays in progress with its in-progress expiry in the past, which Powertools' own
   * condition takes as free (as after a crashed Lambda), and its `started` seeds the retry's
   * ids. Deleting it (Powertools' way) let a retry after a lost answer draw new ids and write
   * its records a second time.
   */
  protected override _deleteRecord(record: IdempotencyRecord): Promise<void> {
    return persistently(async () => {
      try {
        await this.#client.send(
          new UpdateItemCommand({
            TableName: this.#tableName,
            Key: this.getKey(record.idempotencyKey),
            UpdateExpression: 'SET #in_progress_expiry = :released REMOVE #owner',
            ConditionExpression: 'attribute_exists(#id) AND #status = :inprogress',
            ExpressionAttributeNames: { '#id': 'id', '#status': 'status', '#in_progress_expiry': 'in_progress_expiration', '#owner': ownerAttribute },
            ExpressionAttributeValues: { ':released': { N: '0' }, ':inprogress': { S: 'INPROGRESS' } },
          }),
        );
      } catch (error) {
        // Nothing in progress to release (gone by TTL, or completed meanwhile): nothing to do.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    });
  }

  protected override _updateRecord(record: IdempotencyRecord): Promise<void> {
    return persistently(() => super._updateRecord(record));
  }
}

function numberOf(value: AttributeValue | undefined): number | undefined {
  const text = value?.N;
  return text === undefined ? undefined : Number(text);
}

/** The first start an in-progress put made within `work` found (what the request's ids are seeded with). */
export async function startSeenBy(work: () => Promise<void>): Promise<number | undefined> {
  const claim: { startedAtMs?: number } = {};
  await claims.run(claim, work);
  return claim.startedAtMs;
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
    throw new ValidationError(
      'the Idempotency-Key header is malformed',
      [{ path: 'headers.idempotency-key', message: 'use 8–255 printable ASCII characters, e.g. a UUID', zh: '请使用 8–255 个可打印的 ASCII 字符，例如一个 UUID' }],
      { zh: 'Idempotency-Key 请求头格式不正确' },
    );
  }
}

/** Runs `call.run` at most once per (tenant, route, path, key, caller). */
export async function runIdempotently<T>(call: IdempotentCall<T>, context: Context): Promise<IdempotentOutcome<T>> {
  checkIdempotencyKey(call.key);
  config.registerLambdaContext(context);
  let ran = false;
  const claim: { startedAtMs?: number } = {};
  // The wrapped function's argument is what Powertools hashes; `run` is a closure so it is not.
  const execute = makeIdempotent(
    async (data: { tenantId: string; routeKey: string; path: string; key: string; caller: string; payload: unknown }): Promise<T> => {
      ran = true;
      // The request's ids derive from the request and its first start, so a retry after a
      // lost answer finds what the first attempt wrote instead of writing it again.
      const scope = createHash('sha256').update(JSON.stringify(data)).digest('base64url');
      return runWithRequestIds({ startedAtMs: claim.startedAtMs ?? Date.now(), scope }, () => call.run());
    },
    { persistenceStore: persistenceStore(), config },
  );
  const result = await claims.run(claim, () => execute({
    tenantId: call.tenantId,
    routeKey: call.routeKey,
    path: call.path,
    key: call.key,
    caller: call.caller,
    payload: call.payload ?? null,
  }));
  return { result, replayed: !ran };
}
