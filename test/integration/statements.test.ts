import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { contractIdFrom, newContract } from '../../domain/contracts/contract';
import { CreateContractInput, type Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { addMonths } from '../../domain/assessment/months';
import { addDays, localDate } from '../../domain/dates';
import type { Inspection } from '../../domain/inspections/schema';
import type { AuditEntry } from '../../domain/audit';
import type { StatementRecord } from '../../domain/payments/records';
import type { ExpandedLine } from '../../domain/payments/use-cases';
import type { RectificationOrder } from '../../domain/rectification/schema';
import { rulebookFromTemplate, templateById } from '../../domain/rulebooks/templates';
import { china2026Calendar } from '../../domain/schedule/calendar';
import { deriveTasks, type Task as DerivedTask } from '../../domain/schedule/derive';
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
 * written through the contract store so they start on the 1st of last month (the API refuses
 * back-dated activations). This month: compute → lines with sources → expand → review, its
 * approval refused while the month runs. Last month (two misses, recorded between two
 * computations): old versions read → review → the reviewer may not approve → two others
 * approve at once (one wins) → recompute refused → the contractor reads its own → the
 * approver may not record the payment, a third user does → the audit log names each.
 */

const zone = 'Asia/Shanghai';
const now = new Date();
const today = localDate(now, zone);
const month = today.slice(0, 7);
const first = `${month}-01`;
const previousMonth = addMonths(month, -1);
const previousFirst = `${previousMonth}-01`;
const nextUlid = monotonicFactory();
const quiet: OverdueSweepLog = { info: () => undefined, error: () => undefined };

describe('statements on the local stack', () => {
  let tenantId: string;
  let finance: string;
  let finance2: string;
  let finance3: string;
  let inspector: string;
  let contractorToken: string;
  let otherContractorToken: string;
  let cleaning: Contract;
  let municipal: Contract;
  let missedTaskIds: string[];
  let previousTasks: DerivedTask[];
  let recordMisses: (tasks: readonly DerivedTask[]) => Promise<void>;
  let inspection: Inspection;
  let lateOrderId: string;
  let workOrderId: string;

  const path = (contract: Contract, suffix = '', of = month): string => `/v1/contracts/${contract.contractId}/statements/${of}${suffix}`;

  beforeAll(async () => {
    const document = DynamoDBDocumentClient.from(localDynamo(), { marshallOptions: { removeUndefinedValues: true } });
    const table = localStack().tables.main;
    tenantId = uniqueTenantId('statements');
    const procurement = await tokenFor('procurement', { tenantId });
    finance = await tokenFor('finance', { tenantId });
    // Three finance users (four eyes: who reviews may not approve, who approves may not pay).
    finance2 = await tokenFor('finance', { tenantId, sub: 'dev-finance-qian' });
    finance3 = await tokenFor('finance', { tenantId, sub: 'dev-finance-sun' });
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
      const parsed = CreateContractInput.parse({ contractorId: mine, origin: { kind: 'direct' }, startDate: previousFirst, endDate: addDays(previousFirst, 364), performanceBondFen: 100_000, scope: [segmentId], rulebookTemplateId: templateId, ...fields });
      const draft = newContract(parsed, { tenantId, contractId: contractIdFrom(nextUlid()), rulebook: rulebookFromTemplate(templateById(templateId)!), at: new Date(`${previousFirst}T00:00:00+08:00`), by: 'usr_test' });
      const contract = { ...draft, status: 'active' as const };
      await contracts.save({ contract, expectedVersion: undefined });
      return contract;
    };
    cleaning = await contractOf({ serviceType: 'cleaning', title: '结算测试保洁合同', pricing: { kind: 'lump_sum', monthlyFen: 3_100_000 } }, 'cleaning-standard');
    municipal = await contractOf(
      { serviceType: 'municipal', title: '结算测试市政合同', pricing: { kind: 'unit_rate', items: [{ code: 'M-02', nameZh: '修补人行道板', unit: 'm²', unitFen: 16_500 }] } },
      'municipal-roads',
    );

    // Two tasks of the 1st missed, as the sweep records them (and two of last month's 1st, later).
    const tasksOf = (from: string): DerivedTask[] => [
      ...deriveTasks({
        contract: cleaning,
        standards: standardTemplateFor('cleaning'),
        segments: new Map([[segmentId, { grade: segment.json.grade, flags: segment.json.flags }]]),
        calendar: china2026Calendar,
        zone,
        range: { from, to: addDays(from, 1) },
      }),
    ].slice(0, 2);
    const tasks = tasksOf(first);
    previousTasks = tasksOf(previousFirst);
    expect(tasks).toHaveLength(2);
    expect(previousTasks).toHaveLength(2);
    missedTaskIds = tasks.map((task) => task.taskId);
    const outcomes = new DynamoTaskOutcomeStore(document, table);
    recordMisses = async (missed) => {
      await outcomes.recordMissed(
        missed.map((task) => ({
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
    };
    await recordMisses(tasks);
    await recordMisses(previousTasks.slice(0, 1));

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
    expect(line?.formulaZh).toMatch(/验收时调整）.* = ¥206\.25$/);
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

  it('names, on each derived line, the lines it is computed from; expanding the retention shows them with their amounts (issue 13)', async () => {
    // Act
    const record = (await api.request<StatementRecord>('GET', path(cleaning), { token: finance })).json;
    const retention = await api.request<ExpandedLine>('GET', path(cleaning, '/lines/retention'), { token: finance });

    // Assess
    const base = record.statement.lines.find((line) => line.code === 'base')!;
    const sourcesOf = (key: string): readonly string[] | undefined => record.statement.lines.find((line) => line.key === key)?.sources.lineKeys;
    expect(sourcesOf('bonus')).toEqual([base.key]);
    expect(sourcesOf('deduction_cap_excess')).toEqual(expect.arrayContaining([base.key, 'quality_deduction', 'fines_missed_tasks', 'fines_findings', 'fines_late_orders']));
    expect(sourcesOf('retention')).toEqual(expect.arrayContaining([base.key, 'bonus', 'quality_deduction', 'deduction_cap_excess']));
    expect(retention.status, retention.text).toBe(200);
    const fines = record.statement.lines.find((line) => line.key === 'fines_missed_tasks')!;
    expect(retention.json.sources.lineKeys).toContainEqual({ id: 'fines_missed_tasks', code: 'fines_missed_tasks', labelZh: fines.labelZh, labelEn: fines.labelEn, amountFen: fines.amountFen });
  });

  it('refuses to compute a month that has not begun (422 naming params.month, in Chinese too); nothing of it exists to review or approve', async () => {
    // Act
    const nextMonth = addMonths(month, 1);
    const next = await api.request<{ errors: { field: string; message: string }[]; detail: string }>('POST', path(cleaning, '/computations', nextMonth), { token: finance, headers: { 'idempotency-key': `f1-${tenantId}` } });
    const far = await api.request<{ errors: { field: string; message: string }[]; detail: string }>('POST', path(cleaning, '/computations', '2027-06'), { token: finance, headers: { 'idempotency-key': `f2-${tenantId}`, 'accept-language': 'zh-CN' } });
    const review = await api.request('POST', path(cleaning, '/review', nextMonth), { token: finance, headers: { 'if-match': '"1"' }, body: {} });
    const approval = await api.request('POST', path(cleaning, '/approval', nextMonth), { token: finance2, headers: { 'if-match': '"1"' }, body: {} });

    // Assess
    expect(next.status, next.text).toBe(422);
    expect(next.json.errors).toEqual([{ field: 'params.month', message: `${nextMonth} has not begun: today is ${today} in ${zone}` }]);
    expect(far.status, far.text).toBe(422);
    expect(far.json.errors[0]?.field).toBe('params.month');
    expect(far.json.detail).toContain('2027-06 尚未开始');
    expect([review.status, approval.status]).toEqual([404, 404]);
  });

  it('reviews the running month but refuses its approval until the month has ended (409 approval-after-month-end, zh too), naming both rules for the reviewer', async () => {
    // Prepare
    const draft = await api.request<StatementRecord>('GET', path(cleaning), { token: finance });
    const reviewed = await api.request<StatementRecord>('POST', path(cleaning, '/review'), { token: finance, headers: { 'if-match': `"${draft.json.version}"` }, body: { reason: '月中核对' } });
    expect(reviewed.status, reviewed.text).toBe(200);

    // Act
    const approval = await api.request<{ rules: string[]; detail: string; type: string }>('POST', path(cleaning, '/approval'), { token: finance2, headers: { 'if-match': `"${reviewed.json.version}"` }, body: {} });
    const inChinese = await api.request<{ rules: string[]; detail: string }>('POST', path(cleaning, '/approval'), { token: finance2, headers: { 'if-match': `"${reviewed.json.version}"`, 'accept-language': 'zh-CN' }, body: {} });
    const byReviewer = await api.request<{ rules: string[]; detail: string }>('POST', path(cleaning, '/approval'), { token: finance, headers: { 'if-match': `"${reviewed.json.version}"` }, body: {} });
    const after = await api.request<StatementRecord>('GET', path(cleaning), { token: finance });

    // Assess
    expect(approval.status, approval.text).toBe(409);
    expect(approval.headers['content-type']).toContain('application/problem+json');
    expect(approval.json.rules).toEqual(['approval-after-month-end']);
    expect(approval.json.detail).toContain(`${month} has not ended in ${zone} (today is ${today})`);
    expect(approval.json.detail).toContain(`from ${addMonths(month, 1)}-01`);
    expect(inChinese.status).toBe(409);
    expect(inChinese.json.detail).toContain(`${month} 在 ${zone} 尚未结束`);
    expect(byReviewer.status).toBe(409);
    expect(byReviewer.json.rules).toEqual(['reviewer-not-approver', 'approval-after-month-end']);
    expect(byReviewer.json.detail).toContain('user dev-finance reviewed it');
    expect(after.json).toMatchObject({ status: 'reviewed', version: reviewed.json.version });
  });

  it('reads the older computations of last month: ?version=1, diff?from=1&to=2 and a line of v1 expanded answer v1 itself (issue 13)', async () => {
    // Prepare: last month computed with one miss; the second miss recorded; computed again.
    const v1 = await api.request<StatementRecord>('POST', path(cleaning, '/computations', previousMonth), { token: finance, headers: { 'idempotency-key': `p1-${tenantId}` } });
    expect(v1.status, v1.text).toBe(201);
    await recordMisses(previousTasks.slice(1));
    const v2 = await api.request<StatementRecord>('POST', path(cleaning, '/computations', previousMonth), { token: finance, headers: { 'idempotency-key': `p2-${tenantId}` } });
    expect(v2.status, v2.text).toBe(201);

    // Act
    const kept = await api.request<StatementRecord>('GET', `${path(cleaning, '', previousMonth)}?version=1`, { token: finance });
    const diff = await api.request<{ from: number; to: number; lines: { key: string; deltaFen: number; labelZh: string; beforeFormulaZh: string | null; afterFormulaZh: string | null }[]; netDeltaFen: number }>('GET', `${path(cleaning, '/diff', previousMonth)}?from=1&to=2`, { token: finance });
    const oldLine = await api.request<ExpandedLine>('GET', `${path(cleaning, '/lines/fines_missed_tasks', previousMonth)}?version=1`, { token: finance });
    const versions = await api.request<{ items: StatementRecord[] }>('GET', path(cleaning, '/versions', previousMonth), { token: finance });

    // Assess
    expect(kept.status, kept.text).toBe(200);
    expect(kept.json).toEqual(v1.json);
    expect(kept.json).not.toHaveProperty('record');
    expect(diff.status, diff.text).toBe(200);
    const fines = v1.json.statement.lines.find((line) => line.key === 'fines_missed_tasks')!;
    expect(diff.json).toMatchObject({ from: 1, to: 2, netDeltaFen: v2.json.statement.totals.netFen - v1.json.statement.totals.netFen });
    expect(diff.json.lines.find((line) => line.key === 'fines_missed_tasks')?.deltaFen).toBe(v2.json.statement.lines.find((line) => line.key === 'fines_missed_tasks')!.amountFen - fines.amountFen);
    expect(diff.json.lines.find((line) => line.key === 'fines_missed_tasks')).toMatchObject({ labelZh: '漏作业罚款', beforeFormulaZh: fines.formulaZh, afterFormulaZh: expect.stringMatching(/^漏作业 \d+ 次，罚款合计 = ¥/) });
    expect(oldLine.status, oldLine.text).toBe(200);
    expect(oldLine.json.computeVersion).toBe(1);
    expect(oldLine.json.line).toEqual(fines);
    expect(oldLine.json.sources.taskIds?.map((task) => task.id)).toEqual([previousTasks[0]!.taskId]);
    expect(oldLine.json.sources.taskIds?.[0]).toMatchObject({ date: previousFirst, activity: previousTasks[0]!.activity });
    expect(versions.json.items.map((item) => item.computeVersion)).toEqual([1, 2]);
  });

  it('last month: hides the draft from the contractor; the reviewer may not approve (four eyes); two others approve at once: one wins; approved is final', async () => {
    // Prepare
    const draft = await api.request<StatementRecord>('GET', path(cleaning, '', previousMonth), { token: finance });
    const hidden = await api.request('GET', path(cleaning, '', previousMonth), { token: contractorToken });
    const notFinance = await api.request('POST', path(cleaning, '/review', previousMonth), { token: contractorToken, headers: { 'if-match': `"${draft.json.version}"` }, body: {} });
    const reviewed = await api.request<StatementRecord>('POST', path(cleaning, '/review', previousMonth), { token: finance, headers: { 'if-match': `"${draft.json.version}"` }, body: { reason: '核对无误' } });

    // Act
    const byReviewer = await api.request<{ rules: string[]; detail: string }>('POST', path(cleaning, '/approval', previousMonth), { token: finance, headers: { 'if-match': `"${reviewed.json.version}"`, 'accept-language': 'zh-CN' }, body: {} });
    const approvals = await Promise.all(
      [finance2, finance3].map((token) => api.request<StatementRecord>('POST', path(cleaning, '/approval', previousMonth), { token, headers: { 'if-match': `"${reviewed.json.version}"` }, body: {} })),
    );
    const recompute = await api.request('POST', path(cleaning, '/computations', previousMonth), { token: finance, headers: { 'idempotency-key': `p3-${tenantId}` } });
    const own = await api.request<StatementRecord>('GET', path(cleaning, '', previousMonth), { token: contractorToken });
    const others = await api.request('GET', path(cleaning, '', previousMonth), { token: otherContractorToken });

    // Assess
    expect(hidden.status).toBe(404);
    expect(notFinance.status).toBe(403);
    expect(reviewed.status, reviewed.text).toBe(200);
    expect(reviewed.json.status).toBe('reviewed');
    expect(byReviewer.status, JSON.stringify(byReviewer.json)).toBe(409);
    expect(byReviewer.json.rules).toEqual(['reviewer-not-approver']);
    expect(byReviewer.json.detail).toContain('用户 dev-finance 复核了该结算单，复核人不能审批（四眼原则）');
    expect(approvals.filter((a) => a.status === 200)).toHaveLength(1);
    expect([409, 412]).toContain(approvals.find((a) => a.status !== 200)?.status);
    expect(recompute.status).toBe(409);
    expect(own.status, own.text).toBe(200);
    expect(own.json.status).toBe('approved');
    expect(own.json.review?.by).toBe('dev-finance');
    expect(['dev-finance-qian', 'dev-finance-sun']).toContain(own.json.approval?.by);
    expect(own.json.statement).toEqual(draft.json.statement);
    expect(others.status).toBe(404);
  });

  it('refuses the payment to its approver (409 approver-not-payer), records it by another, lists the month, and the audit log names who did each step', async () => {
    // Prepare
    const approved = await api.request<StatementRecord>('GET', path(cleaning, '', previousMonth), { token: finance });
    const approver = approved.json.approval!.by;
    const approverToken = approver === 'dev-finance-qian' ? finance2 : finance3;
    const payment = { reference: 'ZF-STMT-0001', paidOn: today };

    // Act
    const byApprover = await api.request<{ rules: string[]; detail: string }>('POST', path(cleaning, '/payment', previousMonth), {
      token: approverToken,
      headers: { 'if-match': `"${approved.json.version}"`, 'idempotency-key': `p4-${tenantId}` },
      body: payment,
    });
    const paid = await api.request<StatementRecord>('POST', path(cleaning, '/payment', previousMonth), {
      token: finance,
      headers: { 'if-match': `"${approved.json.version}"`, 'idempotency-key': `p5-${tenantId}` },
      body: payment,
    });
    const list = await api.request<{ items: { contractId: string; status: string; netFen: number }[] }>('GET', `/v1/statements?month=${previousMonth}`, { token: finance });
    const running = await api.request<{ items: { contractId: string; status: string }[] }>('GET', `/v1/statements?month=${month}`, { token: finance });
    const contractorList = await api.request('GET', `/v1/statements?month=${previousMonth}`, { token: contractorToken });
    const audit = await api.request<{ items: AuditEntry[] }>('GET', `/v1/audit/entities/Statement/${encodeURIComponent(`${cleaning.contractId}/${previousMonth}`)}?limit=50`, { token: finance });

    // Assess
    expect(byApprover.status, JSON.stringify(byApprover.json)).toBe(409);
    expect(byApprover.json.rules).toEqual(['approver-not-payer']);
    expect(byApprover.json.detail).toContain(`user ${approver} approved it`);
    expect(paid.status, paid.text).toBe(200);
    expect(paid.json.payment).toMatchObject({ reference: 'ZF-STMT-0001', paidOn: today, by: 'dev-finance' });
    expect(list.status, list.text).toBe(200);
    expect(list.json.items.map((item) => [item.contractId, item.status])).toEqual([[cleaning.contractId, 'paid']]);
    expect(running.json.items.map((item) => [item.contractId, item.status]).sort()).toEqual(
      [
        [cleaning.contractId, 'reviewed'],
        [municipal.contractId, 'draft'],
      ].sort(),
    );
    expect(contractorList.status).toBe(403);
    expect(audit.status, audit.text).toBe(200);
    const steps = audit.json.items.map((entry) => [entry.action, entry.status, 'sub' in entry.actor ? entry.actor.sub : entry.actor.system]);
    expect(steps).toEqual([
      ['computeStatement', 'draft', 'dev-finance'],
      ['computeStatement', 'draft', 'dev-finance'],
      ['reviewStatement', 'reviewed', 'dev-finance'],
      ['approveStatement', 'approved', approver],
      ['recordStatementPayment', 'paid', 'dev-finance'],
    ]);
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
    // Another finance user than the reviewer (four eyes, issue 13).
    const approver = await tokenFor('finance', { tenantId, sub: 'dev-finance-approver' });
    const approved = await api.request<StatementRecord>('POST', at(previousMonth, '/approval'), { token: approver, headers: { 'if-match': `"${reviewed.json.version}"` }, body: {} });
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

    // Issue 13: expanding the adjustment shows the records of the month it corrects (before,
    // its sources expanded to nothing: the facts read were this month's).
    const expanded = await api.request<ExpandedLine>('GET', at(month, `/lines/${encodeURIComponent(`adjustment/${previousMonth}`)}`), { token: finance });
    expect(expanded.status, expanded.text).toBe(200);
    const late = (expanded.json.sources.taskIds ?? []).find((summary) => summary.id === task!.taskId);
    expect(late).toMatchObject({ date: previousFirst, segmentId: segment.json.segmentId, activity: task!.activity });
  });
});
