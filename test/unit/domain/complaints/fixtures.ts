import type { ComplaintDeps, ComplaintStore, ComplaintWrite, RequestedBetweenFilter } from '../../../../domain/complaints/ports';
import type { Complaint, ComplaintStatus } from '../../../../domain/complaints/schema';
import type { Contract } from '../../../../domain/contracts/schema';
import { ConflictError, StaleVersionError } from '../../../../domain/errors';
import type { Page, PageRequest } from '../../../../domain/ports';
import type { OrderFilter, OrderWrite, RectificationOrderStore } from '../../../../domain/rectification/ports';
import type { RectificationOrder } from '../../../../domain/rectification/schema';
import type { Segment } from '../../../../domain/segments/schema';
import { contractFixture, fixedClock, huanjie, lvyuan, marchFifth, seg, sequentialIds, tenantId } from '../contracts/fixtures';

/**
 * Complaint test data on the contracts fixtures (静安区, tenant `jingan`, March 2025):
 * two segments meeting at a corner, a third 1 km away; an active cleaning contract of 环杰
 * on 南京西路 and 石门一路, an active municipal contract of 绿源 on 南京西路.
 */

export { huanjie, lvyuan, marchFifth, seg, tenantId };

/** 南京西路 runs east from the corner; 石门一路 runs north from it; 威海路 is far off. */
export const corner = { lon: 121.46, lat: 31.23 };

export function segment(segmentId: string, coordinates: [number, number][], status: Segment['status'] = 'active'): Segment {
  return {
    segmentId,
    tenantId,
    name: segmentId,
    street: '南京西路街道',
    grade: 'branch',
    flags: [],
    lengthM: 100,
    areaM2: 1200,
    geometry: { type: 'LineString', coordinates },
    status,
    version: 1,
    createdAt: '2025-02-01T00:00:00.000Z',
    createdBy: 'usr_test',
    updatedAt: '2025-02-01T00:00:00.000Z',
    updatedBy: 'usr_test',
  };
}

export const segments: Segment[] = [
  segment(seg.nanjingWest, [[corner.lon, corner.lat], [corner.lon + 0.002, corner.lat]]),
  segment(seg.shimenOne, [[corner.lon, corner.lat], [corner.lon, corner.lat + 0.002]]),
  segment(seg.weihai, [[corner.lon + 0.01, corner.lat + 0.01], [corner.lon + 0.012, corner.lat + 0.01]]),
];

export function activeContracts(): Contract[] {
  return [
    contractFixture({ contractId: 'con_01jnq000000000000000000001', status: 'active', contractorId: huanjie, scope: [seg.nanjingWest, seg.shimenOne] }),
    contractFixture({ contractId: 'con_01jnq000000000000000000002', status: 'active', serviceType: 'municipal', contractorId: lvyuan, scope: [seg.nanjingWest] }),
  ];
}

export class MemoryComplaintStore implements ComplaintStore {
  readonly records = new Map<string, Complaint>();
  /** Set to make the next save of a version > 1 fail once (a crash after the order was raised). */
  /** Updates that fail (an outage) before one goes through. */
  failingUpdates = 0;

  async get(_tenantId: string, complaintId: string): Promise<Complaint | undefined> {
    return this.records.get(complaintId);
  }

  async getMany(_tenantId: string, complaintIds: readonly string[]): Promise<ReadonlyMap<string, Complaint>> {
    return new Map(complaintIds.flatMap((id) => (this.records.has(id) ? [[id, this.records.get(id)!] as const] : [])));
  }

  async list(_tenantId: string, filter: { status?: ComplaintStatus }, page: PageRequest): Promise<Page<Complaint>> {
    const all = [...this.records.values()].filter((c) => filter.status === undefined || c.status === filter.status).reverse();
    return { items: all.slice(0, page.limit) };
  }

  async listRequestedBetween(_tenantId: string, from: string, to: string, filter: RequestedBetweenFilter, limit: number): Promise<readonly Complaint[]> {
    return [...this.records.values()]
      .filter((c) => c.requestedAt >= from && c.requestedAt <= to)
      .filter((c) => filter.statuses === undefined || filter.statuses.includes(c.status))
      .filter((c) => filter.serviceCodes === undefined || filter.serviceCodes.includes(c.serviceCode))
      .reverse()
      .slice(0, limit);
  }

  async save(write: ComplaintWrite): Promise<void> {
    const current = this.records.get(write.complaint.complaintId);
    if (write.expectedVersion === undefined && current !== undefined) throw new ConflictError('exists');
    if (write.expectedVersion !== undefined && current?.version !== write.expectedVersion) {
      throw new StaleVersionError('complaint', write.complaint.complaintId, write.expectedVersion, current?.version);
    }
    if (this.failingUpdates > 0 && write.expectedVersion !== undefined) {
      this.failingUpdates -= 1;
      throw new Error('simulated outage');
    }
    this.records.set(write.complaint.complaintId, structuredClone(write.complaint));
  }
}

export class MemoryOrderStore implements RectificationOrderStore {
  readonly orders = new Map<string, RectificationOrder>();
  /** Saves that fail (an outage) before one goes through. */
  failingSaves = 0;

  async get(_tenantId: string, orderId: string): Promise<RectificationOrder | undefined> {
    return this.orders.get(orderId);
  }

  async getMany(_tenantId: string, orderIds: readonly string[]): Promise<ReadonlyMap<string, RectificationOrder>> {
    return new Map(orderIds.flatMap((id) => (this.orders.has(id) ? [[id, this.orders.get(id)!] as const] : [])));
  }

  async list(_tenantId: string, _filter: OrderFilter, _page: PageRequest): Promise<Page<RectificationOrder>> {
    return { items: [...this.orders.values()] };
  }

  async owingDueBy(): Promise<readonly RectificationOrder[]> {
    return [];
  }

  async save(write: OrderWrite): Promise<void> {
    if (this.failingSaves > 0) {
      this.failingSaves -= 1;
      throw new Error('simulated outage');
    }
    if (write.expectedVersion === undefined && this.orders.has(write.order.orderId)) throw new ConflictError(`rectification order '${write.order.orderId}' already exists`);
    this.orders.set(write.order.orderId, structuredClone(write.order));
  }
}

export interface TestDeps extends ComplaintDeps {
  readonly complaints: MemoryComplaintStore;
  readonly orders: MemoryOrderStore;
  readonly clock: ReturnType<typeof fixedClock>;
}

/** The contracts with `complaint.orderAtIntake` set in every terms version's rulebook. */
export function orderingAtIntake(contracts: Contract[]): Contract[] {
  return contracts.map((contract) => ({
    ...contract,
    versions: contract.versions.map((terms) => ({ ...terms, rulebook: { ...terms.rulebook, complaint: { ...terms.rulebook.complaint, orderAtIntake: true } } })),
  }));
}

/** Test deps on `activeContracts()`; `orderAtIntake` sets the rulebook rule that raises orders at routing. */
export function complaintDeps(overrides: Partial<ComplaintDeps> = {}, options: { readonly orderAtIntake?: boolean } = {}): TestDeps {
  const contracts = options.orderAtIntake === true ? orderingAtIntake(activeContracts()) : activeContracts();
  let secret = 0;
  return {
    complaints: new MemoryComplaintStore(),
    orders: new MemoryOrderStore(),
    zoneOf: async (id) => (id === tenantId ? 'Asia/Shanghai' : undefined),
    activeSegments: async () => segments.filter((s) => s.status === 'active'),
    getSegment: async (_t, id) => segments.find((s) => s.segmentId === id),
    getContract: async (_t, id) => contracts.find((c) => c.contractId === id),
    holdingContracts: async (_t, serviceType) => contracts.filter((c) => c.serviceType === serviceType),
    contractorName: async (_t, id) => (id === huanjie ? '上海环杰环境服务有限公司' : id === lvyuan ? '上海绿源市政工程有限公司' : undefined),
    clock: fixedClock(marchFifth),
    ids: sequentialIds(),
    secrets: { next: () => `token-${(secret += 1)}` },
    ...overrides,
  } as TestDeps;
}
