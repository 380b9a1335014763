import { createHash, randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Complaint } from '../../domain/complaints/schema';
import type { Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { addDays, localDate } from '../../domain/dates';
import type { RectificationOrder } from '../../domain/rectification/schema';
import { rulebookFromTemplate, templateById } from '../../domain/rulebooks/templates';
import { DynamoEvidenceStore } from '../../functions/adapters/dynamodb/evidence-store';
import { entityTypes, keys } from '../../functions/adapters/dynamodb/keys';
import { createOverdueSweepHandler, overdueSweepDeps, type OverdueSweepLog } from '../../functions/events/rectification-overdue-sweep';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { localDynamo, localStack } from '../helpers/local-stack';
import { open311KeyFor } from '../helpers/open311-keys';

/**
 * The citizen complaint lifecycle on the local stack (issue 13): a report is not an order
 * until an inspector verifies it (or the contract's rulebook says so explicitly with
 * complaint.orderAtIntake); an invalid verdict withdraws such an order without penalty, in
 * the month's statement too; Open311 shows the complaint open until its order is accepted,
 * with a public note instead of the inspector's reason; a report outside every segment's
 * reach is an Open311 400 naming the location.
 *
 * Fixtures through the API in a tenant of this file's own: two segments meeting at a corner
 * and a third far off that no contract holds; a cleaning contract on the shipped rulebook
 * (orderAtIntake absent: off) on the two, and a municipal contract on 南京西路 whose
 * rulebook turns orderAtIntake on.
 */

const zone = 'Asia/Shanghai';
const today = localDate(new Date(), zone);
const quiet: OverdueSweepLog = { info: () => undefined, error: () => undefined };
const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const corner = { lon: 121.5, lat: 31.2 };
/** About 50 m north of the corner, beside 石门一路 only. */
const onShimen = { lat: String(corner.lat + 0.00045), long: String(corner.lon + 0.00002) };
/** About 30 m south of 南京西路's middle. */
const onNanjing = { lat: String(corner.lat - 0.00027), long: String(corner.lon + 0.001) };

/**
 * Intake is rate-limited per client address (10 per 10 min, another part of issue 13): each
 * report here comes from an address of its own, so this file's reports never meet that limit
 * or another file's count.
 */
const fileOctet = Math.floor(Math.random() * 250) + 1;
let lastOctet = 0;
const nextAddress = (): string => `10.213.${fileOctet}.${(lastOctet += 1)}`;

interface Created {
  service_request_id: string;
  service_notice: string;
  reopen_token: string;
}
type Open311Request = Record<string, unknown> & { status: string; status_notes: string | null };

describe('the citizen complaint lifecycle on the local stack', () => {
  let tenantId: string;
  let procurement: string;
  let inspector: string;
  let finance: string;
  let cleaningCrew: string;
  let municipalCrew: string;
  let cleaning: Contract;
  let municipal: Contract;
  let far: string;
  let evidence: DynamoEvidenceStore;

  async function activeContract(body: Record<string, unknown>): Promise<Contract> {
    const created = await api.request<Contract>('POST', '/v1/contracts', {
      token: procurement,
      body: { startDate: today, endDate: addDays(today, 364), performanceBondFen: 5_000_000, pricing: { kind: 'lump_sum', monthlyFen: 38_000_000 }, ...body },
    });
    expect(created.status, created.text).toBe(201);
    const activated = await api.request<Contract>('POST', `/v1/contracts/${created.json.contractId}/activate`, { token: procurement, headers: { 'if-match': `"${created.json.version}"` }, body: {} });
    expect(activated.status, activated.text).toBe(200);
    return activated.json;
  }

  beforeAll(async () => {
    evidence = new DynamoEvidenceStore(DynamoDBDocumentClient.from(localDynamo(), { marshallOptions: { removeUndefinedValues: true } }), localStack().tables.main);
    tenantId = uniqueTenantId('complaints');
    await DynamoDBDocumentClient.from(localDynamo()).send(
      new PutCommand({ TableName: localStack().tables.main, Item: { ...keys.tenant(tenantId), entity: entityTypes.tenant, tenantId, name: '静安区', zone, createdAt: new Date().toISOString() } }),
    );
    procurement = await tokenFor('procurement', { tenantId });
    inspector = await tokenFor('inspector', { tenantId });
    finance = await tokenFor('finance', { tenantId });
    const imported = await api.request<{ segments: { externalId: string; segmentId: string }[] }>('POST', '/v1/segments/imports', {
      token: procurement,
      body: {
        featureCollection: {
          type: 'FeatureCollection',
          features: [
            ['LC-E-1', '南京西路(东段)', [[corner.lon, corner.lat], [corner.lon + 0.002, corner.lat]]],
            ['LC-N-2', '石门一路', [[corner.lon, corner.lat], [corner.lon, corner.lat + 0.002]]],
            ['LC-F-3', '威海路', [[corner.lon + 0.02, corner.lat + 0.02], [corner.lon + 0.022, corner.lat + 0.02]]],
          ].map(([id, name, coordinates]) => ({ type: 'Feature', properties: { id, name, street: '南京西路街道', grade: '支路', width: 12 }, geometry: { type: 'LineString', coordinates } })),
        },
      },
    });
    expect(imported.status, imported.text).toBe(200);
    const idOf = (externalId: string): string => imported.json.segments.find((s) => s.externalId === externalId)!.segmentId;
    far = idOf('LC-F-3');
    const registered = await Promise.all(
      [
        { code: '91310106MA1FY0AB17', name: '上海环杰环境服务有限公司' },
        { code: '91310106MA1FY0AB2A', name: '上海绿源市政工程有限公司' },
      ].map((body) => api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body })),
    );
    expect(registered.map((r) => r.status)).toEqual([201, 201]);
    const [huanjie, lvyuan] = registered.map((r) => r.json.contractorId) as [string, string];
    cleaningCrew = await tokenFor('contractor', { tenantId, contractorId: huanjie });
    municipalCrew = await tokenFor('contractor', { tenantId, contractorId: lvyuan });
    cleaning = await activeContract({ contractorId: huanjie, serviceType: 'cleaning', title: '南京西路街道道路保洁服务合同', scope: [idOf('LC-E-1'), idOf('LC-N-2')], rulebookTemplateId: 'cleaning-standard' });
    const roads = rulebookFromTemplate(templateById('municipal-roads')!);
    municipal = await activeContract({
      contractorId: lvyuan,
      serviceType: 'municipal',
      title: '南京西路街道市政设施养护合同',
      scope: [idOf('LC-E-1')],
      rulebook: { ...roads, complaint: { ...roads.complaint, orderAtIntake: true } },
    });
  });

  async function submit(fields: Record<string, string>): Promise<Created> {
    const answer = await api.request<Created[]>('POST', '/open311/v2/requests.json', {
      body: form({ jurisdiction_id: tenantId, api_key: await open311KeyFor(tenantId), ...fields }),
      headers: formHeaders,
      sourceIp: nextAddress(),
    });
    expect(answer.status, answer.text).toBe(201);
    return answer.json[0]!;
  }

  async function complaint(id: string): Promise<Complaint> {
    const answer = await api.request<Complaint>('GET', `/v1/complaints/${id}`, { token: inspector });
    expect(answer.status, answer.text).toBe(200);
    return answer.json;
  }

  async function verdict(id: string, body: Record<string, unknown>): Promise<Complaint> {
    const current = await complaint(id);
    const answer = await api.request<Complaint>('POST', `/v1/complaints/${id}/verification`, { token: inspector, headers: { 'if-match': `"${current.version}"` }, body });
    expect(answer.status, answer.text).toBe(200);
    return answer.json;
  }

  async function shown(id: string): Promise<Open311Request> {
    const answer = await api.request<Open311Request[]>('GET', `/open311/v2/requests/${id}.json?jurisdiction_id=${tenantId}`);
    expect(answer.status, answer.text).toBe(200);
    return answer.json[0]!;
  }

  const orderOf = (id: string): string => `rec_${id.slice('cmp_'.length)}`;

  async function answerOrder(orderId: string, crew: string, label: string): Promise<RectificationOrder> {
    const upload = await api.request<{ evidenceId: string }>('POST', `/v1/rectification-orders/${orderId}/uploads`, { token: crew, body: { contentType: 'image/jpeg' } });
    expect(upload.status, upload.text).toBe(201);
    const now = new Date().toISOString();
    const sha256 = createHash('sha256').update(`${tenantId} ${label}`).digest('hex');
    await evidence.recordIngest(tenantId, orderId, upload.json.evidenceId, { status: 'valid', detectedContentType: 'image/jpeg', sizeBytes: 48_000, sha256, uploadedAt: now, ingestedAt: now });
    const answered = await api.request<RectificationOrder>('POST', `/v1/rectification-orders/${orderId}/answers`, {
      token: crew,
      headers: { 'idempotency-key': randomUUID() },
      body: { evidenceIds: [upload.json.evidenceId], note: '已清理' },
    });
    expect(answered.status, answered.text).toBe(201);
    return answered.json;
  }

  it('raises no order for anonymous reports: a burst of 12 leaves the contractor without orders; a valid verdict raises one, due the service hours after it', async () => {
    // Act: the burst the review saw (63 in 6 s raised 63 penalty-bearing orders)
    const burst = await Promise.all(Array.from({ length: 12 }, (_, index) => submit({ service_code: 'CL-LITTER', ...onShimen, description: `恶意投诉 ${index}` })));
    const orders = await api.request<{ items: RectificationOrder[] }>('GET', `/v1/rectification-orders?contractId=${cleaning.contractId}`, { token: cleaningCrew });
    const first = burst[0]!.service_request_id;
    const unverified = await complaint(first);
    const noOrder = await api.request('GET', `/v1/rectification-orders/${orderOf(first)}`, { token: inspector });
    const before = Date.now();
    const valid = await verdict(first, { valid: true, reason: '经核实属实' });
    const order = await api.request<RectificationOrder>('GET', `/v1/rectification-orders/${orderOf(first)}`, { token: cleaningCrew });

    // Assess
    expect(orders.status, orders.text).toBe(200);
    expect(orders.json.items).toEqual([]);
    expect(unverified).toMatchObject({ status: 'routed', statusNotes: '已受理，已分派至所在路段的作业单位，待巡查人员现场核实', routing: { contractId: cleaning.contractId } });
    expect(unverified.routing?.orderId).toBeUndefined();
    expect(noOrder.status).toBe(404);
    expect(burst[0]!.service_notice).toContain('现场核实');
    expect(valid).toMatchObject({ status: 'rectifying', routing: { orderId: orderOf(first) } });
    expect(order.status, order.text).toBe(200);
    expect(order.json).toMatchObject({ status: 'open', origin: { kind: 'complaint', complaintId: first }, contractId: cleaning.contractId });
    const dueMs = Date.parse(order.json.dueAt);
    expect(dueMs).toBeGreaterThanOrEqual(before + 24 * 3_600_000 - 1_000);
    expect(dueMs).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000);
  });

  it('shows a valid complaint open to the citizen until its order is accepted, with the public note as status_notes and never the reason', async () => {
    // Prepare
    const { service_request_id: id, reopen_token: token } = await submit({ service_code: 'CL-PILE', ...onShimen });
    await verdict(id, { valid: true, reason: '商户夜间偷倒，已拍照取证（内部）', publicNote: '经核实属实，已责令作业单位清运' });

    // Act
    const whileOwed = await shown(id);
    const earlyReopen = await api.request<unknown[]>('POST', `/open311/v2/requests/${id}/reopen.json`, { body: form({ jurisdiction_id: tenantId, reopen_token: token }), headers: formHeaders });
    const answered = await answerOrder(orderOf(id), cleaningCrew, `pile ${id}`);
    const whileAnswered = await shown(id);
    const openList = await api.request<{ service_request_id: string }[]>('GET', `/open311/v2/requests.json?jurisdiction_id=${tenantId}&status=open&service_code=CL-PILE`);
    const accepted = await api.request<RectificationOrder>('POST', `/v1/rectification-orders/${orderOf(id)}/acceptance`, { token: inspector, headers: { 'if-match': `"${answered.version}"` }, body: {} });
    const settled = await shown(id);
    const closedList = await api.request<{ service_request_id: string }[]>('GET', `/open311/v2/requests.json?jurisdiction_id=${tenantId}&status=closed&service_code=CL-PILE`);
    const reopened = await api.request<Open311Request[]>('POST', `/open311/v2/requests/${id}/reopen.json`, { body: form({ jurisdiction_id: tenantId, reopen_token: token, description: '又堆了' }), headers: formHeaders });

    // Assess
    expect(whileOwed).toMatchObject({ status: 'open', status_notes: '经核实属实，已责令作业单位清运' });
    expect(JSON.stringify(whileOwed)).not.toContain('内部');
    // The GeoReport statuses are 400/403/404: a conflict is answered as 400 there (its code in the body).
    expect(earlyReopen.status).toBe(400);
    expect(earlyReopen.json).toEqual([expect.objectContaining({ description: `service request '${id}' is not closed` })]);
    expect(whileAnswered.status).toBe('open');
    expect(openList.json.map((r) => r.service_request_id)).toContain(id);
    expect(accepted.status, accepted.text).toBe(200);
    expect(settled).toMatchObject({ status: 'closed', status_notes: '整改已完成，经巡查人员验收合格，本诉求办结' });
    expect(Date.parse(String(settled['updated_datetime']))).toBe(Math.floor(Date.parse(accepted.json.closedAt!) / 1000) * 1000);
    expect(closedList.json.map((r) => r.service_request_id)).toEqual([id]);
    expect(reopened.status, reopened.text).toBe(200);
    expect(reopened.json[0]).toMatchObject({ status: 'open' });
  });

  it('gives an invalid verdict a default public note in Chinese, the reason staying internal', async () => {
    // Prepare
    const { service_request_id: id } = await submit({ service_code: 'CL-BIN', ...onShimen });

    // Act
    const closed = await verdict(id, { valid: false, reason: '同一举报人一小时内第 5 次投诉同一地点' });
    const view = await shown(id);

    // Assess
    expect(closed.verifications.at(-1)).toMatchObject({ valid: false, reason: '同一举报人一小时内第 5 次投诉同一地点' });
    expect(view).toMatchObject({ status: 'closed', status_notes: expect.stringMatching(/^经现场核实，未发现所反映的问题，本诉求办结/) });
    expect(JSON.stringify(view)).not.toContain('举报人');
  });

  it("withdraws the order the rulebook raised at intake when the complaint is found invalid: no penalty, no answer, nothing in the month's statement", async () => {
    // Prepare: two manhole-cover reports (2-hour orders at once, orderAtIntake), both overdue for the sweep
    const kept = (await submit({ service_code: 'MU-COVER', ...onNanjing, description: '井盖缺失' })).service_request_id;
    const dropped = (await submit({ service_code: 'MU-COVER', ...onNanjing, description: '井盖松动' })).service_request_id;
    const raised = await api.request<RectificationOrder>('GET', `/v1/rectification-orders/${orderOf(dropped)}`, { token: municipalCrew });
    const sweep = createOverdueSweepHandler(() => ({ ...overdueSweepDeps(), clock: { now: () => new Date(Date.now() + 3 * 3_600_000) } }), quiet);
    const swept = await sweep({ tenants: [tenantId] });

    // Act
    const invalid = await verdict(dropped, { valid: false, reason: '现场井盖完好' });
    const valid = await verdict(kept, { valid: true, reason: '属实' });
    const withdrawn = await api.request<RectificationOrder>('GET', `/v1/rectification-orders/${orderOf(dropped)}`, { token: municipalCrew });
    const upload = await api.request('POST', `/v1/rectification-orders/${orderOf(dropped)}/uploads`, { token: municipalCrew, body: { contentType: 'image/jpeg' } });
    const sweptAgain = await sweep({ tenants: [tenantId] });
    // The month the 2-hour orders are due in (and charged in): this month, but for a run in the
    // last two hours of one, whose next month cannot be computed yet (refused before it begins).
    const month = DateTime.fromISO(raised.json.dueAt, { zone: 'utc' }).setZone(zone).toFormat('yyyy-MM');
    const statement = await api.request<{ statement: { lines: { key: string; sources: { orderIds?: string[]; complaintIds?: string[] } }[] } }>(
      'POST',
      `/v1/contracts/${municipal.contractId}/statements/${month}/computations`,
      { token: finance, headers: { 'idempotency-key': `lifecycle-${tenantId}` } },
    );

    // Assess
    expect(raised.status, raised.text).toBe(200);
    expect(raised.json).toMatchObject({ status: 'open', contractId: municipal.contractId, latePenalty: { pointsX100: expect.any(Number) } });
    expect(swept.marked).toBeGreaterThanOrEqual(2);
    expect(invalid).toMatchObject({ status: 'closed', verifications: [expect.objectContaining({ valid: false, withdrewOrderId: orderOf(dropped) })] });
    expect(invalid.points).toBeUndefined();
    expect(valid).toMatchObject({ status: 'rectifying', routing: { orderId: orderOf(kept) } });
    expect(withdrawn.json).toMatchObject({ status: 'withdrawn', withdrawal: { reason: '现场井盖完好' } });
    expect(upload.status).toBe(409);
    expect(sweptAgain.marked).toBe(0);
    expect(statement.status, statement.text).toBe(201);
    const orderSources = statement.json.statement.lines.flatMap((line) => line.sources.orderIds ?? []);
    const complaintSources = statement.json.statement.lines.flatMap((line) => line.sources.complaintIds ?? []);
    expect(orderSources).toContain(orderOf(kept));
    expect(orderSources).not.toContain(orderOf(dropped));
    expect(complaintSources).not.toContain(dropped);
  });

  it('withdraws the order of a valid verdict corrected to invalid before the fix is accepted', async () => {
    // Prepare
    const { service_request_id: id } = await submit({ service_code: 'CL-WATER', ...onShimen });
    await verdict(id, { valid: true, reason: '属实' });

    // Act
    const corrected = await verdict(id, { valid: false, reason: '复核：照片系他处', publicNote: '经复核，该处无积水' });
    const order = await api.request<RectificationOrder>('GET', `/v1/rectification-orders/${orderOf(id)}`, { token: inspector });

    // Assess
    expect(corrected.status).toBe('closed');
    expect(corrected.points).toBeUndefined();
    expect(order.json.status).toBe('withdrawn');
    expect((await shown(id)).status_notes).toBe('经复核，该处无积水');
  });

  it('refuses a report outside every segment\'s reach with a GeoReport error naming lat/long, records nothing, and still queues one inside the district no contract holds', async () => {
    // Prepare: 1.1 km south of the corner; and a point on 威海路, which no contract holds
    const outside = { lat: String(corner.lat - 0.01), long: String(corner.lon) };
    const onWeihai = { lat: String(corner.lat + 0.02), long: String(corner.lon + 0.021) };

    // Act
    const refused = await api.request<{ code: number; description: string }[]>('POST', '/open311/v2/requests.json', {
      body: form({ jurisdiction_id: tenantId, api_key: await open311KeyFor(tenantId), service_code: 'CL-LITTER', ...outside, description: '别的区的垃圾' }),
      headers: formHeaders,
      sourceIp: nextAddress(),
    });
    const queuedId = (await submit({ service_code: 'CL-LITTER', ...onWeihai })).service_request_id;
    const addressOnly = (await submit({ service_code: 'CL-LITTER', address_string: '威海路 1 号' })).service_request_id;
    const queue = await api.request<{ items: Complaint[] }>('GET', '/v1/complaints?status=unrouted&limit=200', { token: procurement });
    const recent = await api.request<{ description: string | null }[]>('GET', `/open311/v2/requests.json?jurisdiction_id=${tenantId}&service_code=CL-LITTER`);

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual([
      { code: 400, description: 'lat: lat/long 31.19,121.5 is outside the jurisdiction: 1.1 km from the nearest road segment of the jurisdiction, more than the 100 m a report may be from one' },
    ]);
    expect(recent.json.map((r) => r.description)).not.toContain('别的区的垃圾');
    const queued = new Map(queue.json.items.map((item) => [item.complaintId, item]));
    expect(queued.get(queuedId)).toMatchObject({ unroutedReason: 'no_contract', candidateSegmentId: far });
    expect(queued.get(addressOnly)).toMatchObject({ unroutedReason: 'no_location' });
  });
});
