import type * as z from 'zod';
import { addDays } from '../../domain/dates';
import { rulebookFromTemplate, templateById } from '../../domain/rulebooks/templates';
import type { RouteSpec } from '../../functions/shared/route';
import { today, yesterday, type Owned, type World } from './fixtures';

/**
 * One request per route that is VALID apart from authorization, aimed at the records of one
 * contractor (`side`: A's for "own", B's for "other contractor"). Path parameters come from a
 * dictionary by name, so a new route over known ids needs nothing here; queries and bodies a
 * route needs are written per operation below. Every change of an existing record sends a
 * stale `If-Match` ("999"): an allowed caller gets 412 (past authorization, nothing written),
 * so the fixtures survive the whole matrix; creates and uploads write throwaway records.
 */

export interface MatrixRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** Path parameters, query and body as sent (validated against the spec before running). */
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
}

interface Parts {
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  /** A form-encoded body (Open311). */
  readonly form?: Record<string, string>;
}

type Builder = (w: World, s: Owned) => Parts;

/** A month no draw has been committed for, far enough ahead for a commit to be allowed. */
const futureMonth = '2030-01';
const thisMonth = today.slice(0, 7);
const staleVersion = '"999"';
const fakeEvidence = `ev_${'0'.repeat(31)}2`;
let serial = 0;

/** Path parameters by name: one record of `s` (or of the tenant) per kind of id. */
function paramsOf(w: World, s: Owned): Record<string, string> {
  return {
    segmentId: s.segmentId,
    contractorId: s.contractorId,
    contractId: s.contractId,
    taskId: s.taskId,
    proofId: s.proofId,
    inspectionId: s.inspectionId,
    orderId: s.orderId,
    workOrderId: s.workOrderId,
    complaintId: w.complaintId,
    tenderId: w.tenderId,
    lotId: 'lot_1',
    standardId: 'cleaning-standard',
    exceptionId: w.exceptionId,
    templateId: 'cleaning-standard',
    year: '2035',
    // An export job (issue 16) nobody queued: an allowed caller gets past authorization to a 404.
    jobId: `exj_${'0'.repeat(26)}`,
    month: thisMonth,
    lineKey: w.statementLineKey,
    request: `${w.complaintId}.json`,
    service_request_id: w.complaintId,
  };
}

const reason = { reason: '授权矩阵测试' };

function segmentBody(): Record<string, unknown> {
  serial += 1;
  const lon = 122.5 + serial * 0.001;
  return { name: `授权新路${serial}`, street: '南京西路街道', grade: 'branch', flags: [], widthM: 12, geometry: { type: 'LineString', coordinates: [[lon, 31.3], [lon + 0.0012, 31.3006]] } };
}

const builders: Readonly<Record<string, Builder>> = {
  // segments
  createSegment: () => ({ body: segmentBody() }),
  updateSegment: () => ({ body: { name: '授权改名路' } }),
  retireSegment: () => ({ body: reason }),
  importSegments: () => ({
    body: {
      featureCollection: {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { id: 'AUTHZ-1', name: '授权导入路', street: '南京西路街道', grade: 'branch', width: 12 }, geometry: { type: 'LineString', coordinates: [[122.9, 31.3], [122.9012, 31.3006]] } }],
      },
      gradeValues: {},
    },
  }),
  // contractors
  registerContractor: () => ({ body: { code: '91310106MA1FY0AB17', name: '上海环杰环境服务有限公司' } }),
  updateContractor: () => ({ body: { contactName: '张三' } }),
  suspendContractor: () => ({ body: reason }),
  reinstateContractor: () => ({ body: reason }),
  setContractorListing: () => ({ body: { status: 'red', since: today, ...reason } }),
  // contracts
  createContract: (w, s) => ({
    body: {
      contractorId: s.contractorId,
      serviceType: 'greening',
      title: '授权矩阵绿化合同',
      startDate: addDays(today, 30),
      endDate: addDays(today, 300),
      performanceBondFen: 1_000_000,
      scope: [w.spareSegmentId],
      pricing: { kind: 'lump_sum', monthlyFen: 10_000_000 },
      rulebookTemplateId: 'greening-standard',
    },
  }),
  activateContract: () => ({ body: {} }),
  suspendContract: () => ({ body: reason }),
  resumeContract: () => ({ body: {} }),
  terminateContract: () => ({ body: reason }),
  amendContract: () => ({ body: { effectiveFrom: addDays(today, 10), approvedBy: '区绿化市容局', approvedAt: today, rulebookTemplateId: 'cleaning-standard', ...reason } }),
  // rulebooks
  validateRulebook: () => ({ body: rulebookFromTemplate(templateById('cleaning-standard')!) }),
  // tenders
  createTender: (w) => ({
    body: {
      title: '授权矩阵采购',
      serviceType: 'cleaning',
      evaluation: { method: 'lowest_price' },
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
      lots: [{ name: '第一标段', segmentIds: [w.spareSegmentId], pricing: { kind: 'lump_sum', ceilingMonthlyFen: 90_000_000 } }],
    },
  }),
  recordBid: (_w, s) => ({ body: { lotId: 'lot_1', contractorId: s.contractorId, submittedAt: new Date().toISOString(), price: { kind: 'lump_sum', monthlyFen: 80_000_000 } } }),
  listBids: () => ({ query: { lotId: 'lot_1' } }),
  awardLot: () => ({ body: { title: '授权矩阵合同', startDate: addDays(today, 60), endDate: addDays(today, 400), performanceBondFen: 1_000_000, rulebookTemplateId: 'cleaning-standard' } }),
  // schedule
  createStandard: () => ({ body: { templateId: 'cleaning-standard', standardId: `authz-${++serial}` } }),
  amendStandard: (w) => ({ body: w.standardBody }),
  createScheduleException: () => ({ body: { kind: 'weather_suspension', date: addDays(today, 500), activity: 'wash', ...reason } }),
  withdrawScheduleException: () => ({ body: reason }),
  getCalendar: () => ({ query: { year: '2026' } }),
  putCalendar: () => ({ body: { name: '授权矩阵日历', holidays: [], makeUpWorkdays: [] } }),
  // tasks
  listContractTasks: () => ({ query: { date: yesterday } }),
  listSegmentTasks: () => ({ query: { from: yesterday, to: today } }),
  // proofs
  requestTaskUpload: () => ({ body: { contentType: 'image/jpeg' } }),
  submitTaskProof: () => ({ body: { evidenceIds: [fakeEvidence], capturedAt: `${yesterday}T05:40:00+08:00`, gps: { lon: 121.7, lat: 31.2231, accuracyM: 6 } } }),
  listContractProofs: () => ({ query: { date: yesterday } }),
  rejectProof: () => ({ body: reason }),
  undoProofRejection: () => ({ body: reason }),
  getProofReport: () => ({ query: { date: yesterday } }),
  // inspections
  recordInspection: (_w, s) => ({ body: { segmentId: s.segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'patrol', findings: [] } }),
  listInspections: (_w, s) => ({ query: { contractId: s.contractId, month: thisMonth } }),
  // Issue 14: a priced preview (writes nothing) and the segment's checklist.
  previewInspection: (_w, s) => ({ body: { segmentId: s.segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 1 }] } }),
  getInspectionChecklist: (_w, s) => ({ query: { segmentId: s.segmentId, serviceType: 'cleaning' } }),
  // The correction supersedes an inspection: A's side corrects a throwaway one, not A's fixture.
  correctInspection: (w, s) => ({
    params: { inspectionId: s === w.a ? w.throwawayInspectionId : s.inspectionId },
    body: { segmentId: s.segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'joint', findings: [], ...reason },
  }),
  requestInspectionUpload: (_w, s) => ({ body: { segmentId: s.segmentId, serviceType: 'cleaning', contentType: 'image/jpeg' } }),
  // rectification
  listRectificationOrders: (_w, s) => ({ query: { contractId: s.contractId } }),
  requestRectificationUpload: () => ({ body: { contentType: 'image/jpeg' } }),
  answerRectificationOrder: () => ({ body: { evidenceIds: [fakeEvidence], note: '已清理' } }),
  acceptRectificationOrder: () => ({ body: {} }),
  reopenRectificationOrder: () => ({ body: reason }),
  // complaints
  verifyComplaint: () => ({ body: { valid: true, ...reason } }),
  assignComplaint: (w) => ({ body: { segmentId: w.spareSegmentId } }),
  retryComplaintRouting: () => ({ body: {} }),
  // work orders: on the side's unit-rate contract
  createWorkOrder: (_w, s) => ({
    params: { contractId: s.municipalContractId },
    body: {
      rateItemCode: 'M-02',
      estimatedQuantityMilli: 1_000,
      location: { segmentId: s.municipalSegmentId, point: { lon: s.municipalAt[0], lat: s.municipalAt[1] } },
      description: '授权矩阵工单',
      deadline: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    },
  }),
  listWorkOrders: (_w, s) => ({ params: { contractId: s.municipalContractId } }),
  requestWorkOrderUpload: () => ({ body: { contentType: 'image/jpeg' } }),
  completeWorkOrder: (_w, s) => ({
    body: { evidenceIds: [fakeEvidence], capturedAt: new Date().toISOString(), gps: { lon: s.municipalAt[0], lat: s.municipalAt[1], accuracyM: 8 }, measuredQuantityMilli: 1_000 },
  }),
  acceptWorkOrder: () => ({ body: { acceptedQuantityMilli: 1_000 } }),
  rejectWorkOrder: () => ({ body: reason }),
  // spot checks: a month no draw exists for
  commitSpotCheck: () => ({ params: { month: futureMonth }, body: { serviceType: 'cleaning' } }),
  revealSpotCheck: () => ({ params: { month: futureMonth }, body: { serviceType: 'cleaning' } }),
  getSpotCheck: () => ({ params: { month: futureMonth }, query: { serviceType: 'cleaning' } }),
  // statements (issue 7)
  diffStatement: () => ({ query: { from: '1', to: '1' } }),
  reviewStatement: () => ({ body: {} }),
  approveStatement: () => ({ body: {} }),
  recordStatementPayment: () => ({ body: { reference: 'AUTHZ-1', paidOn: today } }),
  listStatements: () => ({ query: { month: thisMonth } }),
  exportStatement: () => ({ body: { format: 'csv', lang: 'zh' } }),
  listPerformanceFailures: () => ({ query: { month: thisMonth } }),
  getRankings: () => ({ query: { month: thisMonth, serviceType: 'cleaning' } }),
  // supervision (issue 15): the month param comes from the dictionary
  getSupervisionPerformance: () => ({ query: { serviceType: 'cleaning', to: thisMonth, months: '3' } }),
  getSupervisionSegments: () => ({ query: { serviceType: 'cleaning' } }),
  // audit log (issue 8): a record of the side, and the last day of the tenant
  listEntityAudit: (_w, s) => ({ params: { entity: 'Contract', entityId: s.contractId } }),
  listTenantAudit: () => ({ query: { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() } }),
  // Open311 (public)
  open311ListServices: (w) => ({ query: { jurisdiction_id: w.tenantId } }),
  open311SubmitRequest: (w, s) => ({ form: { jurisdiction_id: w.tenantId, service_code: 'CL-LITTER', lat: String(s.at[1]), long: String(s.at[0]), description: '授权矩阵投诉' } }),
  open311ListRequests: (w) => ({ query: { jurisdiction_id: w.tenantId } }),
  open311GetRequest: (w) => ({ query: { jurisdiction_id: w.tenantId } }),
  open311ReopenRequest: (w) => ({ body: { jurisdiction_id: w.tenantId, reopen_token: 'not-the-token' } }),
  open311ListServicesXml: (w) => ({ query: { jurisdiction_id: w.tenantId } }),
  open311GetServiceDefinition: (w) => ({ params: { service: 'CL-LITTER.xml' }, query: { jurisdiction_id: w.tenantId } }),
  // Without an api_key: a public route is judged on "never 401, never 5xx"; 403 is the spec's answer.
  open311SubmitRequestXml: (w, s) => ({ form: { jurisdiction_id: w.tenantId, service_code: 'CL-LITTER', lat: String(s.at[1]), long: String(s.at[0]), description: '授权矩阵投诉' } }),
  open311ListRequestsXml: (w) => ({ query: { jurisdiction_id: w.tenantId } }),
  // Open311 api_keys (admin)
  issueOpen311ApiKey: () => ({ body: { client: '授权矩阵 App' } }),
  revokeOpen311ApiKey: () => ({ body: reason }),
};

/** True when this file has a builder for the operation (others get dictionary params only). */
export function hasBuilder(operationId: string): boolean {
  return Object.hasOwn(builders, operationId);
}

/** The request for `spec` aimed at `side`'s records (A's for "own", B's for "other contractor"). */
export function requestFor(spec: RouteSpec, w: World, side: Owned): MatrixRequest {
  const parts = builders[spec.operationId]?.(w, side) ?? {};
  const dictionary = { ...paramsOf(w, side), ...parts.params };
  const names = [...spec.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const params = Object.fromEntries(names.map((name) => [name, dictionary[name] ?? `unknown-${name}`]));
  const path = names.reduce((built, name) => built.replace(`{${name}}`, name === 'request' ? params[name]! : encodeURIComponent(params[name]!)), spec.path);
  const query = parts.query ?? {};
  const search = new URLSearchParams(query).toString();
  const headers: Record<string, string> = {};
  if (spec.ifMatch === true) headers['if-match'] = staleVersion;
  let body: unknown = parts.body;
  if (parts.form !== undefined) {
    body = new URLSearchParams(parts.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
  }
  return { method: spec.method, path: search === '' ? path : `${path}?${search}`, ...(body === undefined ? {} : { body }), headers, params, query };
}

/**
 * Why the request is not valid apart from authorization (its params, query or body fail the
 * route's own schemas), or undefined when it is. A route whose request fails here would be
 * refused with 400 before any authorization, so the matrix could not tell anything from it.
 */
export function invalidity(spec: RouteSpec, request: MatrixRequest): string | undefined {
  const check = (what: string, schema: z.ZodType | undefined, value: unknown): string | undefined => {
    if (schema === undefined) return undefined;
    const parsed = schema.safeParse(value);
    return parsed.success ? undefined : `${what}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`;
  };
  // A string body is a form (Open311); the route parses it to an object of strings first.
  const body = typeof request.body === 'string' ? Object.fromEntries(new URLSearchParams(request.body)) : request.body;
  return check('params', spec.params, request.params) ?? check('query', spec.query, request.query) ?? (spec.body === undefined && body === undefined ? undefined : check('body', spec.body, body));
}
