import type { Page, PageRequest } from '../ports';
import type { WorkOrder, WorkOrderFilter } from './schema';

/** A photo a completion claims (functions/adapters/dynamodb/photo-claims.ts): one per distinct hash. */
export interface WorkOrderPhotoClaim {
  readonly sha256: string;
  /** The proof holding the photo: for a work order, the order itself (one completion per order). */
  readonly proofId: string;
  readonly subjectId: string;
}

/** Storage of work orders (functions/adapters/dynamodb/work-order-store.ts); every call is scoped to one tenant. */
export interface WorkOrderStore {
  get(tenantId: string, workOrderId: string): Promise<WorkOrder | undefined>;
  /** A new order; ConflictError when the id exists. */
  create(order: WorkOrder): Promise<void>;
  /**
   * A new version, conditional on `expectedVersion` (StaleVersionError otherwise), with the
   * photo claims in the same transaction (ConflictError naming the hash when one is taken).
   */
  save(order: WorkOrder, expectedVersion: number, claims?: readonly WorkOrderPhotoClaim[]): Promise<void>;
  /** A contract's orders, oldest first, filtered by status and month: one query. */
  list(tenantId: string, contractId: string, filter: WorkOrderFilter, page: PageRequest): Promise<Page<WorkOrder>>;
  /** Every order of a contract matching the filter (a statement reads a month's accepted orders). */
  all(tenantId: string, contractId: string, filter: WorkOrderFilter): Promise<readonly WorkOrder[]>;
}
