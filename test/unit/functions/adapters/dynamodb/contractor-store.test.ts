import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  type CancellationReason,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Contractor } from '../../../../../domain/contractors/schema';
import { ConflictError, StaleVersionError, ValidationError } from '../../../../../domain/errors';
import { DynamoContractorStore } from '../../../../../functions/adapters/dynamodb/contractor-store';
import { decodeCursor, encodeCursor } from '../../../../../functions/adapters/dynamodb/cursor';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';
import { tenantId } from '../../../../helpers/fakes';
import { contractorFixture } from '../../../domain/contractors/fakes';

/* Every write puts its audit entry into the audit table (issue 8); the stores learn its name from the environment. */
process.env['AUDIT_TABLE_NAME'] ??= 'xiuhua-unit-audit';

/*
 * Fault paths and the parts of the store DynamoDB Local cannot show: what is asked of
 * DynamoDB, and what becomes of its refusals. The happy paths run on the local stack
 * (test/integration/contractors.test.ts).
 */
const documentMock = mockClient(DynamoDBDocumentClient);
const tableName = 'xiuhua-unit-main';
const store = new DynamoContractorStore(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } })),
  tableName,
);

beforeEach(() => {
  documentMock.reset();
});

afterAll(() => {
  documentMock.restore();
});

function itemOf(contractor: Contractor): Record<string, unknown> {
  return { ...keys.contractor(contractor.tenantId, contractor.contractorId), entity: 'Contractor', ...contractor };
}

function cancelled(reasons: CancellationReason[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: reasons,
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

const shanghai = [
  contractorFixture({ contractorId: 'ctr_aaaaaaaaaaaaaaaa', code: '91310106MA1FY0AB17', name: '上海静洁市容环境服务有限公司' }),
  contractorFixture({ contractorId: 'ctr_bbbbbbbbbbbbbbbb', code: '91310106MA1FY0AB2A', name: '上海普陀环卫有限公司', status: 'suspended' }),
  contractorFixture({ contractorId: 'ctr_cccccccccccccccc', code: '91350100M000100Y43', name: '福州市绿洁环境服务有限公司' }),
];

describe('DynamoContractorStore.save', () => {
  it('writes the current item and a version item, the first only if absent', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).resolves({});
    const contractor = contractorFixture();

    // Act
    await store.save({ contractor, expectedVersion: undefined });

    // Assess
    const [current, version] = documentMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(current?.Put).toMatchObject({
      Item: { pk: 'T#huangpu#CONTRACTORS', sk: 'CTR#ctr_huanwei01', entity: 'Contractor', code: contractor.code },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(version?.Put).toMatchObject({ Item: { pk: 'T#huangpu#CTR#ctr_huanwei01', sk: 'V#00000001', entity: 'ContractorVersion' } });
  });

  it('turns a failed create condition (the code is registered) into ConflictError with the SDK error as cause', async () => {
    // Prepare
    const error = cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: { N: '3' } } }, { Code: 'None' }]);
    documentMock.on(TransactWriteCommand).rejects(error);

    // Act
    const thrown = await rejectionOf(store.save({ contractor: contractorFixture(), expectedVersion: undefined }));

    // Assess
    expect(thrown).toBeInstanceOf(ConflictError);
    expect((thrown as Error).message).toBe("contractor 'ctr_huanwei01' already exists");
    expect((thrown as Error).cause).toBe(error);
  });

  it('turns a failed update condition into StaleVersionError naming the stored version', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: { N: '4' } } }, { Code: 'None' }]));

    // Act
    const thrown = await rejectionOf(store.save({ contractor: contractorFixture({ version: 3 }), expectedVersion: 2 }));

    // Assess
    expect(thrown).toBeInstanceOf(StaleVersionError);
    expect(thrown).toMatchObject({ entity: 'contractor', expected: 2, actual: 4 });
  });

  it('passes a throttling error on unchanged, not as a conflict', async () => {
    // Prepare
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    documentMock.on(TransactWriteCommand).rejects(throttled);

    // Act
    const thrown = await rejectionOf(store.save({ contractor: contractorFixture(), expectedVersion: undefined }));

    // Assess
    expect(thrown).toBe(throttled);
  });
});

describe('DynamoContractorStore.list', () => {
  it('lets DynamoDB filter status and listing in the tenant partition, read consistently', async () => {
    // Prepare
    documentMock.on(QueryCommand).resolves({ Items: [] });

    // Act
    await store.list(tenantId, { status: 'suspended', listing: 'black' }, { limit: 10 });

    // Assess
    expect(documentMock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: '#status = :status AND #listing.#listingStatus = :listing',
      ExpressionAttributeNames: { '#status': 'status', '#listing': 'listing', '#listingStatus': 'status' },
      ExpressionAttributeValues: { ':pk': 'T#huangpu#CONTRACTORS', ':status': 'suspended', ':listing': 'black' },
      ConsistentRead: true,
    });
  });

  it('reads every DynamoDB page, then searches and orders by name', async () => {
    // Prepare
    documentMock
      .on(QueryCommand)
      .resolvesOnce({ Items: [itemOf(shanghai[2]!), itemOf(shanghai[1]!)], LastEvaluatedKey: { pk: 'T#huangpu#CONTRACTORS', sk: 'CTR#ctr_bbbbbbbbbbbbbbbb' } })
      .resolvesOnce({ Items: [itemOf(shanghai[0]!)] });

    // Act
    const page = await store.list(tenantId, { status: 'all', search: '913101' }, { limit: 10 });

    // Assess
    expect(documentMock.commandCalls(QueryCommand)).toHaveLength(2);
    expect(page.items.map((contractor) => contractor.name)).toEqual(['上海静洁市容环境服务有限公司', '上海普陀环卫有限公司']);
    expect(page.items[0]).not.toHaveProperty('pk');
    expect(page.nextCursor).toBeUndefined();
  });

  it('continues after the last (name, id) of the previous page', async () => {
    // Prepare
    documentMock.on(QueryCommand).resolves({ Items: shanghai.map(itemOf) });

    // Act
    const first = await store.list(tenantId, { status: 'all' }, { limit: 2 });
    const second = await store.list(tenantId, { status: 'all' }, { limit: 2, cursor: first.nextCursor! });

    // Assess
    expect(decodeCursor(first.nextCursor, { pk: 'T#huangpu#CONTRACTORS' }, ['pk', 'name', 'contractorId'])).toEqual({
      pk: 'T#huangpu#CONTRACTORS',
      name: first.items[1]?.name,
      contractorId: first.items[1]?.contractorId,
    });
    expect([...first.items, ...second.items].map((contractor) => contractor.contractorId).sort()).toEqual(shanghai.map((c) => c.contractorId).sort());
    expect(second.nextCursor).toBeUndefined();
  });

  it("refuses another tenant's cursor as a ValidationError without asking DynamoDB", async () => {
    // Prepare
    const foreign = encodeCursor({ pk: 'T#pudong#CONTRACTORS', name: '某公司', contractorId: 'ctr_aaaaaaaaaaaaaaaa' });

    // Act
    const thrown = await rejectionOf(store.list(tenantId, { status: 'all' }, { limit: 2, cursor: foreign }));

    // Assess
    expect(thrown).toBeInstanceOf(ValidationError);
    expect(documentMock.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('refuses a history cursor on the list (other key attributes)', async () => {
    // Prepare
    const historyCursor = encodeCursor({ pk: 'T#huangpu#CONTRACTORS', sk: 'V#00000002' });

    // Act
    const thrown = await rejectionOf(store.list(tenantId, { status: 'all' }, { limit: 2, cursor: historyCursor }));

    // Assess
    expect(thrown).toBeInstanceOf(ValidationError);
  });
});

describe('DynamoContractorStore.history', () => {
  it('queries the version partition newest first', async () => {
    // Prepare
    documentMock.on(QueryCommand).resolves({ Items: [] });

    // Act
    await store.history(tenantId, 'ctr_huanwei01', { limit: 5 });

    // Assess
    expect(documentMock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'T#huangpu#CTR#ctr_huanwei01' },
      ScanIndexForward: false,
    });
  });
});
