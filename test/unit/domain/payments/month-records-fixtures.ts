import type { Complaint } from '../../../../domain/complaints/schema';
import type { Contract } from '../../../../domain/contracts/schema';
import type { Inspection, PricedLine } from '../../../../domain/inspections/schema';
import type { MonthFactsContract } from '../../../../domain/payments/month-facts';
import type { ContractMonthRecords } from '../../../../domain/payments/ports';
import type { RectificationOrder } from '../../../../domain/rectification/schema';
import type { TaskOutcome } from '../../../../domain/schedule/outcomes';
import type { WorkOrder } from '../../../../domain/work-orders/schema';
import { contractId, contractorId, lumpSumContract, seg } from './fixtures';

/**
 * Plain stored records of one contract-month, for the tests of `assembleMonthFacts`: the
 * cleaning contract of fixtures.ts (segments a and b from 2025-01-01, cleaning-standard
 * rulebook) and builders whose defaults are the dull case (a record of this contract, in
 * June 2025, charging nothing special).
 */

export const month = '2025-06';

export const contract: MonthFactsContract = { ...lumpSumContract(3_000_000, '2025-01-01'), contractId, serviceType: 'cleaning' };

export function records(overrides: Partial<ContractMonthRecords> = {}): ContractMonthRecords {
  return {
    zone: 'Asia/Shanghai',
    outcomes: [],
    proofsRefused: 0,
    inspections: [],
    rectificationOrders: [],
    complaints: [],
    workOrders: [],
    segments: [
      { segmentId: seg.a, areaM2: 12_000, grade: 'branch', flags: [] },
      { segmentId: seg.b, areaM2: 8_000, grade: 'alley', flags: [] },
    ],
    ...overrides,
  };
}

export function outcome(taskId: string, localDate: string, status: TaskOutcome['status'], patch: Partial<TaskOutcome> = {}): TaskOutcome {
  return {
    tenantId: 'jingan',
    taskId,
    contractId,
    segmentId: seg.a,
    activity: 'sweep',
    windowStart: `${localDate}T05:00:00+08:00`,
    windowEnd: `${localDate}T07:00:00+08:00`,
    localDate,
    status,
    at: `${localDate}T00:00:00.000Z`,
    source: { kind: 'sweep', runId: 'run-1' },
    ...patch,
  };
}

/** A priced line as the inspection module stores it (count 1 unless the patch says). */
export function line(itemCode: string, pointsX100: number, fineFen: number, patch: Partial<PricedLine> = {}): PricedLine {
  return {
    source: 'finding',
    itemCode,
    count: 1,
    ordinal: 1,
    factorBps: 10_000,
    unitPointsX100: pointsX100,
    unitFineFen: fineFen,
    pointsX100,
    fineFen,
    mode: 'deduct',
    charge: 'final',
    ...patch,
  };
}

/** A waive_if_rectified line (provisional until its order is decided). */
export function waiveLine(itemCode: string, pointsX100: number, fineFen: number, orderId: string): PricedLine {
  return line(itemCode, pointsX100, fineFen, { mode: 'waive_if_rectified', charge: 'provisional', orderId });
}

export function inspection(inspectionId: string, at: string, lines: PricedLine[], patch: Partial<Inspection> = {}): Inspection {
  return {
    inspectionId,
    tenantId: 'jingan',
    contractId,
    contractorId,
    serviceType: 'cleaning',
    termsVersion: 1,
    segmentId: seg.a,
    at,
    localDate: at.slice(0, 10),
    month: at.slice(0, 7),
    kind: 'patrol',
    inspectorIds: ['usr_inspector_li'],
    findings: [],
    lines,
    totals: { pointsX100: 0, fineFen: 0, provisionalPointsX100: 0, provisionalFineFen: 0 },
    orderIds: [],
    recordedAt: at,
    recordedBy: 'usr_inspector_li',
    version: 1,
    ...patch,
  } as Inspection;
}

/** A correction of `supersedes` (a new inspection naming the old one). */
export function correction(inspectionId: string, supersedes: string, at: string, lines: PricedLine[]): Inspection {
  return inspection(inspectionId, at, lines, { supersedes: { inspectionId: supersedes, reason: '记录错误' } });
}

export function order(orderId: string, dueAt: string, patch: Partial<RectificationOrder> = {}): RectificationOrder {
  return {
    orderId,
    tenantId: 'jingan',
    contractId,
    contractorId,
    segmentId: seg.a,
    serviceType: 'cleaning',
    origin: { kind: 'inspection', inspectionId: 'ins_x', lineIndex: 0, itemCode: 'CL-LITTER' },
    itemCode: 'CL-LITTER',
    mode: 'deduct',
    description: '路面垃圾',
    termsVersion: 1,
    latePenalty: { pointsX100: 200, fineFen: 0 },
    issuedAt: dueAt,
    issuedBy: 'usr_inspector_li',
    dueAt,
    status: 'open',
    answers: [],
    reviews: [],
    version: 1,
    updatedAt: dueAt,
    ...patch,
  } as RectificationOrder;
}

/** An answer submitted `minutes` after (negative: before) the order's deadline. */
export function answered(dueAt: string, minutes: number): Pick<RectificationOrder, 'answers'> {
  return { answers: [{ at: new Date(Date.parse(dueAt) + minutes * 60_000).toISOString(), evidenceIds: ['ev_1'], by: 'usr_crew' }] } as Pick<RectificationOrder, 'answers'>;
}

/** Marked late by the sweep, with the penalty fixed when the order was raised. */
export function late(dueAt: string, pointsX100: number, fineFen: number): Pick<RectificationOrder, 'late'> {
  return { late: { markedAt: new Date(Date.parse(dueAt) + 60_000).toISOString(), by: 'system', penalty: { pointsX100, fineFen } } };
}

export function complaint(complaintId: string, requestedAt: string, patch: Partial<Complaint> = {}): Complaint {
  return {
    complaintId,
    tenantId: 'jingan',
    serviceCode: 'litter',
    serviceName: '垃圾',
    serviceType: 'cleaning',
    deadlineHours: 24,
    requestedAt,
    status: 'routed',
    statusNotes: '',
    routing: { segmentId: seg.b, contractId, contractorId, orderId: `rec_${complaintId.slice(4)}`, dueAt: requestedAt, routedAt: requestedAt, routedBy: 'open311' },
    verifications: [],
    reopens: [],
    reopenTokenSha256: '0'.repeat(64),
    version: 1,
    updatedAt: requestedAt,
    ...patch,
  } as Complaint;
}

/** The points a valid verification stores: the request's local date decides the month. */
export function points(pointsX100: number, localDate: string, patch: Partial<NonNullable<Complaint['points']>> = {}): Pick<Complaint, 'points'> {
  return { points: { pointsX100, contractId, contractorId, termsVersion: 1, localDate, recordedAt: `${localDate}T09:00:00.000Z`, ...patch } };
}

/** A work order accepted at `at` (tenant-local month `acceptedMonth`) for `acceptedMilli`. */
export function workOrder(workOrderId: string, at: string, acceptedMonth: string, acceptedMilli: number, patch: Partial<WorkOrder> = {}): WorkOrder {
  return {
    tenantId: 'jingan',
    workOrderId,
    contractId,
    contractorId,
    rateItemCode: 'M-02',
    rateItemNameZh: '井盖更换',
    unit: '个',
    unitFen: 30_000,
    termsVersion: 1,
    latePenalty: { sameAsDefect: true },
    estimatedQuantityMilli: acceptedMilli,
    location: { segmentId: seg.a },
    description: '更换井盖',
    deadline: at,
    status: 'accepted',
    month: acceptedMonth,
    completion: {
      evidenceIds: [`ev_${workOrderId}`],
      photoHashes: [],
      capturedAt: at,
      gps: { lon: 121.45, lat: 31.22, accuracyM: 5 },
      measuredQuantityMilli: acceptedMilli,
      completedAt: at,
      completedBy: 'usr_crew',
      late: false,
    },
    decision: { outcome: 'accepted', acceptedQuantityMilli: acceptedMilli, at, by: 'usr_inspector_li', month: acceptedMonth },
    version: 3,
    createdAt: at,
    createdBy: 'usr_inspector_li',
    updatedAt: at,
    updatedBy: 'usr_inspector_li',
    ...patch,
  } as WorkOrder;
}

/** The stored contract record a reader receives (for tests that need the full type). */
export const storedContract = { ...contract, tenantId: 'jingan', contractorId, status: 'active' } as unknown as Contract;
