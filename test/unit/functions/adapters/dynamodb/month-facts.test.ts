import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Contract } from '../../../../../domain/contracts/schema';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';
import { assembleMonthFacts } from '../../../../../domain/payments/month-facts';
import { china2026Calendar } from '../../../../../domain/schedule/calendar';
import { cleaningStandard } from '../../../../../domain/schedule/templates';
import { ulidTimePart } from '../../../../../functions/adapters/dynamodb/complaint-store';
import { DynamoMonthFactsReader } from '../../../../../functions/adapters/dynamodb/month-facts';
import { contractId, contractorId, lumpSumContract, seg } from '../../../domain/payments/fixtures';

/**
 * The facts reader against a mocked document client: which partitions and key ranges it
 * queries (one Query per partition, paging on LastEvaluatedKey), how many requests that
 * takes, and that it returns the records as stored. The payment rules that price them are
 * tested without DynamoDB in test/unit/domain/payments/month-facts*.test.ts.
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

  it('returns the records as read: outcomes of every day, refused proofs summed, corrections with the inspections they correct', async () => {
    partitions.set(keys.taskOutcomesPartition(tenantId, contractId, '2025-06-10'), [[outcome('tsk_m', '2025-06-10', 'missed'), outcome('tsk_r', '2025-06-10', 'rejected', { kind: 'proof', proofId: 'prf_1' })]]);
    partitions.set(keys.taskOutcomesPartition(tenantId, contractId, '2025-06-30'), [[outcome('tsk_d', '2025-06-30', 'done')]]);
    partitions.set(keys.proofsPartition(tenantId, contractId, '2025-06-10'), [[{ status: 'refused' }, { status: 'accepted' }]]);
    partitions.set(keys.proofsPartition(tenantId, contractId, '2025-06-11'), [[{ status: 'refused' }], [{ status: 'refused' }]]);
    partitions.set(keys.inspectionsOfContractMonth(tenantId, contractId, month), [
      [inspection('ins_old', '2025-06-05T02:00:00.000Z', [line('CL-LITTER', 200, 0, 'final')]), inspection('ins_new', '2025-06-05T03:00:00.000Z', [line('CL-LITTER', 100, 5_000, 'final')], 'ins_old')],
    ]);

    const records = await new DynamoMonthFactsReader(client, tableName).records(tenantId, contract, month);

    // No rule applied: the rejected outcome and the corrected inspection are there as stored.
    expect(records.outcomes.map((item) => [item.taskId, item.status])).toEqual([
      ['tsk_m', 'missed'],
      ['tsk_r', 'rejected'],
      ['tsk_d', 'done'],
    ]);
    expect(records.proofsRefused).toBe(3);
    expect(records.inspections.map((item) => item.inspectionId)).toEqual(['ins_old', 'ins_new']);
    expect(records.zone).toBe('Asia/Shanghai');
    expect(records.schedule).toBeUndefined();
    expect(records.segments.map((segment) => segment.segmentId)).toEqual([seg.a, seg.b]);
  });

  it("asks for the month's order window, the complaints of its ULID range routed to the contract, and the accepted work orders", async () => {
    const reader = new DynamoMonthFactsReader(client, tableName, { zoneOf: async () => 'Asia/Shanghai' });

    await reader.records(tenantId, contract, month);

    const inputs = documentMock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    const byPk = (pk: string) => inputs.find((input) => input.ExpressionAttributeValues?.[':pk'] === pk);
    // orderWindow('2025-06', Shanghai): from 1 June 00:00 to 1 August 00:00 local time.
    expect(byPk(keys.rectificationsOfContract(tenantId, contractId))?.ExpressionAttributeValues).toMatchObject({ ':from': 'DUE#2025-05-31T16:00:00.000Z', ':to': 'DUE#2025-07-31T16:00:00.000Z' });
    const complaints = byPk(keys.complaintsPartition(tenantId));
    expect(complaints?.FilterExpression).toBe('#routing.#contractId = :contractId');
    expect(complaints?.ExpressionAttributeValues?.[':contractId']).toBe(contractId);
    expect(String(complaints?.ExpressionAttributeValues?.[':low']) < `CMP#cmp_${ulidTimePart(Date.parse('2025-05-31T16:00:00.000Z'))}`).toBe(true);
    expect(String(complaints?.ExpressionAttributeValues?.[':high']) > `CMP#cmp_${ulidTimePart(Date.parse('2025-06-30T16:00:00.000Z'))}`).toBe(true);
    expect(byPk(keys.workOrdersPartition(tenantId, contractId))?.ExpressionAttributeValues?.[':accepted']).toBe('accepted');
    expect(inputs.every((input) => input.ConsistentRead === true)).toBe(true);
  });

  it('reads the standards, calendar and exceptions when a schedule source is wired', async () => {
    const asked: string[] = [];
    const schedule = {
      standard: async () => undefined,
      defaultStandard: async () => {
        asked.push('default');
        return cleaningStandard;
      },
      calendar: async (_tenantId: string, years: readonly number[]) => {
        asked.push(`calendar ${years.join(',')}`);
        return china2026Calendar;
      },
      exceptions: async () => {
        asked.push('exceptions');
        return [];
      },
    };

    const records = await new DynamoMonthFactsReader(client, tableName, { schedule }).records(tenantId, contract, month);

    expect(asked.sort()).toEqual(['calendar 2025', 'default', 'exceptions']);
    expect(records.schedule).toEqual({ standards: [], defaultStandard: cleaningStandard, calendar: china2026Calendar, exceptions: [] });
  });

  it('prices what it read with the payment rules: read() is assembleMonthFacts of records()', async () => {
    partitions.set(keys.taskOutcomesPartition(tenantId, contractId, '2025-06-10'), [[outcome('tsk_r', '2025-06-10', 'rejected', { kind: 'proof', proofId: 'prf_1' })]]);
    partitions.set(keys.rectificationsOfContract(tenantId, contractId), [
      [order('rec_late', '2025-06-12T02:00:00.000Z', { late: { markedAt: '2025-06-12T02:05:00.000Z', by: 'system', penalty: { pointsX100: 400, fineFen: 20_000 } } })],
    ]);
    const reader = new DynamoMonthFactsReader(client, tableName);

    const facts = await reader.read(tenantId, contract, month);

    expect(facts).toEqual(assembleMonthFacts(contract, month, await reader.records(tenantId, contract, month)));
    // cleaning-standard: a missed sweep costs 1.00 point and ¥100.00.
    expect(facts.facts.missedTasks).toEqual([{ taskId: 'tsk_r', segmentId: seg.a, activity: 'sweep', pointsX100: 100, fineFen: 10_000, proofIds: ['prf_1'] }]);
    expect(facts.facts.lateOrders).toEqual([{ orderId: 'rec_late', itemCode: 'CL-LITTER', segmentId: seg.a, pointsX100: 400, fineFen: 20_000 }]);
  });

  it('refuses a month the contract was not in force in before reading anything', async () => {
    const reader = new DynamoMonthFactsReader(client, tableName);

    await expect(reader.read(tenantId, contract, '2024-12')).rejects.toThrow(RangeError);
    expect(reader.requests).toBe(0);
  });
});
