import { DateTime } from 'luxon';
import type { ComplaintFact, FindingFact, LateOrderFact, MissedTaskFact, MonthFacts } from '../assessment/assess';
import { addMonths, monthBounds } from '../assessment/months';
import type { Complaint } from '../complaints/schema';
import type { Contract } from '../contracts/schema';
import { termsPeriods } from '../contracts/terms';
import { addDays, maxDate, minDate } from '../dates';
import { findingCharge } from '../inspections/pricing';
import type { Inspection } from '../inspections/schema';
import { isSettledInTime } from '../rectification/order';
import type { RectificationOrder } from '../rectification/schema';
import type { Rulebook } from '../rulebooks/schema';
import { defectItem, missedTaskPrice } from '../rulebooks/rules';
import { forEachTask, type SegmentInfo } from '../schedule/derive';
import type { TaskOutcome } from '../schedule/outcomes';
import { standardsForContract } from '../schedule/sweep';
import type { WorkOrder } from '../work-orders/schema';
import type { ContractMonthFacts } from './facts';
import type { ContractMonthRecords } from './ports';
import type { WorkOrderFact } from './statement';
import { rulebookForMonth } from './statement';

/**
 * The payment rules that turn one contract-month's stored records into the priced facts the
 * assessment and the statement read (issue 7; moved out of the DynamoDB adapter in issue 13).
 * Pure: the records come from a `MonthRecordsReader` (ports.ts), the zone with them.
 *
 * Rules (DESIGN §3):
 * - tasks: a 'missed' and a 'rejected' outcome (an inspector rejected the accepted proof) are
 *   both missed tasks, priced by the month's rulebook per activity (`missedTaskPrice`);
 * - inspections: one superseded by a correction in the records counts no more (a chain of
 *   corrections leaves its last link); each priced line of the others is one finding,
 *   charged as stored (escalation was priced when the inspection was recorded) unless its
 *   item is waive_if_rectified and its order was settled in time (waived) or is undecided
 *   (pending): those count 0 and are left out (`findingCharge`);
 * - rectification orders due in the month: the on-time KPI, and the late ones with the
 *   penalty fixed when they were raised; a withdrawn order (a complaint found invalid) is
 *   neither due nor charged, a late mark it carries included;
 * - work orders accepted in the month: paid at the accepted quantity; a late completion whose
 *   penalty is not "the defect again" costs its late charge as a late order;
 * - complaints routed to the contract and requested in the month: the KPI counts (resolved:
 *   an inspector gave the verdict — closed, or valid and rectifying); the valid ones cost the
 *   points stored with the verification (an invalid verdict that withdrew the order took them).
 *
 * Month attribution, tenant-local (`records.zone`): missed/rejected tasks by their window's
 * local date; findings by the inspection's `month`; late orders and the on-time KPI by the
 * order's due date; complaints by the request's local date (`points.localDate` for the valid
 * ones); work orders by the acceptance's `decision.month`.
 *
 * Order: each kind of record is taken in its natural order (outcomes by date then task id,
 * inspections by time then id, orders by due time then id, complaints and work orders by id),
 * whatever order the records arrive in. That is the order the store lists them in, so the
 * facts — and the inputs digest of computations already kept — are those of the adapter that
 * priced them before this module existed.
 *
 * Throws a RangeError when the contract was not in force in the month (a wiring mistake:
 * the close and the use cases only ask for months in force).
 */
export function assembleMonthFacts(contract: MonthFactsContract, month: string, records: ContractMonthRecords): ContractMonthFacts {
  const rulebook = monthRulebook(contract, month);
  const { zone } = records;
  const { first, last } = monthBounds(month);

  // Tasks: 'missed' and 'rejected' outcomes both count as missed tasks (a rejected proof means
  // the task was not done), priced by the month's rulebook.
  const outcomes = sortedBy(
    records.outcomes.filter((outcome) => outcome.contractId === contract.contractId && first <= outcome.localDate && outcome.localDate <= last),
    (outcome) => `${outcome.localDate}#${outcome.taskId}`,
  );
  const missedTasks: MissedTaskFact[] = [];
  const taskDates: Record<string, string> = {};
  let tasksDone = 0;
  for (const outcome of outcomes) {
    if (outcome.status === 'done') {
      tasksDone += 1;
      continue;
    }
    const price = missedTaskPrice(rulebook, outcome.activity);
    missedTasks.push({
      taskId: outcome.taskId,
      segmentId: outcome.segmentId,
      activity: outcome.activity,
      pointsX100: price.pointsX100,
      fineFen: price.fineFen,
      ...(outcome.source.kind === 'proof' ? { proofIds: [outcome.source.proofId] } : {}),
    });
    taskDates[outcome.taskId] = outcome.localDate;
  }

  const orders = sortedBy(ordersInWindow(records.rectificationOrders, month, zone), (order) => `${order.dueAt}#${order.orderId}`);
  const findings = chargedFindings(records.inspections, orders, rulebook, month);

  // Rectification orders due this month: the on-time KPI, and the late ones with their penalty.
  const dueThisMonth = orders.filter((order) => order.status !== 'withdrawn' && localMonth(order.dueAt, zone) === month);
  const lateOrders: LateOrderFact[] = dueThisMonth
    .filter((order) => order.late !== undefined)
    .map((order) => ({
      orderId: order.orderId,
      itemCode: order.itemCode ?? 'late',
      segmentId: order.segmentId,
      pointsX100: order.late?.penalty.pointsX100 ?? 0,
      fineFen: order.late?.penalty.fineFen ?? 0,
    }));

  // Work orders accepted this month; a late completion costs its late charge as a late order.
  const workOrders: WorkOrderFact[] = [];
  for (const order of sortedBy(records.workOrders, (order) => order.workOrderId)) {
    if (order.status !== 'accepted' || order.decision?.outcome !== 'accepted' || order.decision.month !== month) continue;
    workOrders.push({
      workOrderId: order.workOrderId,
      itemCode: order.rateItemCode,
      quantityX1000: order.decision.acceptedQuantityMilli,
      ...orderedQuantity(order, order.decision.acceptedQuantityMilli),
      acceptedOn: localDateOf(order.decision.at, zone),
      proofIds: order.completion?.evidenceIds ?? [],
    });
    if (order.completion?.late === true && !order.latePenalty.sameAsDefect) {
      lateOrders.push({ orderId: order.workOrderId, itemCode: order.rateItemCode, pointsX100: order.latePenalty.pointsX100 ?? 0, fineFen: order.latePenalty.fineFen ?? 0 });
    }
  }

  // Complaints routed to this contract and requested this month (tenant-local).
  const complaints = sortedBy(
    records.complaints.filter((complaint) => complaint.routing?.contractId === contract.contractId),
    (complaint) => complaint.complaintId,
  );
  const ofMonth = complaints.filter((complaint) => localMonth(complaint.requestedAt, zone) === month);
  const validComplaints: ComplaintFact[] = complaints
    .filter((complaint) => complaint.points !== undefined && complaint.points.contractId === contract.contractId && complaint.points.localDate.startsWith(month))
    .map((complaint) => ({
      complaintId: complaint.complaintId,
      ...(complaint.routing?.segmentId === undefined ? {} : { segmentId: complaint.routing.segmentId }),
      pointsX100: complaint.points?.pointsX100 ?? 0,
    }));

  const scope = monthScope(contract, month);
  const segments = new Map(records.segments.filter((segment) => scope.has(segment.segmentId)).map((segment) => [segment.segmentId, segment] as const));
  const facts: MonthFacts = {
    contractId: contract.contractId,
    serviceType: contract.serviceType,
    month,
    zone,
    findings,
    missedTasks,
    lateOrders,
    validComplaints,
    tasksDue: Math.max(tasksDueOf(contract, month, records, segments, outcomes.length), outcomes.length),
    tasksDone,
    ordersDue: dueThisMonth.length,
    ordersOnTime: dueThisMonth.filter((order) => order.late === undefined && isSettledInTime(order)).length,
    complaintsReceived: ofMonth.length,
    complaintsResolved: ofMonth.filter((complaint) => complaint.status === 'closed' || complaint.status === 'rectifying').length,
    proofsRefused: records.proofsRefused,
  };
  const segmentAreasM2: Record<string, number> = {};
  for (const segmentId of [...scope].sort()) {
    const segment = segments.get(segmentId);
    if (segment !== undefined) segmentAreasM2[segmentId] = segment.areaM2;
  }
  return { facts, segmentAreasM2, workOrders, taskDates };
}

/** The contract fields the month's facts depend on. */
export type MonthFactsContract = Pick<Contract, 'contractId' | 'serviceType' | 'startDate' | 'endDate' | 'endedOn' | 'versions'>;

/**
 * The rulebook that prices the month (`rulebookForMonth`); a RangeError when the contract was
 * not in force in it. Readers call it before reading, so a wrong month costs no reads.
 */
export function monthRulebook(contract: MonthFactsContract, month: string): Rulebook {
  const rulebook = rulebookForMonth(contract, month);
  if (rulebook === undefined) throw new RangeError(`contract '${contract.contractId}' was not in force in ${month}`);
  return rulebook;
}

/** Every segment in scope on some day of the month (any terms period overlapping it). */
export function monthScope(contract: Pick<Contract, 'startDate' | 'endDate' | 'endedOn' | 'versions'>, month: string): Set<string> {
  const { first, last } = monthBounds(month);
  const scope = new Set<string>();
  for (const period of termsPeriods(contract)) {
    if (maxDate(period.from, first) <= minDate(period.to, last)) for (const segmentId of period.terms.scope) scope.add(segmentId);
  }
  return scope;
}

/**
 * The due times (UTC instants, `from` ≤ dueAt < `to`) of the rectification orders a month's
 * facts look at: from the month's first local midnight to the first local midnight of the
 * month after next. The orders due this month are in it, and so are the orders of this
 * month's findings (due in it or shortly after), which decide whether a waive_if_rectified
 * finding is waived. A finding whose order falls outside it is charged in full, as a finding
 * whose order is not found at all.
 */
export function orderWindow(month: string, zone: string): { readonly from: string; readonly to: string } {
  return { from: startOfDay(monthBounds(month).first, zone), to: startOfDay(monthBounds(addMonths(month, 2)).first, zone) };
}

/** The days of the month, first to last (`YYYY-MM-DD`). */
export function monthDays(month: string): string[] {
  const { first, last } = monthBounds(month);
  const days: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * The charged findings of the month's inspections. An inspection named by another's
 * `supersedes` is out: its correction replaces it (and a correction corrected in turn is out
 * too, so a chain leaves its last link). Each priced line of an inspection recorded in the
 * month whose charge is above 0 is one finding, as priced at recording (count x item x repeat
 * factor): charged lines of deduct items and items without rectify always; lines of
 * waive_if_rectified items only once their order is late (or cannot be found).
 */
function chargedFindings(inspections: readonly Inspection[], orders: readonly RectificationOrder[], rulebook: Rulebook, month: string): FindingFact[] {
  const ordersById = new Map(orders.map((order) => [order.orderId, order]));
  const superseded = new Set(inspections.flatMap((inspection) => (inspection.supersedes === undefined ? [] : [inspection.supersedes.inspectionId])));
  const findings: FindingFact[] = [];
  for (const inspection of sortedBy(inspections, (inspection) => `${inspection.at}#${inspection.inspectionId}`)) {
    if (superseded.has(inspection.inspectionId) || inspection.month !== month) continue;
    for (const line of inspection.lines) {
      const charge = findingCharge(line, line.orderId === undefined ? undefined : ordersById.get(line.orderId));
      if (charge.state !== 'charged' || (charge.pointsX100 === 0 && charge.fineFen === 0)) continue;
      const itemCode = line.itemCode ?? line.source;
      findings.push({
        inspectionId: inspection.inspectionId,
        segmentId: inspection.segmentId,
        itemCode,
        category: defectItem(rulebook, itemCode)?.category ?? 'inspection',
        pointsX100: charge.pointsX100,
        fineFen: charge.fineFen,
        at: inspection.at,
      });
    }
  }
  return findings;
}

/** The quantity ordered, when acceptance changed it: the measured one, else the estimate. */
function orderedQuantity(order: WorkOrder, accepted: number): { orderedQuantityX1000?: number } {
  if (order.completion !== undefined && order.completion.measuredQuantityMilli !== accepted) return { orderedQuantityX1000: order.completion.measuredQuantityMilli };
  if (order.estimatedQuantityMilli !== accepted) return { orderedQuantityX1000: order.estimatedQuantityMilli };
  return {};
}

/**
 * The month's tasks due, derived from the standard (schedule/derive.ts) over the segments in
 * scope; without schedule records, the count of outcomes.
 */
function tasksDueOf(contract: MonthFactsContract, month: string, records: ContractMonthRecords, segments: ReadonlyMap<string, ContractMonthRecords['segments'][number]>, outcomeCount: number): number {
  const schedule = records.schedule;
  if (schedule === undefined) return outcomeCount;
  const { first, last } = monthBounds(month);
  const standards = standardsForContract(
    contract,
    (ref) => schedule.standards.find((standard) => standard.standardId === ref.standardId && standard.version === ref.version),
    () => schedule.defaultStandard,
  );
  const infos = new Map<string, SegmentInfo>([...segments.values()].map((segment) => [segment.segmentId, { grade: segment.grade, flags: segment.flags }]));
  return forEachTask({ contract, standards, segments: infos, calendar: schedule.calendar, exceptions: schedule.exceptions, zone: records.zone, range: { from: first, to: addDays(last, 1) } }, () => undefined);
}

function ordersInWindow(orders: readonly RectificationOrder[], month: string, zone: string): RectificationOrder[] {
  const window = orderWindow(month, zone);
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  return orders.filter((order) => {
    const due = Date.parse(order.dueAt);
    return from <= due && due < to;
  });
}

/** A copy ordered by `key` (code-unit order, as the store's sort keys order ids and instants). */
function sortedBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, key: key(item) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ item }) => item);
}

function startOfDay(date: string, zone: string): string {
  return DateTime.fromISO(date, { zone }).startOf('day').toUTC().toISO({ suppressMilliseconds: false }) ?? `${date}T00:00:00.000Z`;
}

function localDateOf(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone: 'utc' }).setZone(zone).toISODate() ?? instant.slice(0, 10);
}

function localMonth(instant: string, zone: string): string {
  return localDateOf(instant, zone).slice(0, 7);
}
