import { createHash } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { addDays, localDate } from '../../domain/dates';
import type { Segment } from '../../domain/segments/schema';
import type { WorkOrder } from '../../domain/work-orders/schema';
import { workOrderLine } from '../../domain/work-orders/work-order';
import { DynamoEvidenceStore } from '../../functions/adapters/dynamodb/evidence-store';
import type { Problem } from '../../functions/shared/schemas';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { localDynamo, localStack } from '../helpers/local-stack';

/**
 * Unit-rate work orders on the local stack, in a tenant of this file's own: a municipal
 * unit-rate contract with the seeded rate card made through the contracts API, then order →
 * photo upload slot → (ingest recorded on the evidence item, as the S3 event would) →
 * completion with a measured quantity → acceptance of a different quantity with a reason →
 * the priced line of the acceptance month.
 */

const zone = 'Asia/Shanghai';
const today = localDate(new Date(), zone);
const month = today.slice(0, 7);
const rateCard = [
  { code: 'M-01', nameZh: '更换破损井盖', unit: '个', unitFen: 118_000 },
  { code: 'M-02', nameZh: '修补人行道板', unit: 'm²', unitFen: 16_500 },
];
/** The segment's line runs from (121.452, 31.2231) to (121.4532, 31.2237). */
const onSegment = { lon: 121.4526, lat: 31.2234, accuracyM: 8 };

describe('work orders on the local stack', () => {
  let tenantId: string;
  let procurement: string;
  let inspector: string;
  let contractorToken: string;
  let otherContractorToken: string;
  let contract: Contract;
  let segmentId: string;
  let evidence: DynamoEvidenceStore;

  async function createContract(contractorId: string, pricing: unknown): Promise<Contract> {
    const created = await api.request<Contract>('POST', '/v1/contracts', {
      token: procurement,
      body: {
        contractorId,
        serviceType: 'municipal',
        title: '南京西路街道市政设施维修养护合同',
        startDate: today,
        endDate: addDays(today, 364),
        performanceBondFen: 2_000_000,
        scope: [segmentId],
        pricing,
        rulebookTemplateId: 'municipal-roads',
      },
    });
    expect(created.status, created.text).toBe(201);
    const activated = await api.request<Contract>('POST', `/v1/contracts/${created.json.contractId}/activate`, {
      token: procurement,
      headers: { 'if-match': `"${created.json.version}"` },
      body: {},
    });
    expect(activated.status, activated.text).toBe(200);
    return activated.json;
  }

  async function newOrder(body: Record<string, unknown> = {}): Promise<WorkOrder> {
    const created = await api.request<WorkOrder>('POST', `/v1/contracts/${contract.contractId}/work-orders`, {
      token: inspector,
      body: {
        rateItemCode: 'M-02',
        estimatedQuantityMilli: 2_000,
        location: { segmentId, point: { lon: 121.4526, lat: 31.2234 } },
        description: '人行道板破损约 2 m²',
        deadline: new Date(Date.now() + 2 * 86_400_000).toISOString(),
        ...body,
      },
    });
    expect(created.status, created.text).toBe(201);
    return created.json;
  }

  /** A photo slot through the API, then the ingest result recorded as the S3 event would. */
  async function ingestedPhoto(order: WorkOrder, label: string): Promise<{ evidenceId: string; sha256: string }> {
    const upload = await api.request<{ evidenceId: string; url: string; fields: Record<string, string> }>('POST', `/v1/work-orders/${order.workOrderId}/uploads`, {
      token: contractorToken,
      body: { contentType: 'image/jpeg' },
    });
    expect(upload.status, upload.text).toBe(201);
    expect(upload.json.fields['key']).toContain(`/${order.workOrderId}/`);
    const sha256 = createHash('sha256').update(`${tenantId} ${label}`).digest('hex');
    const now = new Date().toISOString();
    const recorded = await evidence.recordIngest(tenantId, order.workOrderId, upload.json.evidenceId, {
      status: 'valid',
      detectedContentType: 'image/jpeg',
      sizeBytes: 48_000,
      sha256,
      uploadedAt: now,
      ingestedAt: now,
    });
    expect(recorded).toBe('recorded');
    return { evidenceId: upload.json.evidenceId, sha256 };
  }

  beforeAll(async () => {
    tenantId = uniqueTenantId('workorders');
    procurement = await tokenFor('procurement', { tenantId });
    inspector = await tokenFor('inspector', { tenantId });
    const registered = await Promise.all(
      [
        { code: '91310106MA1FY0AB17', name: '上海环杰市政工程有限公司' },
        { code: '91310106MA1FY0AB2A', name: '上海绿源市政工程有限公司' },
      ].map((body) => api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body })),
    );
    expect(registered.map((answer) => answer.status)).toEqual([201, 201]);
    const [huanjie, lvyuan] = registered.map((answer) => answer.json.contractorId) as [string, string];
    contractorToken = await tokenFor('contractor', { tenantId, contractorId: huanjie });
    otherContractorToken = await tokenFor('contractor', { tenantId, contractorId: lvyuan });
    const segment = await api.request<Segment>('POST', '/v1/segments', {
      token: procurement,
      body: {
        name: '工单路(陕西北路—石门一路)',
        street: '南京西路街道',
        grade: 'secondary',
        flags: [],
        widthM: 16,
        geometry: { type: 'LineString', coordinates: [[121.452, 31.2231], [121.4532, 31.2237]] },
      },
    });
    expect(segment.status, segment.text).toBe(201);
    segmentId = segment.json.segmentId;
    contract = await createContract(huanjie, { kind: 'unit_rate', items: rateCard });
    const document = DynamoDBDocumentClient.from(localDynamo(), { marshallOptions: { removeUndefinedValues: true } });
    evidence = new DynamoEvidenceStore(document, localStack().tables.main);
  });

  it('refuses a rate item that is not on the card with a 400 naming body.rateItemCode', async () => {
    const answer = await api.request<Problem>('POST', `/v1/contracts/${contract.contractId}/work-orders`, {
      token: inspector,
      body: { rateItemCode: 'M-99', estimatedQuantityMilli: 1_000, location: { segmentId }, description: '不存在的项目', deadline: new Date(Date.now() + 86_400_000).toISOString() },
    });

    expect(answer.status, answer.text).toBe(400);
    expect(JSON.stringify(answer.json)).toContain('body.rateItemCode');
  });

  it('lets only inspectors and procurement create orders', async () => {
    const answer = await api.request<Problem>('POST', `/v1/contracts/${contract.contractId}/work-orders`, {
      token: contractorToken,
      body: { rateItemCode: 'M-02', estimatedQuantityMilli: 1_000, location: { segmentId }, description: '自己下单', deadline: new Date(Date.now() + 86_400_000).toISOString() },
    });

    expect(answer.status).toBe(403);
  });

  it('goes create → upload → complete with a measured quantity → accept a different quantity with a reason → priced line', async () => {
    const order = await newOrder();
    expect(order).toMatchObject({ status: 'open', unitFen: 16_500, unit: 'm²', contractorId: contract.contractorId, month });
    const photo = await ingestedPhoto(order, 'paving slab after');

    const completed = await api.request<WorkOrder>('POST', `/v1/work-orders/${order.workOrderId}/completion`, {
      token: contractorToken,
      headers: { 'if-match': `"${order.version}"` },
      body: { evidenceIds: [photo.evidenceId], capturedAt: new Date().toISOString(), gps: onSegment, measuredQuantityMilli: 1_850, note: '实测 1.85 m²' },
    });
    expect(completed.status, completed.text).toBe(200);
    expect(completed.json).toMatchObject({ status: 'completed', version: 2, completion: { measuredQuantityMilli: 1_850, late: false, photoHashes: [photo.sha256] } });

    const noReason = await api.request<Problem>('POST', `/v1/work-orders/${order.workOrderId}/acceptance`, {
      token: inspector,
      headers: { 'if-match': '"2"' },
      body: { acceptedQuantityMilli: 1_600 },
    });
    expect(noReason.status, noReason.text).toBe(400);
    expect(JSON.stringify(noReason.json)).toContain('body.reason');

    const accepted = await api.request<WorkOrder>('POST', `/v1/work-orders/${order.workOrderId}/acceptance`, {
      token: inspector,
      headers: { 'if-match': '"2"' },
      body: { acceptedQuantityMilli: 1_600, reason: '复测破损面积 1.6 m²' },
    });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.headers['etag']).toBe('"3"');

    const listed = await api.request<{ items: WorkOrder[] }>('GET', `/v1/contracts/${contract.contractId}/work-orders?status=accepted&month=${month}`, { token: contractorToken });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.items.map((item) => item.workOrderId)).toContain(order.workOrderId);
    const line = workOrderLine(listed.json.items.find((item) => item.workOrderId === order.workOrderId)!);
    // 1.600 m² x 165.00 元 = 1600 x 16500 / 1000 = 26400 fen
    expect(line).toMatchObject({ month, quantityMilli: 1_600, amountFen: 26_400, sources: { workOrderIds: [order.workOrderId], rateItemCodes: ['M-02'], evidenceIds: [photo.evidenceId] } });
  });

  it('refuses a completion captured three hours ahead of the clock, naming the field (in Chinese too)', async () => {
    // Prepare
    const order = await newOrder();
    const photo = await ingestedPhoto(order, 'from the future');
    const ahead = new Date(Date.now() + 3 * 60 * 60_000).toISOString();
    const body = { evidenceIds: [photo.evidenceId], capturedAt: ahead, gps: onSegment, measuredQuantityMilli: 1_000 };

    // Act
    const refused = await api.request<Problem>('POST', `/v1/work-orders/${order.workOrderId}/completion`, { token: contractorToken, headers: { 'if-match': `"${order.version}"` }, body });
    const zh = await api.request<Problem>('POST', `/v1/work-orders/${order.workOrderId}/completion`, { token: contractorToken, headers: { 'if-match': `"${order.version}"`, 'accept-language': 'zh-CN' }, body });

    // Assess
    expect(refused.status, refused.text).toBe(400);
    expect(refused.json.errors).toEqual([expect.objectContaining({ field: 'body.capturedAt', message: expect.stringMatching(/is 180 min after the server's clock .*, allowance 5 min$/) })]);
    expect(zh.json.detail).toBe('拍摄时间在未来');
    expect(zh.json.errors?.[0]?.message).toContain('晚 180 分钟，允许误差 5 分钟');
  });

  it('answers a stale If-Match with 412 and a missing one with 428', async () => {
    const order = await newOrder();
    const photo = await ingestedPhoto(order, 'stale check');
    const body = { evidenceIds: [photo.evidenceId], capturedAt: new Date().toISOString(), gps: onSegment, measuredQuantityMilli: 1_000 };

    const stale = await api.request('POST', `/v1/work-orders/${order.workOrderId}/completion`, { token: contractorToken, headers: { 'if-match': '"7"' }, body });
    const missing = await api.request('POST', `/v1/work-orders/${order.workOrderId}/completion`, { token: contractorToken, body });

    expect(stale.status).toBe(412);
    expect(missing.status).toBe(428);
  });

  it("refuses a photo another order already used, and GPS away from the segment, with every reason (422)", async () => {
    const first = await newOrder();
    const photo = await ingestedPhoto(first, 'reused photo');
    const done = await api.request('POST', `/v1/work-orders/${first.workOrderId}/completion`, {
      token: contractorToken,
      headers: { 'if-match': '"1"' },
      body: { evidenceIds: [photo.evidenceId], capturedAt: new Date().toISOString(), gps: onSegment, measuredQuantityMilli: 1_000 },
    });
    expect(done.status, done.text).toBe(200);
    const second = await newOrder();
    // The same picture uploaded again for the second order: same hash, new evidence id.
    const again = await ingestedPhoto(second, 'reused photo');

    const refused = await api.request<Problem>('POST', `/v1/work-orders/${second.workOrderId}/completion`, {
      token: contractorToken,
      headers: { 'if-match': '"1"' },
      body: { evidenceIds: [again.evidenceId], capturedAt: new Date().toISOString(), gps: { lon: 121.47, lat: 31.23, accuracyM: 5 }, measuredQuantityMilli: 1_000 },
    });

    expect(refused.status, refused.text).toBe(422);
    const reasons = (refused.json.errors ?? []).map((error) => error.message);
    expect(reasons.some((reason) => reason.includes(`already used by proof ${first.workOrderId}`))).toBe(true);
    expect(reasons.some((reason) => reason.includes('GPS point is'))).toBe(true);
  });

  it("hides an order from another contractor's users (404) and lets the inspector reject with a reason", async () => {
    const order = await newOrder();
    const foreign = await api.request('GET', `/v1/work-orders/${order.workOrderId}`, { token: otherContractorToken });
    expect(foreign.status).toBe(404);
    const photo = await ingestedPhoto(order, 'to be rejected');
    await api.request('POST', `/v1/work-orders/${order.workOrderId}/completion`, {
      token: contractorToken,
      headers: { 'if-match': '"1"' },
      body: { evidenceIds: [photo.evidenceId], capturedAt: new Date().toISOString(), gps: onSegment, measuredQuantityMilli: 1_000 },
    });

    const rejected = await api.request<WorkOrder>('POST', `/v1/work-orders/${order.workOrderId}/rejection`, {
      token: inspector,
      headers: { 'if-match': '"2"' },
      body: { reason: '修补材料与原铺装不一致' },
    });

    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.json).toMatchObject({ status: 'rejected', decision: { outcome: 'rejected', reason: '修补材料与原铺装不一致' } });
    expect(workOrderLine(rejected.json)).toBeUndefined();
  });
});
