import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Contract } from '../../../../../domain/contracts/schema';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';
import { DynamoMonthFactsReader } from '../../../../../functions/adapters/dynamodb/month-facts';
import { contractId, contractorId, lumpSumContract, seg } from '../../../domain/payments/fixtures';

/**
 * The facts reader against a mocked document client: which partitions it queries (one Query
 * per partition, paging on LastEvaluatedKey), how many requests that takes, and how stored
 * records become priced facts (rejected = missed, superseded and waived findings out, late
 * orders with their penalty, the contract's valid complaints, accepted work orders).
 */

const documentMock = mockClient(DynamoDBDocumentClient);
const tableName = 'xiuhua-unit-main';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1', credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } }));
const tenantId = 'jingan';
const month = '2025-06';

afterEach(() => documentMock.reset());
afterAll(() => documentMock.restore());

const contract = { ...lumpSumContract(3_000_000, '2025-01-01'), contractId, tenantId, contractorId, serviceType: 'cleaning', status: 'active' } as unknown as Contract;

const outcome = (taskId: string, localDate: string, status: 'missed' | 'done' | 'rejected', source: Record<string, string> = { kind: 'sweep', runId: 'r1' }): Record<string, unknown> => ({
  tenantId,
  taskId,
  contractId,
  segmentId: seg.a,
  activity: 'sweep',
  windowStart: `${localDate}T05:00:00+08:00`,
  windowEnd: `${localDate}T07:00:00+08:00`,
  localDate,
  status,
  at: '2025-06-30T00:00:00.000Z',
  source,
});

const line = (itemCode: string, pointsX100: number, fineFen: number, charge: 'final' | 'provisional', orderId?: string): Record<string, unknown> => ({
  source: 'finding',
  itemCode,
  count: 1,
  factorBps: 10_000,
  unitPointsX100: pointsX100,
  unitFineFen: fineFen,
  pointsX100,
  fineFen,
  mode: charge === 'provisional' ? 'waive_if_rectified' : 'deduct',
  charge,
  ...(orderId === undefined ? {} : { orderId }),
});

const inspection = (inspectionId: string, at: string, lines: Record<string, unknown>[], supersedes?: string): Record<string, unknown> => ({
  inspectionId,
  tenantId,
  contractId,
  segmentId: seg.a,
  at,
  month,
  lines,
  ...(supersedes === undefined ? {} : { supersedes: { inspectionId: supersedes, reason: '记录错误' } }),
});

const order = (orderId: string, dueAt: string, patch: Record<string, unknown> = {}): Record<string, unknown> => ({
  orderId,
  tenantId,
  contractId,
  segmentId: seg.a,
  itemCode: 'CL-LITTER',
  dueAt,
  status: 'open',
  answers: [],
  ...patch,
});

let partitions: Map<string, Record<string, unknown>[][]>;

beforeEach(() => {
  partitions = new Map();
  documentMock.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const pk = String(input.ExpressionAttributeValues?.[':pk']);
    const pages = partitions.get(pk) ?? [[]];
    const index = input.ExclusiveStartKey === undefined ? 0 : Number(input.ExclusiveStartKey['page']);
    const items = pages[index] ?? [];
    const more = index + 1 < pages.length;
    return input.Select === 'COUNT'
      ? { Count: items.filter((item) => item['status'] === 'refused').length, ...(more ? { LastEvaluatedKey: { page: index + 1 } } : {}) }
      : { Items: items, ...(more ? { LastEvaluatedKey: { page: index + 1 } } : {}) };
  });
  documentMock.on(BatchGetCommand).resolves({
    Responses: { [tableName]: [{ segmentId: seg.a, areaM2: 12_000, grade: 'branch', flags: [] }, { segmentId: seg.b, areaM2: 8_000, grade: 'alley', flags: [] }] },
  });
});

describe('DynamoMonthFactsReader', () => {
  it('queries each partition once (a second page only when there is one) and counts its requests', async () => {
    // The 3rd of June has two pages of outcomes: one extra Query.
    partitions.set(keys.taskOutcomesPartition(tenantId, contractId, '2025-06-03'), [[outcome('tsk_1', '2025-06-03', 'done')], [outcome('tsk_2', '2025-06-03', 'missed')]]);
    const counted: string[] = [];
    const reader = new DynamoMonthFactsReader(client, tableName, { zoneOf: async () => 'Asia/Shanghai', onRequest: (name) => counted.push(name) });

    const facts = await reader.read(tenantId, contract, month);

    // 30 outcome days + 1 extra page + 30 proof days + inspections + orders + complaints +
    // work orders = 65 Queries, and 1 BatchGet for the two scope segments.
    expect(reader.requests).toBe(66);
    expect(counted.filter((name) => name === 'Query')).toHaveLength(65);
    expect(documentMock.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(facts.facts).toMatchObject({ tasksDone: 1, tasksDue: 2 });
    expect(facts.facts.missedTasks.map((task) => task.taskId)).toEqual(['tsk_2']);
    expect(facts.segmentAreasM2).toEqual({ [seg.a]: 12_000, [seg.b]: 8_000 });
  });

  it('prices missed and rejected tasks by the rulebook, naming the rejected proof', async () => {
    partitions.set(keys.taskOutcomesPartition(tenantId, contractId, '2025-06-10'), [[outcome('tsk_m', '2025-06-10', 'missed'), outcome('tsk_r', '2025-06-10', 'rejected', { kind: 'proof', proofId: 'prf_1' })]]);
    partitions.set(keys.proofsPartition(tenantId, contractId, '2025-06-10'), [[{ status: 'refused' }, { status: 'accepted' }]]);

    const facts = await new DynamoMonthFactsReader(client, tableName).read(tenantId, contract, month);

    // cleaning-standard: a missed sweep costs 1.00 point and ¥100.00.
    expect(facts.facts.missedTasks).toEqual([
      { taskId: 'tsk_m', segmentId: seg.a, activity: 'sweep', pointsX100: 100, fineFen: 10_000 },
      { taskId: 'tsk_r', segmentId: seg.a, activity: 'sweep', pointsX100: 100, fineFen: 10_000, proofIds: ['prf_1'] },
    ]);
    expect(facts.taskDates).toEqual({ tsk_m: '2025-06-10', tsk_r: '2025-06-10' });
    expect(facts.facts.proofsRefused).toBe(1);
  });

  it('keeps charged findings only: superseded inspections and pending waive-if-rectified lines are left out', async () => {
    partitions.set(keys.inspectionsOfContractMonth(tenantId, contractId, month), [
      [
        inspection('ins_old', '2025-06-05T02:00:00.000Z', [line('CL-LITTER', 200, 0, 'final')]),
        inspection('ins_new', '2025-06-05T03:00:00.000Z', [line('CL-LITTER', 100, 5_000, 'final'), line('CL-PILE-M', 300, 0, 'provisional', 'rec_pending')], 'ins_old'),
      ],
    ]);
    partitions.set(keys.rectificationsOfContract(tenantId, contractId), [[order('rec_pending', '2025-07-02T02:00:00.000Z')]]);

    const facts = await new DynamoMonthFactsReader(client, tableName).read(tenantId, contract, month);

    expect(facts.facts.findings).toEqual([
      { inspectionId: 'ins_new', segmentId: seg.a, itemCode: 'CL-LITTER', category: expect.any(String), pointsX100: 100, fineFen: 5_000, at: '2025-06-05T03:00:00.000Z' },
    ]);
  });

  it('takes late orders due this month with their penalty, and counts the on-time KPI', async () => {
    partitions.set(keys.rectificationsOfContract(tenantId, contractId), [
      [
        order('rec_late', '2025-06-12T02:00:00.000Z', { late: { markedAt: '2025-06-12T02:05:00.000Z', by: 'system', penalty: { pointsX100: 400, fineFen: 20_000 } } }),
        order('rec_ok', '2025-06-13T02:00:00.000Z', { status: 'closed', answers: [{ at: '2025-06-13T01:00:00.000Z', evidenceIds: [], by: 'u' }] }),
        order('rec_next', '2025-07-01T02:00:00.000Z'),
      ],
    ]);

    const facts = await new DynamoMonthFactsReader(client, tableName).read(tenantId, contract, month);

    expect(facts.facts.lateOrders).toEqual([{ orderId: 'rec_late', itemCode: 'CL-LITTER', segmentId: seg.a, pointsX100: 400, fineFen: 20_000 }]);
    expect(facts.facts).toMatchObject({ ordersDue: 2, ordersOnTime: 1 });
  });

  it("takes the contract's valid complaints of the month and its accepted work orders", async () => {
    partitions.set(keys.complaintsPartition(tenantId), [
      [
        { complaintId: 'cmp_a', requestedAt: '2025-06-20T02:00:00.000Z', status: 'closed', routing: { contractId, segmentId: seg.b }, points: { pointsX100: 200, contractId, localDate: '2025-06-20' } },
        { complaintId: 'cmp_b', requestedAt: '2025-06-21T02:00:00.000Z', status: 'open', routing: { contractId, segmentId: seg.b } },
      ],
    ]);
    partitions.set(keys.workOrdersPartition(tenantId, contractId), [
      [
        { workOrderId: 'wo_1', rateItemCode: 'M-02', status: 'accepted', estimatedQuantityMilli: 2_000, latePenalty: { sameAsDefect: true }, completion: { measuredQuantityMilli: 1_500, evidenceIds: ['ev_1'], late: false }, decision: { outcome: 'accepted', acceptedQuantityMilli: 1_250, at: '2025-06-30T17:00:00.000Z', month: '2025-07' } },
        { workOrderId: 'wo_2', rateItemCode: 'M-02', status: 'accepted', estimatedQuantityMilli: 1_000, latePenalty: { sameAsDefect: true }, completion: { measuredQuantityMilli: 1_000, evidenceIds: ['ev_2'], late: false }, decision: { outcome: 'accepted', acceptedQuantityMilli: 1_000, at: '2025-06-30T15:00:00.000Z', month } },
      ],
    ]);

    const facts = await new DynamoMonthFactsReader(client, tableName).read(tenantId, contract, month);

    expect(facts.facts.validComplaints).toEqual([{ complaintId: 'cmp_a', segmentId: seg.b, pointsX100: 200 }]);
    expect(facts.facts).toMatchObject({ complaintsReceived: 2, complaintsResolved: 1 });
    // wo_1 was accepted at 01:00 on 1 July Shanghai time: July's. wo_2 at 23:00 on 30 June.
    expect(facts.workOrders).toEqual([{ workOrderId: 'wo_2', itemCode: 'M-02', quantityX1000: 1_000, acceptedOn: '2025-06-30', proofIds: ['ev_2'] }]);
  });
});
