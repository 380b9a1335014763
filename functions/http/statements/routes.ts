import * as z from 'zod';
import { ApiMonth } from '../../../domain/assessment/months';
import { ApproveStatementInput, ListStatementsQuery, RecordPaymentInput, ReviewStatementInput } from '../../../domain/payments/use-cases';
import { statementStatuses } from '../../../domain/payments/records';
import { maxRequestVersion } from '../../../domain/money';
import type { RouteSpec } from '../../shared/route';
import { pageOf } from '../../shared/schemas';

const tags = ['statements'] as const;

export const StatementParams = z.object({
  contractId: z.string().regex(/^con_[0-9a-z]{26}$/, 'not a contract id (con_ + 26 characters)'),
  month: ApiMonth,
});
const LineParams = StatementParams.extend({
  lineKey: z.string().min(1).max(300).describe('the line key, percent-encoded (keys hold slashes, e.g. base%2F2026-06-01..2026-06-30)'),
});
const VersionQuery = z.object({ version: z.coerce.number().int().positive().max(maxRequestVersion).optional().describe('a kept computation (computeVersion); the current record when absent') });
const DiffQuery = z.object({ from: z.coerce.number().int().positive().max(maxRequestVersion), to: z.coerce.number().int().positive().max(maxRequestVersion) });

const Sources = z
  .object({
    taskIds: z.array(z.string()),
    proofIds: z.array(z.string()),
    inspectionIds: z.array(z.string()),
    orderIds: z.array(z.string()),
    workOrderIds: z.array(z.string()),
    complaintIds: z.array(z.string()),
    itemCodes: z.array(z.string()),
    amendmentIds: z.array(z.string()),
    segmentIds: z.array(z.string()),
    statementRefs: z.array(z.string()),
    lineKeys: z.array(z.string()).describe('for a line computed from other lines of the statement (bonus, deduction-cap excess, retention): their keys'),
  })
  .partial()
  .meta({ id: 'StatementLineSources' });

const StatementLineView = z
  .object({
    key: z.string().describe('stable across recomputes'),
    code: z.string(),
    labelZh: z.string(),
    labelEn: z.string(),
    amountFen: z.number().int().describe('what the line adds to the payment; deductions negative'),
    formula: z.string().describe('the computation with its numbers, in English'),
    formulaZh: z
      .string()
      .optional()
      .describe(
        'the same formula as a Chinese finance officer reads it, written from the same numbers (e.g. 基本价 ¥120,000.00/月 × 履约天数 30/30（…） = ¥120,000.00); absent on statements computed before it existed, whose unchanged recomputes keep the stored record: show `formula` then',
      ),
    sources: Sources,
  })
  .meta({ id: 'StatementLine' });

const StatementView = z
  .object({
    contractId: z.string(),
    month: z.string(),
    daysInMonth: z.number().int(),
    activeDays: z.number().int(),
    scoreX100: z.number().int(),
    coefficientBps: z.number().int(),
    termsVersions: z.array(z.number().int()),
    rulebook: z.object({ name: z.string(), version: z.number().int(), templateId: z.string().optional(), templateVersion: z.number().int().optional() }),
    lines: z.array(StatementLineView),
    totals: z.record(z.string(), z.number().int()).describe('baseFen … netFen; net = Σ lines'),
  })
  .meta({ id: 'Statement' });

const KpiView = z
  .object({ numerator: z.number().int(), denominator: z.number().int(), rateBps: z.number().int().nullable().describe('null when nothing was due'), formula: z.string() })
  .meta({ id: 'AssessmentKpi' });
const AssessmentView = z
  .object({
    scoreX100: z.number().int(),
    kpis: z.object({ taskCompletion: KpiView, onTimeRectification: KpiView.describe('限时整改率'), complaintResolution: KpiView, proofsRefused: z.number().int() }),
    categories: z.array(
      z.object({
        category: z.string(),
        occurrences: z.number().int(),
        rawX100: z.number().int(),
        capX100: z.number().int().nullable(),
        countedX100: z.number().int(),
        excessX100: z.number().int(),
        fineFen: z.number().int().describe("the category's fines before the statement's deduction cap"),
      }),
    ),
    segments: z.array(
      z.object({
        segmentId: z.string().nullable().describe('null: complaints and late orders that name no segment'),
        findings: z.number().int(),
        validComplaints: z.number().int(),
        lateOrders: z.number().int(),
        missedTasks: z.number().int(),
        rawX100: z.number().int(),
        countedX100: z.number().int(),
        fineFen: z.number().int(),
      }),
    ),
    counts: z.object({ findings: z.number().int(), missedTasks: z.number().int(), lateOrders: z.number().int(), validComplaints: z.number().int() }),
  })
  .meta({
    id: 'StatementAssessment',
    description:
      "the month's assessment as this computation made it (issue 15); absent on statements computed before it was kept, which are not recomputed to fill it (a recompute with unchanged inputs writes nothing, and the inputs' digest does not cover it)",
  });

const Entry = z.object({ by: z.string(), at: z.string(), reason: z.string().optional() });
const recordFields = {
  tenantId: z.string(),
  contractId: z.string(),
  contractorId: z.string(),
  serviceType: z.string(),
  month: z.string(),
  version: z.number().int().describe('record version for If-Match'),
  computeVersion: z.number().int().describe('the n-th computation whose inputs changed'),
  status: z.enum(statementStatuses),
  inputsDigest: z.string().describe('sha-256 of the canonical inputs'),
  computedAt: z.string(),
  computedBy: z.string().describe("user id, or 'system' for the monthly close"),
  review: Entry.optional(),
  approval: Entry.optional(),
  payment: z.object({ by: z.string(), at: z.string(), reference: z.string(), paidOn: z.string() }).optional(),
  changes: z
    .object({ previousComputeVersion: z.number().int(), netBeforeFen: z.number().int(), netAfterFen: z.number().int(), netDeltaFen: z.number().int(), changedLineKeys: z.array(z.string()) })
    .optional(),
  assessment: AssessmentView.optional(),
};
export const StatementRecordView = z.object({ ...recordFields, statement: StatementView }).meta({ id: 'StatementRecord' });
const StatementSummaryView = z.object({ ...recordFields, netFen: z.number().int(), scoreX100: z.number().int() }).meta({ id: 'StatementSummary' });

const DiffView = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    lines: z.array(
      z.object({
        key: z.string(),
        code: z.string(),
        labelZh: z.string(),
        labelEn: z.string(),
        beforeFen: z.number().int().nullable(),
        afterFen: z.number().int().nullable(),
        deltaFen: z.number().int(),
        beforeFormula: z.string().nullable(),
        afterFormula: z.string().nullable(),
        beforeFormulaZh: z.string().nullable().describe('null when the line is new or its computation has no Chinese formula'),
        afterFormulaZh: z.string().nullable(),
      }),
    ),
    netBeforeFen: z.number().int(),
    netAfterFen: z.number().int(),
    netDeltaFen: z.number().int(),
    unchanged: z.boolean(),
  })
  .meta({ id: 'StatementDiff' });

const ExpandedLineView = z
  .object({
    contractId: z.string(),
    month: z.string(),
    computeVersion: z.number().int(),
    line: StatementLineView,
    sources: z.record(z.string(), z.array(z.object({ id: z.string() }).loose())).describe('ids by kind, each with the stored facts it summarises'),
  })
  .meta({ id: 'StatementLineExpanded' });

export const computeStatementRoute = {
  operationId: 'computeStatement',
  method: 'POST',
  path: '/v1/contracts/{contractId}/statements/{month}/computations',
  summary: 'Compute the statement of a contract-month from its stored facts (finance): 201 with a new draft version, 200 when nothing changed; 409 once approved',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'statement:compute' },
  params: StatementParams,
  idempotent: true,
  success: { status: 201, description: 'the new computation (200: the unchanged current record)', schema: StatementRecordView },
  problems: [400, 401, 403, 404, 409, 422],
} as const satisfies RouteSpec;

export const getStatementRoute = {
  operationId: 'getStatement',
  method: 'GET',
  path: '/v1/contracts/{contractId}/statements/{month}',
  summary: "A contract-month's statement (finance, procurement, admin; a contractor its own once approved), or a kept computation with ?version=",
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'statement:read', hidesExistence: true },
  params: StatementParams,
  query: VersionQuery,
  success: { status: 200, description: 'the statement record (ETag: its version)', schema: StatementRecordView },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const listStatementVersionsRoute = {
  operationId: 'listStatementVersions',
  method: 'GET',
  path: '/v1/contracts/{contractId}/statements/{month}/versions',
  summary: 'Every computation of a contract-month, oldest first, each with its change summary',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'statement:read', hidesExistence: true },
  params: StatementParams,
  success: { status: 200, description: 'the computations', schema: z.object({ items: z.array(StatementRecordView) }).meta({ id: 'StatementVersions' }) },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const diffStatementRoute = {
  operationId: 'diffStatement',
  method: 'GET',
  path: '/v1/contracts/{contractId}/statements/{month}/diff',
  summary: 'What changed between two computations, line by line',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'statement:read', hidesExistence: true },
  params: StatementParams,
  query: DiffQuery,
  success: { status: 200, description: 'the diff', schema: DiffView },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const getStatementLineRoute = {
  operationId: 'getStatementLine',
  method: 'GET',
  path: '/v1/contracts/{contractId}/statements/{month}/lines/{lineKey}',
  summary:
    'One line expanded into its sources: task, inspection, order, complaint, work-order, amendment ids with what the stored facts say of each (an adjustment: of the month it corrects), line keys with their amounts',
  tags,
  auth: 'jwt',
  authz: { scope: 'own-contractor', action: 'statement:read', hidesExistence: true },
  params: LineParams,
  query: VersionQuery,
  success: { status: 200, description: 'the line and its sources', schema: ExpandedLineView },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const reviewStatementRoute = {
  operationId: 'reviewStatement',
  method: 'POST',
  path: '/v1/contracts/{contractId}/statements/{month}/review',
  summary: 'Mark a draft statement reviewed (finance)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'statement:approve' },
  params: StatementParams,
  body: ReviewStatementInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the reviewed statement', schema: StatementRecordView },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const approveStatementRoute = {
  operationId: 'approveStatement',
  method: 'POST',
  path: '/v1/contracts/{contractId}/statements/{month}/approval',
  summary: 'Approve a reviewed statement (finance); immutable from then on — of two approvals at once one succeeds, the other gets 412/409',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'statement:approve' },
  params: StatementParams,
  body: ApproveStatementInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the approved statement', schema: StatementRecordView },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const recordStatementPaymentRoute = {
  operationId: 'recordStatementPayment',
  method: 'POST',
  path: '/v1/contracts/{contractId}/statements/{month}/payment',
  summary: 'Record the payment of an approved statement: reference and date (finance)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'statement:approve' },
  params: StatementParams,
  body: RecordPaymentInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the paid statement', schema: StatementRecordView },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const listStatementsRoute = {
  operationId: 'listStatements',
  method: 'GET',
  path: '/v1/statements',
  summary: "A tenant-month's statements, by service type and status (finance, admin): summaries without lines",
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'statement:list' },
  query: ListStatementsQuery,
  success: { status: 200, description: 'one page of statements', schema: pageOf(StatementSummaryView, 'StatementSummaryPage') },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const statementRoutes: readonly RouteSpec[] = [
  computeStatementRoute,
  getStatementRoute,
  listStatementVersionsRoute,
  diffStatementRoute,
  getStatementLineRoute,
  reviewStatementRoute,
  approveStatementRoute,
  recordStatementPaymentRoute,
  listStatementsRoute,
];
