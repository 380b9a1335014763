import { createHash } from 'node:crypto';
import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  type CancellationReason,
} from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, type BatchGetCommandInput, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ScopeChangedError } from '../../../../../domain/contracts/contract';
import type { Contract } from '../../../../../domain/contracts/schema';
import { ConflictError, RuleViolationError, StaleVersionError } from '../../../../../domain/errors';
import { encodeCursor } from '../../../../../functions/adapters/dynamodb/cursor';
import { DynamoContractStore } from '../../../../../functions/adapters/dynamodb/contract-store';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';
import { contractFixture, lvyuan, seg, tenantId } from '../../../domain/contracts/fixtures';
import { TemporarilyUnavailableError } from '../../../../../functions/shared/errors';

/* Every write puts its audit entry into the audit table (issue 8); the stores learn its name from the environment. */
process.env['AUDIT_TABLE_NAME'] ??= 'xiuhua-unit-audit';

/* The store is given a DynamoDBDocumentClient, so the mock is on that class (see segment-store.test.ts). */
const documentMock = mockClient(DynamoDBDocumentClient);
const tableName = 'xiuhua-unit-main';
const store = new DynamoContractStore(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } })),
  tableName,
);

beforeEach(() => {
  documentMock.reset();
  // Terms parts already stored: an update then writes only the contract (and its guards).
  documentMock.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => ({
    Responses: Object.fromEntries(
      Object.entries(input.RequestItems ?? {}).map(([table, request]) => [
        table,
        (request.Keys ?? []).map((key) => ({ ...key, tenantId, contractId, ref: String(key['sk']).slice('PART#'.length) })),
      ]),
    ),
  }));
});

afterAll(() => {
  documentMock.restore();
});

const contractId = 'con_01jnq000000000000000000c01';

function itemOf(contract: Contract): Record<string, unknown> {
  return { ...keys.contract(contract.tenantId, contract.contractId), entity: 'Contract', ...contract };
}

function cancelled(reasons: CancellationReason[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: reasons,
  });
}

function transactInputs(): TransactWriteCommandInput[] {
  return documentMock.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('DynamoContractStore.get', () => {
  it('reads the contract item consistently and returns it without key attributes', async () => {
    // Prepare
    const contract = contractFixture({ contractId, status: 'active' });
    documentMock.on(GetCommand).resolves({ Item: itemOf(contract) });

    // Act
    const read = await store.get(tenantId, contractId);

    // Assess
    expect(documentMock.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: tableName,
      Key: { pk: 'T#jingan#CONTRACTS', sk: `CON#${contractId}` },
      ConsistentRead: true,
    });
    expect(read).toEqual(contract);
  });

  it('reads the terms parts a stored contract references and gives back the whole contract', async () => {
    // Prepare: what a save of the contract wrote, served back.
    const contract = contractFixture({ contractId, status: 'active' });
    documentMock.on(TransactWriteCommand).resolves({});
    await store.save({ contract, expectedVersion: undefined });
    const written = (transactInputs()[0]?.TransactItems ?? []).map((item) => item.Put?.Item ?? {});
    const parts = written.filter((item) => item['entity'] === 'ContractTermsPart');
    documentMock.on(GetCommand).resolves({ Item: written[0] });
    documentMock.on(BatchGetCommand).resolves({ Responses: { [tableName]: parts } });

    // Act
    const read = await new DynamoContractStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' })), tableName).get(tenantId, contractId);

    // Assess
    expect(read).toEqual(contract);
    expect(documentMock.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.[tableName]?.Keys).toHaveLength(3);
  });

  it('returns undefined when there is no item', async () => {
    // Prepare
    documentMock.on(GetCommand).resolves({});

    // Act / Assess
    expect(await store.get(tenantId, contractId)).toBeUndefined();
  });
});

describe('DynamoContractStore.list', () => {
  it('queries the tenant\'s contracts newest first, each filter field as an equality', async () => {
    // Prepare
    documentMock.on(QueryCommand).resolves({ Items: [] });

    // Act
    await store.list(tenantId, { status: 'active', contractorId: lvyuan, serviceType: 'cleaning' }, { limit: 20 });

    // Assess
    expect(documentMock.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#status = :status AND #contractorId = :contractorId AND #serviceType = :serviceType',
      ExpressionAttributeNames: { '#status': 'status', '#contractorId': 'contractorId', '#serviceType': 'serviceType' },
      ExpressionAttributeValues: { ':pk': 'T#jingan#CONTRACTS', ':prefix': 'CON#', ':status': 'active', ':contractorId': lvyuan, ':serviceType': 'cleaning' },
      ScanIndexForward: false,
      Limit: 20,
    });
  });

  it('sends no FilterExpression without filters, and a cursor that continues where the page ended', async () => {
    // Prepare
    const contract = contractFixture({ contractId });
    documentMock.on(QueryCommand).resolves({ Items: [itemOf(contract)], LastEvaluatedKey: keys.contract(tenantId, contractId) });

    // Act
    const page = await store.list(tenantId, {}, { limit: 1 });
    await store.list(tenantId, {}, { limit: 1, ...(page.nextCursor === undefined ? {} : { cursor: page.nextCursor }) });

    // Assess
    const [first, second] = documentMock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(first?.FilterExpression).toBeUndefined();
    expect(page.items).toEqual([contract]);
    expect(second?.ExclusiveStartKey).toEqual(keys.contract(tenantId, contractId));
  });

  it('refuses a cursor of another tenant\'s partition', async () => {
    // Prepare
    const foreign = encodeCursor({ pk: 'T#xuhui#CONTRACTS', sk: `CON#${contractId}` });

    // Act
    const error = await rejectionOf(store.list(tenantId, {}, { limit: 10, cursor: foreign }));

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(documentMock.commandCalls(QueryCommand)).toHaveLength(0);
  });
});

describe('DynamoContractStore.listActiveByServiceType', () => {
  it('reads the scope lock first, then every page of active and suspended contracts, consistently', async () => {
    // Prepare
    const first = contractFixture({ contractId, status: 'active' });
    const second = contractFixture({ contractId: 'con_01jnq000000000000000000c02', status: 'suspended' });
    const order: string[] = [];
    documentMock.on(GetCommand).callsFake(() => {
      order.push('lock');
      return { Item: { ...keys.contractScopeLock(tenantId, 'cleaning'), version: 7 } };
    });
    documentMock
      .on(QueryCommand)
      .callsFake((input: { ExclusiveStartKey?: unknown }) => {
        order.push('query');
        return input.ExclusiveStartKey === undefined
          ? { Items: [itemOf(first)], LastEvaluatedKey: keys.contract(tenantId, contractId) }
          : { Items: [itemOf(second)] };
      });

    // Act
    const holding = await store.listActiveByServiceType(tenantId, 'cleaning');

    // Assess
    expect(order).toEqual(['lock', 'query', 'query']);
    expect(holding).toEqual({ contracts: [first, second], scopeVersion: 7 });
    expect(documentMock.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: tableName,
      Key: { pk: 'T#jingan#CONTRACT-SCOPE', sk: 'SVC#cleaning' },
      ConsistentRead: true,
    });
    expect(documentMock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#serviceType = :serviceType AND #status IN (:holding0, :holding1)',
      ExpressionAttributeValues: { ':pk': 'T#jingan#CONTRACTS', ':serviceType': 'cleaning', ':holding0': 'active', ':holding1': 'suspended' },
      ConsistentRead: true,
    });
  });

  it('answers scope version 0 while no scope change has been recorded', async () => {
    // Prepare
    documentMock.on(GetCommand).resolves({});
    documentMock.on(QueryCommand).resolves({ Items: [] });

    // Act / Assess
    expect(await store.listActiveByServiceType(tenantId, 'greening')).toEqual({ contracts: [], scopeVersion: 0 });
  });
});

describe('DynamoContractStore.save', () => {
  const active = (): Contract => ({ ...contractFixture({ contractId, status: 'active', scope: [seg.weihai] }), version: 4 });

  it('creates a contract with one put that must not exist and its audit entry, and no lock item', async () => {
    // Prepare
    const draft = contractFixture({ contractId });
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.save({ contract: draft, expectedVersion: undefined });

    // Assess
    const items = transactInputs()[0]?.TransactItems ?? [];
    expect(items).toHaveLength(5);
    expect(items[0]?.Put).toMatchObject({
      Item: { pk: 'T#jingan#CONTRACTS', sk: `CON#${contractId}`, entity: 'Contract', contractId, version: 1 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    // Each version holds its parts by reference; each part is an item of its own, after the audit entry.
    const stored = items[0]?.Put?.Item as { versions: Record<string, unknown>[] };
    expect(Object.keys(stored.versions[0]!)).not.toContain('rulebook');
    expect(items.slice(2).map((item) => [item.Put?.Item?.['entity'], item.Put?.Item?.['kind'], item.Put?.Item?.['sk']])).toEqual(
      (['scope', 'pricing', 'rulebook'] as const).map((kind) => ['ContractTermsPart', kind, `PART#${stored.versions[0]![`${kind}Ref`] as string}`]),
    );
    expect(items[1]?.Put).toMatchObject({
      TableName: 'xiuhua-unit-audit',
      Item: { pk: `AUDIT#jingan#Contract#${contractId}`, entity: 'Contract', entityId: contractId, beforeVersion: null, afterVersion: 1, actor: { system: 'unattributed' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('takes a never-written scope lock on condition that it still does not exist', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.save({ contract: active(), expectedVersion: 3, checkedScopeVersion: 0 });

    // Assess
    const items = transactInputs()[0]?.TransactItems ?? [];
    expect(items.map((item) => item.Put?.ConditionExpression)).toEqual(['#version = :expected', 'attribute_not_exists(pk)', 'attribute_not_exists(pk)']);
    expect(items[1]?.Put?.Item).toMatchObject({ entity: 'Contract', entityId: contractId, beforeVersion: 3 });
    expect(items[2]?.Put?.Item).toMatchObject({ pk: 'T#jingan#CONTRACT-SCOPE', sk: 'SVC#cleaning', entity: 'ContractScopeLock', version: 1, lastContractId: contractId });
  });

  it('advances the scope lock from the version the check read, in the same transaction as the contract', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.save({ contract: active(), expectedVersion: 3, checkedScopeVersion: 6 });

    // Assess
    expect(transactInputs()).toHaveLength(1);
    // After the contract and its audit entry.
    const lock = transactInputs()[0]?.TransactItems?.[2]?.Put;
    expect(lock).toMatchObject({
      Item: { version: 7 },
      ConditionExpression: '#version = :checked',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':checked': 6 },
    });
  });

  it('turns a failed lock condition into ScopeChangedError, a ConflictError, keeping the cause', async () => {
    // Prepare
    const error = cancelled([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { version: { N: '8' } } }]);
    documentMock.on(TransactWriteCommand).rejects(error);

    // Act
    const thrown = await rejectionOf(store.save({ contract: active(), expectedVersion: 3, checkedScopeVersion: 6 }));

    // Assess
    expect(thrown).toBeInstanceOf(ScopeChangedError);
    expect(thrown).toBeInstanceOf(ConflictError);
    expect(((thrown as Error).cause as Error).cause).toBe(error);
  });

  it('turns a TransactionConflict on a guarded save into ScopeChangedError, so the check runs again', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'None' }, { Code: 'TransactionConflict' }]));

    // Act
    const thrown = await rejectionOf(store.save({ contract: active(), expectedVersion: 3, checkedScopeVersion: 6 }));

    // Assess
    expect(thrown).toBeInstanceOf(ScopeChangedError);
  });

  it('keeps a stale contract a StaleVersionError (412) even when the lock moved too', async () => {
    // Prepare
    documentMock
      .on(TransactWriteCommand)
      .rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: { N: '5' } } }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }]));

    // Act
    const thrown = await rejectionOf(store.save({ contract: active(), expectedVersion: 3, checkedScopeVersion: 6 }));

    // Assess
    expect(thrown).toBeInstanceOf(StaleVersionError);
    expect((thrown as StaleVersionError).actual).toBe(5);
  });

  it('keeps a second create of the same contract a plain ConflictError', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }]));

    // Act
    const thrown = await rejectionOf(store.save({ contract: contractFixture({ contractId }), expectedVersion: undefined, checkedScopeVersion: 0 }));

    // Assess
    expect(thrown).toBeInstanceOf(ConflictError);
    expect(thrown).not.toBeInstanceOf(ScopeChangedError);
  });

  it('turns a TransactionConflict of an unguarded save into a retryable 503, not a 500', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'TransactionConflict' }]));

    // Act
    const thrown = await rejectionOf(store.save({ contract: active(), expectedVersion: 3 }));

    // Assess
    expect(thrown).toBeInstanceOf(TemporarilyUnavailableError);
    expect((thrown as Error).message).toContain('retry');
  });

  it('lets any other error through unchanged', async () => {
    // Prepare
    const error = new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
    documentMock.on(TransactWriteCommand).rejects(error);

    // Act
    const thrown = await rejectionOf(store.save({ contract: active(), expectedVersion: 3, checkedScopeVersion: 6 }));

    // Assess
    expect(thrown).toBe(error);
  });
});

describe('DynamoContractStore.save: terms parts and item sizes', () => {
  it('puts only the parts an amendment introduced: a new scope, not the rulebook again', async () => {
    // Prepare: the parts of the first version are stored; the second changes the scope only.
    const contract = contractFixture({ contractId, status: 'active', scope: [seg.weihai] });
    const first = contract.versions[0]!;
    const amended: Contract = { ...contract, version: 2, versions: [first, { ...first, termsVersion: 2, effectiveFrom: '2025-04-01', scope: [seg.weihai, seg.nanjingWest].sort() }] };
    documentMock.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => ({
      Responses: {
        [tableName]: (input.RequestItems?.[tableName]?.Keys ?? [])
          .map((key) => ({ ...key, tenantId, contractId, ref: String(key['sk']).slice('PART#'.length) }))
          .filter((item) => !item.ref.startsWith('scope#') || item.ref.endsWith(createHash('sha256').update(JSON.stringify(first.scope)).digest('base64url'))),
      },
    }));
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.save({ contract: amended, expectedVersion: 1 });

    // Assess
    const parts = (transactInputs()[0]?.TransactItems ?? []).filter((item) => item.Put?.Item?.['entity'] === 'ContractTermsPart');
    expect(parts.map((item) => [item.Put?.Item?.['kind'], item.Put?.Item?.['value']])).toEqual([['scope', [seg.weihai, seg.nanjingWest].sort()]]);
    expect(parts[0]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk) OR #ref = :ref');
  });

  it('refuses a record that no longer fits its item with a RuleViolationError (422) naming versions, and writes nothing', async () => {
    // Prepare: 400 versions, each with a 500-character Chinese reason.
    const contract = contractFixture({ contractId, status: 'active' });
    const first = contract.versions[0]!;
    const amendment = { amendmentId: 'amd_1', reason: '道'.repeat(500), approvedBy: '王'.repeat(100), approvedAt: '2025-03-01', changes: ['standardRef' as const] };
    const crowded: Contract = {
      ...contract,
      version: 2,
      versions: Array.from({ length: 400 }, (_, index) => ({ ...first, termsVersion: index + 1, ...(index === 0 ? {} : { amendment }) })),
    };

    // Act
    const thrown = await rejectionOf(store.save({ contract: crowded, expectedVersion: 1 }));

    // Assess
    expect(thrown).toBeInstanceOf(RuleViolationError);
    expect((thrown as RuleViolationError).fields).toEqual(['versions']);
    expect(documentMock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('DynamoContractStore.itemsOf', () => {
  it('gives the put of a new draft and its audit entry, for an award to commit with its tender', () => {
    // Prepare
    const draft = contractFixture({ contractId });

    // Act
    const items = store.itemsOf({ contract: draft, expectedVersion: undefined });

    // Assess
    expect(items).toHaveLength(5);
    expect(items.slice(2).map((item) => item.Put?.Item?.['kind'])).toEqual(['scope', 'pricing', 'rulebook']);
    expect(items[1]?.Put).toMatchObject({ TableName: 'xiuhua-unit-audit', Item: { entity: 'Contract', entityId: contractId } });
    expect(items[0]?.Put).toMatchObject({ TableName: tableName, Item: { sk: `CON#${contractId}`, entity: 'Contract' }, ConditionExpression: 'attribute_not_exists(pk)' });
  });

  it('refuses a write that must take the scope lock', () => {
    // Act / Assess
    expect(() => store.itemsOf({ contract: contractFixture({ contractId }), expectedVersion: 1, checkedScopeVersion: 0 })).toThrow(RangeError);
  });
});
