import { ConflictError, StaleVersionError } from '../../../../domain/errors';
import type { InspectionStore, InspectionView } from '../../../../domain/inspections/ports';
import type { Inspection } from '../../../../domain/inspections/schema';
import type { Page, PageRequest } from '../../../../domain/ports';
import { isOwing } from '../../../../domain/rectification/order';
import type { OrderFilter, OrderWrite, RectificationOrderStore } from '../../../../domain/rectification/ports';
import type { RectificationOrder } from '../../../../domain/rectification/schema';

/** An in-memory order store with the conditional writes and owing index of the real one. */
export class MemoryOrderStore implements RectificationOrderStore {
  readonly records = new Map<string, RectificationOrder>();
  readonly claims = new Map<string, string>();
  writes = 0;

  async get(tenantId: string, orderId: string): Promise<RectificationOrder | undefined> {
    const order = this.records.get(orderId);
    return order?.tenantId === tenantId ? order : undefined;
  }

  async getMany(tenantId: string, orderIds: readonly string[]): Promise<ReadonlyMap<string, RectificationOrder>> {
    return new Map(orderIds.flatMap((id) => (this.records.get(id)?.tenantId === tenantId ? [[id, this.records.get(id)!] as const] : [])));
  }

  async list(tenantId: string, filter: OrderFilter, page: PageRequest): Promise<Page<RectificationOrder>> {
    const items = [...this.records.values()]
      .filter((order) => order.tenantId === tenantId && (filter.contractId === undefined || order.contractId === filter.contractId))
      .filter((order) => filter.status === undefined || order.status === filter.status)
      .filter((order) => filter.dueBefore === undefined || order.dueAt < filter.dueBefore)
      .sort((a, b) => (a.dueAt < b.dueAt ? -1 : 1));
    return { items: items.slice(0, page.limit) };
  }

  async owingDueBy(tenantId: string, dueBy: string, limit: number): Promise<readonly RectificationOrder[]> {
    return [...this.records.values()]
      .filter((order) => order.tenantId === tenantId && isOwing(order) && order.late === undefined && order.dueAt <= dueBy)
      .slice(0, limit);
  }

  async save(write: OrderWrite, options: { readonly photoClaims?: readonly { readonly sha256: string; readonly proofId: string }[] } = {}): Promise<void> {
    const current = this.records.get(write.order.orderId);
    if (write.expectedVersion === undefined && current !== undefined) throw new ConflictError(`order ${write.order.orderId} exists`);
    if (write.expectedVersion !== undefined && current?.version !== write.expectedVersion) {
      throw new StaleVersionError('rectification order', write.order.orderId, write.expectedVersion, current?.version);
    }
    for (const claim of options.photoClaims ?? []) {
      if (this.claims.has(claim.sha256)) throw new ConflictError(`photo sha-256 ${claim.sha256} is already used by another proof`);
    }
    for (const claim of options.photoClaims ?? []) this.claims.set(claim.sha256, claim.proofId);
    this.records.set(write.order.orderId, write.order);
    this.writes += 1;
  }
}

/** An in-memory inspection store: written once, supersession guarded once. */
export class MemoryInspectionStore implements InspectionStore {
  readonly records = new Map<string, Inspection>();
  readonly superseded = new Map<string, { supersededBy: string; reason: string; at: string }>();

  constructor(private readonly orders: MemoryOrderStore) {}

  private view(inspection: Inspection): InspectionView {
    const mark = this.superseded.get(inspection.inspectionId);
    return mark === undefined ? inspection : { ...inspection, supersededBy: mark };
  }

  async get(tenantId: string, inspectionId: string): Promise<InspectionView | undefined> {
    const found = this.records.get(inspectionId);
    return found?.tenantId === tenantId ? this.view(found) : undefined;
  }

  async listByContractMonth(tenantId: string, contractId: string, month: string): Promise<Page<InspectionView>> {
    return { items: [...this.records.values()].filter((i) => i.tenantId === tenantId && i.contractId === contractId && i.month === month).map((i) => this.view(i)) };
  }

  async listBySegmentMonth(tenantId: string, segmentId: string, month: string, _page?: unknown, filter: { readonly contractorId?: string } = {}): Promise<Page<InspectionView>> {
    const all = await this.allOnSegmentMonth(tenantId, segmentId, month);
    return { items: filter.contractorId === undefined ? [...all] : all.filter((inspection) => inspection.contractorId === filter.contractorId) };
  }

  async allOnSegmentMonth(tenantId: string, segmentId: string, month: string): Promise<readonly InspectionView[]> {
    return [...this.records.values()].filter((i) => i.tenantId === tenantId && i.segmentId === segmentId && i.month === month).map((i) => this.view(i));
  }

  async record(inspection: Inspection, orders: readonly RectificationOrder[]): Promise<void> {
    if (inspection.supersedes !== undefined && this.superseded.has(inspection.supersedes.inspectionId)) throw new ConflictError('already corrected');
    if (inspection.supersedes !== undefined) {
      this.superseded.set(inspection.supersedes.inspectionId, { supersededBy: inspection.inspectionId, reason: inspection.supersedes.reason, at: inspection.recordedAt });
    }
    this.records.set(inspection.inspectionId, inspection);
    for (const order of orders) await this.orders.save({ order, expectedVersion: undefined });
  }
}
