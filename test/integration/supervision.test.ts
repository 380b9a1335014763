import { beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../domain/dates';
import type { StatementRecord } from '../../domain/payments/records';
import type { Performance, SegmentMonth } from '../../domain/payments/supervision';
import type { Standings } from '../../domain/payments/standings';
import { api, tokenFor } from '../helpers/api';
import { closedMonth, closeHandler, paymentsDistrict, type PaymentsDistrict } from './payments-fixture';

/**
 * The supervisor's reads on the local stack (issue 15): the close computes last month's
 * statements (no facts: 100.00), an inspector finds litter this month and finance computes
 * this month's statement for the first contract; the performance series and the month's map
 * read what those records kept, with names beside the ids.
 */

type Named<T> = T & { contractTitle?: string; contractorName?: string; segmentName?: string; street?: string };

describe('supervision on the local stack', () => {
  let d: PaymentsDistrict;
  let inspector: string;
  let finance: string;
  let thisMonth: string;
  let computed: StatementRecord;

  beforeAll(async () => {
    d = await paymentsDistrict('supervision');
    inspector = await tokenFor('inspector', { tenantId: d.tenantId });
    finance = await tokenFor('finance', { tenantId: d.tenantId });
    thisMonth = localDate(new Date(), 'Asia/Shanghai').slice(0, 7);
    await closeHandler()({ month: closedMonth, tenants: [d.tenantId] });
    const [first] = d.contracts;
    const inspection = await api.request('POST', '/v1/inspections', {
      token: inspector,
      body: { segmentId: d.segmentId, contractId: first!.contractId, at: new Date().toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 2 }] },
    });
    expect(inspection.status, inspection.text).toBe(201);
    const computation = await api.request<StatementRecord>('POST', `/v1/contracts/${first!.contractId}/statements/${thisMonth}/computations`, { token: finance, body: {} });
    expect(computation.status, computation.text).toBe(201);
    computed = computation.json;
  });

  it('keeps the assessment with the computation and shows it on the statement', async () => {
    const read = await api.request<StatementRecord>('GET', `/v1/contracts/${d.contracts[0]!.contractId}/statements/${thisMonth}`, { token: finance });

    expect(read.status, read.text).toBe(200);
    expect(read.json.assessment).toEqual(computed.assessment);
    expect(read.json.assessment?.categories.map((category) => category.category)).toEqual(['road_cleanliness']);
    expect(read.json.assessment?.segments.map((segment) => segment.segmentId)).toEqual([d.segmentId]);
  });

  it("answers each contract's months with score, net, deductions and KPIs against the template's targets", async () => {
    // Act
    const answer = await api.request<Performance & { contracts: Named<Performance['contracts'][number]>[] }>('GET', `/v1/supervision/performance?serviceType=cleaning&to=${thisMonth}&months=2`, { token: inspector });

    // Assess
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.months).toEqual([closedMonth, thisMonth]);
    const [first, second] = [...answer.json.contracts].sort((a, b) => (a.contractId === d.contracts[0]!.contractId ? -1 : b.contractId === d.contracts[0]!.contractId ? 1 : 0));
    expect(first).toMatchObject({ contractId: d.contracts[0]!.contractId, contractTitle: d.contracts[0]!.title, contractorId: d.contractorIds[0], contractorName: '上海洁城环境服务有限公司', serviceType: 'cleaning' });
    expect(first!.months.map((month) => [month.month, month.assessmentStored])).toEqual([
      [closedMonth, true],
      [thisMonth, true],
    ]);
    const [closed, running] = first!.months;
    expect(closed).toMatchObject({ scoreX100: 10_000, deductions: [] });
    expect(closed!.kpis.onTimeRectification).toMatchObject({ rateBps: null, targetBps: 9_500, belowTarget: null });
    expect(closed!.kpis.taskCompletion.targetBps).toBe(9_800);
    expect(closed!.kpis.complaintResolution.targetBps).toBe(8_500);
    expect(running!.scoreX100).toBe(computed.statement.scoreX100);
    expect(running!.netFen).toBe(computed.statement.totals.netFen);
    expect(running!.deductions).toEqual([
      expect.objectContaining({ category: 'road_cleanliness', labelZh: '路面保洁', pointsX100: 10_000 - computed.statement.scoreX100, fineFen: computed.assessment!.categories[0]!.fineFen }),
    ]);
    expect(second!.months.map((month) => month.month)).toEqual([closedMonth]);
  });

  it("maps the month's findings by segment with its name and street", async () => {
    // Act
    const answer = await api.request<SegmentMonth & { segments: Named<SegmentMonth['segments'][number]>[] }>('GET', `/v1/supervision/${thisMonth}/segments?serviceType=cleaning`, { token: finance });
    const closed = await api.request<SegmentMonth>('GET', `/v1/supervision/${closedMonth}/segments`, { token: inspector });

    // Assess
    expect(answer.status, answer.text).toBe(200);
    const findings = computed.assessment!.counts.findings;
    expect(answer.json.segments).toEqual([
      expect.objectContaining({ segmentId: d.segmentId, segmentName: '月结路1号段', street: '南京西路街道', findings, lateOrders: 0, validComplaints: 0, pointsX100: 10_000 - computed.statement.scoreX100, contractIds: [d.contracts[0]!.contractId] }),
    ]);
    expect(answer.json).toMatchObject({ month: thisMonth, serviceType: 'cleaning', statements: 1, contractsWithoutAssessment: [] });
    expect(closed.json).toMatchObject({ segments: [], statements: 2, contractsWithoutAssessment: [] });
  });

  it('refuses a contractor, 25 months and a month outside 2000–2099, in Chinese when asked', async () => {
    const contractor = await tokenFor('contractor', { tenantId: d.tenantId, contractorId: d.contractorIds[0]! });

    const refused = await api.request('GET', '/v1/supervision/performance', { token: contractor });
    const tooMany = await api.request<{ errors: { field: string; message: string }[] }>('GET', '/v1/supervision/performance?months=25', { token: inspector, headers: { 'accept-language': 'zh-CN' } });
    const badMonth = await api.request('GET', '/v1/supervision/1999-12/segments', { token: inspector });

    expect([refused.status, tooMany.status, badMonth.status]).toEqual([403, 400, 400]);
    expect(tooMany.json.errors).toEqual([{ field: 'query.months', message: 'months 最多为 24' }]);
  });

  it('names the contracts and contractors of the ranking rows and lists', async () => {
    const standings = await api.request<Standings & { rankings: { rows: Named<Standings['rankings'][number]['rows'][number]>[] }[]; lists: Named<Standings['lists'][number]>[] }>('GET', `/v1/rankings?month=${closedMonth}&serviceType=cleaning`, { token: inspector });

    expect(standings.status, standings.text).toBe(200);
    const titles = new Map(d.contracts.map((contract) => [contract.contractId, contract.title]));
    for (const row of [...standings.json.rankings[0]!.rows, ...standings.json.lists]) {
      expect(row.contractTitle).toBe(titles.get(row.contractId));
      expect(row.contractorName).toMatch(/有限公司$/);
    }
  });
});
