import type { Complaint } from '../complaints/schema';
import type { Contract } from '../contracts/schema';
import type { Inspection } from '../inspections/schema';
import type { Page, PageRequest } from '../ports';
import type { RectificationOrder } from '../rectification/schema';
import type { TenantCalendar } from '../schedule/calendar';
import type { ScheduleException } from '../schedule/exceptions';
import type { TaskOutcome } from '../schedule/outcomes';
import type { ServiceStandard } from '../schedule/standard';
import type { Segment } from '../segments/schema';
import type { WorkOrder } from '../work-orders/schema';
import type { ComputationInputs, ContractMonthFacts } from './facts';
import type { StatementRecord, StatementStatus } from './records';

/**
 * What the statement use cases need from the outside world (issue 7). Adapters:
 * functions/adapters/dynamodb/statement-store.ts and month-facts.ts.
 */

/** One computation as kept in history: the record as computed and what it was computed from. */
export interface StoredComputation {
  readonly record: StatementRecord;
  readonly inputs: ComputationInputs;
}

export interface StatementListFilter {
  readonly serviceType?: StatementRecord['serviceType'];
  readonly status?: StatementStatus;
}

/** Summary row of a tenant-month list (the statement body left out: lists stay small). */
export type StatementSummary = Omit<StatementRecord, 'statement'> & {
  readonly netFen: number;
  readonly scoreX100: number;
};

/** Storage of statements; every call is scoped to one tenant. */
export interface StatementStore {
  /** The current record of a contract-month (consistent read). */
  get(tenantId: string, contractId: string, month: string): Promise<StatementRecord | undefined>;
  /** Current records of one contract for several months (one batch read). */
  getMonths(tenantId: string, contractId: string, months: readonly string[]): Promise<StatementRecord[]>;
  /** One kept computation (`computeVersion`), with its inputs. */
  getComputation(tenantId: string, contractId: string, month: string, computeVersion: number): Promise<StoredComputation | undefined>;
  /** Every computation of a contract-month, oldest first (records only). */
  listComputations(tenantId: string, contractId: string, month: string): Promise<StatementRecord[]>;
  /** A tenant-month's current records, one Query, paged. */
  listMonth(tenantId: string, month: string, filter: StatementListFilter, page: PageRequest): Promise<Page<StatementSummary>>;
  /**
   * Writes a new computation: the current record and its history item, atomically.
   * Conditional: `expectedVersion` undefined → the record must not exist (ConflictError);
   * otherwise the stored version must equal it (StaleVersionError) AND the stored status must
   * be draft or reviewed (ConflictError): an approved or paid record is never overwritten.
   */
  saveComputation(computation: StoredComputation, expectedVersion: number | undefined): Promise<void>;
  /**
   * A lifecycle step (review, approval, payment): writes `record` (version = expected + 1)
   * on condition that the stored version is `expectedVersion` (StaleVersionError otherwise)
   * and the stored status is `from` (ConflictError otherwise).
   */
  transition(record: StatementRecord, expectedVersion: number, from: StatementStatus): Promise<void>;
}

/** Reads the stored facts of one contract-month (task outcomes, inspections, orders, ...). */
export interface MonthFactsReader {
  read(tenantId: string, contract: Contract, month: string): Promise<ContractMonthFacts>;
}

/**
 * The stored records of one contract-month, as read, not yet priced: what
 * `assembleMonthFacts` (month-facts.ts) turns into `ContractMonthFacts`. A reader may return
 * more than the month's records (the rules pick theirs by contract, date and status); it must
 * not return fewer than each field says.
 */
export interface ContractMonthRecords {
  /** The tenant's IANA zone, in which the month's days are counted. */
  readonly zone: string;
  /** Every task outcome of the contract on each local date of the month. */
  readonly outcomes: readonly TaskOutcome[];
  /** How many proofs of the contract's tasks dated in the month were refused (a KPI). */
  readonly proofsRefused: number;
  /** The inspections recorded in the month on the contract, corrections and corrected ones alike. */
  readonly inspections: readonly Inspection[];
  /** The contract's rectification orders due within `orderWindow(month, zone)`. */
  readonly rectificationOrders: readonly RectificationOrder[];
  /** The complaints routed to the contract, requested in the month (a day either side will do). */
  readonly complaints: readonly Complaint[];
  /** The contract's accepted work orders. */
  readonly workOrders: readonly WorkOrder[];
  /** The segments in scope during the month (`monthScope`): areas and grades. */
  readonly segments: readonly Pick<Segment, 'segmentId' | 'areaM2' | 'grade' | 'flags'>[];
  /** What derives the month's tasks due; without it, tasks due are the tasks with an outcome. */
  readonly schedule?: MonthScheduleRecords;
}

/** The standards, calendar and exceptions that derive a contract-month's tasks due. */
export interface MonthScheduleRecords {
  /** The standard versions the contract's terms name (those found). */
  readonly standards: readonly ServiceStandard[];
  /** The service type's standard, for terms that name none. */
  readonly defaultStandard: ServiceStandard;
  /** The tenant's calendar covering the month's years. */
  readonly calendar: TenantCalendar;
  readonly exceptions: readonly ScheduleException[];
}

/** Reads the stored records of one contract-month (ContractMonthRecords). */
export interface MonthRecordsReader {
  records(tenantId: string, contract: Contract, month: string): Promise<ContractMonthRecords>;
}
