import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../../domain/policy';
import { roles } from '../../domain/policy';
import { addDays, localDate } from '../../domain/dates';
import { entityTypes, keys } from '../../functions/adapters/dynamodb/keys';
import { DynamoStatementStore } from '../../functions/adapters/dynamodb/statement-store';
import { api, tokenFor, uniqueTenantId, type ApiResponse } from '../helpers/api';
import { localDynamo, localStack } from '../helpers/local-stack';
import { open311KeyFor } from '../helpers/open311-keys';

/**
 * The authorization matrix's world, built once through the API as the integration tests do:
 * tenant T with contractors A and B, each holding an active cleaning contract (from yesterday,
 * so yesterday's tasks take proofs today) and a municipal unit-rate contract, a task, a
 * (refused) proof, an inspection with its rectification orders and a work order each; a
 * complaint, a tender, a schedule exception; and tenant U with nothing but its users. Every id
 * made in T is recorded so a 2xx answer can be scanned for rows that must not be there.
 */

export const zone = 'Asia/Shanghai';
export const today = localDate(new Date(), zone);
export const yesterday = addDays(today, -1);

/** The records one contractor owns in T. */
export interface Owned {
  readonly contractorId: string;
  readonly segmentId: string;
  readonly contractId: string;
  readonly municipalContractId: string;
  readonly taskId: string;
  readonly proofId: string;
  readonly inspectionId: string;
  readonly orderId: string;
  readonly workOrderId: string;
  readonly municipalSegmentId: string;
  /** First points of the cleaning and municipal segments (GPS of valid-looking bodies). */
  readonly at: readonly [number, number];
  readonly municipalAt: readonly [number, number];
}

export interface World {
  readonly tenantId: string;
  readonly otherTenantId: string;
  readonly a: Owned;
  readonly b: Owned;
  /** Tenant records of T owned by no contractor. */
  readonly spareSegmentId: string;
  readonly throwawayInspectionId: string;
  readonly complaintId: string;
  readonly tenderId: string;
  readonly exceptionId: string;
  /** A line of A's statement of this month (issue 7), when the statements module computes one. */
  readonly statementLineKey: string;
  /** The shipped cleaning standard's fields, a valid body for amending it. */
  readonly standardBody: Record<string, unknown>;
  /** Tokens of T: contractor users speak for A. */
  readonly tokens: Readonly<Record<Role, string>>;
  /** Tokens of U: its contractor user claims A's contractor id (a forged cross-tenant claim). */
  readonly otherTenantTokens: Readonly<Record<Role, string>>;
  /** Every id made in T: none may appear in a 2xx answer to a user of U. */
  readonly tenantIds: ReadonlySet<string>;
  /** The ids B owns: none may appear in a 2xx answer to A's contractor user. */
  readonly bIds: ReadonlySet<string>;
}

function must<T>(answer: ApiResponse<T>, status: number, what: string): T {
  if (answer.status !== status) throw new Error(`fixture ${what}: expected ${status}, got ${answer.status}: ${answer.text.slice(0, 500)}`);
  return answer.json;
}

let lon = 121.7;

function lineBody(name: string): Record<string, unknown> {
  lon += 0.01;
  return { name, street: '南京西路街道', grade: 'branch', flags: [], widthM: 12, geometry: { type: 'LineString', coordinates: [[lon, 31.2231], [lon + 0.0012, 31.2237]] } };
}

async function tokensOf(tenantId: string, contractorId: string): Promise<Record<Role, string>> {
  const entries = await Promise.all(roles.map(async (role) => [role, await tokenFor(role, { tenantId, ...(role === 'contractor' ? { contractorId } : {}) })] as const));
  return Object.fromEntries(entries) as Record<Role, string>;
}

/** Builds the world; about a hundred requests. */
export async function buildWorld(): Promise<World> {
  const tenantId = uniqueTenantId('authz');
  const otherTenantId = uniqueTenantId('authz-other');
  // Open311 needs the tenant record (the jurisdiction) as the open311 integration test writes it.
  const document = DynamoDBDocumentClient.from(localDynamo());
  await document.send(new PutCommand({ TableName: localStack().tables.main, Item: { ...keys.tenant(tenantId), entity: entityTypes.tenant, tenantId, name: '静安区', zone, createdAt: new Date().toISOString() } }));
  const procurement = await tokenFor('procurement', { tenantId });
  const inspector = await tokenFor('inspector', { tenantId });

  const [ctrA, ctrB] = await Promise.all(
    [
      { code: '91310106MA1FY0AB17', name: '上海环杰环境服务有限公司' },
      { code: '91310106MA1FY0AB2A', name: '上海绿源市政工程有限公司' },
    ].map(async (body) => must(await api.request<{ contractorId: string }>('POST', '/v1/contractors', { token: procurement, body }), 201, 'contractor').contractorId),
  );

  const segment = async (name: string): Promise<{ segmentId: string; at: [number, number] }> => {
    const body = lineBody(name);
    const created = must(await api.request<{ segmentId: string }>('POST', '/v1/segments', { token: procurement, body }), 201, 'segment');
    return { segmentId: created.segmentId, at: (body['geometry'] as { coordinates: [number, number][] }).coordinates[0]! };
  };

  const activeContract = async (body: Record<string, unknown>): Promise<string> => {
    const created = must(await api.request<{ contractId: string; version: number }>('POST', '/v1/contracts', { token: procurement, body }), 201, 'contract');
    must(
      await api.request('POST', `/v1/contracts/${created.contractId}/activate`, { token: procurement, headers: { 'if-match': `"${created.version}"` }, body: {} }),
      200,
      'activation',
    );
    return created.contractId;
  };

  const ownedBy = async (contractorId: string, label: string): Promise<Owned> => {
    const cleaning = await segment(`授权${label}路1号段`);
    const municipal = await segment(`授权${label}路2号段`);
    const contractId = await activeContract({
      contractorId,
      serviceType: 'cleaning',
      title: `授权矩阵保洁合同${label}`,
      startDate: yesterday,
      endDate: addDays(today, 300),
      performanceBondFen: 5_000_000,
      scope: [cleaning.segmentId],
      pricing: { kind: 'lump_sum', monthlyFen: 38_000_000 },
      standardRef: { standardId: 'cleaning-standard', version: 1 },
      rulebookTemplateId: 'cleaning-standard',
    });
    const municipalContractId = await activeContract({
      contractorId,
      serviceType: 'municipal',
      title: `授权矩阵市政合同${label}`,
      startDate: today,
      endDate: addDays(today, 364),
      performanceBondFen: 2_000_000,
      scope: [municipal.segmentId],
      pricing: { kind: 'unit_rate', items: [{ code: 'M-02', nameZh: '修补人行道板', unit: 'm²', unitFen: 16_500 }] },
      rulebookTemplateId: 'municipal-roads',
    });
    const contractorToken = await tokenFor('contractor', { tenantId, contractorId });
    const tasks = must(await api.request<{ items: { taskId: string }[] }>('GET', `/v1/contracts/${contractId}/tasks?date=${yesterday}`, { token: contractorToken }), 200, 'tasks');
    const taskId = tasks.items[0]?.taskId;
    if (taskId === undefined) throw new Error('fixture: the cleaning contract has no task yesterday');
    // A refused proof (made-up photos) is a stored proof of the contractor all the same.
    const refused = await api.request<{ proofId?: string }>('POST', `/v1/tasks/${taskId}/proofs`, {
      token: contractorToken,
      body: { evidenceIds: [`ev_${'0'.repeat(31)}1`], capturedAt: `${yesterday}T05:40:00+08:00`, gps: { lon: cleaning.at[0], lat: cleaning.at[1], accuracyM: 6 } },
    });
    const proofId = refused.json?.proofId;
    if (refused.status !== 422 || proofId === undefined) throw new Error(`fixture proof: expected a stored refusal, got ${refused.status}: ${refused.text.slice(0, 300)}`);
    const inspected = must(
      await api.request<{ inspection: { inspectionId: string }; orders: { orderId: string }[] }>('POST', '/v1/inspections', {
        token: inspector,
        body: { segmentId: cleaning.segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-PILE-M', count: 1 }] },
      }),
      201,
      'inspection',
    );
    const orderId = inspected.orders[0]?.orderId;
    if (orderId === undefined) throw new Error('fixture: the inspection raised no rectification order');
    const workOrder = must(
      await api.request<{ workOrderId: string }>('POST', `/v1/contracts/${municipalContractId}/work-orders`, {
        token: inspector,
        body: {
          rateItemCode: 'M-02',
          estimatedQuantityMilli: 2_000,
          location: { segmentId: municipal.segmentId, point: { lon: municipal.at[0], lat: municipal.at[1] } },
          description: '人行道板破损约 2 m²',
          deadline: new Date(Date.now() + 2 * 86_400_000).toISOString(),
        },
      }),
      201,
      'work order',
    );
    return {
      contractorId,
      segmentId: cleaning.segmentId,
      contractId,
      municipalContractId,
      taskId,
      proofId,
      inspectionId: inspected.inspection.inspectionId,
      orderId,
      workOrderId: workOrder.workOrderId,
      municipalSegmentId: municipal.segmentId,
      at: cleaning.at,
      municipalAt: municipal.at,
    };
  };

  const a = await ownedBy(ctrA!, 'A');
  const b = await ownedBy(ctrB!, 'B');
  const aAt = a.at;

  const spare = await segment('授权备用路');
  const throwaway = must(
    await api.request<{ inspection: { inspectionId: string } }>('POST', '/v1/inspections', {
      token: inspector,
      body: { segmentId: a.segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'joint', findings: [] },
    }),
    201,
    'throwaway inspection',
  );
  const complaint = must(
    await api.request<{ service_request_id: string }[]>('POST', '/open311/v2/requests.json', {
      body: new URLSearchParams({ jurisdiction_id: tenantId, service_code: 'CL-LITTER', lat: String(aAt[1]), long: String(aAt[0]), description: '路口有纸屑', api_key: await open311KeyFor(tenantId) }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    }),
    201,
    'complaint',
  )[0]!.service_request_id;
  const tender = must(
    await api.request<{ tenderId: string }>('POST', '/v1/tenders', {
      token: procurement,
      body: {
        title: '授权矩阵道路保洁服务采购',
        serviceType: 'cleaning',
        evaluation: { method: 'lowest_price' },
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
        lots: [{ name: '第一标段', segmentIds: [spare.segmentId], pricing: { kind: 'lump_sum', ceilingMonthlyFen: 90_000_000 } }],
      },
    }),
    201,
    'tender',
  ).tenderId;
  const exception = must(
    await api.request<{ exceptionId: string }>('POST', '/v1/schedule-exceptions', {
      token: procurement,
      body: { kind: 'segment_suspension', segmentIds: [spare.segmentId], from: addDays(today, 400), to: addDays(today, 401), reason: '施工占道' },
    }),
    201,
    'schedule exception',
  ).exceptionId;

  const standard = must(await api.request<Record<string, unknown>>('GET', '/v1/standards/cleaning-standard', { token: procurement }), 200, 'standard');
  const standardBody = { serviceType: standard['serviceType'], name: standard['name'], activities: standard['activities'] };
  // Approved statements of this month for both contracts (issue 7): a contractor user sees its
  // contract's statement once approved, so the reads name records that exist for every role.
  const finance = await tokenFor('finance', { tenantId });
  const statements = new DynamoStatementStore(document, localStack().tables.main);
  const month = today.slice(0, 7);
  let statementLineKey = 'base';
  for (const contractId of [a.contractId, b.contractId]) {
    const path = `/v1/contracts/${contractId}/statements/${month}`;
    const computed = must(await api.request<{ version: number; statement?: { lines?: { key: string }[] } }>('POST', `${path}/computations`, { token: finance }), 201, 'statement');
    if (contractId === a.contractId) statementLineKey = computed.statement?.lines?.[0]?.key ?? statementLineKey;
    must(await api.request<{ version: number }>('POST', `${path}/review`, { token: finance, headers: { 'if-match': `"${computed.version}"` }, body: {} }), 200, 'statement review');
    // The API approves a month only once it has ended (issue 13), and these contracts began
    // yesterday: the approval is written through the store, as another finance user's approval
    // at the month's end would leave it.
    const reviewed = await statements.get(tenantId, contractId, month);
    if (reviewed?.status !== 'reviewed') throw new Error(`fixture statement approval: ${contractId} is ${reviewed?.status ?? 'missing'}`);
    await statements.transition({ ...reviewed, status: 'approved', approval: { by: 'dev-finance-approver', at: new Date().toISOString() }, version: reviewed.version + 1 }, reviewed.version, 'reviewed');
  }
  // Segments belong to the tenant's registry, not to a contractor: everyone of T may list them.
  const idsOf = (owned: Owned, withSegments: boolean): string[] => {
    const { at: _at, municipalAt: _municipalAt, segmentId, municipalSegmentId, ...records } = owned;
    return [...Object.values(records), ...(withSegments ? [segmentId, municipalSegmentId] : [])];
  };
  const bIds = new Set<string>(idsOf(b, false));
  const tenantIds = new Set<string>([...idsOf(a, true), ...idsOf(b, true), spare.segmentId, throwaway.inspection.inspectionId, complaint, tender, exception]);
  return {
    tenantId,
    otherTenantId,
    a,
    b,
    spareSegmentId: spare.segmentId,
    throwawayInspectionId: throwaway.inspection.inspectionId,
    complaintId: complaint,
    tenderId: tender,
    exceptionId: exception,
    standardBody,
    statementLineKey,
    tokens: await tokensOf(tenantId, a.contractorId),
    otherTenantTokens: await tokensOf(otherTenantId, a.contractorId),
    tenantIds,
    bIds,
  };
}
