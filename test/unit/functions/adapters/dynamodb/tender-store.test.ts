import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  type CancellationReason,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Contract } from '../../../../../domain/contracts/schema';
import { ConflictError, StaleVersionError } from '../../../../../domain/errors';
import { award } from '../../../../../domain/tenders/award';
import { creditScore, emptyCreditHistory } from '../../../../../domain/tenders/credit';
import { evaluateLot } from '../../../../../domain/tenders/evaluation';
import type { Bid, EvaluationTable, Tender } from '../../../../../domain/tenders/schema';
import { evaluatedTender } from '../../../../../domain/tenders/tender';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';
import { DynamoContractStore } from '../../../../../functions/adapters/dynamodb/contract-store';
import { DynamoTenderStore } from '../../../../../functions/adapters/dynamodb/tender-store';
import { procurementOfficer, tenantId } from '../../../../helpers/fakes';
import { contractFixture } from '../../../domain/contracts/fixtures';
import { contractorFixture } from '../../../domain/contractors/fakes';
import { bidFixture, lotFixture, tenderFixture } from '../../../domain/tenders/fakes';
import { TemporarilyUnavailableError } from '../../../../../functions/shared/errors';
import { runWithRequestIds } from '../../../../../functions/shared/request-ids';
import { ulidIds } from '../../../../../functions/shared/system';
import { newBidId } from '../../../../../domain/tenders/identity';

/* Every write puts its audit entry into the audit table (issue 8); the stores learn its name from the environment. */
process.env['AUDIT_TABLE_NAME'] ??= 'xiuhua-unit-audit';

/*
 * The mock is on DynamoDBDocumentClient (the store is given one): a mock of DynamoDBClient
 * does not intercept a document client built with `.from()`.
 */
const documentMock = mockClient(DynamoDBDocumentClient);
const tableName = 'xiuhua-unit-main';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } }));
const contracts = new DynamoContractStore(client, tableName);
const store = new DynamoTenderStore(client, tableName, (write) => contracts.itemsOf(write));

beforeEach(() => {
  documentMock.reset();
});

afterAll(() => {
  documentMock.restore();
});

const tenderId = 'tdr_01jpz8x4k90000000000000001';
const tenderKey = { pk: 'T#huangpu#TENDERS', sk: `TDR#${tenderId}` };
const partition = `T#huangpu#TDR#${tenderId}`;
const alpha = contractorFixture({ contractorId: 'ctr_alpha' });
const beta = contractorFixture({ contractorId: 'ctr_beta' });
const bids: Bid[] = [
  bidFixture({ bidId: 'bid_01jq0000000000000000000002', contractorId: 'ctr_beta', price: { kind: 'lump_sum', monthlyFen: 85_000_000 } }),
  bidFixture({ bidId: 'bid_01jq0000000000000000000001', contractorId: 'ctr_alpha', price: { kind: 'lump_sum', monthlyFen: 80_000_000 } }),
];

/** The fixture tender with lot_1 evaluated at `at`, as evaluateTenderLot hands it to the store. */
function evaluated(at = '2025-04-12T02:00:00.000Z', tender: Tender = tenderFixture()): Tender {
  const lot = tender.lots[0]!;
  const table = evaluateLot(tender, lot, bids, new Map([[alpha.contractorId, alpha], [beta.contractorId, beta]]), () => creditScore(emptyCreditHistory));
  return evaluatedTender(tender, table, { actor: procurementOfficer, at: new Date(at) });
}

function tableOf(tender: Tender): EvaluationTable {
  const table = tender.lots[0]?.evaluationTable;
  if (table === undefined) throw new Error('fixture: lot_1 has no table');
  return table;
}

/** The stored tender item: the record without tables, plus keys and entity. */
function itemOf(tender: Tender): Record<string, unknown> {
  return { ...tenderKey, entity: 'Tender', ...tender, lots: tender.lots.map(({ evaluationTable: _table, ...lot }) => lot) };
}

function cancelled(reasons: CancellationReason[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: reasons,
  });
}

/** The first transaction's items in the main table (its audit entries: `auditEntries`). */
function transactItems(): NonNullable<TransactWriteCommandInput['TransactItems']> {
  return (documentMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? []).filter((item) => item.Put?.TableName !== 'xiuhua-unit-audit');
}

/** The audit entries the first transaction puts (issue 8). */
function auditEntries(): Record<string, unknown>[] {
  return (documentMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [])
    .filter((item) => item.Put?.TableName === 'xiuhua-unit-audit')
    .map((item) => item.Put?.Item ?? {});
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

/** The tender awarded from its stored evaluation, and the winner's draft contract. */
function awarded(): { before: Tender; after: Tender; contract: Contract } {
  const before = { ...evaluated(), status: 'evaluated' as const };
  const result = award(before, before.lots[0]!, tableOf(before), { actor: procurementOfficer, at: new Date('2025-04-15T02:00:00.000Z') });
  const contract = { ...contractFixture({ contractId: 'con_01jpz8x4k9abcdefghjkmnpqrs', contractorId: 'ctr_alpha' }), tenantId };
  return { before, after: result.tender, contract };
}

describe('DynamoTenderStore.get', () => {
  it('reads an open tender with one consistent get and no query', async () => {
    // Prepare
    const tender = tenderFixture({ status: 'open' });
    documentMock.on(GetCommand).resolves({ Item: itemOf(tender) });

    // Act
    const found = await store.get(tenantId, tenderId);

    // Assess
    expect(found).toEqual(tender);
    expect(documentMock.commandCalls(GetCommand)[0]?.args[0].input).toEqual({ TableName: tableName, Key: tenderKey, ConsistentRead: true });
    expect(documentMock.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('puts the stored evaluation tables back on their lots', async () => {
    // Prepare
    const tender = evaluated();
    const lot = tender.lots[0]!;
    documentMock.on(GetCommand).resolves({ Item: itemOf(tender) });
    documentMock.on(QueryCommand).resolves({
      Items: [{ pk: partition, sk: 'EVAL#lot_1', entity: 'LotEvaluation', tenantId, tenderId, lotId: 'lot_1', evaluatedAt: lot.evaluatedAt, table: tableOf(tender) }],
    });

    // Act
    const found = await store.get(tenantId, tenderId);

    // Assess
    expect(found).toEqual(tender);
    expect(documentMock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': partition, ':prefix': 'EVAL#' },
      ConsistentRead: true,
    });
  });

  it('leaves a lot without a table stored for another evaluation, so it reads as not evaluated', async () => {
    // Prepare
    const tender = evaluated();
    documentMock.on(GetCommand).resolves({ Item: itemOf(tender) });
    documentMock.on(QueryCommand).resolves({
      Items: [{ pk: partition, sk: 'EVAL#lot_1', tenantId, tenderId, lotId: 'lot_1', evaluatedAt: '2025-04-11T00:00:00.000Z', table: tableOf(tender) }],
    });

    // Act
    const found = await store.get(tenantId, tenderId);

    // Assess
    expect(found?.lots[0]?.evaluationTable).toBeUndefined();
    expect(found?.lots[0]?.evaluatedAt).toBe(tender.lots[0]?.evaluatedAt);
  });

  it('returns undefined when there is no tender', async () => {
    // Prepare
    documentMock.on(GetCommand).resolves({});

    // Act
    const found = await store.get(tenantId, tenderId);

    // Assess
    expect(found).toBeUndefined();
  });
});

describe('DynamoTenderStore.list', () => {
  it('queries the tenant\'s tenders newest first, filtered by status', async () => {
    // Prepare
    documentMock.on(QueryCommand).resolves({ Items: [itemOf(tenderFixture())] });

    // Act
    const page = await store.list(tenantId, { status: 'closed' }, { limit: 20 });

    // Assess
    expect(page.items).toEqual([tenderFixture()]);
    expect(documentMock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: '#status = :status',
      ExpressionAttributeValues: { ':pk': 'T#huangpu#TENDERS', ':status': 'closed' },
      ScanIndexForward: false,
      Limit: 20,
    });
  });

  it('sends no filter for every status', async () => {
    // Prepare
    documentMock.on(QueryCommand).resolves({ Items: [] });

    // Act
    await store.list(tenantId, { status: 'all' }, { limit: 20 });

    // Assess
    const input = documentMock.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input?.FilterExpression).toBeUndefined();
    expect(input?.ExpressionAttributeValues).toEqual({ ':pk': 'T#huangpu#TENDERS' });
  });
});

describe('DynamoTenderStore.save', () => {
  it('creates the tender item on the condition that it does not exist', async () => {
    // Prepare
    const tender = tenderFixture({ status: 'open', version: 1 });
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.save({ tender, expectedVersion: undefined });

    // Assess
    expect(transactItems()).toHaveLength(1);
    expect(transactItems()[0]?.Put).toMatchObject({ TableName: tableName, Item: itemOf(tender), ConditionExpression: 'attribute_not_exists(pk)' });
    expect(auditEntries()).toEqual([expect.objectContaining({ entity: 'Tender', entityId: tenderId, beforeVersion: null, afterVersion: 1, status: 'open' })]);
  });

  it('writes an evaluation as the tender without tables plus the table this write produced', async () => {
    // Prepare
    const tender = evaluated();
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.save({ tender, expectedVersion: 2 });

    // Assess
    const [current, table] = transactItems();
    expect(current?.Put?.Item).toEqual(itemOf(tender));
    expect(current?.Put?.ConditionExpression).toBe('#version = :expected');
    expect(current?.Put?.ExpressionAttributeValues).toEqual({ ':expected': 2 });
    expect(table?.Put?.Item).toEqual({
      ...keys.lotEvaluation(tenantId, tenderId, 'lot_1'),
      entity: 'LotEvaluation',
      tenantId,
      tenderId,
      lotId: 'lot_1',
      evaluatedAt: tender.lots[0]?.evaluatedAt,
      table: tableOf(tender),
    });
    expect(table?.Put?.ConditionExpression).toBeUndefined();
  });

  it('does not write again the table of an earlier evaluation', async () => {
    // Prepare: lot_2 is evaluated now; lot_1's table was written by an earlier write.
    const twoLots = tenderFixture({ lots: [lotFixture(), lotFixture({ lotId: 'lot_2', name: '第二标段' })] });
    const first = evaluated('2025-04-12T02:00:00.000Z', twoLots);
    const second = evaluatedTender(first, { ...tableOf(first), lotId: 'lot_2' }, { actor: procurementOfficer, at: new Date('2025-04-13T02:00:00.000Z') });
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.save({ tender: second, expectedVersion: first.version });

    // Assess
    expect(transactItems().map((item) => item.Put?.Item?.['sk'])).toEqual([`TDR#${tenderId}`, 'EVAL#lot_2']);
  });

  it('turns a failed create condition into ConflictError, keeping the SDK error as cause', async () => {
    // Prepare
    const error = cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: { N: '1' } } }]);
    documentMock.on(TransactWriteCommand).rejects(error);

    // Act
    const thrown = await rejectionOf(store.save({ tender: tenderFixture({ version: 1 }), expectedVersion: undefined }));

    // Assess
    expect(thrown).toBeInstanceOf(ConflictError);
    expect((thrown as Error).message).toBe(`tender '${tenderId}' already exists`);
    expect((thrown as Error).cause).toBe(error);
  });

  it('turns a failed update condition into StaleVersionError naming the stored version', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: { N: '5' } } }, { Code: 'None' }]));

    // Act
    const thrown = await rejectionOf(store.save({ tender: evaluated(), expectedVersion: 2 }));

    // Assess
    expect(thrown).toBeInstanceOf(StaleVersionError);
    expect(thrown).toMatchObject({ expected: 2, actual: 5 });
  });

  it('turns a transaction conflict into a retryable 503 (TemporarilyUnavailableError) asking to retry', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'TransactionConflict' }, { Code: 'None' }]));

    // Act
    const thrown = await rejectionOf(store.save({ tender: evaluated(), expectedVersion: 2 }));

    // Assess
    expect(thrown).toBeInstanceOf(TemporarilyUnavailableError);
    expect((thrown as Error).message).toContain('retry');
  });

  it('turns a cancellation for another reason into a plain Error listing the codes', async () => {
    // Prepare
    const error = cancelled([{ Code: 'ValidationError' }, { Code: 'None' }]);
    documentMock.on(TransactWriteCommand).rejects(error);

    // Act
    const thrown = await rejectionOf(store.save({ tender: evaluated(), expectedVersion: 2 }));

    // Assess
    expect(thrown).not.toBeInstanceOf(ConflictError);
    expect((thrown as Error).message).toBe('tender write cancelled: ValidationError, None');
    expect((thrown as Error).cause).toBe(error);
  });

  it('lets any other error through unchanged', async () => {
    // Prepare
    const error = new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
    documentMock.on(TransactWriteCommand).rejects(error);

    // Act
    const thrown = await rejectionOf(store.save({ tender: tenderFixture(), expectedVersion: 1 }));

    // Assess
    expect(thrown).toBe(error);
  });

  it('sends a client request token derived from the items (an SDK retry resends it), of its own per call: each has a new audit entry', async () => {
    // Prepare
    const tender = evaluated();
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.save({ tender, expectedVersion: 2 });
    await store.save({ tender: structuredClone(tender), expectedVersion: 2 });

    // Assess
    const [first, again] = documentMock.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.ClientRequestToken);
    expect(first).toHaveLength(36);
    expect(again).not.toBe(first);
  });
});

describe('DynamoTenderStore.bids', () => {
  it('reads the tender\'s bids consistently and returns them in recording order, without keys', async () => {
    // Prepare
    documentMock.on(QueryCommand).resolves({ Items: bids.map((bid) => ({ ...keys.bid(tenantId, tenderId, bid.lotId, bid.bidId), entity: 'Bid', ...bid })) });

    // Act
    const found = await store.bids(tenantId, tenderId);

    // Assess
    expect(found).toEqual([bids[1], bids[0]]);
    expect(documentMock.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      ExpressionAttributeValues: { ':pk': partition, ':prefix': 'BID#' },
      ConsistentRead: true,
    });
  });

  it('reads every page', async () => {
    // Prepare
    const item = (bid: Bid): Record<string, unknown> => ({ ...keys.bid(tenantId, tenderId, bid.lotId, bid.bidId), ...bid });
    documentMock
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(bids[0]!)], LastEvaluatedKey: keys.bid(tenantId, tenderId, 'lot_1', bids[0]!.bidId) })
      .resolvesOnce({ Items: [item(bids[1]!)] });

    // Act
    const found = await store.bids(tenantId, tenderId);

    // Assess
    expect(found).toHaveLength(2);
    expect(documentMock.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual(keys.bid(tenantId, tenderId, 'lot_1', bids[0]!.bidId));
  });
});

describe('DynamoTenderStore.saveBid', () => {
  it('writes the bid (must be new) with a check that the tender is still at the version read', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.saveBid(bids[0]!, 1);

    // Assess
    const [check, put] = transactItems();
    expect(check?.ConditionCheck).toMatchObject({ Key: tenderKey, ConditionExpression: '#version = :expected', ExpressionAttributeValues: { ':expected': 1 } });
    expect(put?.Put).toMatchObject({
      Item: { ...keys.bid(tenantId, tenderId, 'lot_1', bids[0]!.bidId), entity: 'Bid', bidId: bids[0]!.bidId },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('refuses a bid on a tender that moved (closed meanwhile) with StaleVersionError', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: { N: '2' } } }, { Code: 'None' }]));

    // Act
    const thrown = await rejectionOf(store.saveBid(bids[0]!, 1));

    // Assess
    expect(thrown).toBeInstanceOf(StaleVersionError);
    expect(thrown).toMatchObject({ entity: 'tender', expected: 1, actual: 2 });
  });

  it('refuses a bid id that exists with ConflictError', async () => {
    // Prepare
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }]));

    // Act
    const thrown = await rejectionOf(store.saveBid(bids[0]!, 1));

    // Assess
    expect(thrown).toBeInstanceOf(ConflictError);
    expect((thrown as Error).message).toBe(`bid '${bids[0]!.bidId}' already exists`);
  });
});

describe('DynamoTenderStore.saveBid retried after a lost answer (issue 13, fault suite seed 1725429042)', () => {
  /** A table of the keys written: each transaction's new-key Puts all or nothing, as DynamoDB does. */
  function fakeTable(): { readonly keys: Set<string>; loseNextAnswer: boolean } {
    const table = { keys: new Set<string>(), loseNextAnswer: false };
    documentMock.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
      const puts = (input.TransactItems ?? []).map((item) => item.Put);
      const reasons: CancellationReason[] = puts.map((put) =>
        put?.ConditionExpression === 'attribute_not_exists(pk)' && table.keys.has(`${String(put.Item?.['pk'])}#${String(put.Item?.['sk'])}`) ? { Code: 'ConditionalCheckFailed' } : { Code: 'None' },
      );
      if (reasons.some((reason) => reason.Code !== 'None')) throw cancelled(reasons);
      for (const put of puts) if (put !== undefined) table.keys.add(`${String(put.Item?.['pk'])}#${String(put.Item?.['sk'])}`);
      if (table.loseNextAnswer) {
        table.loseNextAnswer = false;
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      }
      return {};
    });
    return table;
  }

  /** One attempt of the idempotent request `scope` first started at `startedAtMs`: it records its bid. */
  function attempt(scope: string, recordedAt: string): Promise<void> {
    return runWithRequestIds({ startedAtMs: 1_764_000_000_000, scope }, () =>
      store.saveBid(bidFixture({ bidId: newBidId(ulidIds.next()), contractorId: 'ctr_alpha', recordedAt }), 1),
    );
  }

  const bidKeys = (table: { keys: Set<string> }): string[] => [...table.keys].filter((key) => key.includes('#BID#'));
  const auditKeys = (table: { keys: Set<string> }): string[] => [...table.keys].filter((key) => key.startsWith('AUDIT#'));

  it('writes one bid and one audit entry when the retry finds the bid its first attempt wrote', async () => {
    // Prepare: the first attempt's transaction is written, its answer lost.
    const table = fakeTable();
    table.loseNextAnswer = true;
    await expect(attempt('request-1', '2025-04-09T07:05:00.000Z')).rejects.toMatchObject({ name: 'TimeoutError' });

    // Act: the client's retry (same Idempotency-Key, so same request), a moment later.
    const retried = attempt('request-1', '2025-04-09T07:05:03.000Z');

    // Assess
    await expect(retried).resolves.toBeUndefined();
    expect(bidKeys(table)).toHaveLength(1);
    expect(auditKeys(table)).toHaveLength(1);
    expect(documentMock.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('still writes the bid of another request (another key or body) as a bid of its own', async () => {
    // Prepare
    const table = fakeTable();
    await attempt('request-1', '2025-04-09T07:05:00.000Z');

    // Act
    await attempt('request-2', '2025-04-09T07:05:00.000Z');

    // Assess
    expect(bidKeys(table)).toHaveLength(2);
    expect(auditKeys(table)).toHaveLength(2);
  });

  it('refuses an existing bid id that this request did not draw, as before (ConflictError)', async () => {
    // Prepare: the bid of another request exists; this request writes under that id.
    const table = fakeTable();
    await attempt('request-1', '2025-04-09T07:05:00.000Z');
    const [existing] = bidKeys(table);
    const bidId = existing!.slice(existing!.lastIndexOf('bid_'));

    // Act
    const thrown = await rejectionOf(runWithRequestIds({ startedAtMs: 1_764_000_000_000, scope: 'request-2' }, () => store.saveBid(bidFixture({ bidId, contractorId: 'ctr_alpha' }), 1)));

    // Assess
    expect(thrown).toBeInstanceOf(ConflictError);
  });
});

describe('DynamoTenderStore.saveAward', () => {
  it('writes the award guard, the tender and the new contract in one transaction', async () => {
    // Prepare
    const { before, after, contract } = awarded();
    documentMock.on(TransactWriteCommand).resolves({});

    // Act
    await store.saveAward({ tender: { tender: after, expectedVersion: before.version }, lotId: 'lot_1', contract });

    // Assess
    const [guard, tender, contractPut, ...parts] = transactItems();
    // The draft's terms parts (scope, pricing, rulebook: contract-store.ts) ride in the same transaction.
    expect(transactItems()).toHaveLength(6);
    expect(parts.map((part) => part.Put?.Item?.['kind'])).toEqual(['scope', 'pricing', 'rulebook']);
    expect(guard?.Put).toMatchObject({
      Item: { ...keys.lotAward(tenantId, tenderId, 'lot_1'), entity: 'LotAward', contractId: contract.contractId, bidId: after.lots[0]?.awardedBidId },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(tender?.Put).toMatchObject({ Item: { ...tenderKey, status: 'awarded', version: before.version + 1 }, ExpressionAttributeValues: { ':expected': before.version } });
    expect(contractPut?.Put).toMatchObject({
      Item: { ...keys.contract(tenantId, contract.contractId), entity: 'Contract', contractId: contract.contractId, status: 'draft' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(auditEntries().map((entry) => [entry['entity'], entry['entityId'], entry['status']])).toEqual([
      ['Tender', tenderId, 'awarded'],
      ['Contract', contract.contractId, 'draft'],
    ]);
  });

  it('reports a lot awarded meanwhile as a 409 naming its contract, even when the version moved too', async () => {
    // Prepare
    const { before, after, contract } = awarded();
    documentMock
      .on(TransactWriteCommand)
      .rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: { contractId: { S: 'con_01jpz8x4k9zzzzzzzzzzzzzzzz' } } }, { Code: 'ConditionalCheckFailed', Item: { version: { N: '4' } } }, { Code: 'None' }]));

    // Act
    const thrown = await rejectionOf(store.saveAward({ tender: { tender: after, expectedVersion: before.version }, lotId: 'lot_1', contract }));

    // Assess
    expect(thrown).toBeInstanceOf(ConflictError);
    expect((thrown as Error).message).toContain('was already awarded (draft contract con_01jpz8x4k9zzzzzzzzzzzzzzzz)');
  });

  it('reports a tender that moved as StaleVersionError', async () => {
    // Prepare
    const { before, after, contract } = awarded();
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { version: { N: '4' } } }, { Code: 'None' }]));

    // Act
    const thrown = await rejectionOf(store.saveAward({ tender: { tender: after, expectedVersion: before.version }, lotId: 'lot_1', contract }));

    // Assess
    expect(thrown).toBeInstanceOf(StaleVersionError);
    expect(thrown).toMatchObject({ expected: before.version, actual: 4 });
  });

  it('reports an existing contract id as ConflictError', async () => {
    // Prepare
    const { before, after, contract } = awarded();
    // guard, tender, tender's audit entry, contract, contract's audit entry
    documentMock.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }]));

    // Act
    const thrown = await rejectionOf(store.saveAward({ tender: { tender: after, expectedVersion: before.version }, lotId: 'lot_1', contract }));

    // Assess
    expect(thrown).toBeInstanceOf(ConflictError);
    expect((thrown as Error).message).toBe(`contract '${contract.contractId}' already exists`);
  });

  it('refuses to write an award without the contracts store\'s items', async () => {
    // Prepare
    const { before, after, contract } = awarded();
    const withoutContracts = new DynamoTenderStore(client, tableName);

    // Act
    const thrown = await rejectionOf(withoutContracts.saveAward({ tender: { tender: after, expectedVersion: before.version }, lotId: 'lot_1', contract }));

    // Assess
    expect((thrown as Error).message).toContain('cannot write awards');
    expect(documentMock.calls()).toHaveLength(0);
  });

  it('refuses a tender whose lot is not awarded (a wiring mistake)', async () => {
    // Prepare
    const { before, contract } = awarded();

    // Act
    const thrown = await rejectionOf(store.saveAward({ tender: { tender: before, expectedVersion: before.version }, lotId: 'lot_1', contract }));

    // Assess
    expect(thrown).toBeInstanceOf(RangeError);
    expect(documentMock.calls()).toHaveLength(0);
  });
});
