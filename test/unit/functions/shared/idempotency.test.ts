import { IdempotencyItemAlreadyExistsError } from '@aws-lambda-powertools/idempotency';
import { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand, type AttributeValue, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { OwnedPersistenceLayer, startSeenBy } from '../../../../functions/shared/idempotency';

/**
 * The idempotency store under faults (issue 8, test/faults): an in-progress put whose answer
 * was lost is recognised as the request's own when the SDK's retry finds it; releasing a record
 * and storing an answer are retried past a few failures. aws-sdk-client-mock injects the faults.
 */

const client = new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const dynamo = mockClient(client);

class Exposed extends OwnedPersistenceLayer {
  put(record: IdempotencyRecord): Promise<void> {
    return this._putRecord(record);
  }
  remove(record: IdempotencyRecord): Promise<void> {
    return this._deleteRecord(record);
  }
  update(record: IdempotencyRecord): Promise<void> {
    return this._updateRecord(record);
  }
  /** The start the in-progress put hands to the request (request-ids.ts). */
  startOf(record: IdempotencyRecord): Promise<number | undefined> {
    return startSeenBy(() => this._putRecord(record));
  }
}

const layer = new Exposed({ tableName: 'idempotency', awsSdkV3Client: client });
const record = (): IdempotencyRecord =>
  new IdempotencyRecord({ idempotencyKey: 'xiuhua#abc', status: 'INPROGRESS', expiryTimestamp: 2_000_000_000, inProgressExpiryTimestamp: Date.now() + 29_000, payloadHash: 'hash' });
type Item = Record<string, AttributeValue>;
/** The item an in-progress put writes (its SET values), as the condition failure returns it. */
const written = (input: UpdateItemCommandInput): Item => ({ ...input.Key, owner: input.ExpressionAttributeValues![':owner']!, started: input.ExpressionAttributeValues![':now_in_millis']! });
const isPut = (input: UpdateItemCommandInput): boolean => input.UpdateExpression?.includes('#owner = :owner') === true;
const isRelease = (input: UpdateItemCommandInput): boolean => input.UpdateExpression?.includes(':released') === true;
const conditionFailed = (item: Item | undefined): ConditionalCheckFailedException =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: { httpStatusCode: 400 }, ...(item === undefined ? {} : { Item: item }) });
const throttled = (): Error => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

afterEach(() => {
  dynamo.reset();
});

describe('OwnedPersistenceLayer', () => {
  it('writes the in-progress record with an owner token and its first start on the same conditions as Powertools', async () => {
    // Prepare
    dynamo.on(UpdateItemCommand).resolves({});

    // Act
    await layer.put(record());

    // Assess
    const input = dynamo.commandCalls(UpdateItemCommand)[0]!.args[0].input;
    expect(input.Key).toEqual({ id: { S: 'xiuhua#abc' } });
    expect(input.UpdateExpression).toBe('SET #expiry = :expiry, #status = :status, #owner = :owner, #started = if_not_exists(#started, :now_in_millis), #in_progress_expiry = :in_progress_expiry REMOVE #data');
    expect(input.ExpressionAttributeValues).toMatchObject({ ':status': { S: 'INPROGRESS' }, ':expiry': { N: '2000000000' } });
    expect(input.ExpressionAttributeValues?.[':owner']?.S).toMatch(/^[0-9a-f-]{36}$/);
    expect(input.ConditionExpression).toBe('attribute_not_exists(#id) OR #expiry < :now OR (#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)');
    expect(input.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('takes a failed condition on its own record (the first answer was lost, the SDK retried) as success', async () => {
    // Prepare: the retry finds the item the first attempt wrote.
    dynamo.on(UpdateItemCommand).callsFake((input: UpdateItemCommandInput) => {
      throw conditionFailed(written(input));
    });

    // Act
    const put = layer.put(record());

    // Assess
    await expect(put).resolves.toBeUndefined();
  });

  it('retries a put the SDK gave up on, and finds its own record when one of the failed attempts had written it', async () => {
    // Prepare: the first attempt wrote the record but its answer was lost and the SDK's retries
    // were throttled (the failure reaches the layer); the layer's next attempt finds the record.
    let stored: Item | undefined;
    dynamo.on(UpdateItemCommand).callsFake((input: UpdateItemCommandInput) => {
      if (stored === undefined) {
        stored = written(input);
        throw throttled();
      }
      throw conditionFailed(stored);
    });

    // Act
    const put = layer.put(record());

    // Assess: the request holds the record instead of leaving it in progress for no one.
    await expect(put).resolves.toBeUndefined();
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(2);
  });

  it("refuses another request's record as already existing (Powertools then reads it: replay, 409 or 422)", async () => {
    // Prepare
    dynamo.on(UpdateItemCommand).callsFake((input: UpdateItemCommandInput) => {
      throw conditionFailed({ ...written(input), owner: { S: 'someone-else' } });
    });

    // Act
    const put = layer.put(record());

    // Assess
    await expect(put).rejects.toBeInstanceOf(IdempotencyItemAlreadyExistsError);
  });

  it('retries releasing a record and storing an answer past failures the SDK gave up on', async () => {
    // Prepare: two failures each, then success.
    let releases = 0;
    let answers = 0;
    dynamo.on(UpdateItemCommand).callsFake((input: UpdateItemCommandInput) => {
      const count = isRelease(input) ? (releases += 1) : (answers += 1);
      if (count <= 2) throw throttled();
      return {};
    });

    // Act
    await layer.remove(record());
    await layer.update(record());

    // Assess
    expect(releases).toBe(3);
    expect(answers).toBe(3);
  });

  it('gives up after six attempts and lets the failure through (the caller gets a retryable 503)', async () => {
    // Prepare
    dynamo.on(UpdateItemCommand).rejects(throttled());

    // Act
    const removed = layer.remove(record());

    // Assess
    await expect(removed).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(6);
  });

  it('releases a failed attempt by expiring its in-progress time, not by deleting it, so its first start survives', async () => {
    // Prepare
    dynamo.on(UpdateItemCommand).resolves({});

    // Act
    await layer.remove(record());

    // Assess: the record stays; Powertools' own put condition takes an expired in-progress record as free.
    const input = dynamo.commandCalls(UpdateItemCommand)[0]!.args[0].input;
    expect(input.UpdateExpression).toBe('SET #in_progress_expiry = :released REMOVE #owner');
    expect(input.ExpressionAttributeValues?.[':released']).toEqual({ N: '0' });
    expect(input.UpdateExpression).not.toContain('#started');
  });

  it('seeds the request with the first start of a released attempt, and a reused completed key with its own', async () => {
    // Prepare: a released attempt that started at 1 700 000 000 000, then a completed record.
    const released: Item = { id: { S: 'xiuhua#abc' }, status: { S: 'INPROGRESS' }, in_progress_expiration: { N: '0' }, started: { N: '1700000000000' } };
    const completed: Item = { id: { S: 'xiuhua#abc' }, status: { S: 'COMPLETED' }, expiration: { N: '1' }, started: { N: '1600000000000' } };
    let before: Item = released;
    dynamo.on(UpdateItemCommand).callsFake((input: UpdateItemCommandInput) => (isPut(input) ? { Attributes: before } : {}));

    // Act
    const afterRelease = await layer.startOf(record());
    before = completed;
    const afterCompletion = await layer.startOf(record());

    // Assess: the retry keeps the first start; the reused key starts now (and says so in its record).
    expect(afterRelease).toBe(1_700_000_000_000);
    expect(afterCompletion).toBeGreaterThan(1_700_000_000_000);
    const restart = dynamo.commandCalls(UpdateItemCommand).map((call) => call.args[0].input).find((input) => input.UpdateExpression === 'SET #started = :now_in_millis');
    expect(restart?.ExpressionAttributeValues?.[':now_in_millis']).toEqual({ N: String(afterCompletion) });
  });
});
