import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { contractIdFrom, newContract } from '../../domain/contracts/contract';
import { CreateContractInput, type Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { addDays, localDate } from '../../domain/dates';
import type { Inspection } from '../../domain/inspections/schema';
import type { StatementRecord } from '../../domain/payments/records';
import type { ExpandedLine } from '../../domain/payments/use-cases';
import type { RectificationOrder } from '../../domain/rectification/schema';
import { rulebookFromTemplate, templateById } from '../../domain/rulebooks/templates';
import { china2026Calendar } from '../../domain/schedule/calendar';
import { deriveTasks } from '../../domain/schedule/derive';
import { standardTemplateFor } from '../../domain/schedule/templates';
import type { Segment } from '../../domain/segments/schema';
import type { WorkOrder } from '../../domain/work-orders/schema';
import { DynamoContractStore } from '../../functions/adapters/dynamodb/contract-store';
import { DynamoTaskOutcomeStore } from '../../functions/adapters/dynamodb/task-outcome-store';
import { DynamoWorkOrderStore } from '../../functions/adapters/dynamodb/work-order-store';
import { createOverdueSweepHandler, overdueSweepDeps, type OverdueSweepLog } from '../../functions/events/rectification-overdue-sweep';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { tokenWithGroups } from '../helpers/group-token';
import { localDynamo, localStack } from '../helpers/local-stack';

/**
 * Statements on the local stack, in a tenant of this file's own. Facts written the way their
 * modules write them: two missed tasks through the task-outcome store (what the sweep
 * records), an inspection through the API with the rectification orders it raises, one of
 * them marked late by the overdue-sweep handler on a clock 90 minutes ahead, and an accepted
 * work order through the work-order store on a second (unit-rate) contract. Contracts are
 * written through the contract store so they start on the 1st of this month (the API refuses
 * back-dated activations). Then: compute → lines with sources → expand → review → approve
 * (two at once: one wins) → recompute refused → the contractor reads its own.
 */

const zone = 'Asia/Shanghai';
const now = new Date();
const today = localDate(now, zone);
const month = today.slice(0, 7);
const first = `${month}-01`;
const nextUlid = monotonicFactory();
const quiet: OverdueSweepLog = { info: () => undefined, error: () => undefined };

describe('statements on the local stack', () => {
  let tenantId: string;
  let finance: string;
  let finance2: string;
  let inspector: string;
  let contractorToken: string;
  let otherContractorToken: string;
  let cleaning: Contract;
  let municipal: Contract;
  let missedTaskIds: string[];
  let inspection: Inspection;
  let lateOrderId: string;
  let workOrderId: string;

  const path = (contract: Contract, suffix = ''): string => `/v1/contracts/${contract.contractId}/statements/${month}${suffix}`;

  beforeAll(async () => {
    const document = DynamoDBDocumentClient.from(localDynamo(), { marshallOptions: { removeUndefinedValues: true } });
    const table = localStack().tables.main;
    tenantId = uniqueTenantId('statements');
    const procurement = await tokenFor('procurement', { tenantId });
    finance = await tokenFor('finance', { tenantId });
    finance2 = await tokenFor('finance', { tenantId });
    inspector = await tokenFor('inspector', { tenantId });
    const registered = await Promise.all(
      [
        { code: '91310106MA1FY0AB17', name: '上海环杰环境服务有限公司' },
        { code: '91310106MA1FY0AB2A', name: '上海绿源市政工程有限公司' },
      ].map((body) => api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body })),
    );
    expect(registered.map((r) => r.status)).toEqual([201, 201]);
    const [mine, other] = registered.map((r) => r.json.contractorId) as [string, string];
    contractorToken = await tokenFor('contractor', { tenantId, contractorId: mine });
    otherContractorToken = await tokenFor('contractor', { tenantId, contractorId: other });
    const segment = await api.request<Segment>('POST', '/v1/segments', {
      token: procurement,
      body: { name: '结算路1号段', street: '南京西路街道', grade: 'branch', flags: [], widthM: 12, geometry: { type: 'LineString', coordinates: [[121.47, 31.2231], [121.4712, 31.2237]] } },
    });
    expect(segment.status, segment.text).toBe(201);
    const segmentId = segment.json.segmentId;

    const contracts = new DynamoContractStore(document, table);
    const contractOf = async (fields: Record<string, unknown>, templateId: string): Promise<Contract> => {
      const parsed = CreateContractInput.parse({ contractorId: mine, origin: { kind: 'direct' }, startDate: first, endDate: addDays(first, 364), performanceBondFen: 100_000, scope: [segmentId], rulebookTemplateId: templateId, ...fields });
      const draft = newContract(parsed, { tenantId, contractId: contractIdFrom(nextUlid()), rulebook: rulebookFromTemplate(templateById(templateId)!), at: new Date(`${first}T00:00:00+08:00`), by: 'usr_test' });
      const contract = { ...draft, status: 'active' as const };
      await contracts.save({ contract, expectedVersion: undefined });
      return contract;
    };
    cleaning = await contractOf({ serviceType: 'cleaning', title: '结算测试保洁合同', pricing: { kind: 'lump_sum', monthlyFen: 3_100_000 } }, 'cleaning-standard');
    municipal = await contractOf(
      { serviceType: 'municipal', title: '结算测试市政合同', pricing: { kind: 'unit_rate', items: [{ code: 'M-02', nameZh: '修补人行道板', unit: 'm²', unitFen: 16_500 }] } },
      'municipal-roads',
    );

    // Two tasks of the 1st missed, as the sweep records them.
    const tasks = [
      ...deriveTasks({
        contract: cleaning,
        standards: standardTemplateFor('cleaning'),
        segments: new Map([[segmentId, { grade: segment.json.grade, flags: segment.json.flags }]]),
        calendar: china2026Calendar,
        zone,
        range: { from: first, to: addDays(first, 1) },
      }),
    ].slice(0, 2);
    expect(tasks).toHaveLength(2);
    missedTaskIds = tasks.map((task) => task.taskId);
    await new DynamoTaskOutcomeStore(document, table).recordMissed(
      tasks.map((task) => ({
        tenantId,
        taskId: task.taskId,
        contractId: task.contractId,
        segmentId: task.segmentId,
        activity: task.activity,
        windowStart: task.windowStart,
        windowEnd: task.windowEnd,
        localDate: task.localDate,
        status: 'missed' as const,
        at: now.toISOString(),
        source: { kind: 'sweep' as const, runId: 'run_statements_test' },
      })),
    );

    // An inspection with two findings; its 1-hour CL-LITTER order is marked late by the sweep.
    const recorded = await api.request<{ inspection: Inspection; orders: RectificationOrder[] }>('POST', '/v1/inspections', {
      token: inspector,
      body: { segmentId, serviceType: 'cleaning', at: now.toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 2 }, { itemCode: 'CL-PILE-M', count: 1 }] },
    });
    expect(recorded.status, recorded.text).toBe(201);
    inspection = recorded.json.inspection;
    const litter = recorded.json.orders.find((order) => order.itemCode === 'CL-LITTER')!;
    const sweep = createOverdueSweepHandler(() => ({ ...overdueSweepDeps(), clock: { now: () => new Date(now.getTime() + 90 * 60_000) } }), quiet);
    await sweep({ tenants: [tenantId] });
    lateOrderId = litter.orderId;

    // An accepted work order on the unit-rate contract: 1.250 m² (1.500 measured) at ¥165.00.
    workOrderId = `wo_${nextUlid().toLowerCase()}`;
    const acceptedAt = now.toISOString();
    const order: WorkOrder = {
      tenantId,
      workOrderId,
      contractId: municipal.contractId,
      contractorId: mine,
      rateItemCode: 'M-02',
      rateItemNameZh: '修补人行道板',
      unit: 'm²',
      unitFen: 16_500,
      termsVersion: 1,
      latePenalty: { sameAsDefect: true },
      estimatedQuantityMilli: 2_000,
      location: { segmentId },
      description: '南京西路人行道板破损',
      deadline: addDays(today, 2),
      status: 'accepted',
      month,
      completion: {
        evidenceIds: ['ev_0123456789abcdef0123456789abcdef'],
        photoHashes: ['a'.repeat(64)],
        capturedAt: acceptedAt,
        gps: { lon: 121.47, lat: 31.2233, accuracyM: 8 },
        measuredQuantityMilli: 1_500,
        completedAt: acceptedAt,
        completedBy: 'usr_crew_li',
        late: false,
      },
      decision: { outcome: 'accepted', acceptedQuantityMilli: 1_250, reason: '实测面积', at: acceptedAt, by: 'usr_inspect_zhao', month },
      version: 3,
      createdAt: acceptedAt,
      createdBy: 'usr_inspect_zhao',
      updatedAt: acceptedAt,
      updatedBy: 'usr_inspect_zhao',
    } as WorkOrder;
    await new DynamoWorkOrderStore(document, table).create(order);
  });

  it('computes the statement from the stored facts: lines with their sources, 201 then 200 unchanged', async () => {
    const computed = await api.request<StatementRecord>('POST', path(cleaning, '/computations'), { token: finance, headers: { 'idempotency-key': `c1-${tenantId}` } });
    const again = await api.request<StatementRecord>('POST', path(cleaning, '/computations'), { token: finance, headers: { 'idempotency-key': `c2-${tenantId}` } });

    expect(computed.status, computed.text).toBe(201);
    expect(computed.headers['etag']).toBe('"1"');
    expect(computed.json).toMatchObject({ status: 'draft', version: 1, computeVersion: 1, contractId: cleaning.contractId, month });
    const lines = new Map(computed.json.statement.lines.map((line) => [line.code === 'base' ? 'base' : line.key, line]));
    expect(lines.get('base')?.amountFen).toBeGreaterThan(0);
    expect(lines.get('fines_missed_tasks')?.sources.taskIds).toEqual(expect.arrayContaining(missedTaskIds));
    expect(lines.get('quality_deduction')?.sources.inspectionIds ?? lines.get('fines_findings')?.sources.inspectionIds ?? []).toContain(inspection.inspectionId);
    const qualitySources = computed.json.statement.lines.flatMap((line) => line.sources.orderIds ?? []);
    expect(qualitySources).toContain(lateOrderId);
    expect(again.status, again.text).toBe(200);
    expect(again.json.computeVersion).toBe(1);
    expect(again.json.inputsDigest).toBe(computed.json.inputsDigest);
  });

  it('holds a contractor user with the finance role too, or in a group named "contractor,finance", to its contractor (issue 13)', async () => {
    const mine = cleaning.contractorId;
    const mixed = await tokenFor(['contractor', 'finance'], { tenantId, contractorId: mine, sub: 'dev-mixed' });
    const oneGroup = await tokenWithGroups(['contractor,finance'], { tenantId, contractorId: mine });

    const computeMixed = await api.request('POST', path(cleaning, '/computations'), { token: mixed, headers: { 'idempotency-key': `x1-${tenantId}` } });
    const computeGroup = await api.request('POST', path(cleaning, '/computations'), { token: oneGroup, headers: { 'idempotency-key': `x2-${tenantId}` } });
    const listMixed = await api.request('GET', `/v1/statements?month=${month}`, { token: mixed });
    const listGroup = await api.request('GET', `/v1/statements?month=${month}`, { token: oneGroup });
    // The draft of its own contract is hidden from a contractor user, finance role or not.
    const draftMixed = await api.request('GET', path(cleaning), { token: mixed });

    expect(computeMixed.status, computeMixed.text).toBe(403);
    expect(computeGroup.status, computeGroup.text).toBe(403);
    expect(listMixed.status, listMixed.text).toBe(403);
    expect(listGroup.status, listGroup.text).toBe(403);
    expect(draftMixed.status).toBe(404);
  });

  it('prices the accepted work order of the unit-rate contract as a unit-rate line', async () => {
    const computed = await api.request<StatementRecord>('POST', path(municipal, '/computations'), { token: finance, headers: { 'idempotency-key': `m1-${tenantId}` } });

    expect(computed.status, computed.text).toBe(201);
    const line = computed.json.statement.lines.find((entry) => entry.key === `unit_rate/${workOrderId}`);
    // 1 250 thousandths x 16 500 fen / 1000 = 20 625 fen.
    expect(line?.amountFen).toBe(20_625);
    expect(line?.sources.workOrderIds).toEqual([workOrderId]);
    expect(line?.formula).toContain('changed at acceptance');
  });

  it('expands a line into its sources with the stored facts summarised', async () => {
    const missed = await api.request<ExpandedLine>('GET', path(cleaning, '/lines/fines_missed_tasks'), { token: finance });
    const base = (await api.request<StatementRecord>('GET', path(cleaning), { token: finance })).json.statement.lines.find((line) => line.code === 'base')!;
    const baseExpanded = await api.request<ExpandedLine>('GET', path(cleaning, `/lines/${encodeURIComponent(base.key)}`), { token: finance });

    expect(missed.status, missed.text).toBe(200);
    const summaries = missed.json.sources.taskIds ?? [];
    expect(summaries.map((summary) => summary.id)).toEqual(expect.arrayContaining(missedTaskIds));
    expect(summaries.find((summary) => summary.id === missedTaskIds[0])).toMatchObject({ date: first, segmentId: expect.any(String), activity: expect.any(String) });
    expect(baseExpanded.status, baseExpanded.text).toBe(200);
    expect(baseExpanded.json.sources.segmentIds?.length).toBe(1);
  });

  it('hides a draft from the contractor, then review → two approvals at once: one wins; approved is final', async () => {
    const draft = await api.request<StatementRecord>('GET', path(cleaning), { token: finance });
    const hidden = await api.request('GET', path(cleaning), { token: contractorToken });
    const notFinance = await api.request('POST', path(cleaning, '/review'), { token: contractorToken, headers: { 'if-match': `"${draft.json.version}"` }, body: {} });
    const reviewed = await api.request<StatementRecord>('POST', path(cleaning, '/review'), { token: finance, headers: { 'if-match': `"${draft.json.version}"` }, body: { reason: '核对无误' } });

    const approvals = await Promise.all(
      [finance, finance2].map((token) => api.request<StatementRecord>('POST', path(cleaning, '/approval'), { token, headers: { 'if-match': `"${reviewed.json.version}"` }, body: {} })),
    );
    const recompute = await api.request('POST', path(cleaning, '/computations'), { token: finance, headers: { 'idempotency-key': `c3-${tenantId}` } });
    const own = await api.request<StatementRecord>('GET', path(cleaning), { token: contractorToken });
    const others = await api.request('GET', path(cleaning), { token: otherContractorToken });

    expect(hidden.status).toBe(404);
    expect(notFinance.status).toBe(403);
    expect(reviewed.status, reviewed.text).toBe(200);
    expect(reviewed.json.status).toBe('reviewed');
    expect(approvals.map((a) => a.status).sort()).toEqual([200, expect.any(Number)]);
    expect(approvals.filter((a) => a.status === 200)).toHaveLength(1);
    expect([409, 412]).toContain(approvals.find((a) => a.status !== 200)?.status);
    expect(recompute.status).toBe(409);
    expect(own.status, own.text).toBe(200);
    expect(own.json.status).toBe('approved');
    expect(own.json.statement).toEqual(draft.json.statement);
    expect(others.status).toBe(404);
  });

  it('records the payment of the approved statement and lists the tenant-month for finance', async () => {
    const approved = await api.request<StatementRecord>('GET', path(cleaning), { token: finance });
    const paid = await api.request<StatementRecord>('POST', path(cleaning, '/payment'), {
      token: finance,
      headers: { 'if-match': `"${approved.json.version}"`, 'idempotency-key': `p1-${tenantId}` },
      body: { reference: 'ZF-STMT-0001', paidOn: today },
    });
    const list = await api.request<{ items: { contractId: string; status: string; netFen: number }[] }>('GET', `/v1/statements?month=${month}`, { token: finance });
    const versions = await api.request<{ items: StatementRecord[] }>('GET', path(cleaning, '/versions'), { token: finance });
    const contractorList = await api.request('GET', `/v1/statements?month=${month}`, { token: contractorToken });

    expect(paid.status, paid.text).toBe(200);
    expect(paid.json.payment).toMatchObject({ reference: 'ZF-STMT-0001', paidOn: today });
    expect(list.status, list.text).toBe(200);
    expect(list.json.items.map((item) => [item.contractId, item.status]).sort()).toEqual(
      [
        [cleaning.contractId, 'paid'],
        [municipal.contractId, 'draft'],
      ].sort(),
    );
    expect(versions.json.items.map((item) => item.computeVersion)).toEqual([1]);
    expect(contractorList.status).toBe(403);
  });
});

describe('adjustments on the local stack', () => {
  it('carries a miss recorded after the previous month was approved into this month as an adjustment', async () => {
    // Prepare: a contract from the 1st of last month; last month computed, reviewed, approved.
    const document = DynamoDBDocumentClient.from(localDynamo(), { marshallOptions: { removeUndefinedValues: true } });
    const table = localStack().tables.main;
    const tenantId = uniqueTenantId('adjustments');
    const finance = await tokenFor('finance', { tenantId });
    const procurement = await tokenFor('procurement', { tenantId });
    const segment = await api.request<Segment>('POST', '/v1/segments', {
      token: procurement,
      body: { name: '调整路1号段', street: '南京西路街道', grade: 'branch', flags: [], widthM: 12, geometry: { type: 'LineString', coordinates: [[121.48, 31.2231], [121.4812, 31.2237]] } },
    });
    expect(segment.status, segment.text).toBe(201);
    const previousFirst = addDays(first, -1).slice(0, 7) + '-01';
    const previousMonth = previousFirst.slice(0, 7);
    const parsed = CreateContractInput.parse({
      contractorId: 'ctr_adjustmenttest',
      serviceType: 'cleaning',
      title: '调整测试合同',
      origin: { kind: 'direct' },
      startDate: previousFirst,
      endDate: addDays(previousFirst, 364),
      performanceBondFen: 100_000,
      scope: [segment.json.segmentId],
      pricing: { kind: 'lump_sum', monthlyFen: 3_100_000 },
      rulebookTemplateId: 'cleaning-standard',
    });
    const contract = { ...newContract(parsed, { tenantId, contractId: contractIdFrom(nextUlid()), rulebook: rulebookFromTemplate(templateById('cleaning-standard')!), at: new Date(`${previousFirst}T00:00:00+08:00`), by: 'usr_test' }), status: 'active' as const };
    await new DynamoContractStore(document, table).save({ contract, expectedVersion: undefined });
    const at = (m: string, suffix = ''): string => `/v1/contracts/${contract.contractId}/statements/${m}${suffix}`;
    const computed = await api.request<StatementRecord>('POST', at(previousMonth, '/computations'), { token: finance, headers: { 'idempotency-key': `a1-${tenantId}` } });
    const reviewed = await api.request<StatementRecord>('POST', at(previousMonth, '/review'), { token: finance, headers: { 'if-match': `"${computed.json.version}"` }, body: {} });
    const approved = await api.request<StatementRecord>('POST', at(previousMonth, '/approval'), { token: finance, headers: { 'if-match': `"${reviewed.json.version}"` }, body: {} });
    expect(approved.status, approved.text).toBe(200);

    // A miss on last month's 1st, recorded after the approval.
    const [task] = [
      ...deriveTasks({
        contract,
        standards: standardTemplateFor('cleaning'),
        segments: new Map([[segment.json.segmentId, { grade: segment.json.grade, flags: segment.json.flags }]]),
        calendar: china2026Calendar,
        zone,
        range: { from: previousFirst, to: addDays(previousFirst, 1) },
      }),
    ];
    await new DynamoTaskOutcomeStore(document, table).recordMissed([
      { tenantId, taskId: task!.taskId, contractId: contract.contractId, segmentId: task!.segmentId, activity: task!.activity, windowStart: task!.windowStart, windowEnd: task!.windowEnd, localDate: task!.localDate, status: 'missed', at: now.toISOString(), source: { kind: 'sweep', runId: 'run_late' } },
    ]);

    // Act: this month computed.
    const current = await api.request<StatementRecord>('POST', at(month, '/computations'), { token: finance, headers: { 'idempotency-key': `a2-${tenantId}` } });
    const previous = await api.request<StatementRecord>('GET', at(previousMonth), { token: finance });

    // Assess: an adjustment line naming the approved statement and the task; the approved one unchanged.
    expect(current.status, current.text).toBe(201);
    const adjustment = current.json.statement.lines.find((line) => line.key === `adjustment/${previousMonth}`);
    expect(adjustment?.amountFen).toBeLessThan(0);
    expect(adjustment?.sources.statementRefs).toEqual([`${contract.contractId}/${previousMonth}/v1`]);
    expect(adjustment?.sources.taskIds).toContain(task!.taskId);
    expect(previous.json).toEqual(approved.json);
  });
});
