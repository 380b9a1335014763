import type { Page, PageRequest } from '../ports';
import type { RectificationOrder } from '../rectification/schema';
import type { InspectionPhotoClaim } from './photos';
import type { Inspection, Supersession } from './schema';

/** An inspection as read: the record, and the correction that superseded it, if any. */
export type InspectionView = Inspection & { readonly supersededBy?: Omit<Supersession, 'inspectionId'> };

/**
 * Storage of inspections; every call is scoped to one tenant. Inspections are written once:
 * `record` puts the inspection, the orders it raises, its photo claims and (for a correction)
 * the guard item that marks the corrected inspection superseded, all in one transaction, so a second
 * correction of the same inspection fails with ConflictError.
 */
export interface InspectionStore {
  get(tenantId: string, inspectionId: string): Promise<InspectionView | undefined>;
  listByContractMonth(tenantId: string, contractId: string, month: string, page: PageRequest): Promise<Page<InspectionView>>;
  /**
   * `contractorId`: only that contractor's inspections, filtered by the store so that a page,
   * and the cursor to the next one, hold no row of another contractor (issue 13).
   */
  listBySegmentMonth(tenantId: string, segmentId: string, month: string, page: PageRequest, filter?: { readonly contractorId?: string }): Promise<Page<InspectionView>>;
  /** Every inspection of the segment in the tenant-local month (all pages), superseded ones included. */
  allOnSegmentMonth(tenantId: string, segmentId: string, month: string): Promise<readonly InspectionView[]>;
  /**
   * `photoClaims`: one claim per photo the findings use (./photos), in the same transaction;
   * a claim another record holds meanwhile fails the write with a ConflictError naming it.
   */
  record(inspection: Inspection, orders: readonly RectificationOrder[], photoClaims?: readonly InspectionPhotoClaim[]): Promise<void>;
}
