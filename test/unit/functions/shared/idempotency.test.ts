import { IdempotencyItemAlreadyExistsError } from '@aws-lambda-powertools/idempotency';
import { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { OwnedPersistenceLayer } from '../../../../functions/shared/idempotency';

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
}

const layer = new Exposed({ tableName: 'idempotency', awsSdkV3Client: client });
const record = (): IdempotencyRecord =>
  new IdempotencyRecord({ idempotencyKey: 'xiuhua#abc', status: 'INPROGRESS', expiryTimestamp: 2_000_000_000, inProgressExpiryTimestamp: Date.now() + 29_000, payloadHash: 'hash' });
const conditionFailed = (item: PutItemCommandInput['Item']): ConditionalCheckFailedException =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: { httpStatusCode: 400 }, ...(item === undefined ? {} : { Item: item }) });
const throttled = (): Error => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

afterEach(() => {
  dynamo.reset();
});

describe('OwnedPersistenceLayer', () => {
  it('writes the in-progress record with an owner token on the same conditions as Powertools', async () => {
    // Prepare
    dynamo.on(PutItemCommand).resolves({});

    // Act
    await layer.put(record());

    // Assess
    const input = dynamo.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(input.Item).toMatchObject({ id: { S: 'xiuhua#abc' }, status: { S: 'INPROGRESS' }, expiration: { N: '2000000000' } });
    expect(input.Item?.['owner']?.S).toMatch(/^[0-9a-f-]{36}$/);
    expect(input.ConditionExpression).toBe('attribute_not_exists(#id) OR #expiry < :now OR (#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)');
    expect(input.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('takes a failed condition on its own record (the first answer was lost, the SDK retried) as success', async () => {
    // Prepare: the retry finds the item the first attempt wrote.
    dynamo.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
      throw conditionFailed(input.Item);
    });

    // Act
    const put = layer.put(record());

    // Assess
    await expect(put).resolves.toBeUndefined();
  });

  it('retries a put the SDK gave up on, and finds its own record when one of the failed attempts had written it', async () => {
    // Prepare: the first attempt wrote the record but its answer was lost and the SDK's retries
    // were throttled (the failure reaches the layer); the layer's next attempt finds the record.
    let written: PutItemCommandInput['Item'];
    dynamo.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
      if (written === undefined) {
        written = input.Item;
        throw throttled();
      }
      throw conditionFailed(written);
    });

    // Act
    const put = layer.put(record());

    // Assess: the request holds the record instead of leaving it in progress for no one.
    await expect(put).resolves.toBeUndefined();
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(2);
  });

  it("refuses another request's record as already existing (Powertools then reads it: replay, 409 or 422)", async () => {
    // Prepare
    dynamo.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
      throw conditionFailed({ ...input.Item, owner: { S: 'someone-else' } });
    });

    // Act
    const put = layer.put(record());

    // Assess
    await expect(put).rejects.toBeInstanceOf(IdempotencyItemAlreadyExistsError);
  });

  it('retries releasing a record and storing an answer past failures the SDK gave up on', async () => {
    // Prepare: two failures each, then success.
    dynamo.on(DeleteItemCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({});
    dynamo.on(UpdateItemCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({});

    // Act
    await layer.remove(record());
    await layer.update(record());

    // Assess
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(3);
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(3);
  });

  it('gives up after six attempts and lets the failure through (the caller gets a retryable 503)', async () => {
    // Prepare
    dynamo.on(DeleteItemCommand).rejects(throttled());

    // Act
    const removed = layer.remove(record());

    // Assess
    await expect(removed).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(dynamo.commandCalls(DeleteItemCommand)).toHaveLength(6);
  });
});
