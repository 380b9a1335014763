import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  type CancellationReason,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConflictError, StaleVersionError, ValidationError } from '../../../../../domain/errors';
import type { SegmentWrite } from '../../../../../domain/ports';
import type { Segment } from '../../../../../domain/segments/schema';
import { decodeCursor, encodeCursor } from '../../../../../functions/adapters/dynamodb/cursor';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';
import { DynamoSegmentStore } from '../../../../../functions/adapters/dynamodb/segment-store';
import {
  centuryAvenue,
  peoplesSquare,
  segmentFixture,
  tenantId,
  windingPudongLine,
} from '../../../../helpers/fakes';
import { TemporarilyUnavailableError } from '../../../../../functions/shared/errors';

/* Every write puts its audit entry into the audit table (issue 8); the stores learn its name from the environment. */
process.env['AUDIT_TABLE_NAME'] ??= 'xiuhua-unit-audit';

/*
 * The store is given a DynamoDBDocumentClient, so the mock is on that class: a mock of
 * DynamoDBClient does not intercept a document client built with `.from()` (its `send` is
 * the document client's own), and the request would go to the network.
 */
const documentMock = mockClient(DynamoDBDocumentClient);
const tableName = 'xiuhua-unit-main';
const store = new DynamoSegmentStore(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } })),
  tableName,
);

beforeEach(() => {
  documentMock.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(() => {
  documentMock.restore();
});

/** A stored item: the segment plus the key attributes the store adds. */
function itemOf(segment: Segment): Record<string, unknown> {
  return {
    ...keys.segment(segment.tenantId, segment.segmentId),
    ...keys.segmentByStreet(segment.tenantId, segment.street, segment.segmentId),
    entity: 'Segment',
    ...segment,
  };
}

function cancelled(reasons: CancellationReason[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: reasons,
  });
}

/** `count` distinct segments along Pudong roads, each at `version`. */
function manySegments(count: number, geometry: (index: number) => Segment['geometry'] = () => centuryAvenue): Segment[] {
  return Array.from({ length: count }, (_, index) =>
    segmentFixture({
      segmentId: `seg_pd${String(index).padStart(14, '0')}`,
      tenantId: 'pudong',
      externalId: `PD-SJDD-${String(index).padStart(4, '0')}`,
      name: `世纪大道 第${index + 1}段`,
      street: '陆家嘴街道',
      geometry: geometry(index),
    }),
  );
}

function transactInputs(): TransactWriteCommandInput[] {
  return documentMock.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);
}

/** The segment ids of a transaction's main-table items (the audit entries name theirs as entityId). */
function segmentIdsOf(input: TransactWriteCommandInput): string[] {
  return (input.TransactItems ?? []).filter((item) => item.Put?.TableName === tableName).map((item) => String(item.Put?.Item?.['segmentId']));
}

function auditedIdsOf(input: TransactWriteCommandInput): string[] {
  return (input.TransactItems ?? []).filter((item) => item.Put?.TableName !== tableName).map((item) => String(item.Put?.Item?.['entityId']));
}

/** Error `promise` rejects with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('DynamoSegmentStore.get', () => {
  it('reads the current item consistently by its key', async () => {
    // Prepare
    const segment = segmentFixture();
    documentMock.on(GetCommand).resolves({ Item: itemOf(segment) });

    // Act
    await store.get(tenantId, segment.segmentId);

    // Assess
    expect(documentMock.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: tableName,
      Key: { pk: 'T#huangpu#SEGMENTS', sk: 'SEG#seg_k3v5q2ztb4xw7n6a' },
      ConsistentRead: true,
    });
  });

  it('returns the segment without the key attributes', async () => {
    // Prepare
    const segment = segmentFixture();
    documentMock.on(GetCommand).resolves({ Item: itemOf(segment) });

    // Act
    const found = await store.get(tenantId, segment.segmentId);

    // Assess
    expect(found).toEqual(segment);
  });

  it('returns undefined when there is no item', async () => {
    // Prepare
    documentMock.on(GetCommand).resolves({});

    // Act
    const found = await store.get(tenantId, 'seg_missing0000000');

    // Assess
    expect(found).toBeUndefined();
  });
});

describe('DynamoSegmentStore.save', () => {
  it('creates with three puts: the current item (must not exist), version 1 and the audit entry', async () => {
    // Prepare
    const segment = segmentFixture();
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.save({ segment, expectedVersion: undefined });

    // Assess
    const [current, version, audit] = transactInputs()[0]?.TransactItems ?? [];
    expect(current?.Put).toMatchObject({
      TableName: tableName,
      Item: { ...itemOf(segment) },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(version?.Put).toMatchObject({
      TableName: tableName,
      Item: { pk: 'T#huangpu#SEG#seg_k3v5q2ztb4xw7n6a', sk: 'V#00000001', entity: 'SegmentVersion', name: segment.name },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(audit?.Put).toMatchObject({
      TableName: 'xiuhua-unit-audit',
      Item: { pk: 'AUDIT#huangpu#Segment#seg_k3v5q2ztb4xw7n6a', entity: 'Segment', entityId: segment.segmentId, tenantId: 'huangpu', beforeVersion: null, afterVersion: 1, status: segment.status },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('updates on the condition that the stored version is the expected one', async () => {
    // Prepare
    const segment = segmentFixture({ version: 4 });
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.save({ segment, expectedVersion: 3 });

    // Assess
    const current = transactInputs()[0]?.TransactItems?.[0]?.Put;
    expect(current?.ConditionExpression).toBe('#version = :expected');
    expect(current?.ExpressionAttributeNames).toEqual({ '#version': 'version' });
    expect(current?.ExpressionAttributeValues).toEqual({ ':expected': 3 });
    expect(transactInputs()[0]?.TransactItems?.[1]?.Put?.Item?.['sk']).toBe('V#00000004');
  });

  it('sends a client request token that fits DynamoDB\'s 36 characters, of its own for each call (each has a new audit entry)', async () => {
    // Prepare: an SDK retry resends the same input, token included; a second call is another change.
    const write: SegmentWrite = { segment: segmentFixture(), expectedVersion: undefined };
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.save(write);
    await store.save(structuredClone(write));

    // Assess
    const [first, again] = transactInputs().map((input) => input.ClientRequestToken);
    expect(first).toHaveLength(36);
    expect(again).toHaveLength(36);
    expect(again).not.toBe(first);
  });

  it('turns a failed create condition into ConflictError, keeping the SDK error as cause', async () => {
    // Prepare
    const error = cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: { N: '1' } } }, { Code: 'None' }]);
    documentMock.on(TransactWriteCommand).rejects(error);

    // Act
    const thrown = await rejectionOf(store.save({ segment: segmentFixture(), expectedVersion: undefined }));

    // Assess
    expect(thrown).toBeInstanceOf(ConflictError);
    expect((thrown as Error).message).toBe("segment 'seg_k3v5q2ztb4xw7n6a' already exists");
    expect((thrown as Error).cause).toBe(error);
  });

  it('turns a failed update condition into StaleVersionError naming the stored version 5', async () => {
    // Prepare
    const stored = { version: { N: '5' }, pk: { S: 'T#huangpu#SEGMENTS' }, sk: { S: 'SEG#seg_k3v5q2ztb4xw7n6a' } };
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: stored }, { Code: 'None' }]));

    // Act
    const thrown = await rejectionOf(store.save({ segment: segmentFixture({ version: 4 }), expectedVersion: 3 }));

    // Assess
    expect(thrown).toBeInstanceOf(StaleVersionError);
    expect(thrown).toMatchObject({ expected: 3, actual: 5 });
    expect((thrown as Error).message).toBe("segment 'seg_k3v5q2ztb4xw7n6a' is at version 5, not 3");
  });

  it('turns a clash on the version item of an update into StaleVersionError without a known version', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }]));

    // Act
    const thrown = await rejectionOf(store.save({ segment: segmentFixture({ version: 4 }), expectedVersion: 3 }));

    // Assess
    expect(thrown).toBeInstanceOf(StaleVersionError);
    expect(thrown).toMatchObject({ expected: 3, actual: undefined });
  });

  it('turns a cancellation by a concurrent transaction into a retryable 503 (TemporarilyUnavailableError)', async () => {
    // Prepare
    const error = cancelled([{ Code: 'TransactionConflict' }, { Code: 'None' }]);
    documentMock.on(TransactWriteCommand).rejects(error);

    // Act
    const thrown = await rejectionOf(store.save({ segment: segmentFixture(), expectedVersion: undefined }));

    // Assess
    expect(thrown).toBeInstanceOf(TemporarilyUnavailableError);
    expect((thrown as Error).message).toContain('retry');
    expect((thrown as Error).cause).toBe(error);
  });

  it('turns a cancellation without a failed condition or conflict into a plain Error listing the codes', async () => {
    // Prepare
    const error = cancelled([{ Code: 'ValidationError' }, { Code: 'None' }]);
    documentMock.on(TransactWriteCommand).rejects(error);

    // Act
    const thrown = await rejectionOf(store.save({ segment: segmentFixture(), expectedVersion: undefined }));

    // Assess
    expect(thrown).not.toBeInstanceOf(ConflictError);
    expect(thrown).not.toBeInstanceOf(StaleVersionError);
    expect((thrown as Error).message).toBe('segment write cancelled: ValidationError, None');
    expect((thrown as Error).cause).toBe(error);
  });

  it('lets any other error through unchanged', async () => {
    // Prepare
    const error = new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
    documentMock.on(TransactWriteCommand).rejects(error);

    // Act
    const thrown = await rejectionOf(store.save({ segment: segmentFixture(), expectedVersion: undefined }));

    // Assess
    expect(thrown).toBe(error);
  });
});

describe('DynamoSegmentStore.saveMany', () => {
  it('writes nothing for no writes', async () => {
    // Act
    await store.saveMany([]);

    // Assess
    expect(documentMock.calls()).toHaveLength(0);
  });

  it('splits 120 writes into transactions of at most 100 items, three per segment (current, version, audit entry)', async () => {
    // Prepare
    const segments = manySegments(120);
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.saveMany(segments.map((segment) => ({ segment, expectedVersion: undefined })));

    // Assess
    const sizes = transactInputs().map((input) => input.TransactItems?.length);
    expect(sizes).toEqual([99, 99, 99, 63]);
  });

  it('writes each segment exactly once, current item and version item side by side, and one audit entry each', async () => {
    // Prepare
    const segments = manySegments(120);
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.saveMany(segments.map((segment) => ({ segment, expectedVersion: undefined })));

    // Assess
    const ids = transactInputs().flatMap(segmentIdsOf);
    const pairs = ids.filter((_, index) => index % 2 === 0);
    expect(pairs).toEqual(segments.map((segment) => segment.segmentId));
    expect(ids.filter((_, index) => index % 2 === 1)).toEqual(pairs);
    expect(transactInputs().flatMap(auditedIdsOf)).toEqual(pairs);
  });

  it('keeps every transaction under the ~3.5 MB bound with big geometries', async () => {
    // Prepare: 5,000-vertex lines, about 125 kB of JSON each.
    const segments = manySegments(40, (index) => windingPudongLine(5_000, index));
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.saveMany(segments.map((segment) => ({ segment, expectedVersion: undefined })));

    // Assess
    const inputs = transactInputs();
    const bytes = inputs.map((input) => Buffer.byteLength(JSON.stringify(input.TransactItems), 'utf8'));
    expect(inputs.length).toBeGreaterThan(1);
    expect(inputs.every((input) => (input.TransactItems?.length ?? 0) < 100)).toBe(true);
    // 3.5 MB of segment JSON plus the key attributes, well under DynamoDB's 4 MB per transaction.
    expect(Math.max(...bytes)).toBeLessThanOrEqual(3_600_000);
    expect(inputs.flatMap(segmentIdsOf)).toHaveLength(80);
  });

  it('maps a failed condition in a chunk to the write at that position', async () => {
    // Prepare
    const [first, second] = manySegments(2).map((segment) => ({ ...segment, version: 2 }));
    documentMock
      .on(TransactWriteCommand)
      .rejects(
        cancelled([
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed', Item: { version: { N: '7' } } },
          { Code: 'None' },
          { Code: 'None' },
        ]),
      );

    // Act
    const thrown = await rejectionOf(
      store.saveMany([
        { segment: first!, expectedVersion: 1 },
        { segment: second!, expectedVersion: 1 },
      ]),
    );

    // Assess
    expect(thrown).toBeInstanceOf(StaleVersionError);
    expect(thrown).toMatchObject({ id: second!.segmentId, actual: 7 });
  });
});

describe('DynamoSegmentStore.getMany', () => {
  it('reads unique ids with one consistent BatchGet and returns them by id, without key attributes', async () => {
    // Prepare
    const [a, b] = manySegments(2);
    documentMock.on(BatchGetCommand).resolves({ Responses: { [tableName]: [itemOf(a!), itemOf(b!)] } });

    // Act
    const found = await store.getMany('pudong', [a!.segmentId, b!.segmentId, a!.segmentId]);

    // Assess
    const request = documentMock.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.[tableName];
    expect(request?.ConsistentRead).toBe(true);
    expect(request?.Keys).toEqual([keys.segment('pudong', a!.segmentId), keys.segment('pudong', b!.segmentId)]);
    expect([...found.entries()]).toEqual([
      [a!.segmentId, a],
      [b!.segmentId, b],
    ]);
  });

  it('asks at most 100 keys per BatchGet', async () => {
    // Prepare
    const ids = manySegments(250).map((segment) => segment.segmentId);
    documentMock.on(BatchGetCommand).resolves({ Responses: { [tableName]: [] } });

    // Act
    await store.getMany('pudong', ids);

    // Assess
    const sizes = documentMock.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems?.[tableName]?.Keys?.length);
    expect(sizes).toEqual([100, 100, 50]);
  });

  it('retries UnprocessedKeys until none remain', async () => {
    // Prepare
    vi.useFakeTimers();
    const [a, b, c] = manySegments(3);
    const keyOf = (segment: Segment): Record<string, string> => ({ ...keys.segment('pudong', segment.segmentId) });
    documentMock
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [tableName]: [itemOf(a!)] }, UnprocessedKeys: { [tableName]: { Keys: [keyOf(b!), keyOf(c!)] } } })
      .resolvesOnce({ Responses: { [tableName]: [itemOf(b!)] }, UnprocessedKeys: { [tableName]: { Keys: [keyOf(c!)] } } })
      .resolvesOnce({ Responses: { [tableName]: [itemOf(c!)] }, UnprocessedKeys: {} });

    // Act
    const pending = store.getMany('pudong', [a!.segmentId, b!.segmentId, c!.segmentId]);
    await vi.runAllTimersAsync();
    const found = await pending;

    // Assess
    const asked = documentMock.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems?.[tableName]?.Keys);
    expect(asked).toEqual([[keyOf(a!), keyOf(b!), keyOf(c!)], [keyOf(b!), keyOf(c!)], [keyOf(c!)]]);
    expect([...found.keys()]).toEqual([a!.segmentId, b!.segmentId, c!.segmentId]);
  });

  it('gives up with an error when keys stay unprocessed', async () => {
    // Prepare
    vi.useFakeTimers();
    const [a] = manySegments(1);
    documentMock
      .on(BatchGetCommand)
      .resolves({ Responses: { [tableName]: [] }, UnprocessedKeys: { [tableName]: { Keys: [{ ...keys.segment('pudong', a!.segmentId) }] } } });

    // Act
    const outcome = rejectionOf(store.getMany('pudong', [a!.segmentId]));
    await vi.runAllTimersAsync();
    const thrown = await outcome;

    // Assess
    expect((thrown as Error).message).toMatch(/^BatchGet left 1 segment keys unprocessed after \d+ attempts$/);
    expect(documentMock.commandCalls(BatchGetCommand)).toHaveLength(9);
  });

  it('lets a BatchGet error through unchanged', async () => {
    // Prepare
    const error = new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
    documentMock.on(BatchGetCommand).rejects(error);

    // Act
    const thrown = await rejectionOf(store.getMany('pudong', ['seg_pd00000000000000']));

    // Assess
    expect(thrown).toBe(error);
  });
});

describe('DynamoSegmentStore.list', () => {
  const partition = keys.segmentsPartition(tenantId);
  const listed = [
    segmentFixture(),
    segmentFixture({ segmentId: 'seg_m2rq7wpt5sxc4h8j', externalId: 'HP-RMGC-001', name: '人民广场', geometry: peoplesSquare, flags: [] }),
    segmentFixture({ segmentId: 'seg_p4dv9abk3nfe6y2u', externalId: 'HP-NJDL-002', name: '南京东路(河南中路段)' }),
  ];
  const startKeyOf = (segment: Segment): Record<string, string> => ({ ...keys.segment(tenantId, segment.segmentId) });

  it('queries the tenant\'s segment partition with the status filter', async () => {
    // Prepare
    documentMock.on(QueryCommand).resolves({ Items: [] });

    // Act
    await store.list(tenantId, { status: 'active' }, { limit: 10 });

    // Assess
    expect(documentMock.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: '#status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': partition, ':status': 'active' },
      Limit: 10,
    });
  });

  it('adds no filter for status all', async () => {
    // Prepare
    documentMock.on(QueryCommand).resolves({ Items: [] });

    // Act
    await store.list(tenantId, { status: 'all' }, { limit: 10 });

    // Assess
    const input = documentMock.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input?.FilterExpression).toBeUndefined();
    expect(input?.ExpressionAttributeValues).toEqual({ ':pk': partition });
  });

  it('combines grade, flag and status filters', async () => {
    // Prepare
    documentMock.on(QueryCommand).resolves({ Items: [] });

    // Act
    await store.list(tenantId, { status: 'retired', grade: 'primary', flag: 'strict' }, { limit: 10 });

    // Assess
    const input = documentMock.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input?.FilterExpression).toBe('#grade = :grade AND contains(#flags, :flag) AND #status = :status');
    expect(input?.ExpressionAttributeValues).toEqual({ ':pk': partition, ':grade': 'primary', ':flag': 'strict', ':status': 'retired' });
  });

  it('queries the byStreet index for a street', async () => {
    // Prepare
    documentMock.on(QueryCommand).resolves({ Items: [] });

    // Act
    await store.list(tenantId, { status: 'all', street: '南京东路街道' }, { limit: 10 });

    // Assess
    const input = documentMock.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input?.IndexName).toBe('byStreet');
    expect(input?.KeyConditionExpression).toBe('gsi1pk = :pk');
    expect(input?.ExpressionAttributeValues).toEqual({ ':pk': 'T#huangpu#STREET#南京东路街道' });
  });

  it('keeps querying while the filter drops items, until the page is full', async () => {
    // Prepare
    const [a, b, c] = listed;
    documentMock
      .on(QueryCommand)
      .resolvesOnce({ Items: [itemOf(a!)], LastEvaluatedKey: startKeyOf(a!) })
      .resolvesOnce({ Items: [], LastEvaluatedKey: { pk: partition, sk: 'SEG#seg_m0000000000000' } })
      .resolvesOnce({ Items: [itemOf(b!), itemOf(c!)], LastEvaluatedKey: startKeyOf(c!) });

    // Act
    const page = await store.list(tenantId, { status: 'active' }, { limit: 3 });

    // Assess
    const calls = documentMock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => input.Limit)).toEqual([3, 2, 2]);
    expect(calls.map((input) => input.ExclusiveStartKey)).toEqual([undefined, startKeyOf(a!), { pk: partition, sk: 'SEG#seg_m0000000000000' }]);
    expect(page.items).toEqual([a, b, c]);
  });

  it('returns a cursor after the last item when more remain', async () => {
    // Prepare
    const [a, b] = listed;
    documentMock.on(QueryCommand).resolves({ Items: [itemOf(a!), itemOf(b!)], LastEvaluatedKey: startKeyOf(b!) });

    // Act
    const page = await store.list(tenantId, { status: 'active' }, { limit: 2 });

    // Assess
    expect(page.nextCursor).toBeDefined();
    expect(decodeCursor(page.nextCursor, { pk: partition }, ['pk', 'sk'])).toEqual(startKeyOf(b!));
  });

  it('returns no cursor when the partition is exhausted, even with a short page', async () => {
    // Prepare
    const [a] = listed;
    documentMock
      .on(QueryCommand)
      .resolvesOnce({ Items: [itemOf(a!)], LastEvaluatedKey: startKeyOf(a!) })
      .resolvesOnce({ Items: [] });

    // Act
    const page = await store.list(tenantId, { status: 'active' }, { limit: 5 });

    // Assess
    expect(page).toEqual({ items: [a] });
    expect(documentMock.commandCalls(QueryCommand)).toHaveLength(2);
  });

  it('starts after the cursor it was given', async () => {
    // Prepare: a genuine cursor (bound to its query) from a first page ending after a.
    const [a] = listed;
    documentMock.on(QueryCommand).resolvesOnce({ Items: [itemOf(a!)], LastEvaluatedKey: startKeyOf(a!) }).resolves({ Items: [] });
    const first = await store.list(tenantId, { status: 'active' }, { limit: 1 });

    // Act
    await store.list(tenantId, { status: 'active' }, { limit: 5, cursor: first.nextCursor! });

    // Assess
    expect(documentMock.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual(startKeyOf(a!));
  });

  it('encodes the GSI key attributes in a street list\'s cursor', async () => {
    // Prepare
    const [a] = listed;
    documentMock.on(QueryCommand).resolves({ Items: [itemOf(a!)], LastEvaluatedKey: { ...startKeyOf(a!), gsi1pk: 'x', gsi1sk: 'y' } });

    // Act
    const page = await store.list(tenantId, { status: 'active', street: a!.street }, { limit: 1 });

    // Assess
    expect(decodeCursor(page.nextCursor, { gsi1pk: keys.streetPartition(tenantId, a!.street) }, ['pk', 'sk', 'gsi1pk', 'gsi1sk'])).toEqual({
      ...startKeyOf(a!),
      ...keys.segmentByStreet(tenantId, a!.street, a!.segmentId),
    });
  });

  it('refuses another tenant\'s cursor without querying', async () => {
    // Prepare
    const foreign = encodeCursor({ ...keys.segment('pudong', 'seg_pd00000000000001') });

    // Act
    const thrown = await rejectionOf(store.list(tenantId, { status: 'active' }, { limit: 5, cursor: foreign }));

    // Assess
    expect(thrown).toBeInstanceOf(ValidationError);
    expect(documentMock.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('refuses a cursor without the sort key as a 400 instead of passing it to DynamoDB', async () => {
    // Prepare: the right partition, but not a whole start key; DynamoDB would refuse it.
    const partial = encodeCursor({ pk: partition });
    documentMock
      .on(QueryCommand)
      .rejects(Object.assign(new Error('The provided starting key is invalid: The provided key element does not match the schema'), { name: 'ValidationException' }));

    // Act
    const thrown = await rejectionOf(store.list(tenantId, { status: 'active' }, { limit: 5, cursor: partial }));

    // Assess
    expect(thrown).toBeInstanceOf(ValidationError);
    expect(documentMock.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('lets a Query error through unchanged', async () => {
    // Prepare
    const error = new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
    documentMock.on(QueryCommand).rejects(error);

    // Act
    const thrown = await rejectionOf(store.list(tenantId, { status: 'active' }, { limit: 5 }));

    // Assess
    expect(thrown).toBe(error);
  });
});

describe('DynamoSegmentStore.history', () => {
  const versionsPartition = keys.segmentVersionsPartition(tenantId, 'seg_k3v5q2ztb4xw7n6a');

  it('queries the segment\'s version partition newest first', async () => {
    // Prepare
    const v2 = segmentFixture({ version: 2 });
    const v1 = segmentFixture();
    documentMock.on(QueryCommand).resolves({
      Items: [
        { ...keys.segmentVersion(tenantId, v2.segmentId, 2), entity: 'SegmentVersion', ...v2 },
        { ...keys.segmentVersion(tenantId, v1.segmentId, 1), entity: 'SegmentVersion', ...v1 },
      ],
    });

    // Act
    const page = await store.history(tenantId, 'seg_k3v5q2ztb4xw7n6a', { limit: 20 });

    // Assess
    expect(documentMock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': versionsPartition },
      ScanIndexForward: false,
      Limit: 20,
    });
    expect(page).toEqual({ items: [v2, v1] });
  });

  it('refuses a cursor of another segment\'s history', async () => {
    // Prepare
    const other = encodeCursor({ ...keys.segmentVersion(tenantId, 'seg_m2rq7wpt5sxc4h8j', 3) });

    // Act
    const thrown = await rejectionOf(store.history(tenantId, 'seg_k3v5q2ztb4xw7n6a', { limit: 5, cursor: other }));

    // Assess
    expect(thrown).toBeInstanceOf(ValidationError);
    expect(documentMock.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
