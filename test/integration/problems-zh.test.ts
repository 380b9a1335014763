import { beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { addDays, localDate } from '../../domain/dates';
import type { Inspection } from '../../domain/inspections/schema';
import type { RectificationOrder } from '../../domain/rectification/schema';
import type { TaskView } from '../../domain/schedule/use-cases';
import type { Segment } from '../../domain/segments/schema';
import type { WorkOrder } from '../../domain/work-orders/schema';
import type { Problem } from '../../functions/shared/schemas';
import { api, tokenFor, uniqueTenantId, type ApiResponse } from '../helpers/api';

/**
 * Problem details in Chinese (issue 14) on the routes the crew and inspector app calls, with
 * `Accept-Language: zh-CN`, on the local stack in a tenant of this file's own: validation
 * problems (400, every field message in Chinese, a schema's own message included), 403, 404,
 * 409 and 412, each with a Chinese title and detail, `type` and `field` left as identifiers.
 */

const zh = { 'accept-language': 'zh-CN' } as const;
const zone = 'Asia/Shanghai';
const today = localDate(new Date(), zone);
const yesterday = addDays(today, -1);
const hasChinese = /[\u4e00-\u9fff]/;

type Answer = ApiResponse<Problem>;

/** A Chinese problem: title and detail in Chinese, answered as zh-CN, with the status given. */
function expectChinese(answer: Answer, status: number): Problem {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers['content-type']).toContain('application/problem+json');
  expect(answer.headers['content-language']).toBe('zh-CN');
  expect(answer.json.title).toMatch(hasChinese);
  expect(answer.json.detail, answer.text).toMatch(hasChinese);
  for (const error of answer.json.errors ?? []) expect(error.message, `${error.field}: ${error.message}`).toMatch(hasChinese);
  return answer.json;
}

describe('problem details in zh-CN on the field app routes', () => {
  let procurement: string;
  let inspector: string;
  let crew: string;
  let segment: Segment;
  let cleaning: Contract;
  let municipal: Contract;
  let task: TaskView;
  let order: RectificationOrder;
  let workOrder: WorkOrder;

  async function activeContract(contractorId: string, body: Record<string, unknown>): Promise<Contract> {
    const created = await api.request<Contract>('POST', '/v1/contracts', {
      token: procurement,
      body: { contractorId, startDate: yesterday, endDate: addDays(today, 364), scope: [segment.segmentId], ...body },
    });
    expect(created.status, created.text).toBe(201);
    const activated = await api.request<Contract>('POST', `/v1/contracts/${created.json.contractId}/activate`, { token: procurement, headers: { 'if-match': `"${created.json.version}"` }, body: {} });
    expect(activated.status, activated.text).toBe(200);
    return activated.json;
  }

  beforeAll(async () => {
    const tenantId = uniqueTenantId('zh');
    procurement = await tokenFor('procurement', { tenantId });
    inspector = await tokenFor('inspector', { tenantId });
    const contractor = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: { code: '91310106MA1FY0AB17', name: '上海环杰环境服务有限公司' } });
    expect(contractor.status, contractor.text).toBe(201);
    crew = await tokenFor('contractor', { tenantId, contractorId: contractor.json.contractorId });
    const created = await api.request<Segment>('POST', '/v1/segments', {
      token: procurement,
      body: { name: '武定路(江宁路—常德路)', street: '静安寺街道', grade: 'branch', flags: [], widthM: 12, geometry: { type: 'LineString', coordinates: [[121.44, 31.2331], [121.4412, 31.2337]] } },
    });
    expect(created.status, created.text).toBe(201);
    segment = created.json;
    cleaning = await activeContract(contractor.json.contractorId, {
      serviceType: 'cleaning',
      title: '静安寺街道道路保洁服务合同',
      performanceBondFen: 5_000_000,
      pricing: { kind: 'lump_sum', monthlyFen: 38_000_000 },
      standardRef: { standardId: 'cleaning-standard', version: 1 },
      rulebookTemplateId: 'cleaning-standard',
    });
    municipal = await activeContract(contractor.json.contractorId, {
      serviceType: 'municipal',
      title: '静安寺街道市政设施维修养护合同',
      performanceBondFen: 2_000_000,
      pricing: { kind: 'unit_rate', items: [{ code: 'M-02', nameZh: '修补人行道板', unit: 'm²', unitFen: 16_500 }] },
      rulebookTemplateId: 'municipal-roads',
    });
    const tasks = await api.request<{ items: TaskView[] }>('GET', `/v1/contracts/${cleaning.contractId}/tasks?date=${yesterday}`, { token: crew });
    expect(tasks.status, tasks.text).toBe(200);
    task = tasks.json.items.find((item) => item.activity === 'sweep')!;
    const raised = await api.request<{ inspection: Inspection; orders: RectificationOrder[] }>('POST', '/v1/inspections', {
      token: inspector,
      body: { segmentId: segment.segmentId, serviceType: 'cleaning', at: new Date(Date.now() - 60_000).toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 1 }] },
    });
    expect(raised.status, raised.text).toBe(201);
    order = raised.json.orders[0]!;
    const ordered = await api.request<WorkOrder>('POST', `/v1/contracts/${municipal.contractId}/work-orders`, {
      token: inspector,
      body: { rateItemCode: 'M-02', estimatedQuantityMilli: 1_000, location: { segmentId: segment.segmentId }, description: '人行道板松动', deadline: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(ordered.status, ordered.text).toBe(201);
    workOrder = ordered.json;
  }, 60_000);

  it("tasks: a bad contract id and a day that does not exist are listed in Chinese, the schemas' own messages included", async () => {
    // Act
    const problem = expectChinese(await api.request<Problem>('GET', '/v1/contracts/con_nope/tasks?date=2026-02-30', { token: crew, headers: zh }), 400);
    const english = await api.request<Problem>('GET', '/v1/contracts/con_nope/tasks?date=2026-02-30', { token: crew });

    // Assess
    expect(problem).toMatchObject({ type: '/problems/validation', title: '请求无效', detail: '2 个字段未通过校验' });
    expect(problem.errors).toEqual([
      { field: 'params.contractId', message: '不是合同编号（con_ 加 26 个字符）' },
      { field: 'query.date', message: '日期格式为 YYYY-MM-DD，且须为真实存在的日期' },
    ]);
    expect(english.json.errors?.map((error) => error.message)).toEqual(['not a contract id (con_ + 26 characters)', 'a date is YYYY-MM-DD and must be a real calendar day']);
  });

  it('tasks: a made-up task id is a Chinese 404, and a range over 31 days a Chinese 400', async () => {
    // Act
    const missing = expectChinese(await api.request<Problem>('GET', '/v1/tasks/tsk_madeup', { token: crew, headers: zh }), 404);
    const long = expectChinese(await api.request<Problem>('GET', `/v1/segments/${segment.segmentId}/tasks?from=${yesterday}&to=${addDays(yesterday, 40)}`, { token: inspector, headers: zh }), 400);

    // Assess
    expect(missing).toMatchObject({ title: '未找到', detail: "作业任务 'tsk_madeup' 不存在" });
    expect(long.detail).toBe('日期范围最多 31 天');
  });

  it('uploads: a type not allowed is a Chinese 400, and an inspector asking for a crew upload a Chinese 403', async () => {
    // Act
    const gif = expectChinese(await api.request<Problem>('POST', `/v1/tasks/${task.taskId}/uploads`, { token: crew, headers: zh, body: { contentType: 'image/gif' } }), 400);
    const forbidden = expectChinese(await api.request<Problem>('POST', `/v1/tasks/${task.taskId}/uploads`, { token: inspector, headers: zh, body: { contentType: 'image/jpeg' } }), 403);
    const badKey = expectChinese(await api.request<Problem>('POST', `/v1/tasks/${task.taskId}/uploads`, { token: crew, headers: { ...zh, 'idempotency-key': 'short' }, body: { contentType: 'image/jpeg' } }), 400);

    // Assess
    expect(gif.errors).toEqual([{ field: 'body.contentType', message: expect.stringContaining("'image/gif' 不是") }]);
    expect(forbidden).toMatchObject({ type: '/problems/forbidden', title: '无权操作', detail: '角色 inspector 无权执行 evidence:upload' });
    expect(badKey.errors).toEqual([{ field: 'headers.idempotency-key', message: '请使用 8–255 个可打印的 ASCII 字符，例如一个 UUID' }]);
  });

  it('proofs: malformed ids, an unknown proof, and rejecting a proof that was not accepted (409) in Chinese', async () => {
    // Prepare: a refused proof (its photo was never posted), stored as refused.
    const slot = await api.request<{ evidenceId: string }>('POST', `/v1/tasks/${task.taskId}/uploads`, { token: crew, body: { contentType: 'image/jpeg' } });
    const [x, y] = segment.geometry.coordinates[0] as [number, number];
    const refused = await api.request<{ proofId: string }>('POST', `/v1/tasks/${task.taskId}/proofs`, {
      token: crew,
      body: { evidenceIds: [slot.json.evidenceId], capturedAt: task.windowStart, gps: { lon: x, lat: y, accuracyM: 6 } },
    });
    expect(refused.status, refused.text).toBe(422);

    // Act
    const badBody = expectChinese(await api.request<Problem>('POST', `/v1/tasks/${task.taskId}/proofs`, { token: crew, headers: zh, body: { evidenceIds: ['photo-1'], capturedAt: 'yesterday', gps: { lon: x, lat: y, accuracyM: 6 } } }), 400);
    const badId = expectChinese(await api.request<Problem>('GET', '/v1/proofs/prf_1', { token: inspector, headers: zh }), 400);
    const unknown = expectChinese(await api.request<Problem>('GET', `/v1/proofs/prf_${'0'.repeat(26)}`, { token: inspector, headers: zh }), 404);
    const conflict = expectChinese(
      await api.request<Problem>('POST', `/v1/proofs/${refused.json.proofId}/rejection`, { token: inspector, headers: { ...zh, 'if-match': '"1"' }, body: { reason: '测试' } }),
      409,
    );
    const stale = expectChinese(
      await api.request<Problem>('POST', `/v1/proofs/${refused.json.proofId}/rejection`, { token: inspector, headers: { ...zh, 'if-match': '"7"' }, body: { reason: '测试' } }),
      412,
    );
    const noReason = expectChinese(await api.request<Problem>('POST', `/v1/proofs/${refused.json.proofId}/rejection`, { token: inspector, headers: { ...zh, 'if-match': '"1"' }, body: { reason: ' ' } }), 400);

    // Assess
    expect(badBody.errors).toEqual(
      expect.arrayContaining([
        { field: 'body.evidenceIds.0', message: '不是照片编号（ev_ 加 32 位十六进制数字）' },
        { field: 'body.capturedAt', message: '须为带时区偏移的 ISO 8601 时间，例如 2026-11-23T05:10:00+08:00' },
      ]),
    );
    expect(badId.errors).toEqual([{ field: 'params.proofId', message: '不是作业凭证编号（prf_ 加 26 个字符）' }]);
    expect(unknown.detail).toBe(`作业凭证 'prf_${'0'.repeat(26)}' 不存在`);
    expect(conflict).toMatchObject({ type: '/problems/conflict', title: '冲突', detail: `作业凭证 ${refused.json.proofId} 未被接受：只有已接受的凭证可以驳回` });
    expect(stale).toMatchObject({ title: '版本已变更', detail: `作业凭证 '${refused.json.proofId}' 当前为版本 1，不是版本 7` });
    expect(noReason.errors).toEqual([{ field: 'body.reason', message: '请说明理由' }]);
  });

  it('inspections: a list naming neither contract nor segment, and an unknown inspection, in Chinese', async () => {
    // Act
    const neither = expectChinese(await api.request<Problem>('GET', `/v1/inspections?month=${today.slice(0, 7)}`, { token: inspector, headers: zh }), 400);
    const unknown = expectChinese(await api.request<Problem>('GET', '/v1/inspections/ins_nope', { token: inspector, headers: zh }), 404);
    const byCrew = expectChinese(
      await api.request<Problem>('POST', '/v1/inspections', { token: crew, headers: zh, body: { segmentId: segment.segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'patrol', findings: [] } }),
      403,
    );

    // Assess
    expect(neither.errors).toEqual([{ field: 'query.contractId', message: 'contractId 与 segmentId 须给出且只给出其中一个' }]);
    expect(unknown.detail).toBe("检查记录 'ins_nope' 不存在");
    expect(byCrew.detail).toContain('无权执行 inspection:write');
  });

  it('rectification: an answer without photos (400), accepting an unanswered order (409), in Chinese', async () => {
    // Act
    const noPhoto = expectChinese(await api.request<Problem>('POST', `/v1/rectification-orders/${order.orderId}/answers`, { token: crew, headers: zh, body: { evidenceIds: [] } }), 400);
    const badId = expectChinese(await api.request<Problem>('POST', '/v1/rectification-orders/rec_1/answers', { token: crew, headers: zh, body: { evidenceIds: [`ev_${'a'.repeat(32)}`] } }), 400);
    const early = expectChinese(
      await api.request<Problem>('POST', `/v1/rectification-orders/${order.orderId}/acceptance`, { token: inspector, headers: { ...zh, 'if-match': `"${order.version}"` }, body: {} }),
      409,
    );

    // Assess
    expect(noPhoto.errors).toEqual([{ field: 'body.evidenceIds', message: '整改回复须至少附一张照片' }]);
    expect(badId.errors).toEqual([{ field: 'params.orderId', message: "整改通知书编号形如 'rec_' 加 26 个小写字母或数字" }]);
    expect(early.detail).toBe(`整改通知书 '${order.orderId}' 待整改；只有已回复的通知书可以验收`);
  });

  it('work orders: a completion without photos (400), rejecting an order not completed (409), in Chinese', async () => {
    // Act
    const noPhoto = expectChinese(
      await api.request<Problem>('POST', `/v1/work-orders/${workOrder.workOrderId}/completion`, {
        token: crew,
        headers: { ...zh, 'if-match': `"${workOrder.version}"` },
        body: { evidenceIds: [], capturedAt: new Date().toISOString(), gps: { lon: 121.44, lat: 31.2331, accuracyM: 5 }, measuredQuantityMilli: 0 },
      }),
      400,
    );
    const notCompleted = expectChinese(
      await api.request<Problem>('POST', `/v1/work-orders/${workOrder.workOrderId}/rejection`, { token: inspector, headers: { ...zh, 'if-match': `"${workOrder.version}"` }, body: { reason: '未完工' } }),
      409,
    );

    // Assess
    expect(noPhoto.errors).toEqual(
      expect.arrayContaining([
        { field: 'body.evidenceIds', message: '完工须至少附一张照片' },
        { field: 'body.measuredQuantityMilli', message: '数量必须大于零' },
      ]),
    );
    expect(notCompleted.detail).toBe(`工单 '${workOrder.workOrderId}' 的状态为「待完成」；只有「已完工」的工单可以退回`);
  });
});
