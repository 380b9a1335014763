import { describe, expect, it } from 'vitest';
import type { Contract } from '../../../../domain/contracts/schema';
import { ConflictError, NotFoundError, RuleViolationError, StaleVersionError, ValidationError } from '../../../../domain/errors';
import type { Evidence } from '../../../../domain/proofs/evidence';
import type { Page } from '../../../../domain/ports';
import type { WorkOrderPhotoClaim, WorkOrderStore } from '../../../../domain/work-orders/ports';
import type { WorkOrder, WorkOrderFilter } from '../../../../domain/work-orders/schema';
import {
  acceptWorkOrderUseCase,
  completeWorkOrderUseCase,
  createWorkOrder,
  getWorkOrder,
  listWorkOrders,
  workOrderLinesOf,
  type WorkOrderDeps,
} from '../../../../domain/work-orders/use-cases';
import { nanjingEastRoad, segmentFixture } from '../../../helpers/fakes';
import { actors, fixedClock, seg, sequentialIds, tenantId } from '../contracts/fixtures';
import { unitRateContract } from './fixtures';

class MemoryWorkOrderStore implements WorkOrderStore {
  readonly records = new Map<string, WorkOrder>();
  readonly claims = new Map<string, string>();

  async get(_tenant: string, id: string): Promise<WorkOrder | undefined> {
    const found = this.records.get(id);
    return found === undefined ? undefined : structuredClone(found);
  }

  async create(order: WorkOrder): Promise<void> {
    if (this.records.has(order.workOrderId)) throw new ConflictError('exists');
    this.records.set(order.workOrderId, structuredClone(order));
  }

  async save(order: WorkOrder, expectedVersion: number, claims: readonly WorkOrderPhotoClaim[] = []): Promise<void> {
    const current = this.records.get(order.workOrderId);
    if (current?.version !== expectedVersion) throw new StaleVersionError('work order', order.workOrderId, expectedVersion, current?.version);
    for (const claim of claims) if (this.claims.has(claim.sha256)) throw new ConflictError(`photo sha-256 ${claim.sha256} is already used by another proof`);
    for (const claim of claims) this.claims.set(claim.sha256, claim.proofId);
    this.records.set(order.workOrderId, structuredClone(order));
  }

  async list(tenant: string, contractId: string, filter: WorkOrderFilter): Promise<Page<WorkOrder>> {
    return { items: await this.all(tenant, contractId, filter) };
  }

  async all(_tenant: string, contractId: string, filter: WorkOrderFilter): Promise<WorkOrder[]> {
    return [...this.records.values()].filter(
      (order) => order.contractId === contractId && (filter.status === undefined || order.status === filter.status) && (filter.month === undefined || order.month === filter.month),
    );
  }
}

function photo(order: WorkOrder, n: number, overrides: Partial<Evidence> = {}): Evidence {
  return {
    tenantId,
    evidenceId: `ev_${String(n).padStart(32, '0')}`,
    key: `proofs/${tenantId}/${order.contractId}/2025-03-05/${order.workOrderId}/x.jpg`,
    contractId: order.contractId,
    contractorId: order.contractorId,
    subject: { kind: 'work_order', id: order.workOrderId },
    localDate: '2025-03-05',
    status: 'valid',
    declaredContentType: 'image/jpeg',
    issuedAt: '2025-03-05T02:00:00Z',
    issuedBy: 'u',
    sha256: String(n).repeat(64).slice(0, 64),
    ...overrides,
  };
}

/** 南京东路 geometry for 南京西路's id: the GPS checks need a real line. */
const onRoad = { lon: 121.4803, lat: 31.2372, accuracyM: 6 };

function setup(contract: Contract = unitRateContract()) {
  const store = new MemoryWorkOrderStore();
  const evidence: Evidence[] = [];
  const clock = fixedClock();
  const deps: WorkOrderDeps = {
    workOrders: store,
    clock,
    ids: sequentialIds(),
    getContract: async (_t, id) => (id === contract.contractId ? contract : undefined),
    getSegment: async (_t, id) => segmentFixture({ segmentId: id, tenantId, geometry: nanjingEastRoad, widthM: 20 }),
    evidence: { getMany: async (_t, subjectId, ids) => evidence.filter((item) => item.subject.id === subjectId && ids.includes(item.evidenceId)) },
    findClaims: async (_t, hashes) => new Map(hashes.filter((h) => store.claims.has(h)).map((h) => [h, store.claims.get(h)!])),
  };
  const create = (): Promise<WorkOrder> =>
    createWorkOrder(deps, actors.inspector, contract.contractId, {
      rateItemCode: 'M-01',
      estimatedQuantityMilli: 1_000,
      location: { segmentId: seg.nanjingWest },
      description: '井盖破损',
      deadline: '2025-03-06T18:00:00+08:00',
    });
  return { deps, store, evidence, clock, contract, create };
}

describe('work order use cases', () => {
  it('creates an order at the rate in force today and lists it by status and month', async () => {
    const { deps, create, contract } = setup();

    const order = await create();
    const page = await listWorkOrders(deps, actors.huanjieUser, contract.contractId, { status: 'open', month: '2025-03' }, { limit: 50 });

    expect(order).toMatchObject({ unitFen: 118_000, createdBy: actors.inspector.userId, status: 'open' });
    expect(page.items.map((item) => item.workOrderId)).toEqual([order.workOrderId]);
  });

  it("hides a contractor's order from another contractor (404)", async () => {
    const { deps, create } = setup();
    const order = await create();

    await expect(getWorkOrder(deps, actors.lvyuanUser, order.workOrderId)).rejects.toThrow(NotFoundError);
  });

  it('refuses a completion listing every failure: a missing photo and GPS off the road', async () => {
    const { deps, create } = setup();
    const order = await create();

    const refusal = await completeWorkOrderUseCase(deps, actors.huanjieUser, order.workOrderId, 1, {
      evidenceIds: ['ev_00000000000000000000000000000009'],
      capturedAt: '2025-03-05T09:40:00+08:00', // before the clock (10:00): a time ahead of it is refused first
      gps: { lon: 121.5, lat: 31.25, accuracyM: 5 },
      measuredQuantityMilli: 1_000,
    }).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(RuleViolationError);
    expect((refusal as RuleViolationError).reasons).toEqual([
      'photo ev_00000000000000000000000000000009 has not been uploaded or is not yet processed',
      expect.stringMatching(/^GPS point is \d+ m from .*limit 50 m/),
    ]);
  });

  it('completes with claims, flags lateness by server time, and prices the accepted quantity', async () => {
    const { deps, create, evidence, store, clock, contract } = setup();
    const order = await create();
    evidence.push(photo(order, 1), photo(order, 2));
    clock.set(new Date('2025-03-06T10:30:00Z')); // 18:30 Shanghai, half an hour after the deadline

    const completed = await completeWorkOrderUseCase(deps, actors.huanjieUser, order.workOrderId, 1, {
      evidenceIds: [photo(order, 1).evidenceId, photo(order, 2).evidenceId],
      capturedAt: '2025-03-06T17:50:00+08:00',
      gps: onRoad,
      measuredQuantityMilli: 2_000,
    });
    const accepted = await acceptWorkOrderUseCase(deps, actors.inspector, order.workOrderId, 2, { acceptedQuantityMilli: 2_000 });
    const lines = await workOrderLinesOf(deps, tenantId, contract.contractId, '2025-03');

    expect(completed.completion?.late).toBe(true);
    expect([...store.claims.values()]).toEqual([order.workOrderId, order.workOrderId]);
    expect(accepted.status).toBe('accepted');
    // 2.000 个 x 1180.00 元 = 2000 x 118000 / 1000 = 236000 fen
    expect(lines).toEqual([expect.objectContaining({ workOrderId: order.workOrderId, amountFen: 236_000, late: { pointsX100: 0, fineFen: 0, basis: 'same-as-defect-none' } })]);
  });

  it('answers a stale version with 412 before any rule', async () => {
    const { deps, create } = setup();
    const order = await create();

    await expect(acceptWorkOrderUseCase(deps, actors.inspector, order.workOrderId, 5, { acceptedQuantityMilli: 1 })).rejects.toThrow(StaleVersionError);
  });

  it('names body fields relative to the body (rateItemCode, reason)', async () => {
    const { deps, contract } = setup();

    const refusal = await createWorkOrder(deps, actors.procurement, contract.contractId, {
      rateItemCode: 'X-1',
      estimatedQuantityMilli: 1_000,
      location: { segmentId: seg.nanjingWest },
      description: 'x',
      deadline: '2025-03-06T18:00:00+08:00',
    }).catch((error: unknown) => error);

    expect((refusal as ValidationError).issues.map((issue) => issue.path)).toEqual(['rateItemCode']);
  });
});
