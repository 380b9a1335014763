import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Complaint } from '../../domain/complaints/schema';
import type { Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { addDays, localDate } from '../../domain/dates';
import type { Inspection } from '../../domain/inspections/schema';
import type { RectificationOrder } from '../../domain/rectification/schema';
import type { TaskView } from '../../domain/schedule/use-cases';
import type { Segment } from '../../domain/segments/schema';
import type { WorkOrder } from '../../domain/work-orders/schema';
import { entityTypes, keys } from '../../functions/adapters/dynamodb/keys';
import type { OrderNames } from '../../functions/http/shared/names';
import type { TaskNames } from '../../functions/http/tasks/names';
import { api, tokenFor, uniqueTenantId, type ApiResponse } from '../helpers/api';
import { localDynamo, localStack } from '../helpers/local-stack';
import { open311KeyFor } from '../helpers/open311-keys';

/**
 * What a crew reads (issue 13), on the local stack in tenants of this file's own: tasks with
 * their road's name and street and their activity's label, rectification orders and work
 * orders with their contract's title, their contractor's name and their segment's name, and
 * every instant of the answers in the tenant's zone with its offset (+08:00 in Asia/Shanghai,
 * +06:00 for a tenant whose settings name Asia/Urumqi), the same instant as stored.
 */

const zone = 'Asia/Shanghai';
const today = localDate(new Date(), zone);
const contractorName = '上海环杰环境服务有限公司';
const cleaningTitle = '南京西路街道道路保洁服务合同';
const municipalTitle = '南京西路街道市政设施维修养护合同';
const roadName = '常德路(南京西路—延安中路)';
const street = '南京西路街道';

type NamedTask = TaskView & TaskNames;
type NamedOrder = RectificationOrder & OrderNames;
type NamedWorkOrder = WorkOrder & OrderNames;
type NamedInspection = Inspection & OrderNames;
type NamedComplaint = Complaint & OrderNames;

/** Every string in a JSON value that is wholly an ISO 8601 date-time with an offset. */
function instantsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? [value] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(instantsIn);
}

function ok<T>(answer: ApiResponse<T>, status = 200): T {
  expect(answer.status, answer.text).toBe(status);
  return answer.json;
}

describe('names beside ids and instants in the tenant zone, on the local stack', () => {
  let tenantId: string;
  let procurement: string;
  let inspector: string;
  let crew: string;
  let contractor: Contractor;
  let segment: Segment;
  let cleaning: Contract;
  let municipal: Contract;

  async function activeContract(body: Record<string, unknown>): Promise<Contract> {
    const created = ok(
      await api.request<Contract>('POST', '/v1/contracts', {
        token: procurement,
        body: { contractorId: contractor.contractorId, startDate: today, endDate: addDays(today, 364), scope: [segment.segmentId], ...body },
      }),
      201,
    );
    return ok(await api.request<Contract>('POST', `/v1/contracts/${created.contractId}/activate`, { token: procurement, headers: { 'if-match': `"${created.version}"` }, body: {} }));
  }

  beforeAll(async () => {
    tenantId = uniqueTenantId('names');
    procurement = await tokenFor('procurement', { tenantId });
    inspector = await tokenFor('inspector', { tenantId });
    contractor = ok(await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: { code: '91310106MA1FY0AB17', name: contractorName } }), 201);
    crew = await tokenFor('contractor', { tenantId, contractorId: contractor.contractorId });
    segment = ok(
      await api.request<Segment>('POST', '/v1/segments', {
        token: procurement,
        body: { name: roadName, street, grade: 'branch', flags: [], widthM: 12, geometry: { type: 'LineString', coordinates: [[121.47, 31.2231], [121.4712, 31.2237]] } },
      }),
      201,
    );
    cleaning = await activeContract({
      serviceType: 'cleaning',
      title: cleaningTitle,
      performanceBondFen: 5_000_000,
      pricing: { kind: 'lump_sum', monthlyFen: 38_000_000 },
      standardRef: { standardId: 'cleaning-standard', version: 1 },
      rulebookTemplateId: 'cleaning-standard',
    });
    municipal = await activeContract({
      serviceType: 'municipal',
      title: municipalTitle,
      performanceBondFen: 2_000_000,
      pricing: { kind: 'unit_rate', items: [{ code: 'M-02', nameZh: '修补人行道板', unit: 'm²', unitFen: 16_500 }] },
      rulebookTemplateId: 'municipal-roads',
    });
  });

  it("shows today's task list with the road's name and street and each activity's Chinese and English label", async () => {
    // Act
    const page = ok(await api.request<{ date: string; items: NamedTask[] }>('GET', `/v1/contracts/${cleaning.contractId}/tasks`, { token: crew }));
    const one = ok(await api.request<NamedTask>('GET', `/v1/tasks/${encodeURIComponent(page.items[0]!.taskId)}`, { token: crew }));
    const range = ok(await api.request<{ items: NamedTask[] }>('GET', `/v1/segments/${segment.segmentId}/tasks?from=${today}&to=${today}`, { token: inspector }));

    // Assess
    expect(page.date).toBe(today);
    expect(page.items.length).toBeGreaterThan(0);
    for (const task of [...page.items, one, ...range.items]) {
      expect(task).toMatchObject({ segmentId: segment.segmentId, segmentName: roadName, street });
      expect(task.windowStart).toMatch(/\+08:00$/);
    }
    const labels = new Map(page.items.map((task) => [task.activity, task.activityLabel]));
    expect(labels.get('sweep')).toEqual({ zh: '普扫', en: 'Sweeping' });
    expect(labels.get('patrol_clean')).toEqual({ zh: '巡回保洁', en: 'Patrol cleaning' });
    expect(one.activityLabel).toEqual(labels.get(one.activity));
  });

  it('reads the name as it is when answering: a renamed road shows its new name on the tasks already derived', async () => {
    // Prepare
    const current = ok(await api.request<Segment>('GET', `/v1/segments/${segment.segmentId}`, { token: procurement }));
    const renamed = ok(
      await api.request<Segment>('PATCH', `/v1/segments/${segment.segmentId}`, { token: procurement, headers: { 'if-match': `"${current.version}"` }, body: { name: '常德路(南京西路—北京西路)' } }),
    );

    // Act
    const page = ok(await api.request<{ items: NamedTask[] }>('GET', `/v1/contracts/${cleaning.contractId}/tasks`, { token: crew }));

    // Assess
    expect(renamed.name).toBe('常德路(南京西路—北京西路)');
    expect(new Set(page.items.map((task) => task.segmentName))).toEqual(new Set(['常德路(南京西路—北京西路)']));
    await api.request('PATCH', `/v1/segments/${segment.segmentId}`, { token: procurement, headers: { 'if-match': `"${renamed.version}"` }, body: { name: roadName } });
  });

  it('lists and reads rectification orders with their contract title, contractor name and road, due times in +08:00', async () => {
    // Prepare
    const raised = ok(
      await api.request<{ inspection: Inspection; orders: RectificationOrder[] }>('POST', '/v1/inspections', {
        token: inspector,
        body: { segmentId: segment.segmentId, serviceType: 'cleaning', at: new Date(Date.now() - 60_000).toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 2 }] },
      }),
      201,
    );
    const order = raised.orders[0]!;

    // Act
    const list = ok(await api.request<{ items: NamedOrder[] }>('GET', `/v1/rectification-orders?contractId=${cleaning.contractId}`, { token: crew }));
    const read = ok(await api.request<NamedOrder>('GET', `/v1/rectification-orders/${order.orderId}`, { token: crew }));

    // Assess
    const listed = list.items.find((item) => item.orderId === order.orderId);
    for (const named of [listed, read]) {
      expect(named).toMatchObject({ contractTitle: cleaningTitle, contractorName, segmentName: roadName, street });
      expect(named!.dueAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+08:00$/);
      expect(Date.parse(named!.dueAt)).toBe(Date.parse(order.dueAt));
      expect(Date.parse(named!.issuedAt)).toBe(Date.parse(order.issuedAt));
    }
    expect(order.dueAt).toMatch(/\+08:00$/);
    expect(raised.inspection.recordedAt).toMatch(/\+08:00$/);
  });

  it('lists and reads inspections with their contract title, contractor name and road (issue 14)', async () => {
    // Prepare
    const recorded = ok(
      await api.request<{ inspection: Inspection }>('POST', '/v1/inspections', {
        token: inspector,
        body: { segmentId: segment.segmentId, serviceType: 'cleaning', at: new Date(Date.now() - 120_000).toISOString(), kind: 'patrol', findings: [] },
      }),
      201,
    );
    const inspectionId = recorded.inspection.inspectionId;

    // Act
    const bySegment = ok(await api.request<{ items: NamedInspection[] }>('GET', `/v1/inspections?segmentId=${segment.segmentId}&month=${today.slice(0, 7)}`, { token: inspector }));
    const byContract = ok(await api.request<{ items: NamedInspection[] }>('GET', `/v1/inspections?contractId=${cleaning.contractId}&month=${today.slice(0, 7)}`, { token: crew }));
    const read = ok(await api.request<NamedInspection>('GET', `/v1/inspections/${inspectionId}`, { token: crew }));

    // Assess
    for (const named of [bySegment.items.find((item) => item.inspectionId === inspectionId), byContract.items.find((item) => item.inspectionId === inspectionId), read]) {
      expect(named).toMatchObject({ inspectionId, contractId: cleaning.contractId, contractTitle: cleaningTitle, contractorName, segmentName: roadName, street });
    }
  });

  it('lists and reads a routed complaint with the names of its contract, contractor and road (issue 14)', async () => {
    // Prepare: a citizen's report on the road, routed by geometry to the cleaning contract
    // (Open311 knows a jurisdiction by its tenant item).
    await DynamoDBDocumentClient.from(localDynamo()).send(
      new PutCommand({ TableName: localStack().tables.main, Item: { ...keys.tenant(tenantId), entity: entityTypes.tenant, tenantId, name: '静安区', zone, createdAt: new Date().toISOString() } }),
    );
    const [x, y] = segment.geometry.coordinates[0] as [number, number];
    const filed = await api.request<{ service_request_id: string }[]>('POST', '/open311/v2/requests.json', {
      body: new URLSearchParams({ jurisdiction_id: tenantId, api_key: await open311KeyFor(tenantId), service_code: 'CL-LITTER', lat: String(y), long: String(x), description: '路边有垃圾' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      sourceIp: '10.213.77.1',
    });
    expect(filed.status, filed.text).toBe(201);
    const complaintId = filed.json[0]!.service_request_id;

    // Act
    const list = ok(await api.request<{ items: NamedComplaint[] }>('GET', '/v1/complaints', { token: inspector }));
    const read = ok(await api.request<NamedComplaint>('GET', `/v1/complaints/${complaintId}`, { token: inspector }));

    // Assess
    const listed = list.items.find((item) => item.complaintId === complaintId);
    expect(read.routing).toMatchObject({ segmentId: segment.segmentId, contractId: cleaning.contractId });
    for (const named of [listed, read]) expect(named).toMatchObject({ contractTitle: cleaningTitle, contractorName, segmentName: roadName, street });
  });

  it("gives a crew its day across its contracts with two calls: the active contracts, then each one's tasks (issue 14)", async () => {
    // Act
    const contracts = ok(await api.request<{ items: Contract[] }>('GET', '/v1/contracts?status=active', { token: crew }));
    const days = await Promise.all(contracts.items.map(async (contract) => ({ contract, page: ok(await api.request<{ date: string; items: NamedTask[] }>('GET', `/v1/contracts/${contract.contractId}/tasks?date=${today}`, { token: crew })) })));

    // Assess
    expect(contracts.items.map((contract) => contract.title).sort()).toEqual([cleaningTitle, municipalTitle].sort());
    const cleaningDay = days.find((day) => day.contract.contractId === cleaning.contractId)!;
    expect(cleaningDay.page.date).toBe(today);
    expect(cleaningDay.page.items.length).toBeGreaterThan(0);
    expect(cleaningDay.page.items.every((task) => task.contractId === cleaning.contractId && task.segmentName === roadName)).toBe(true);
    // The municipal contract's repairs are work orders; its derived tasks are the facility
    // patrols of domain/schedule/templates/municipal.ts (this road is not strict: Tuesdays,
    // holidays skipped), so its day is those patrols or nothing, named like the others.
    const municipalDay = days.find((day) => day.contract.contractId === municipal.contractId)!;
    expect(municipalDay.page.items.every((task) => task.contractId === municipal.contractId && task.activity === 'facility_patrol' && task.segmentName === roadName)).toBe(true);
  });

  it('creates, lists and reads work orders with their names and the deadline in +08:00, given in UTC', async () => {
    // Prepare
    const deadline = new Date(Date.now() + 2 * 86_400_000);
    deadline.setUTCSeconds(0, 0);

    // Act
    const created = ok(
      await api.request<NamedWorkOrder>('POST', `/v1/contracts/${municipal.contractId}/work-orders`, {
        token: inspector,
        body: { rateItemCode: 'M-02', estimatedQuantityMilli: 2_000, location: { segmentId: segment.segmentId }, description: '人行道板破损约 2 m²', deadline: deadline.toISOString() },
      }),
      201,
    );
    const list = ok(await api.request<{ items: NamedWorkOrder[] }>('GET', `/v1/contracts/${municipal.contractId}/work-orders`, { token: crew }));
    const read = ok(await api.request<NamedWorkOrder>('GET', `/v1/work-orders/${created.workOrderId}`, { token: crew }));

    // Assess
    const shanghai = localDate(deadline, zone);
    for (const order of [created, list.items.find((item) => item.workOrderId === created.workOrderId)!, read]) {
      expect(order.deadline).toMatch(new RegExp(`^${shanghai}T\\d{2}:\\d{2}:00\\+08:00$`));
      expect(Date.parse(order.deadline)).toBe(deadline.getTime());
      expect(order.createdAt).toMatch(/\+08:00$/);
    }
    for (const order of [list.items[0], read]) expect(order).toMatchObject({ contractTitle: municipalTitle, contractorName, segmentName: roadName, street });
  });

  it('answers no instant in UTC: every one of the records a crew and the office read carries +08:00', async () => {
    // Act
    const answers = await Promise.all([
      api.request('GET', `/v1/contractors/${contractor.contractorId}`, { token: procurement }),
      api.request('GET', `/v1/contracts/${cleaning.contractId}`, { token: procurement }),
      api.request('GET', `/v1/segments/${segment.segmentId}`, { token: procurement }),
      api.request('GET', `/v1/rectification-orders?contractId=${cleaning.contractId}`, { token: crew }),
      api.request('GET', `/v1/contracts/${municipal.contractId}/work-orders`, { token: crew }),
      api.request('GET', `/v1/contracts/${cleaning.contractId}/tasks`, { token: crew }),
      api.request('GET', `/v1/inspections?segmentId=${segment.segmentId}&month=${today.slice(0, 7)}`, { token: inspector }),
    ]);

    // Assess
    const instants = answers.flatMap((answer) => {
      expect(answer.status, answer.text).toBe(200);
      return instantsIn(answer.json);
    });
    expect(instants.length).toBeGreaterThan(20);
    expect(instants.filter((instant) => !instant.endsWith('+08:00'))).toEqual([]);
  });

  it("places instants in the tenant's own zone when its settings name one", async () => {
    // Prepare: a tenant item naming Asia/Urumqi (UTC+6, no daylight saving).
    const urumqi = uniqueTenantId('names-urumqi');
    const document = DynamoDBDocumentClient.from(localDynamo(), { marshallOptions: { removeUndefinedValues: true } });
    await document.send(
      new PutCommand({ TableName: localStack().tables.main, Item: { ...keys.tenant(urumqi), entity: entityTypes.tenant, tenantId: urumqi, name: '天山区', zone: 'Asia/Urumqi', createdAt: new Date().toISOString() } }),
    );
    const office = await tokenFor('procurement', { tenantId: urumqi });
    const before = Date.now();

    // Act
    const created = await api.request<Contractor>('POST', '/v1/contractors', { token: office, body: { code: '91310106MA1FY0AB2A', name: '乌鲁木齐市天山环卫有限公司' } });

    // Assess
    const registered = ok(created, 201);
    expect(registered.createdAt).toMatch(/\+06:00$/);
    expect(Date.parse(registered.createdAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(registered.createdAt)).toBeLessThanOrEqual(Date.now());
  });
});
