import * as z from 'zod';
import { PerformanceQuery, SegmentMonthParams, SegmentMonthQuery } from '../../../domain/payments/supervision';
import { statementStatuses } from '../../../domain/payments/records';
import { ServiceType } from '../../../domain/service-types';
import type { RouteSpec } from '../../shared/route';

const tags = ['supervision'] as const;

const nullableInt = z.number().int().nullable();

const KpiPoint = z
  .object({
    numerator: nullableInt,
    denominator: nullableInt,
    rateBps: nullableInt.describe('numerator x 10000 / denominator, rounded half-up once; null when nothing was due or no assessment was kept'),
    formula: z.string().nullable().describe('the rate written out, e.g. "12 tasks done / 15 tasks due = 80.00 %"'),
    targetBps: nullableInt.describe("the rulebook's target in force that month (kpiTargets); null when it names none"),
    belowTarget: z.boolean().nullable().describe('rateBps < targetBps; null when either is null'),
  })
  .meta({ id: 'SupervisionKpi' });

const Deduction = z
  .object({
    category: z.string().describe('road_cleanliness, facilities… or missed_tasks, late, complaints'),
    labelZh: z.string().nullable(),
    labelEn: z.string().nullable(),
    occurrences: z.number().int(),
    pointsX100: z.number().int().describe('points counted in the score, after the category cap'),
    rawPointsX100: z.number().int().describe('points before the cap'),
    capX100: nullableInt,
    fineFen: z.number().int().describe("the category's fines, before the statement's deduction cap (the statement's lines say what was taken)"),
  })
  .meta({ id: 'SupervisionDeduction' });

const PerformanceMonth = z
  .object({
    month: z.string(),
    status: z.enum(statementStatuses),
    computeVersion: z.number().int(),
    scoreX100: z.number().int(),
    netFen: z.number().int(),
    assessmentStored: z.boolean().describe('false for a statement computed before assessments were kept: deductions, KPI figures and proofsRefused are null (not recomputed on read)'),
    deductions: z.array(Deduction).nullable(),
    kpis: z.object({ taskCompletion: KpiPoint, onTimeRectification: KpiPoint, complaintResolution: KpiPoint }),
    proofsRefused: nullableInt,
  })
  .meta({ id: 'SupervisionMonth' });

const ContractPerformance = z
  .object({
    contractId: z.string(),
    contractTitle: z.string().optional().describe("the contract's title (合同名称); absent when not found"),
    contractorId: z.string(),
    contractorName: z.string().optional().describe("the contractor's registered name (作业单位名称), read when answering; absent when not found"),
    serviceType: ServiceType,
    months: z.array(PerformanceMonth).describe('oldest first; only the months with a statement'),
  })
  .meta({ id: 'ContractPerformance' });

export const getPerformanceRoute = {
  operationId: 'getSupervisionPerformance',
  method: 'GET',
  path: '/v1/supervision/performance',
  summary: "Per contract, a month series of score, net, deductions by category and KPIs (task completion, 限时整改率, complaint resolution) against the rulebook's targets",
  description:
    'From the current statement of every contract-month in the window (drafts included, as rankings read them); every figure as the statement and its kept assessment hold it, nothing computed on read. A statement computed before assessments were kept with statements answers `assessmentStored: false` with null deductions and KPI figures (its targets still shown); it gains them when a recompute finds changed facts. Admin, procurement, inspectors and finance; not contractors (the figures span every contractor).',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'supervision:read' },
  query: PerformanceQuery,
  success: {
    status: 200,
    description: 'the series',
    schema: z
      .object({
        serviceType: ServiceType.nullable(),
        from: z.string(),
        to: z.string(),
        months: z.array(z.string()).describe('every month of the window, oldest first'),
        contracts: z.array(ContractPerformance),
      })
      .meta({ id: 'SupervisionPerformance' }),
  },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

const counts = {
  findings: z.number().int(),
  validComplaints: z.number().int(),
  lateOrders: z.number().int(),
  missedTasks: z.number().int(),
  pointsX100: z.number().int().describe('points counted in the scores, after category caps'),
  rawPointsX100: z.number().int(),
  fineFen: z.number().int(),
  contractIds: z.array(z.string()),
};

const SegmentRow = z
  .object({
    segmentId: z.string(),
    segmentName: z.string().optional().describe("the segment's name (路段名称), read when answering; geometry: GET /v1/segments"),
    street: z.string().optional().describe("the segment's street (街道)"),
    ...counts,
  })
  .meta({ id: 'SupervisionSegment' });

export const getSegmentMonthRoute = {
  operationId: 'getSupervisionSegments',
  method: 'GET',
  path: '/v1/supervision/{month}/segments',
  summary: "The month's findings, valid complaints, late rectification orders and points by segment (for a map)",
  description:
    "Summed over the kept assessments of the month's current statements (of one service type when given). A segment not listed had no occurrence; complaints and late orders that name no segment are `unlocated`. Statements computed before assessments were kept are not on the map: `contractsWithoutAssessment` names them.",
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'supervision:read' },
  params: SegmentMonthParams,
  query: SegmentMonthQuery,
  success: {
    status: 200,
    description: 'the month by segment',
    schema: z
      .object({
        month: z.string(),
        serviceType: ServiceType.nullable(),
        segments: z.array(SegmentRow),
        unlocated: z.object(counts),
        statements: z.number().int().describe('statements read'),
        contractsWithoutAssessment: z.array(z.string()),
      })
      .meta({ id: 'SupervisionSegments' }),
  },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const supervisionRoutes: readonly RouteSpec[] = [getPerformanceRoute, getSegmentMonthRoute];
