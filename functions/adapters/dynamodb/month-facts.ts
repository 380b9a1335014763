import { BatchGetCommand, QueryCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import type { ComplaintFact, FindingFact, LateOrderFact, MissedTaskFact, MonthFacts } from '../../../domain/assessment/assess';
import { addMonths, monthBounds } from '../../../domain/assessment/months';
import type { Complaint } from '../../../domain/complaints/schema';
import type { Contract } from '../../../domain/contracts/schema';
import { termsPeriods } from '../../../domain/contracts/terms';
import { addDays, defaultZone, maxDate, minDate } from '../../../domain/dates';
import { findingCharge } from '../../../domain/inspections/pricing';
import type { Inspection } from '../../../domain/inspections/schema';
import type { ContractMonthFacts } from '../../../domain/payments/facts';
import type { MonthFactsReader } from '../../../domain/payments/ports';
import type { WorkOrderFact } from '../../../domain/payments/statement';
import { rulebookForMonth } from '../../../domain/payments/statement';
import { isSettledInTime } from '../../../domain/rectification/order';
import type { RectificationOrder } from '../../../domain/rectification/schema';
import { defectItem, missedTaskPrice } from '../../../domain/rulebooks/rules';
import { forEachTask, type SegmentInfo } from '../../../domain/schedule/derive';
import type { TaskOutcome } from '../../../domain/schedule/outcomes';
import { standardsForContract, type ScheduleSource } from '../../../domain/schedule/sweep';
import type { Segment } from '../../../domain/segments/schema';
import type { WorkOrder } from '../../../domain/work-orders/schema';
import { ulidTimePart } from './complaint-store';
import { keys } from './keys';
import { backoff, stripKeys } from './versioned-items';

/**
 * Reads the stored facts of one contract-month for the statement (issue 7), every read in
 * this file so the requests can be counted (`requests` and `onRequest`, or an SDK middleware
 * on the client; the ScheduleSource's few reads for the task count go through its own store).
 *
 * One Query per partition, paging on LastEvaluatedKey, partitions read concurrently:
 * - task outcomes: one partition per contract-day (28–31 Queries; keys.ts `taskOutcome`);
 * - refused proofs (KPI): one `Select: COUNT` Query per contract-day proof partition;
 * - inspections: the contract-month copy partition (1 Query); a correction in the same
 *   partition supersedes the inspection it names (no per-inspection guard reads);
 * - rectification orders: the contract's order list by due time, one key range from the
 *   month's first instant to the end of the next month (orders of this month's findings are
 *   due in it or shortly after; `findingCharge` needs them);
 * - complaints: the tenant's complaint partition, the month's ULID key range (a day wider on
 *   each side, for the zone), filtered to this contract;
 * - work orders: the contract's partition, filtered to accepted ones;
 * - segments: BatchGet of the scope (areas for per-m² pricing, grades for the task count).
 * Then the tasks due are derived (schedule/derive.ts `forEachTask`) when a ScheduleSource is
 * given; without one, tasksDue counts the tasks that have an outcome.
 *
 * Month attribution (tenant-local): missed/rejected tasks by their window's local date;
 * findings by the inspection's `month`; late orders and the on-time KPI by the order's due
 * date; complaints by the request's local date (`points.localDate`); work orders by the
 * acceptance's `decision.month`.
 */
export class DynamoMonthFactsReader implements MonthFactsReader {
  /** Requests issued by this reader (Query, BatchGet, Get), for the bench. */
  requests = 0;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: {
      readonly zoneOf?: (tenantId: string) => Promise<string | undefined>;
      readonly schedule?: ScheduleSource;
      /** Called once per request sent (a bench counter). */
      readonly onRequest?: (command: string) => void;
    } = {},
  ) {}

  async read(tenantId: string, contract: Contract, month: string): Promise<ContractMonthFacts> {
    const rulebook = rulebookForMonth(contract, month);
    if (rulebook === undefined) throw new RangeError(`contract '${contract.contractId}' was not in force in ${month}`);
    const zone = (await this.options.zoneOf?.(tenantId)) ?? defaultZone;
    const { first, last } = monthBounds(month);
    const days = daysOf(first, last);
    const scope = scopeOf(contract, first, last);

    const [outcomes, refusedProofs, inspections, orders, complaints, workOrders, segments] = await Promise.all([
      Promise.all(days.map((day) => this.queryAll<TaskOutcome>({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.taskOutcomesPartition(tenantId, contract.contractId, day) } }))),
      Promise.all(days.map((day) => this.count({ KeyConditionExpression: 'pk = :pk', FilterExpression: '#status = :refused', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':pk': keys.proofsPartition(tenantId, contract.contractId, day), ':refused': 'refused' } }))),
      this.queryAll<Inspection>({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.inspectionsOfContractMonth(tenantId, contract.contractId, month) } }),
      this.queryAll<RectificationOrder>({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.rectificationsOfContract(tenantId, contract.contractId),
          ':from': `${keys.rectificationDuePrefix}${startOfDay(first, zone)}`,
          ':to': `${keys.rectificationDuePrefix}${startOfDay(monthBounds(addMonths(month, 2)).first, zone)}`,
        },
      }),
      this.queryAll<Complaint>({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
        FilterExpression: '#routing.#contractId = :contractId',
        ExpressionAttributeNames: { '#routing': 'routing', '#contractId': 'contractId' },
        ExpressionAttributeValues: {
          ':pk': keys.complaintsPartition(tenantId),
          ':low': `${keys.complaintPrefix}cmp_${ulidTimePart(Date.parse(`${addDays(first, -1)}T00:00:00Z`))}`,
          ':high': `${keys.complaintPrefix}cmp_${ulidTimePart(Date.parse(`${addDays(last, 2)}T00:00:00Z`))}~`,
          ':contractId': contract.contractId,
        },
      }),
      this.queryAll<WorkOrder>({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#status = :accepted',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': keys.workOrdersPartition(tenantId, contract.contractId), ':prefix': keys.workOrderPrefix, ':accepted': 'accepted' },
      }),
      this.segments(tenantId, scope),
    ]);

    // Tasks: 'missed' and 'rejected' outcomes both count as missed tasks (a rejected proof means
    // the task was not done), priced by the month's rulebook.
    const missedTasks: MissedTaskFact[] = [];
    const taskDates: Record<string, string> = {};
    let tasksDone = 0;
    let outcomeCount = 0;
    for (const outcome of outcomes.flat()) {
      outcomeCount += 1;
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

    // Inspections: superseded ones are replaced by their correction; each charged priced line
    // is one finding (waive_if_rectified lines waived or still pending count 0 and are left out).
    const ordersById = new Map(orders.map((order) => [order.orderId, order]));
    const superseded = new Set(inspections.flatMap((inspection) => (inspection.supersedes === undefined ? [] : [inspection.supersedes.inspectionId])));
    const findings: FindingFact[] = [];
    for (const inspection of inspections) {
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

    // Rectification orders due this month: the on-time KPI, and the late ones with their penalty.
    const dueThisMonth = orders.filter((order) => localMonth(order.dueAt, zone) === month);
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
    const workOrderFacts: WorkOrderFact[] = [];
    for (const order of workOrders) {
      if (order.decision?.outcome !== 'accepted' || order.decision.month !== month) continue;
      workOrderFacts.push({
        workOrderId: order.workOrderId,
        itemCode: order.rateItemCode,
        quantityX1000: order.decision.acceptedQuantityMilli,
        ...(order.completion !== undefined && order.completion.measuredQuantityMilli !== order.decision.acceptedQuantityMilli
          ? { orderedQuantityX1000: order.completion.measuredQuantityMilli }
          : order.estimatedQuantityMilli !== order.decision.acceptedQuantityMilli
            ? { orderedQuantityX1000: order.estimatedQuantityMilli }
            : {}),
        acceptedOn: localDateOf(order.decision.at, zone),
        proofIds: order.completion?.evidenceIds ?? [],
      });
      if (order.completion?.late === true && !order.latePenalty.sameAsDefect) {
        lateOrders.push({ orderId: order.workOrderId, itemCode: order.rateItemCode, pointsX100: order.latePenalty.pointsX100 ?? 0, fineFen: order.latePenalty.fineFen ?? 0 });
      }
    }

    // Complaints routed to this contract and requested this month (tenant-local).
    const ofMonth = complaints.filter((complaint) => localMonth(complaint.requestedAt, zone) === month);
    const validComplaints: ComplaintFact[] = complaints
      .filter((complaint) => complaint.points !== undefined && complaint.points.contractId === contract.contractId && complaint.points.localDate.startsWith(month))
      .map((complaint) => ({
        complaintId: complaint.complaintId,
        ...(complaint.routing?.segmentId === undefined ? {} : { segmentId: complaint.routing.segmentId }),
        pointsX100: complaint.points?.pointsX100 ?? 0,
      }));

    const tasksDue = await this.tasksDue(tenantId, contract, zone, first, last, segments, outcomeCount);
    const facts: MonthFacts = {
      contractId: contract.contractId,
      serviceType: contract.serviceType,
      month,
      zone,
      findings,
      missedTasks,
      lateOrders,
      validComplaints,
      tasksDue: Math.max(tasksDue, outcomeCount),
      tasksDone,
      ordersDue: dueThisMonth.length,
      ordersOnTime: dueThisMonth.filter((order) => order.late === undefined && isSettledInTime(order)).length,
      complaintsReceived: ofMonth.length,
      complaintsResolved: ofMonth.filter((complaint) => complaint.status === 'closed').length,
      proofsRefused: refusedProofs.reduce((total, count) => total + count, 0),
    };
    const segmentAreasM2: Record<string, number> = {};
    for (const segmentId of [...scope].sort()) {
      const segment = segments.get(segmentId);
      if (segment !== undefined) segmentAreasM2[segmentId] = segment.areaM2;
    }
    return { facts, segmentAreasM2, workOrders: workOrderFacts, taskDates };
  }

  /** The month's derived tasks; the count of outcomes when no schedule source is wired. */
  private async tasksDue(tenantId: string, contract: Contract, zone: string, first: string, last: string, segments: ReadonlyMap<string, Segment>, outcomeCount: number): Promise<number> {
    const schedule = this.options.schedule;
    if (schedule === undefined) return outcomeCount;
    const refs = contract.versions.flatMap((terms) => (terms.standardRef === undefined ? [] : [terms.standardRef]));
    const known = new Map(await Promise.all(refs.map(async (ref) => [`${ref.standardId}@${ref.version}`, await schedule.standard(tenantId, ref)] as const)));
    const fallback = await schedule.defaultStandard(tenantId, contract.serviceType);
    const standards = standardsForContract(contract, (ref) => known.get(`${ref.standardId}@${ref.version}`), () => fallback);
    const years = [...new Set([Number(first.slice(0, 4)), Number(last.slice(0, 4))])];
    const [calendar, exceptions] = await Promise.all([schedule.calendar(tenantId, years), schedule.exceptions(tenantId)]);
    const infos = new Map<string, SegmentInfo>([...segments.values()].map((segment) => [segment.segmentId, { grade: segment.grade, flags: segment.flags }]));
    return forEachTask({ contract, standards, segments: infos, calendar, exceptions, zone, range: { from: first, to: addDays(last, 1) } }, () => undefined);
  }

  private async segments(tenantId: string, segmentIds: ReadonlySet<string>): Promise<Map<string, Segment>> {
    const found = new Map<string, Segment>();
    const wanted = [...segmentIds].map((id) => keys.segment(tenantId, id));
    await Promise.all(
      chunks(wanted, 100).map(async (chunk) => {
        let pending: Record<string, unknown>[] | undefined = chunk.map((key) => ({ ...key }));
        for (let attempt = 0; pending !== undefined && pending.length > 0; attempt += 1) {
          if (attempt > 8) throw new Error(`BatchGet left ${pending.length} segment keys unprocessed after ${attempt} attempts`);
          if (attempt > 0) await backoff(attempt);
          const result = await this.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }), 'BatchGet');
          for (const item of result.Responses?.[this.tableName] ?? []) {
            const segment = stripKeys<Segment>(item);
            found.set(segment.segmentId, segment);
          }
          pending = result.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
        }
      }),
    );
    return found;
  }

  private async queryAll<T>(input: Omit<QueryCommandInput, 'TableName'>): Promise<T[]> {
    const items: T[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.send(new QueryCommand({ TableName: this.tableName, ConsistentRead: true, ...input, ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }) }), 'Query');
      for (const item of result.Items ?? []) items.push(stripKeys<T>(item));
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  private async count(input: Omit<QueryCommandInput, 'TableName'>): Promise<number> {
    let total = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.send(new QueryCommand({ TableName: this.tableName, ConsistentRead: true, Select: 'COUNT', ...input, ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }) }), 'Query');
      total += result.Count ?? 0;
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined);
    return total;
  }

  /** The one place this reader talks to DynamoDB: every request passes here and is counted. */
  private send(command: QueryCommand, name: 'Query'): Promise<QueryCommandOutput>;
  private send(command: BatchGetCommand, name: 'BatchGet'): Promise<BatchGetCommandOutput>;
  private send(command: QueryCommand | BatchGetCommand, name: string): Promise<QueryCommandOutput | BatchGetCommandOutput> {
    this.requests += 1;
    this.options.onRequest?.(name);
    return command instanceof QueryCommand ? this.client.send(command) : this.client.send(command);
  }
}

/** Every segment in scope on some day of the month (any terms period overlapping it). */
function scopeOf(contract: Contract, first: string, last: string): Set<string> {
  const scope = new Set<string>();
  for (const period of termsPeriods(contract)) {
    if (maxDate(period.from, first) <= minDate(period.to, last)) for (const segmentId of period.terms.scope) scope.add(segmentId);
  }
  return scope;
}

function daysOf(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
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

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
