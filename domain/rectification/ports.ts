import type { Page, PageRequest } from '../ports';
import type { RectificationOrder, RectificationStatus } from './schema';

/** One write of an order: the new state and the version the store must still hold. */
export interface OrderWrite {
  readonly order: RectificationOrder;
  /** The version being replaced; `undefined` when the order must not exist yet. */
  readonly expectedVersion: number | undefined;
}

export interface OrderFilter {
  readonly contractId?: string;
  /** Contractor users see only their own contractor's orders. */
  readonly contractorId?: string;
  readonly status?: RectificationStatus;
  /** Orders due strictly before this instant (ISO). */
  readonly dueBefore?: string;
}

/**
 * Storage of rectification orders; every call is scoped to one tenant. The store keeps an
 * index of the orders that still owe a fix, by due time, so the overdue sweep finds them with
 * one query (keys.ts says how); `save` maintains it in the same transaction as the order.
 */
export interface RectificationOrderStore {
  get(tenantId: string, orderId: string): Promise<RectificationOrder | undefined>;
  getMany(tenantId: string, orderIds: readonly string[]): Promise<ReadonlyMap<string, RectificationOrder>>;
  /** Orders of one contract (or of the tenant when no contract is given), by due time. */
  list(tenantId: string, filter: OrderFilter, page: PageRequest): Promise<Page<RectificationOrder>>;
  /** Orders still owing a fix (open or reopened, not yet late) due at or before `dueBy`. */
  owingDueBy(tenantId: string, dueBy: string, limit: number): Promise<readonly RectificationOrder[]>;
  /**
   * Conditional write: ConflictError when a new order exists (or a photo is already claimed
   * by another proof), StaleVersionError when the version moved. `photoClaims` are written
   * in the same transaction (issue 5: a photo proves one thing only).
   */
  save(write: OrderWrite, options?: { readonly photoClaims?: readonly { readonly sha256: string; readonly proofId: string; readonly subjectId: string }[] }): Promise<void>;
}
