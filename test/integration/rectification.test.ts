import { createHash, randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { addDays, localDate } from '../../domain/dates';
import type { Inspection } from '../../domain/inspections/schema';
import type { RectificationOrder } from '../../domain/rectification/schema';
import type { Segment } from '../../domain/segments/schema';
import { DynamoEvidenceStore } from '../../functions/adapters/dynamodb/evidence-store';
import { createOverdueSweepHandler, overdueSweepDeps, type OverdueSweepLog } from '../../functions/events/rectification-overdue-sweep';
import type { Problem } from '../../functions/shared/schemas';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { localDynamo, localStack } from '../helpers/local-stack';

/**
 * Rectification orders on the local stack, in a tenant of this file's own: an active
 * cleaning contract on the `cleaning-standard` rulebook through the API, orders raised by an
 * inspection, then the overdue sweep (the handler module on a clock 90 minutes ahead, so the
 * 1-hour CL-LITTER order is overdue and the 2-hour CL-PILE-M one is not), answers with photos
 * (ingest recorded on the evidence item as the S3 event would), acceptance and reopening.
 */

const today = localDate(new Date(), 'Asia/Shanghai');
const quiet: OverdueSweepLog = { info: () => undefined, error: () => undefined };

describe('rectification orders on the local stack', () => {
  let tenantId: string;
  let procurement: string;
  let inspector: string;
  let contractorToken: string;
  let otherContractorToken: string;
  let segmentId: string;
  let contract: Contract;
  let evidence: DynamoEvidenceStore;

  async function raiseTwo(): Promise<{ inspection: Inspection; litter: RectificationOrder; pile: RectificationOrder }> {
    const answer = await api.request<{ inspection: Inspection; orders: RectificationOrder[] }>('POST', '/v1/inspections', {
      token: inspector,
      body: { segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 2 }, { itemCode: 'CL-PILE-M', count: 1 }] },
    });
    expect(answer.status, answer.text).toBe(201);
    const [litter, pile] = answer.json.orders as [RectificationOrder, RectificationOrder];
    return { inspection: answer.json.inspection, litter, pile };
  }

  async function ingestedPhoto(order: RectificationOrder, label: string): Promise<string> {
    const upload = await api.request<{ evidenceId: string; fields: Record<string, string> }>('POST', `/v1/rectification-orders/${order.orderId}/uploads`, {
      token: contractorToken,
      body: { contentType: 'image/jpeg' },
    });
    expect(upload.status, upload.text).toBe(201);
    expect(upload.json.fields['key']).toContain(`/${order.orderId}/`);
    const now = new Date().toISOString();
    const sha256 = createHash('sha256').update(`${tenantId} ${label}`).digest('hex');
    const recorded = await evidence.recordIngest(tenantId, order.orderId, upload.json.evidenceId, { status: 'valid', detectedContentType: 'image/jpeg', sizeBytes: 48_000, sha256, uploadedAt: now, ingestedAt: now });
    expect(recorded).toBe('recorded');
    return upload.json.evidenceId;
  }

  async function answer(order: RectificationOrder, label: string): Promise<RectificationOrder> {
    const evidenceId = await ingestedPhoto(order, label);
    const answered = await api.request<RectificationOrder>('POST', `/v1/rectification-orders/${order.orderId}/answers`, {
      token: contractorToken,
      headers: { 'idempotency-key': randomUUID() },
      body: { evidenceIds: [evidenceId], gps: { lon: 121.4606, lat: 31.2234, accuracyM: 8 }, note: '已清理' },
    });
    expect(answered.status, answered.text).toBe(201);
    return answered.json;
  }

  beforeAll(async () => {
    evidence = new DynamoEvidenceStore(DynamoDBDocumentClient.from(localDynamo(), { marshallOptions: { removeUndefinedValues: true } }), localStack().tables.main);
    tenantId = uniqueTenantId('rectification');
    procurement = await tokenFor('procurement', { tenantId });
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
      body: { name: '整改路1号段', street: '南京西路街道', grade: 'branch', flags: [], widthM: 12, geometry: { type: 'LineString', coordinates: [[121.46, 31.2231], [121.4612, 31.2237]] } },
    });
    expect(segment.status, segment.text).toBe(201);
    segmentId = segment.json.segmentId;
    const created = await api.request<Contract>('POST', '/v1/contracts', {
      token: procurement,
      body: {
        contractorId: mine,
        serviceType: 'cleaning',
        title: '整改测试保洁合同',
        startDate: today,
        endDate: addDays(today, 364),
        performanceBondFen: 5_000_000,
        scope: [segmentId],
        pricing: { kind: 'lump_sum', monthlyFen: 38_000_000 },
        rulebookTemplateId: 'cleaning-standard',
      },
    });
    expect(created.status, created.text).toBe(201);
    const activated = await api.request<Contract>('POST', `/v1/contracts/${created.json.contractId}/activate`, {
      token: procurement,
      headers: { 'if-match': `"${created.json.version}"` },
      body: {},
    });
    expect(activated.status, activated.text).toBe(200);
    contract = activated.json;
  });

  it('marks an overdue order late once with its penalty when the sweep runs twice', async () => {
    const { litter, pile } = await raiseTwo();
    const later = new Date(Date.now() + 90 * 60_000);
    const sweep = createOverdueSweepHandler(() => ({ ...overdueSweepDeps(), clock: { now: () => later } }), quiet);

    const first = await sweep({ tenants: [tenantId] });
    const second = await sweep({ tenants: [tenantId] });
    const lateOrder = await api.request<RectificationOrder>('GET', `/v1/rectification-orders/${litter.orderId}`, { token: contractorToken });
    const notYet = await api.request<RectificationOrder>('GET', `/v1/rectification-orders/${pile.orderId}`, { token: contractorToken });

    expect(first.marked).toBe(1);
    expect(second.marked).toBe(0);
    expect(lateOrder.json.late).toMatchObject({ by: 'system', penalty: { pointsX100: 400, fineFen: 0 } });
    expect(Date.parse(lateOrder.json.late!.markedAt)).toBe(later.getTime());
    expect(lateOrder.json.version).toBe(2);
    expect(lateOrder.headers['etag']).toBe('"2"');
    expect(notYet.json.late).toBeUndefined();
  });

  it('goes answer → accept: closed in time, never late', async () => {
    const { pile } = await raiseTwo();
    const answered = await answer(pile, 'pile fixed');
    const accepted = await api.request<RectificationOrder>('POST', `/v1/rectification-orders/${pile.orderId}/acceptance`, {
      token: inspector,
      headers: { 'if-match': `"${answered.version}"` },
      body: {},
    });
    const sweep = createOverdueSweepHandler(() => ({ ...overdueSweepDeps(), clock: { now: () => new Date(Date.now() + 3 * 3_600_000) } }), quiet);
    await sweep({ tenants: [tenantId] });
    const after = await api.request<RectificationOrder>('GET', `/v1/rectification-orders/${pile.orderId}`, { token: inspector });

    expect(answered.status).toBe('answered');
    expect(answered.answers[0]?.note).toBe('已清理');
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.json.status).toBe('closed');
    expect(after.json.late).toBeUndefined();
  });

  it('reopens an answer with a reason, keeps the due time, and refuses a stale If-Match', async () => {
    const { pile } = await raiseTwo();
    const answered = await answer(pile, 'pile half fixed');
    const stale = await api.request<Problem>('POST', `/v1/rectification-orders/${pile.orderId}/reopening`, {
      token: inspector,
      headers: { 'if-match': `"${answered.version - 1}"` },
      body: { reason: '仍有垃圾' },
    });
    const reopened = await api.request<RectificationOrder>('POST', `/v1/rectification-orders/${pile.orderId}/reopening`, {
      token: inspector,
      headers: { 'if-match': `"${answered.version}"` },
      body: { reason: '仍有垃圾' },
    });
    const listed = await api.request<{ items: RectificationOrder[] }>('GET', `/v1/rectification-orders?contractId=${contract.contractId}&status=reopened`, { token: contractorToken });

    expect(stale.status).toBe(412);
    expect(reopened.status, reopened.text).toBe(200);
    expect(reopened.json.status).toBe('reopened');
    expect(reopened.json.dueAt).toBe(pile.dueAt);
    expect(reopened.json.reviews.at(-1)).toMatchObject({ decision: 'reopened', reason: '仍有垃圾' });
    expect(listed.json.items.map((order) => order.orderId)).toContain(pile.orderId);
    expect(listed.json.items.every((order) => order.status === 'reopened')).toBe(true);
  });

  it('refuses a photo already used by another answer', async () => {
    const { litter, pile } = await raiseTwo();
    await answer(litter, 'same picture');
    const evidenceId = await ingestedPhoto(pile, 'same picture');
    const refused = await api.request<Problem>('POST', `/v1/rectification-orders/${pile.orderId}/answers`, { token: contractorToken, body: { evidenceIds: [evidenceId] } });

    expect(refused.status, refused.text).toBe(409);
  });

  it('refuses an answer captured three hours ahead of the clock, as task proofs are', async () => {
    // Prepare
    const { pile } = await raiseTwo();
    const evidenceId = await ingestedPhoto(pile, 'captured tomorrow');
    const body = { evidenceIds: [evidenceId], capturedAt: new Date(Date.now() + 3 * 60 * 60_000).toISOString(), note: '已清理' };

    // Act
    const refused = await api.request<Problem>('POST', `/v1/rectification-orders/${pile.orderId}/answers`, { token: contractorToken, body });
    const zh = await api.request<Problem>('POST', `/v1/rectification-orders/${pile.orderId}/answers`, { token: contractorToken, headers: { 'accept-language': 'zh-CN' }, body });
    const after = await api.request<RectificationOrder>('GET', `/v1/rectification-orders/${pile.orderId}`, { token: contractorToken });

    // Assess
    expect(refused.status, refused.text).toBe(400);
    expect(refused.json.errors).toEqual([expect.objectContaining({ field: 'body.capturedAt', message: expect.stringContaining('is 180 min after the server') })]);
    expect(zh.json.detail).toBe('拍摄时间在未来');
    expect(after.json.answers).toEqual([]);
  });

  it('refuses an answer whose GPS fix is off the segment', async () => {
    const { pile } = await raiseTwo();
    const evidenceId = await ingestedPhoto(pile, 'far away');
    // About 330 m north of the segment's line: outside its 50 m geofence.
    const refused = await api.request<Problem>('POST', `/v1/rectification-orders/${pile.orderId}/answers`, {
      token: contractorToken,
      body: { evidenceIds: [evidenceId], gps: { lon: 121.4606, lat: 31.2264, accuracyM: 5 } },
    });

    expect(refused.status, refused.text).toBe(422);
    expect(refused.json.errors?.[0]?.message).toMatch(/geofence/);
  });

  it("hides an order from another contractor and lists by due time", async () => {
    const { litter } = await raiseTwo();
    const hidden = await api.request<Problem>('GET', `/v1/rectification-orders/${litter.orderId}`, { token: otherContractorToken });
    const foreignList = await api.request<Problem>('GET', `/v1/rectification-orders?contractId=${contract.contractId}`, { token: otherContractorToken });
    const dueSoon = await api.request<{ items: RectificationOrder[] }>(
      'GET',
      `/v1/rectification-orders?contractId=${contract.contractId}&dueBefore=${encodeURIComponent(new Date(Date.now() + 90 * 60_000).toISOString())}`,
      { token: inspector },
    );

    expect(hidden.status).toBe(404);
    expect(foreignList.status).toBe(403);
    const dues = dueSoon.json.items.map((order) => order.dueAt);
    expect(dues).toEqual([...dues].sort());
    // Only the 1-hour orders fall before now + 90 min.
    expect(dueSoon.json.items.every((order) => order.itemCode === 'CL-LITTER')).toBe(true);
    expect(dueSoon.json.items.map((order) => order.orderId)).toContain(litter.orderId);
  });
});
