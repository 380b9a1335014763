import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConflictError, StaleVersionError } from '../../../../../domain/errors';
import type { ComputationInputs } from '../../../../../domain/payments/facts';
import type { StatementRecord } from '../../../../../domain/payments/records';
import type { Statement } from '../../../../../domain/payments/statement';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';
import { DynamoStatementStore } from '../../../../../functions/adapters/dynamodb/statement-store';

/* Every write puts its audit entry into the audit table (issue 8); the stores learn its name from the environment. */
process.env['AUDIT_TABLE_NAME'] ??= 'xiuhua-unit-audit';

const documentMock = mockClient(DynamoDBDocumentClient);
const tableName = 'xiuhua-unit-main';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } }));

afterEach(() => documentMock.reset());
afterAll(() => documentMock.restore());

const statement = { contractId: 'con_1', month: '2026-06', lines: [], totals: { netFen: 123_400 }, scoreX100: 9_700 } as unknown as Statement;
const record: StatementRecord = {
  tenantId: 't1',
  contractId: 'con_1',
  contractorId: 'ctr_1',
  serviceType: 'cleaning',
  month: '2026-06',
  version: 2,
  computeVersion: 2,
  status: 'draft',
  statement,
  inputsDigest: 'f'.repeat(64),
  computedAt: '2026-07-01T00:10:00.000Z',
  computedBy: 'system',
};
const inputs = { month: '2026-06' } as unknown as ComputationInputs;

type Put = { Put: { Item: Record<string, unknown>; ConditionExpression?: string; ExpressionAttributeValues?: Record<string, unknown> } };

const cancelled = (reasons: { Code: string; Item?: Record<string, unknown> }[]): TransactionCanceledException =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: reasons as never });

describe('DynamoStatementStore.saveComputation', () => {
  it('puts the current record in the tenant-month partition, conditional on version and an open status, and the kept computation', async () => {
    documentMock.on(TransactWriteCommand).resolves({});

    await new DynamoStatementStore(client, tableName).saveComputation({ record, inputs }, 1);

    const items = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems as Put[];
    expect(items.map((item) => [item.Put.Item['pk'], item.Put.Item['sk']])).toEqual([
      ['T#t1#STMT#2026-06', 'CON#con_1'],
      ['T#t1#CON#con_1#STMT#2026-06', 'CV#00000002'],
      ['AUDIT#t1#Statement#con_1/2026-06', expect.stringMatching(/Z#[0-9A-Z]{26}$/)],
    ]);
    expect(items[2]!.Put.Item).toMatchObject({ entity: 'Statement', entityId: 'con_1/2026-06', beforeVersion: 1, afterVersion: 2, status: 'draft' });
    expect(items[0]!.Put.ConditionExpression).toBe('#version = :expected AND #status IN (:draft, :reviewed)');
    expect(items[0]!.Put.ExpressionAttributeValues).toEqual({ ':expected': 1, ':draft': 'draft', ':reviewed': 'reviewed' });
    expect(items[1]!.Put.Item).toMatchObject({ entity: 'StatementComputation', record, inputs });
    expect(items[1]!.Put.ConditionExpression).toBe('attribute_not_exists(pk)');
  });

  it('refuses to overwrite an approved record (409) and a moved version (412)', async () => {
    const store = new DynamoStatementStore(client, tableName);
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: { N: '1' }, status: { S: 'approved' } } }, { Code: 'None' }]));
    await expect(store.saveComputation({ record, inputs }, 1)).rejects.toThrow(ConflictError);

    documentMock.reset();
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: { N: '3' }, status: { S: 'draft' } } }, { Code: 'None' }]));
    await expect(store.saveComputation({ record, inputs }, 1)).rejects.toThrow(StaleVersionError);
  });
});

describe('DynamoStatementStore.transition', () => {
  it('writes conditional on the expected version and the from status, with its audit entry in the same transaction', async () => {
    documentMock.on(TransactWriteCommand).resolves({});

    await new DynamoStatementStore(client, tableName).transition({ ...record, status: 'approved', version: 3 }, 2, 'reviewed');

    const [put, audit] = documentMock.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems as Put[];
    const input = put!.Put;
    expect({ pk: input.Item['pk'], sk: input.Item['sk'] }).toEqual(keys.statement('t1', '2026-06', 'con_1'));
    expect(input.ConditionExpression).toBe('#version = :expected AND #status = :from');
    expect(input.ExpressionAttributeValues).toEqual({ ':expected': 2, ':from': 'reviewed' });
    expect(audit!.Put.Item).toMatchObject({ entity: 'Statement', entityId: 'con_1/2026-06', beforeVersion: 2, afterVersion: 3, status: 'approved' });
  });

  it('maps the loser of two approvals to 412 when the version moved, and 409 when only the status differs', async () => {
    const store = new DynamoStatementStore(client, tableName);
    // The loser's own approval differs from the winner's (another approver), so it is not a retry of its own write.
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: { N: '3' }, status: { S: 'approved' } } }, { Code: 'None' }]));
    await expect(store.transition({ ...record, status: 'approved', version: 3, approval: { at: '2026-07-02T01:00:00.000Z', by: 'finance-2' } } as StatementRecord, 2, 'reviewed')).rejects.toThrow(StaleVersionError);

    documentMock.reset();
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: { N: '2' }, status: { S: 'draft' } } }, { Code: 'None' }]));
    await expect(store.transition({ ...record, status: 'approved', version: 3 }, 2, 'reviewed')).rejects.toThrow(ConflictError);
  });
});

describe('DynamoStatementStore.listMonth', () => {
  it('lists a tenant-month with one Query, projecting the net and score instead of the lines', async () => {
    const { statement: _omitted, ...summary } = record;
    documentMock.on(QueryCommand).resolves({ Items: [{ ...summary, pk: 'T#t1#STMT#2026-06', sk: 'CON#con_1', statement: { totals: { netFen: 123_400 }, scoreX100: 9_700 } }] });

    const page = await new DynamoStatementStore(client, tableName).listMonth('t1', '2026-06', { serviceType: 'cleaning' }, { limit: 50 });

    const input = documentMock.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(documentMock.commandCalls(QueryCommand)).toHaveLength(1);
    expect(input.ExpressionAttributeValues?.[':pk']).toBe('T#t1#STMT#2026-06');
    expect(input.FilterExpression).toBe('#serviceType = :serviceType');
    expect(input.ProjectionExpression).toContain('#statement.#totals.#netFen');
    expect(page.items).toEqual([{ ...summary, netFen: 123_400, scoreX100: 9_700 }]);
  });
});
