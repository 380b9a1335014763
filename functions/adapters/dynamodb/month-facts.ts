import { BatchGetCommand, QueryCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { monthBounds } from '../../../domain/assessment/months';
import type { Complaint } from '../../../domain/complaints/schema';
import type { Contract } from '../../../domain/contracts/schema';
import { addDays, defaultZone } from '../../../domain/dates';
import type { Inspection } from '../../../domain/inspections/schema';
import type { ContractMonthFacts } from '../../../domain/payments/facts';
import { assembleMonthFacts, monthDays, monthRulebook, monthScope, orderWindow } from '../../../domain/payments/month-facts';
import type { ContractMonthRecords, MonthFactsReader, MonthRecordsReader, MonthScheduleRecords } from '../../../domain/payments/ports';
import type { RectificationOrder } from '../../../domain/rectification/schema';
import type { TaskOutcome } from '../../../domain/schedule/outcomes';
import type { ScheduleSource } from '../../../domain/schedule/sweep';
import type { Segment } from '../../../domain/segments/schema';
import type { WorkOrder } from '../../../domain/work-orders/schema';
import { ulidTimePart } from './complaint-store';
import { keys } from './keys';
import { backoff, stripKeys } from './versioned-items';

/**
 * Reads the stored records of one contract-month for the statement (issue 7), every read in
 * this file so the requests can be counted (`requests` and `onRequest`, or an SDK middleware
 * on the client; the ScheduleSource's few reads for the task count go through its own store).
 * It only reads: the payment rules that price the records (misses, superseded inspections,
 * findings, late orders, complaints, work orders) are `assembleMonthFacts` in
 * domain/payments/month-facts.ts (issue 13).
 *
 * One Query per partition, paging on LastEvaluatedKey, partitions read concurrently:
 * - task outcomes: one partition per contract-day (28–31 Queries; keys.ts `taskOutcome`);
 * - refused proofs (KPI): one `Select: COUNT` Query per contract-day proof partition;
 * - inspections: the contract-month copy partition (1 Query), corrections with the
 *   inspections they supersede (no per-inspection guard reads);
 * - rectification orders: the contract's order list by due time, one key range: the month's
 *   `orderWindow` (from its first local midnight to the end of the next month);
 * - complaints: the tenant's complaint partition, the month's ULID key range (a day wider on
 *   each side, for the zone), filtered to this contract;
 * - work orders: the contract's partition, filtered to accepted ones;
 * - segments: BatchGet of the scope (areas for per-m² pricing, grades for the task count);
 * - when a ScheduleSource is given: the standards, calendar and exceptions that derive the
 *   month's tasks due.
 */
export class DynamoMonthFactsReader implements MonthFactsReader, MonthRecordsReader {
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

  /** The month's facts: its records, priced by the payment rules (payments/month-facts.ts). */
  async read(tenantId: string, contract: Contract, month: string): Promise<ContractMonthFacts> {
    return assembleMonthFacts(contract, month, await this.records(tenantId, contract, month));
  }

  /** The month's stored records, as read (no rule applied beyond the key ranges and filters). */
  async records(tenantId: string, contract: Contract, month: string): Promise<ContractMonthRecords> {
    // A month the contract was not in force in is a RangeError before any read.
    monthRulebook(contract, month);
    const zone = (await this.options.zoneOf?.(tenantId)) ?? defaultZone;
    const { first, last } = monthBounds(month);
    const orderWindowOfMonth = orderWindow(month, zone);

    const [outcomes, refusedProofs, inspections, rectificationOrders, complaints, workOrders, segments] = await Promise.all([
      Promise.all(monthDays(month).map((day) => this.queryAll<TaskOutcome>({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.taskOutcomesPartition(tenantId, contract.contractId, day) } }))),
      Promise.all(monthDays(month).map((day) => this.count({ KeyConditionExpression: 'pk = :pk', FilterExpression: '#status = :refused', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':pk': keys.proofsPartition(tenantId, contract.contractId, day), ':refused': 'refused' } }))),
      this.queryAll<Inspection>({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.inspectionsOfContractMonth(tenantId, contract.contractId, month) } }),
      this.queryAll<RectificationOrder>({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.rectificationsOfContract(tenantId, contract.contractId),
          ':from': `${keys.rectificationDuePrefix}${orderWindowOfMonth.from}`,
          ':to': `${keys.rectificationDuePrefix}${orderWindowOfMonth.to}`,
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
      this.segments(tenantId, monthScope(contract, month)),
    ]);

    const schedule = await this.schedule(tenantId, contract, first, last);
    return {
      zone,
      outcomes: outcomes.flat(),
      proofsRefused: refusedProofs.reduce((total, count) => total + count, 0),
      inspections,
      rectificationOrders,
      complaints,
      workOrders,
      segments: [...segments.values()],
      ...(schedule === undefined ? {} : { schedule }),
    };
  }

  /** The standards, calendar and exceptions that derive the month's tasks, when a ScheduleSource is wired. */
  private async schedule(tenantId: string, contract: Contract, first: string, last: string): Promise<MonthScheduleRecords | undefined> {
    const schedule = this.options.schedule;
    if (schedule === undefined) return undefined;
    const refs = contract.versions.flatMap((terms) => (terms.standardRef === undefined ? [] : [terms.standardRef]));
    const found = await Promise.all(refs.map((ref) => schedule.standard(tenantId, ref)));
    const defaultStandard = await schedule.defaultStandard(tenantId, contract.serviceType);
    const years = [...new Set([Number(first.slice(0, 4)), Number(last.slice(0, 4))])];
    const [calendar, exceptions] = await Promise.all([schedule.calendar(tenantId, years), schedule.exceptions(tenantId)]);
    return { standards: found.filter((standard) => standard !== undefined), defaultStandard, calendar, exceptions };
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

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
