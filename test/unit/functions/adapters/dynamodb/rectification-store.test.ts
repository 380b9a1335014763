import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConflictError, StaleVersionError } from '../../../../../domain/errors';
import type { RectificationOrder } from '../../../../../domain/rectification/schema';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';
import { DynamoRectificationStore } from '../../../../../functions/adapters/dynamodb/rectification-store';

/* Every write puts its audit entry into the audit table (issue 8); the stores learn its name from the environment. */
process.env['AUDIT_TABLE_NAME'] ??= 'xiuhua-unit-audit';

const documentMock = mockClient(DynamoDBDocumentClient);
const tableName = 'xiuhua-unit-main';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } }));

afterEach(() => documentMock.reset());
afterAll(() => documentMock.restore());

const order: RectificationOrder = {
  orderId: 'rec_01jnq000000000000000000001',
  tenantId: 't1',
  contractId: 'con_1',
  contractorId: 'ctr_1',
  segmentId: 'seg_1',
  serviceType: 'cleaning',
  origin: { kind: 'complaint', complaintId: 'cmp_1' },
  description: '垃圾',
  termsVersion: 1,
  latePenalty: { pointsX100: 200, fineFen: 0 },
  issuedAt: '2026-03-05T02:00:00.000Z',
  issuedBy: 'open311',
  dueAt: '2026-03-05T04:00:00.000Z',
  status: 'open',
  answers: [],
  reviews: [],
  version: 1,
  updatedAt: '2026-03-05T02:00:00.000Z',
};

type Put = { Put: { Item: Record<string, unknown>; ConditionExpression?: string } };

describe('DynamoRectificationStore.save', () => {
  it('writes the order, its contract-list copy, an owing index item and the order\'s audit entry in one transaction', async () => {
    documentMock.on(TransactWriteCommand).resolves({});

    await new DynamoRectificationStore(client, tableName).save({ order, expectedVersion: undefined });

    const items = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems as Put[];
    expect(items.map((item) => [item.Put.Item['pk'], item.Put.Item['sk']])).toEqual([
      [keys.rectificationOrder('t1', order.orderId).pk, 'ORDER'],
      [keys.rectificationsOfContract('t1', 'con_1'), `DUE#${order.dueAt}#${order.orderId}`],
      [keys.rectificationsOwing('t1'), `DUE#${order.dueAt}#${order.orderId}`],
      [`AUDIT#t1#RectificationOrder#${order.orderId}`, expect.stringMatching(/^\d{4}-\d\d-\d\dT.+Z#[0-9A-Z]{26}$/)],
    ]);
    expect(items[0]!.Put.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(items[2]!.Put.Item['settled']).toBeUndefined();
    expect(items[3]!.Put.Item).toMatchObject({ entity: 'RectificationOrder', entityId: order.orderId, beforeVersion: null, afterVersion: 1, status: 'open' });
  });

  it('marks the owing index item settled (with a TTL) once the order is late, and adds photo claims', async () => {
    documentMock.on(TransactWriteCommand).resolves({});
    const late = { ...order, version: 2, late: { markedAt: '2026-03-05T04:15:00.000Z', by: 'system', penalty: { pointsX100: 200, fineFen: 0 } } };

    await new DynamoRectificationStore(client, tableName).save({ order: late, expectedVersion: 1 }, { photoClaims: [{ sha256: 'a'.repeat(64), proofId: 'p', subjectId: order.orderId }] });

    const items = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems as Put[];
    expect(items[2]!.Put.Item).toMatchObject({ settled: true, expiresAt: Math.floor(Date.parse(late.updatedAt) / 1000) + 7 * 24 * 3600 });
    // After the order's three items and its audit entry.
    expect(items[4]!.Put.Item['pk']).toBe(keys.photoClaim('t1', 'a'.repeat(64)).pk);
  });

  it('maps a failed version condition to StaleVersionError and a taken photo to ConflictError', async () => {
    const store = new DynamoRectificationStore(client, tableName);
    const cancelled = (codes: string[]): TransactionCanceledException =>
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

    documentMock.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None', 'None', 'None']));
    await expect(store.save({ order: { ...order, version: 2 }, expectedVersion: 1 })).rejects.toThrow(StaleVersionError);

    documentMock.reset();
    documentMock.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'None', 'None', 'ConditionalCheckFailed']));
    await expect(store.save({ order: { ...order, version: 2 }, expectedVersion: 1 }, { photoClaims: [{ sha256: 'b'.repeat(64), proofId: 'p', subjectId: order.orderId }] })).rejects.toThrow(
      new ConflictError(`photo sha-256 ${'b'.repeat(64)} is already used by another proof`, { zh: `照片 sha-256 ${'b'.repeat(64)} 已被另一份凭证使用` }),
    );
  });
});
