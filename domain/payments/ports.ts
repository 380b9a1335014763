import type { Contract } from '../contracts/schema';
import type { Page, PageRequest } from '../ports';
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
